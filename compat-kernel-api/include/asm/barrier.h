/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Barriers. Between the driver and its device they are real x86 fences, since the device
 * (through QEMU or real hardware) sees memory on its own; between kernel code paths, which
 * all run on one thread, a compiler barrier is enough.
 */
#ifndef NOOK_ASM_BARRIER_H
#define NOOK_ASM_BARRIER_H
#include <linux/compiler.h>
#define mb() __asm__ __volatile__("mfence" ::: "memory")
#define rmb() __asm__ __volatile__("lfence" ::: "memory")
#define wmb() __asm__ __volatile__("sfence" ::: "memory")
#define dma_rmb() barrier()
#define dma_wmb() barrier()
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_mb__before_atomic() barrier()
#define smp_mb__after_atomic() barrier()
#define smp_store_release(p, v)        \
	do {                           \
		barrier();             \
		WRITE_ONCE(*(p), (v)); \
	} while (0)
#define smp_load_acquire(p)                             \
	({                                              \
		__typeof__(*(p)) __v = READ_ONCE(*(p)); \
		barrier();                              \
		__v;                                    \
	})
#define smp_store_mb(var, value)        \
	do {                            \
		WRITE_ONCE(var, value); \
		barrier();              \
	} while (0)
#define virt_mb() mb()
#endif
