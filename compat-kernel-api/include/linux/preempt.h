/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_PREEMPT_H
#define NOOK_LINUX_PREEMPT_H

#include <nook/noop.h>
/* Nothing preempts kernel code in a driver process. */
#define preempt_disable() NOOK_NOOP("nothing preempts kernel code in a driver process")
#define preempt_enable() NOOK_NOOP("nothing preempts kernel code in a driver process")
#define preempt_count() 0
#endif
