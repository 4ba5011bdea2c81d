/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_OVERFLOW_H
#define NOOK_LINUX_OVERFLOW_H
#include <linux/types.h>
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d) __builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
/* Saturating, so an overflowing size fails the allocation instead of wrapping. */
static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? ~(size_t)0 : r;
}
static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? ~(size_t)0 : r;
}
#define array_size(a, b) size_mul(a, b)
#define struct_size(p, member, count) \
	size_add(sizeof(*(p)), size_mul(sizeof(*(p)->member), (count)))
#endif
