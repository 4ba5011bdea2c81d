/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_COMPILER_TYPES_H
#define NOOK_LINUX_COMPILER_TYPES_H

/* Address-space annotations matter to sparse only. */
#define __iomem
#define __user
#define __kernel
#define __force
#define __bitwise
#define __rcu
#define __percpu
#define __must_check __attribute__((warn_unused_result))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define noinline __attribute__((noinline))
#define __maybe_unused __attribute__((unused))
#define __always_unused __attribute__((unused))
#define __used __attribute__((used))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __cold __attribute__((cold))
#define __weak __attribute__((weak))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))
#define __pure __attribute__((pure))
#define __read_mostly
#define __cacheline_aligned __attribute__((aligned(64)))
#define ____cacheline_aligned __attribute__((aligned(64)))
#define ____cacheline_aligned_in_smp __attribute__((aligned(64)))
#define __init
#define __exit
#define __initdata
#define __devinit
#define __ref
#define fallthrough __attribute__((__fallthrough__))
#define notrace
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#ifndef __counted_by
#define __counted_by(x)
#endif

#endif
