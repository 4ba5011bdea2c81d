// SPDX-License-Identifier: GPL-2.0-only
/* When a device's next standby may start (see standby-backoff.h). */
#include "standby-backoff.h"

void nook_standby_backoff_init(struct nook_standby_backoff *b)
{
	*b = (struct nook_standby_backoff){ 0 };
}

uint64_t nook_standby_backoff_died(struct nook_standby_backoff *b, uint64_t started_ms,
				   uint64_t now_ms)
{
	/* A clock read before the start (it cannot go back, but a caller's can be stale). */
	uint64_t lived = now_ms > started_ms ? now_ms - started_ms : 0;

	if (lived >= NOOK_STANDBY_LIVED_MS) {
		nook_standby_backoff_init(b);
		return 0;
	}
	if (!b->delay_ms)
		b->delay_ms = NOOK_STANDBY_BACKOFF_BASE_MS;
	else if (b->delay_ms < NOOK_STANDBY_BACKOFF_MAX_MS / 2)
		b->delay_ms *= 2;
	else
		b->delay_ms = NOOK_STANDBY_BACKOFF_MAX_MS;
	b->not_before_ms = now_ms + b->delay_ms;
	return b->delay_ms;
}

void nook_standby_backoff_adopted(struct nook_standby_backoff *b)
{
	nook_standby_backoff_init(b);
}

uint64_t nook_standby_backoff_delay(const struct nook_standby_backoff *b, uint64_t now_ms,
				    uint64_t want_ms)
{
	uint64_t wait = b->not_before_ms > now_ms ? b->not_before_ms - now_ms : 0;

	return want_ms > wait ? want_ms : wait;
}
