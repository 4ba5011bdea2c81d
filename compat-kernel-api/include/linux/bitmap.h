/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_BITMAP_H
#define NOOK_LINUX_BITMAP_H
#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/string.h>
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
#endif
