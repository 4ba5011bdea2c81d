/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_KERNEL_H
#define NOOK_LINUX_KERNEL_H

#include <nook/noop.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/minmax.h>
#include <linux/math.h>
#include <linux/log2.h>
#include <linux/bitops.h>
#include <linux/byteorder.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/container_of.h>
#include <linux/sprintf.h>
#include <linux/kstrtox.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define lower_32_bits(n) ((u32)((n)&0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define S32_MAX ((s32)(U32_MAX >> 1))

#define might_sleep()                                                                      \
	NOOK_NOOP("a voluntary preemption point; tasks switch only where they sleep, and " \
		  "sleeping with a spinlock held is caught there")
#define might_sleep_if(c) NOOK_NOOP_ARG("as might_sleep()", c)
#define cpu_relax() __asm__ __volatile__("pause" ::: "memory")
#define num_online_cpus() 1U
#define num_possible_cpus() 1U
#define smp_processor_id() 0
#define raw_smp_processor_id() 0
#define in_interrupt() nook_in_atomic()
#define in_irq() nook_in_atomic()
#define in_softirq() nook_in_atomic()
#define in_task() (!nook_in_atomic())
#define irqs_disabled() 0

/* True outside a task: in an interrupt handler, timer, NAPI poll or start_xmit. */
bool nook_in_atomic(void);

enum system_states {
	SYSTEM_BOOTING,
	SYSTEM_SCHEDULING,
	SYSTEM_FREEING_INITMEM,
	SYSTEM_RUNNING,
	SYSTEM_HALT,
	SYSTEM_POWER_OFF,
	SYSTEM_RESTART,
	SYSTEM_SUSPEND,
};
/* A driver process is always up and running; it is stopped, never powered off. */
#define system_state SYSTEM_RUNNING

#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define swap(a, b)                       \
	do {                             \
		__typeof__(a) __t = (a); \
		(a) = (b);               \
		(b) = __t;               \
	} while (0)
#define REPEAT_BYTE(x) ((~0ul / 0xff) * (x))

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"

#endif
