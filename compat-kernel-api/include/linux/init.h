/* SPDX-License-Identifier: GPL-2.0-only */
/* Section markers (__init, __exit, ...): one image, nothing is discarded after start-up. */
#ifndef NOOK_LINUX_INIT_H
#define NOOK_LINUX_INIT_H

#include <linux/compiler_types.h>

#endif
