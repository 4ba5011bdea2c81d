/* SPDX-License-Identifier: GPL-2.0-only */
/* ktime: nanoseconds of the monotonic clock. */
#ifndef NOOK_LINUX_KTIME_H
#define NOOK_LINUX_KTIME_H

#include <linux/types.h>

ktime_t ktime_get(void);
static inline s64 ktime_to_ns(ktime_t kt)
{
	return kt;
}
static inline s64 ktime_to_us(ktime_t kt)
{
	return kt / 1000;
}
static inline s64 ktime_to_ms(ktime_t kt)
{
	return kt / 1000000;
}
static inline ktime_t ktime_sub(ktime_t a, ktime_t b)
{
	return a - b;
}
static inline ktime_t ktime_add_ns(ktime_t kt, u64 ns)
{
	return kt + (ktime_t)ns;
}
static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier)
{
	return ktime_to_us(later - earlier);
}
static inline s64 ktime_ms_delta(ktime_t later, ktime_t earlier)
{
	return ktime_to_ms(later - earlier);
}
static inline u64 ktime_get_ns(void)
{
	return (u64)ktime_get();
}
#define ktime_get_raw ktime_get
#define ktime_get_boottime ktime_get

#endif
