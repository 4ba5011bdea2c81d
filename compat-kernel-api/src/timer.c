// SPDX-License-Identifier: GPL-2.0-only
/*
 * jiffies and timers. jiffies is the monotonic clock in milliseconds (HZ is 1000), counted
 * from the process's start. Pending timers sit on one list; the loop runs those that are due.
 */
#include <linux/kernel.h>
#include <linux/timer.h>
#include <nook/host.h>

#include <nook/fault-plan.h>

#include "internal.h"

static uint64_t boot_ns;
static LIST_HEAD(pending);

/* jiffies at the monotonic time @now_ns. */
static unsigned long jiffies_at(uint64_t now_ns)
{
	if (!boot_ns)
		boot_ns = now_ns;
	/* Start past zero, so that "not yet set" (0) never looks like a real time. */
	return (unsigned long)((now_ns - boot_ns) / 1000000) + 1;
}

unsigned long nook_jiffies(void)
{
	return jiffies_at(nook_host_now_ns());
}

/* The monotonic time at which jiffies reaches @j, seen at @now_ns (now if already past). */
static uint64_t jiffies_to_ns_at(unsigned long j, uint64_t now_ns)
{
	long delta = (long)(j - jiffies_at(now_ns));

	return delta <= 0 ? now_ns : now_ns + (uint64_t)delta * 1000000;
}

void nook_timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags)
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->flags = flags;
	t->expires = 0;
	t->nook_pending = false;
}

int timer_pending(const struct timer_list *t)
{
	return t->nook_pending;
}

int del_timer(struct timer_list *t)
{
	if (!t->nook_pending)
		return 0;
	list_del_init(&t->entry);
	t->nook_pending = false;
	return 1;
}

/* Nothing runs concurrently with the caller, so no callback can be in flight elsewhere. */
int del_timer_sync(struct timer_list *t)
{
	return del_timer(t);
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	int was = del_timer(t);

	t->expires = expires;
	list_add_tail(&t->entry, &pending);
	t->nook_pending = true;
	return was;
}

void add_timer(struct timer_list *t)
{
	if (t->nook_pending)
		nook_fatal("add_timer() of a pending timer");
	mod_timer(t, t->expires);
}

/*
 * Run every timer due at @now_ns, earliest deadline first, however late the loop got to
 * them (a callback may re-arm or delete others); returns how many ran.
 */
int nook_timers_run(uint64_t now_ns)
{
	unsigned long now = jiffies_at(now_ns);
	int ran = 0;

	for (;;) {
		struct timer_list *t, *first = NULL;

		list_for_each_entry(t, &pending, entry)
			if (time_after_eq(now, t->expires) &&
			    (!first || time_before(t->expires, first->expires)))
				first = t;
		if (!first)
			return ran;
		if (nook_fault_planned(NOOK_FAULT_SITE_TIMER)) {
			unsigned int late_ms = nook_fault_plan_timer_late_ms();

			if (late_ms) {
				/* a planned fault holds this expiry back: the timer fires late */
				mod_timer(first, now + msecs_to_jiffies(late_ms));
				continue;
			}
		}
		del_timer(first);
		first->function(first);
		ran++;
	}
}

long long nook_timers_next_ns(void)
{
	struct timer_list *t;
	long long next = -1;
	uint64_t now;

	if (list_empty(&pending))
		return -1;
	/* One clock read for them all: the loop asks on every pass. */
	now = nook_host_now_ns();
	list_for_each_entry(t, &pending, entry) {
		long long at = (long long)jiffies_to_ns_at(t->expires, now);

		if (next < 0 || at < next)
			next = at;
	}
	return next;
}
