/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_PREEMPT_H
#define NOOK_LINUX_PREEMPT_H
/* Nothing preempts kernel code in a driver process. */
#define preempt_disable() \
	do {              \
	} while (0)
#define preempt_enable() \
	do {             \
	} while (0)
#define preempt_count() 0
#endif
