/* SPDX-License-Identifier: GPL-2.0-only */
/* Atomics on one thread (see bitops.h): plain operations the compiler may not cache. */
#ifndef NOOK_LINUX_ATOMIC_H
#define NOOK_LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>

#define ATOMIC_INIT(i) \
	{              \
		(i)    \
	}
#define atomic_read(v) READ_ONCE((v)->counter)
#define atomic_set(v, i) WRITE_ONCE((v)->counter, (i))
#define atomic_add(i, v) ((void)((v)->counter += (i)))
#define atomic_sub(i, v) ((void)((v)->counter -= (i)))
#define atomic_inc(v) atomic_add(1, v)
#define atomic_dec(v) atomic_sub(1, v)
#define atomic_add_return(i, v) ((v)->counter += (i))
#define atomic_sub_return(i, v) ((v)->counter -= (i))
#define atomic_inc_return(v) atomic_add_return(1, v)
#define atomic_dec_return(v) atomic_sub_return(1, v)
#define atomic_inc_and_test(v) (atomic_inc_return(v) == 0)
#define atomic_dec_and_test(v) (atomic_dec_return(v) == 0)
#define atomic_sub_and_test(i, v) (atomic_sub_return(i, v) == 0)
#define atomic_xchg(v, n)                                    \
	({                                                   \
		__typeof__((v)->counter) __o = (v)->counter; \
		(v)->counter = (n);                          \
		__o;                                         \
	})
#define atomic_cmpxchg(v, o, n)                              \
	({                                                   \
		__typeof__((v)->counter) __c = (v)->counter; \
		if (__c == (o))                              \
			(v)->counter = (n);                  \
		__c;                                         \
	})
#define atomic_fetch_add(i, v)                               \
	({                                                   \
		__typeof__((v)->counter) __o = (v)->counter; \
		(v)->counter += (i);                         \
		__o;                                         \
	})
#define atomic_add_unless(v, a, u)              \
	({                                      \
		bool __r = (v)->counter != (u); \
		if (__r)                        \
			(v)->counter += (a);    \
		__r;                            \
	})
#define atomic_inc_not_zero(v) atomic_add_unless((v), 1, 0)
#define atomic64_read atomic_read
#define atomic64_set atomic_set
#define atomic64_add atomic_add
#define atomic64_inc atomic_inc
#define atomic64_dec atomic_dec
#define atomic_long_read atomic_read
#define atomic_long_set atomic_set
#define atomic_long_inc atomic_inc
#define atomic_long_add atomic_add

#define xchg(p, n)                           \
	({                                   \
		__typeof__(*(p)) __o = *(p); \
		*(p) = (n);                  \
		__o;                         \
	})
#define cmpxchg(p, o, n)                     \
	({                                   \
		__typeof__(*(p)) __c = *(p); \
		if (__c == (o))              \
			*(p) = (n);          \
		__c;                         \
	})

#endif
