/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The clocks nook times things with. Every deadline, timeout and interval in nook's programs
 * is on CLOCK_MONOTONIC, which neither steps with the wall clock nor stops across a suspend of
 * the process; the wall clock is only for stamping records that a person reads.
 */
#ifndef NOOK_COMMON_CLOCK_H
#define NOOK_COMMON_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds, and in milliseconds. */
int64_t nook_now_ns(void);
int64_t nook_now_ms(void);

/* CLOCK_REALTIME in microseconds since the epoch. */
int64_t nook_wall_us(void);

#endif
