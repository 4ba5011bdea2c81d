// SPDX-License-Identifier: GPL-2.0-only
/* The clocks nook times things with: see clock.h. */
#include <time.h>

#include "clock.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	/* Cannot fail for these clocks on Linux: both always exist. */
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t nook_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t nook_now_ms(void)
{
	return nook_now_ns() / 1000000;
}

int64_t nook_wall_us(void)
{
	return clock_ns(CLOCK_REALTIME) / 1000;
}
