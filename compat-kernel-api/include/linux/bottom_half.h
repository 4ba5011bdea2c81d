/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_BH_H
#define NOOK_LINUX_BH_H

#include <nook/noop.h>
#define local_bh_disable()                                                                       \
	NOOK_NOOP("softirqs (NAPI polls, timers) run from the loop between tasks, never inside " \
		  "one")
#define local_bh_enable()                                                                        \
	NOOK_NOOP("softirqs (NAPI polls, timers) run from the loop between tasks, never inside " \
		  "one")
#define rcu_read_lock_bh() NOOK_NOOP("one thread: nothing frees what a reader holds while it reads")
#define rcu_read_unlock_bh() \
	NOOK_NOOP("one thread: nothing frees what a reader holds while it reads")
#endif
