/* SPDX-License-Identifier: GPL-2.0-only */
/* Interrupts run only between tasks (see spinlock.h): disabling them is a no-op. */
#ifndef NOOK_LINUX_IRQFLAGS_H
#define NOOK_LINUX_IRQFLAGS_H

#include <nook/noop.h>
#define local_irq_save(flags) \
	do {                  \
		(flags) = 0;  \
	} while (0)
#define local_irq_restore(flags) \
	NOOK_NOOP_ARG("interrupt handlers run between tasks, never inside one", flags)
#define local_irq_disable() NOOK_NOOP("interrupt handlers run between tasks, never inside one")
#define local_irq_enable() NOOK_NOOP("interrupt handlers run between tasks, never inside one")
#endif
