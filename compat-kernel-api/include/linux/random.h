/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_RANDOM_H
#define NOOK_LINUX_RANDOM_H
#include <linux/types.h>
void get_random_bytes(void *buf, size_t len);
u32 get_random_u32(void);
#define prandom_u32() get_random_u32()
#endif
