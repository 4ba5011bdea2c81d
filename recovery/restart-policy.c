// SPDX-License-Identifier: GPL-2.0-only
/* Restart policy (see restart-policy.h). */
#include "restart-policy.h"

#include <errno.h>
#include <string.h>

void nook_restart_policy_default(struct nook_restart_policy *p)
{
	p->max_failures = 5;
	p->period_ms = 60000;
	p->backoff_base_ms = 100;
	p->backoff_max_ms = 10000;
}

int nook_restart_policy_check(const struct nook_restart_policy *p)
{
	if (p->max_failures < 1 || p->max_failures > NOOK_RESTART_MAX_BURST)
		return -EINVAL;
	if (p->period_ms == 0 || p->backoff_base_ms > p->backoff_max_ms)
		return -EINVAL;
	return 0;
}

void nook_restart_state_init(struct nook_restart_state *s)
{
	memset(s, 0, sizeof(*s));
}

/* Drop failures older than the period (a failure exactly period_ms ago has left it). */
static void expire(struct nook_restart_state *s, const struct nook_restart_policy *p,
		   uint64_t now_ms)
{
	unsigned int keep = 0;

	for (unsigned int i = 0; i < s->nfail; i++) {
		/* a clock that went backwards keeps the failure rather than losing it */
		if (s->fail_ms[i] > now_ms || now_ms - s->fail_ms[i] < p->period_ms)
			s->fail_ms[keep++] = s->fail_ms[i];
	}
	s->nfail = keep;
}

/*
 * The first failure after a stable run restarts at once: a driver that failed once most
 * likely hit a rare bug, and every millisecond waited is a millisecond the device is gone.
 * A second failure in a row waits the base delay, and each further one twice as long.
 */
static uint64_t backoff(const struct nook_restart_policy *p, unsigned int streak)
{
	uint64_t d = p->backoff_base_ms;

	if (streak <= 1)
		return 0;
	for (unsigned int i = 2; i < streak && d < p->backoff_max_ms; i++)
		d = d > p->backoff_max_ms / 2 ? p->backoff_max_ms : d * 2;
	return d < p->backoff_max_ms ? d : p->backoff_max_ms;
}

enum nook_restart_verdict nook_restart_on_failure(struct nook_restart_state *s,
						  const struct nook_restart_policy *p,
						  uint64_t now_ms, uint64_t *ret_delay_ms)
{
	if (s->failed)
		return NOOK_RESTART_GIVE_UP;
	expire(s, p, now_ms);
	s->fail_ms[s->nfail++] = now_ms;
	if (s->streak < UINT32_MAX)
		s->streak++;
	if (s->nfail > p->max_failures) {
		s->failed = true;
		return NOOK_RESTART_GIVE_UP;
	}
	*ret_delay_ms = backoff(p, s->streak);
	return NOOK_RESTART_AFTER_DELAY;
}

void nook_restart_on_running(struct nook_restart_state *s, const struct nook_restart_policy *p,
			     uint64_t started_ms, uint64_t now_ms)
{
	if (now_ms >= started_ms && now_ms - started_ms >= p->period_ms)
		s->streak = 0;
}

void nook_restart_on_healthy(struct nook_restart_state *s)
{
	if (s->failed)
		return; /* failed stays failed until the operator's reset */
	s->streak = 0;
	s->nfail = 0;
}

void nook_restart_reset(struct nook_restart_state *s)
{
	nook_restart_state_init(s);
}
