/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_U64_STATS_SYNC_H
#define NOOK_LINUX_U64_STATS_SYNC_H

#include <nook/noop.h>
struct u64_stats_sync {
	int unused;
};
#define u64_stats_init(s) \
	NOOK_NOOP_ARG("64-bit counters are read whole, and one thread writes them", s)
#define u64_stats_update_begin(s) \
	NOOK_NOOP_ARG("64-bit counters are read whole, and one thread writes them", s)
#define u64_stats_update_end(s) \
	NOOK_NOOP_ARG("64-bit counters are read whole, and one thread writes them", s)
#define u64_stats_fetch_begin(s) 0
#define u64_stats_fetch_retry(s, start) false
/* One thread: no reader ever sees a half-written counter, from an interrupt or not. */
#define u64_stats_fetch_begin_irq(s) 0
#define u64_stats_fetch_retry_irq(s, start) false
#endif
