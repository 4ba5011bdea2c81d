/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RCU as drivers use it. A driver runs on one thread and its kernel tasks switch only where
 * kernel code may sleep, which an RCU read-side section never does: when synchronize_rcu()
 * is called, no reader is inside one, so the grace period is over at once.
 */
#ifndef NOOK_LINUX_RCUPDATE_H
#define NOOK_LINUX_RCUPDATE_H

#include <linux/compiler.h>

static inline void synchronize_rcu(void)
{
	barrier();
}

#endif
