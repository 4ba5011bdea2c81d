/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loads and stores at addresses of any alignment, in a given byte order. memcpy says to the
 * compiler that the address may be unaligned; on x86 it becomes one plain move.
 */
#ifndef NOOK_ASM_UNALIGNED_H
#define NOOK_ASM_UNALIGNED_H

#include <linux/types.h>
#include <asm/byteorder.h>

#define NOOK_UNALIGNED(bits, order)                                          \
	static inline u##bits get_unaligned_##order##bits(const void *p)     \
	{                                                                    \
		__##order##bits v;                                           \
		__builtin_memcpy(&v, p, sizeof(v));                          \
		return order##bits##_to_cpu(v);                              \
	}                                                                    \
	static inline void put_unaligned_##order##bits(u##bits val, void *p) \
	{                                                                    \
		__##order##bits v = cpu_to_##order##bits(val);               \
		__builtin_memcpy(p, &v, sizeof(v));                          \
	}
NOOK_UNALIGNED(16, le)
NOOK_UNALIGNED(32, le)
NOOK_UNALIGNED(64, le)
NOOK_UNALIGNED(16, be)
NOOK_UNALIGNED(32, be)
NOOK_UNALIGNED(64, be)
#undef NOOK_UNALIGNED

/* In the CPU's own order, for any scalar type. */
#define get_unaligned(ptr)                                  \
	({                                                  \
		__typeof__(*(ptr)) __v;                     \
		__builtin_memcpy(&__v, (ptr), sizeof(__v)); \
		__v;                                        \
	})
#define put_unaligned(val, ptr)                             \
	({                                                  \
		__typeof__(*(ptr)) __v = (val);             \
		__builtin_memcpy((ptr), &__v, sizeof(__v)); \
		(void)0;                                    \
	})

#endif
