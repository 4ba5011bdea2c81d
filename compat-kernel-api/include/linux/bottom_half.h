/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_BH_H
#define NOOK_LINUX_BH_H
#define local_bh_disable() \
	do {               \
	} while (0)
#define local_bh_enable() \
	do {              \
	} while (0)
#define rcu_read_lock_bh() \
	do {               \
	} while (0)
#define rcu_read_unlock_bh() \
	do {                 \
	} while (0)
#endif
