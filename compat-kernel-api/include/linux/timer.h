/* SPDX-License-Identifier: GPL-2.0-only */
/* Timers: their callbacks run from the driver process's loop, in softirq context. */
#ifndef NOOK_LINUX_TIMER_H
#define NOOK_LINUX_TIMER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/container_of.h>

struct timer_list {
	struct list_head entry;
	unsigned long expires;
	void (*function)(struct timer_list *t);
	u32 flags;
	bool nook_pending;
};

#define TIMER_DEFERRABLE 0x1
#define TIMER_PINNED 0x2
#define TIMER_IRQSAFE 0x4

void nook_timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags);
#define timer_setup(t, fn, flags) nook_timer_setup((t), (fn), (flags))
#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)
#define DEFINE_TIMER(name, fn) \
	struct timer_list name = { .entry = LIST_HEAD_INIT(name.entry), .function = (fn) }

void add_timer(struct timer_list *t);
int mod_timer(struct timer_list *t, unsigned long expires);
int del_timer(struct timer_list *t);
int del_timer_sync(struct timer_list *t);
int timer_pending(const struct timer_list *t);
#define timer_delete del_timer
#define timer_delete_sync del_timer_sync
#define timer_shutdown_sync del_timer_sync

/*
 * The loop's side: run the timers due at @now_ns (the loop's monotonic clock); when the
 * next one is due (ns, or -1).
 */
int nook_timers_run(uint64_t now_ns);
long long nook_timers_next_ns(void);

#endif
