/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * When a device's next standby may start. A standby loads, locks itself down and waits for
 * the device: it lives until a restart hands it over. One that dies soon after it started
 * (a program that cannot load, an arena that cannot be filled, a driver that has its own
 * standby killed) would otherwise be started again at every trigger (a driver's READY, each
 * TRAFFIC message it sends), each time at the cost of a program load and an arena's memory.
 * So after such a death the next start waits: 1 s the first time, doubling up to 60 s. A
 * standby that lived NOOK_STANDBY_LIVED_MS, or that was handed the device, ends the backoff.
 * Pure logic: every call takes the time.
 */
#ifndef NOOK_RECOVERY_STANDBY_BACKOFF_H
#define NOOK_RECOVERY_STANDBY_BACKOFF_H

#include <stdint.h>

#define NOOK_STANDBY_BACKOFF_BASE_MS 1000
#define NOOK_STANDBY_BACKOFF_MAX_MS 60000
/* A standby that died later than this after its start had loaded and waited: no backoff. */
#define NOOK_STANDBY_LIVED_MS 10000

struct nook_standby_backoff {
	uint64_t delay_ms;	/* the wait the last death imposed; 0: none */
	uint64_t not_before_ms; /* no standby starts before this */
};

void nook_standby_backoff_init(struct nook_standby_backoff *b);

/*
 * A standby started at @started_ms died (or was dropped as broken) at @now_ms. Returns the
 * wait it imposes from @now_ms before the next start (0: none).
 */
uint64_t nook_standby_backoff_died(struct nook_standby_backoff *b, uint64_t started_ms,
				   uint64_t now_ms);

/* A standby was handed the device: it did its job, and the backoff ends. */
void nook_standby_backoff_adopted(struct nook_standby_backoff *b);

/* The delay for a start asked for @want_ms after @now_ms: at least until the backoff ends. */
uint64_t nook_standby_backoff_delay(const struct nook_standby_backoff *b, uint64_t now_ms,
				    uint64_t want_ms);

#endif
