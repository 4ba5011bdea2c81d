// SPDX-License-Identifier: GPL-2.0-only
/*
 * Workqueues. Each workqueue has one worker task that runs its items in order; items may
 * sleep. Delayed work is a timer that queues the item when it fires.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "internal.h"

struct workqueue_struct {
	char name[32];
	struct list_head items;
	struct task_struct *worker;
	struct work_struct *running;
	bool stopping;
};

struct workqueue_struct *system_wq;
struct workqueue_struct *system_long_wq;
struct workqueue_struct *system_unbound_wq;
struct workqueue_struct *system_power_efficient_wq;

/* Woken whenever an item finishes, for those waiting on flush or cancel. */
static DECLARE_WAIT_QUEUE_HEAD(work_done);

static int worker_fn(void *data)
{
	struct workqueue_struct *wq = data;

	while (!wq->stopping) {
		struct work_struct *w;

		if (list_empty(&wq->items)) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			schedule();
			continue;
		}
		w = list_first_entry(&wq->items, struct work_struct, entry);
		list_del_init(&w->entry);
		w->nook_pending = false;
		w->nook_running = true;
		wq->running = w;
		w->func(w);
		wq->running = NULL;
		w->nook_running = false;
		wake_up(&work_done);
	}
	return 0;
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	INIT_LIST_HEAD(&wq->items);
	wq->worker = nook_task_create(worker_fn, wq, wq->name);
	if (!wq->worker) {
		kfree(wq);
		return NULL;
	}
	return wq;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	if (current == wq->worker)
		nook_fatal("flush_workqueue() from an item of the same workqueue");
	wait_event(work_done, list_empty(&wq->items) && !wq->running);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
	wq->stopping = true;
	wake_up_process(wq->worker);
	/* The worker ends on its next run and the loop frees it; the queue goes now. */
	kfree(wq);
}

int nook_workqueue_init(void)
{
	system_wq = alloc_workqueue("events", 0, 0);
	if (!system_wq)
		return -ENOMEM;
	system_long_wq = system_unbound_wq = system_power_efficient_wq = system_wq;
	return 0;
}

void nook_init_work(struct work_struct *work, work_func_t fn)
{
	INIT_LIST_HEAD(&work->entry);
	work->func = fn;
	work->nook_pending = false;
	work->nook_running = false;
	work->nook_wq = NULL;
}

static void delayed_work_timer(struct timer_list *t)
{
	struct delayed_work *dw = from_timer(dw, t, timer);

	queue_work(dw->wq, &dw->work);
}

void nook_init_delayed_work(struct delayed_work *dwork, work_func_t fn)
{
	nook_init_work(&dwork->work, fn);
	timer_setup(&dwork->timer, delayed_work_timer, 0);
	dwork->wq = NULL;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	if (!wq)
		nook_fatal("queue_work() on a workqueue that does not exist");
	if (work->nook_pending)
		return false;
	work->nook_pending = true;
	work->nook_wq = wq;
	list_add_tail(&work->entry, &wq->items);
	wake_up_process(wq->worker);
	return true;
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay)
{
	if (dwork->work.nook_pending || timer_pending(&dwork->timer))
		return false;
	dwork->wq = wq;
	if (!delay)
		return queue_work(wq, &dwork->work);
	mod_timer(&dwork->timer, jiffies + delay);
	return true;
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay)
{
	bool was = cancel_delayed_work(dwork);

	queue_delayed_work(wq, dwork, delay);
	return was;
}

static bool work_unqueue(struct work_struct *work)
{
	if (!work->nook_pending)
		return false;
	list_del_init(&work->entry);
	work->nook_pending = false;
	return true;
}

bool flush_work(struct work_struct *work)
{
	bool busy = work->nook_pending || work->nook_running;

	if (busy && current)
		wait_event(work_done, !work->nook_pending && !work->nook_running);
	return busy;
}

bool cancel_work_sync(struct work_struct *work)
{
	bool was = work_unqueue(work);

	/* A running item is waited for, unless it is the caller itself. */
	if (work->nook_running && current && current != work->nook_wq->worker)
		wait_event(work_done, !work->nook_running);
	return was;
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	bool t = del_timer(&dwork->timer);

	return work_unqueue(&dwork->work) || t;
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	bool t = del_timer_sync(&dwork->timer);

	return cancel_work_sync(&dwork->work) || t;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	if (del_timer(&dwork->timer))
		queue_work(dwork->wq, &dwork->work);
	return flush_work(&dwork->work);
}
