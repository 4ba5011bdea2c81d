/* SPDX-License-Identifier: GPL-2.0-only */
/* Interrupts run only between tasks (see spinlock.h): disabling them is a no-op. */
#ifndef NOOK_LINUX_IRQFLAGS_H
#define NOOK_LINUX_IRQFLAGS_H
#define local_irq_save(flags) \
	do {                  \
		(flags) = 0;  \
	} while (0)
#define local_irq_restore(flags) \
	do {                     \
		(void)(flags);   \
	} while (0)
#define local_irq_disable() \
	do {                \
	} while (0)
#define local_irq_enable() \
	do {               \
	} while (0)
#endif
