// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tasks and sleeping. Kernel code in a driver process runs on one thread: the loop (the
 * thread's own context, where interrupt handlers, timers, NAPI polls and start_xmit run, all
 * "atomic") and tasks, each on a stack of its own, switched only where kernel code may sleep.
 * A sleeping task always switches back to the loop, which picks the next runnable task.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <nook/host.h>

#include <nook/fault-plan.h>

#include "internal.h"

#define TASK_STACK_SIZE (256 * 1024)

int nook_spin_depth;

static struct task_struct *tasks;   /* every live task */
static struct task_struct *running; /* NULL: the loop itself */
static struct nook_host_ctx *loop_ctx;
static int next_pid = 1;

struct task_struct *nook_current(void)
{
	return running;
}

bool nook_in_atomic(void)
{
	return !running || nook_spin_depth > 0;
}

/* Sleeping is only for tasks holding no spinlock: anything else is a bug, as in Linux. */
static void assert_may_sleep(const char *what)
{
	char msg[160];

	if (!running) {
		snprintf(msg, sizeof(msg),
			 "%s called from atomic context (an interrupt handler, "
			 "timer, NAPI poll or transmit path)",
			 what);
		nook_fatal(msg);
	}
	if (nook_spin_depth > 0) {
		snprintf(msg, sizeof(msg), "%s called by task %s while holding a spinlock", what,
			 running->comm);
		nook_fatal(msg);
	}
}

static void task_entry(void *arg)
{
	struct task_struct *t = arg;

	t->nook_fn(t->nook_data);
	t->nook_exited = true;
	t->nook_runnable = false;
	nook_host_ctx_switch(t->nook_ctx, loop_ctx);
	nook_fatal("an exited task was resumed");
}

struct task_struct *nook_task_create(int (*fn)(void *data), void *data, const char *name)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	if (!loop_ctx)
		loop_ctx = nook_host_ctx_self();
	t->nook_ctx = nook_host_ctx_new(task_entry, t, TASK_STACK_SIZE);
	if (!t->nook_ctx) {
		kfree(t);
		return NULL;
	}
	strscpy(t->comm, name, sizeof(t->comm));
	t->pid = next_pid++;
	t->nook_fn = fn;
	t->nook_data = data;
	t->nook_runnable = true;
	t->nook_next = tasks;
	tasks = t;
	return t;
}

int wake_up_process(struct task_struct *t)
{
	bool was = t->nook_runnable;

	t->nook_runnable = true;
	t->__state = TASK_RUNNING;
	return !was;
}

void set_current_state_nook(long state)
{
	if (!running)
		return;
	running->__state = state;
	if (state != TASK_RUNNING)
		running->nook_runnable = false;
	else
		running->nook_runnable = true;
}

/* Give the CPU back to the loop; return when the loop resumes this task. */
void schedule(void)
{
	struct task_struct *t = running;

	assert_may_sleep("schedule()");
	nook_host_ctx_switch(t->nook_ctx, loop_ctx);
}

long schedule_timeout(long timeout)
{
	struct task_struct *t = running;
	uint64_t now, deadline;

	assert_may_sleep("schedule_timeout()");
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	now = nook_host_now_ns();
	if (nook_fault_planned(NOOK_FAULT_SITE_SLEEP) && nook_fault_plan_sleep_early())
		return timeout; /* a planned fault: woken at once, all of the time left */
	deadline = now + (uint64_t)(timeout < 0 ? 0 : timeout) * (1000000000ULL / HZ);
	t->nook_wake_at_ns = deadline;
	schedule();
	t->nook_wake_at_ns = 0;
	now = nook_host_now_ns();
	return now >= deadline ?
		       0 :
		       (long)((deadline - now + (1000000000ULL / HZ) - 1) / (1000000000ULL / HZ));
}

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

int nook_cond_resched(void)
{
	if (!running || nook_spin_depth > 0)
		return 0;
	/* Stay runnable: the loop runs others (and interrupts) and comes back. */
	running->nook_runnable = true;
	nook_host_ctx_switch(running->nook_ctx, loop_ctx);
	return 1;
}

/*
 * The loop's side: run each task runnable, or due to wake at @now, until it sleeps; free
 * those that ended.
 */
bool nook_sched_run(uint64_t now)
{
	bool ran = false;

	if (!loop_ctx)
		return false;
	for (struct task_struct **pp = &tasks, *t; (t = *pp);) {
		if (!t->nook_runnable && t->nook_wake_at_ns && now >= t->nook_wake_at_ns) {
			t->nook_runnable = true;
			t->__state = TASK_RUNNING;
		}
		if (t->nook_runnable) {
			running = t;
			nook_host_ctx_switch(loop_ctx, t->nook_ctx);
			running = NULL;
			ran = true;
			if (nook_spin_depth != 0)
				nook_fatal("a task slept or ended holding a spinlock");
		}
		if (t->nook_exited) {
			*pp = t->nook_next;
			nook_host_ctx_free(t->nook_ctx);
			kfree(t);
			continue;
		}
		pp = &t->nook_next;
	}
	return ran;
}

/* The earliest time a sleeping task wants to wake (ns), 0 if a task is runnable, -1 none. */
long long nook_sched_next_ns(void)
{
	long long next = -1;

	for (struct task_struct *t = tasks; t; t = t->nook_next) {
		if (t->nook_runnable)
			return 0;
		if (t->nook_wake_at_ns && (next < 0 || (long long)t->nook_wake_at_ns < next))
			next = (long long)t->nook_wake_at_ns;
	}
	return next;
}

int nook_sched_task_count(void)
{
	int n = 0;

	for (struct task_struct *t = tasks; t; t = t->nook_next)
		n++;
	return n;
}

/* --- delays */

void nook_ndelay(unsigned long nsecs)
{
	uint64_t end = nook_host_now_ns() + nsecs;

	while (nook_host_now_ns() < end)
		cpu_relax();
}

void nook_udelay(unsigned long usecs)
{
	nook_ndelay(usecs * 1000);
}

/* Sleep the running task until @end_ns (CLOCK_MONOTONIC), letting others run. */
static void sleep_until(uint64_t end_ns, const char *what)
{
	assert_may_sleep(what);
	if (nook_fault_planned(NOOK_FAULT_SITE_SLEEP) && nook_fault_plan_sleep_early())
		return; /* a planned fault: the sleep returns at once */
	while (nook_host_now_ns() < end_ns) {
		running->nook_wake_at_ns = end_ns;
		running->nook_runnable = false;
		schedule();
	}
	running->nook_wake_at_ns = 0;
}

void nook_msleep(unsigned int msecs)
{
	sleep_until(nook_host_now_ns() + (uint64_t)msecs * 1000000, "msleep()");
}

unsigned long nook_msleep_interruptible(unsigned int msecs)
{
	nook_msleep(msecs);
	return 0;
}

void nook_usleep_range(unsigned long min, unsigned long max)
{
	sleep_until(nook_host_now_ns() + (uint64_t)min * 1000, "usleep_range()");
}

/* --- wait queues, completions, mutexes */

void wake_up(wait_queue_head_t *wq)
{
	struct wait_queue_entry *e;

	list_for_each_entry(e, &wq->head, entry)
		wake_up_process(e->task);
}

int nook_wait_queue_sleep(wait_queue_head_t *wq, long long timeout_ns)
{
	struct wait_queue_entry e;
	int woken;

	assert_may_sleep("a wait on a wait queue");
	e.task = running;
	list_add_tail(&e.entry, &wq->head);
	running->nook_runnable = false;
	running->nook_wake_at_ns = timeout_ns >= 0 ? nook_host_now_ns() + (uint64_t)timeout_ns : 0;
	schedule();
	woken = !running->nook_wake_at_ns || nook_host_now_ns() < running->nook_wake_at_ns;
	running->nook_wake_at_ns = 0;
	list_del(&e.entry);
	return woken;
}

void complete(struct completion *c)
{
	c->done++;
	wake_up(&c->wait);
}

void complete_all(struct completion *c)
{
	c->done = UINT_MAX / 2;
	wake_up(&c->wait);
}

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, c->done > 0);
	c->done--;
}

unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout)
{
	long left = wait_event_timeout(c->wait, c->done > 0, timeout);

	if (!left)
		return 0;
	c->done--;
	return (unsigned long)left;
}

bool try_wait_for_completion(struct completion *c)
{
	if (!c->done)
		return false;
	c->done--;
	return true;
}

bool completion_done(struct completion *c)
{
	return c->done > 0;
}

/* The loop itself may take a free mutex (set-up code runs there); it cannot wait for one. */
static struct task_struct loop_owner;

void mutex_lock(struct mutex *m)
{
	if (m->owner && !running)
		nook_fatal("mutex_lock() would sleep in atomic context");
	wait_event(m->waiters, m->owner == NULL);
	m->owner = running ? running : &loop_owner;
}

int mutex_trylock(struct mutex *m)
{
	if (m->owner)
		return 0;
	m->owner = running ? running : &loop_owner;
	return 1;
}

void mutex_unlock(struct mutex *m)
{
	m->owner = NULL;
	wake_up(&m->waiters);
}

struct mutex nook_rtnl_mutex = { NULL, { LIST_HEAD_INIT(nook_rtnl_mutex.waiters.head) } };
