/* SPDX-License-Identifier: GPL-2.0-only */
/* Work items run in worker tasks (they may sleep); delayed work is a timer that queues them. */
#ifndef NOOK_LINUX_WORKQUEUE_H
#define NOOK_LINUX_WORKQUEUE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/timer.h>
#include <linux/container_of.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;
	work_func_t func;
	bool nook_pending;
	bool nook_running;
	struct workqueue_struct *nook_wq;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
};

struct workqueue_struct;
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_long_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_power_efficient_wq;

void nook_init_work(struct work_struct *work, work_func_t fn);
void nook_init_delayed_work(struct delayed_work *dwork, work_func_t fn);
#define INIT_WORK(w, fn) nook_init_work((w), (fn))
#define INIT_DELAYED_WORK(d, fn) nook_init_delayed_work((d), (fn))
#define INIT_DEFERRABLE_WORK(d, fn) nook_init_delayed_work((d), (fn))
#define DECLARE_WORK(n, f) struct work_struct n = { .entry = LIST_HEAD_INIT(n.entry), .func = (f) }
#define to_delayed_work(w) container_of(w, struct delayed_work, work)

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...);
#define alloc_ordered_workqueue(fmt, flags, args...) alloc_workqueue(fmt, flags, 1, ##args)
#define create_singlethread_workqueue(name) alloc_workqueue("%s", 0, 1, name)
#define create_workqueue(name) alloc_workqueue("%s", 0, 1, name)
void destroy_workqueue(struct workqueue_struct *wq);
void flush_workqueue(struct workqueue_struct *wq);
#define WQ_UNBOUND 0x2
#define WQ_MEM_RECLAIM 0x8
#define WQ_HIGHPRI 0x10
#define WQ_FREEZABLE 0x4

bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay);
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay);
#define schedule_work(w) queue_work(system_wq, (w))
#define schedule_delayed_work(d, delay) queue_delayed_work(system_wq, (d), (delay))
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
#define flush_scheduled_work() flush_workqueue(system_wq)
#define work_pending(w) ((w)->nook_pending)
#define delayed_work_pending(d) ((d)->work.nook_pending || timer_pending(&(d)->timer))

#endif
