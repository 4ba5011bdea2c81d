/* SPDX-License-Identifier: GPL-2.0-only */
/* Cache-line sizes and alignment, x86-64's. */
#ifndef NOOK_LINUX_CACHE_H
#define NOOK_LINUX_CACHE_H

#include <linux/compiler_types.h>

#define L1_CACHE_SHIFT 6
#define L1_CACHE_BYTES (1 << L1_CACHE_SHIFT)
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES L1_CACHE_BYTES
#endif

#endif
