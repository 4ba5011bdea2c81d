/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Delays. udelay/mdelay spin, as they do in Linux (allowed anywhere); msleep and friends
 * sleep the running task and let others run (allowed only in a task).
 */
#ifndef NOOK_LINUX_DELAY_H
#define NOOK_LINUX_DELAY_H

#include <linux/types.h>

void nook_udelay(unsigned long usecs);
void nook_ndelay(unsigned long nsecs);
void nook_msleep(unsigned int msecs);
unsigned long nook_msleep_interruptible(unsigned int msecs);
void nook_usleep_range(unsigned long min, unsigned long max);
#define udelay(us) nook_udelay(us)
#define ndelay(ns) nook_ndelay(ns)
#define mdelay(ms) nook_udelay((unsigned long)(ms)*1000)
#define msleep(ms) nook_msleep(ms)
#define msleep_interruptible(ms) nook_msleep_interruptible(ms)
#define usleep_range(min, max) nook_usleep_range((min), (max))
#define ssleep(s) nook_msleep((s)*1000)
#define fsleep(us) nook_usleep_range((us), (us))

#endif
