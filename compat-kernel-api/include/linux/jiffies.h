/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * jiffies, read from the monotonic clock on every use: a driver that polls jiffies in a
 * loop sees time pass, as it would under a ticking kernel.
 */
#ifndef NOOK_LINUX_JIFFIES_H
#define NOOK_LINUX_JIFFIES_H

#include <linux/types.h>
#include <linux/kernel.h>

#define HZ CONFIG_HZ
#define USER_HZ 100

unsigned long nook_jiffies(void);
#define jiffies nook_jiffies()
#define jiffies_64 ((u64)nook_jiffies())
#define get_jiffies_64() ((u64)nook_jiffies())
#define INITIAL_JIFFIES 0UL
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
#define time_after64 time_after
#define time_before64 time_before

/* HZ is 1000: a jiffy is a millisecond. */
static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return m;
}
static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return (u + 999) / 1000;
}
static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)j;
}
static inline unsigned int jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * 1000);
}
static inline u64 nsecs_to_jiffies(u64 n)
{
	return n / 1000000;
}
#define round_jiffies(j) (j)
#define round_jiffies_up(j) (j)
#define round_jiffies_relative(j) (j)
#define round_jiffies_up_relative(j) (j)

#endif
