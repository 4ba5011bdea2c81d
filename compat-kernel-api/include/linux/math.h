/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_MATH_H
#define NOOK_LINUX_MATH_H
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define DIV_ROUND_CLOSEST(x, d) (((x) + ((d) / 2)) / (d))
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#define round_up(x, y) ((((x)-1) | ((__typeof__(x))((y)-1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y)-1)))
#define abs(x)                           \
	({                               \
		__typeof__(x) __a = (x); \
		__a < 0 ? -__a : __a;    \
	})
#define do_div(n, base)                          \
	({                                       \
		u32 __base = (base);             \
		u32 __rem = (u32)((n) % __base); \
		(n) /= __base;                   \
		__rem;                           \
	})
#define div_u64(a, b) ((u64)(a) / (u32)(b))
#define div64_u64(a, b) ((u64)(a) / (u64)(b))
#define div_s64(a, b) ((s64)(a) / (s32)(b))
#define mult_frac(x, n, d) (((x) / (d)) * (n) + (((x) % (d)) * (n)) / (d))
#endif
