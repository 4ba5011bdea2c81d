/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_HARDIRQ_H
#define NOOK_LINUX_HARDIRQ_H
#include <linux/kernel.h>
#endif
