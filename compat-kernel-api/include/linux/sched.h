/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tasks: cooperative kernel threads of a driver process (probe, workqueue workers, the
 * rtnl task that runs ndo calls). One runs at a time; it gives way only where kernel code
 * may sleep. See src/sched.c.
 */
#ifndef NOOK_LINUX_SCHED_H
#define NOOK_LINUX_SCHED_H

#include <linux/types.h>
#include <linux/jiffies.h>

#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_KILLABLE TASK_UNINTERRUPTIBLE
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define MAX_SCHEDULE_TIMEOUT LONG_MAX
#define TASK_COMM_LEN 16

struct task_struct {
	char comm[TASK_COMM_LEN];
	int pid;
	volatile long __state;
	/* host-side context, the wake-up deadline, list links: see src/sched.c */
	void *nook_ctx;
	u64 nook_wake_at_ns;
	bool nook_runnable;
	bool nook_exited;
	int (*nook_fn)(void *data);
	void *nook_data;
	struct task_struct *nook_next;
};

struct task_struct *nook_current(void);
#define current nook_current()

void schedule(void);
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
int wake_up_process(struct task_struct *task);
void set_current_state_nook(long state);
#define set_current_state(state) set_current_state_nook(state)
#define __set_current_state(state) set_current_state_nook(state)
#define cond_resched() nook_cond_resched()
int nook_cond_resched(void);
#define signal_pending(task) 0
#define fatal_signal_pending(task) 0
#define yield() nook_cond_resched()

/* Start a task running @fn(@data); it ends when @fn returns. */
struct task_struct *nook_task_create(int (*fn)(void *data), void *data, const char *name);

#endif
