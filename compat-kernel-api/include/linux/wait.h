/* SPDX-License-Identifier: GPL-2.0-only */
/* Wait queues: tasks sleeping until a condition holds, with a timeout where asked. */
#ifndef NOOK_LINUX_WAIT_H
#define NOOK_LINUX_WAIT_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sched.h>

struct wait_queue_head {
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = { LIST_HEAD_INIT(name.head) }
#define init_waitqueue_head(wq) INIT_LIST_HEAD(&(wq)->head)

void wake_up(wait_queue_head_t *wq);
#define wake_up_all(wq) wake_up(wq)
#define wake_up_interruptible(wq) wake_up(wq)
#define wake_up_interruptible_all(wq) wake_up(wq)

/* Sleep on @wq until woken or @timeout_ns passes (-1: no deadline); 0 on timeout. */
int nook_wait_queue_sleep(wait_queue_head_t *wq, long long timeout_ns);

#define wait_event(wq, cond)                              \
	do {                                              \
		while (!(cond))                           \
			nook_wait_queue_sleep(&(wq), -1); \
	} while (0)
#define wait_event_interruptible(wq, cond) \
	({                                 \
		wait_event(wq, cond);      \
		0;                         \
	})
#define wait_event_killable(wq, cond) \
	({                            \
		wait_event(wq, cond); \
		0;                    \
	})
/* Jiffies left (at least 1) when @cond became true, 0 on timeout. */
#define wait_event_timeout(wq, cond, timeout)                                      \
	({                                                                         \
		unsigned long __end = jiffies + (timeout);                         \
		long __left = (long)(timeout);                                     \
		while (!(cond) && __left > 0) {                                    \
			nook_wait_queue_sleep(&(wq), (long long)__left * 1000000); \
			__left = (long)(__end - jiffies);                          \
		}                                                                  \
		(cond) ? (__left > 0 ? __left : 1) : 0;                            \
	})
#define wait_event_interruptible_timeout(wq, cond, timeout) wait_event_timeout(wq, cond, timeout)

#endif
