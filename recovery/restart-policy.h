/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * When to restart a failed driver: at once the first time, then after an exponential backoff,
 * unless it is in a crash loop, which puts the device in the failed state until an operator
 * resets it (nookctl reset-failed).
 *
 * A crash loop is an unhealthy streak: more than max_failures failures within period_ms with
 * no healthy incarnation between them. An incarnation is healthy once it has done its job
 * (a NIC's driver received traffic, a sound card's played a period): failures that healthy
 * runs separate are bad luck, each recovered from, not a loop, however close together (six
 * failures 5 s apart with traffic flowing between them, say). An incarnation that never
 * becomes healthy keeps the streak going. Pure logic: every call takes the time.
 */
#ifndef NOOK_RECOVERY_RESTART_POLICY_H
#define NOOK_RECOVERY_RESTART_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define NOOK_RESTART_MAX_BURST 64

struct nook_restart_policy {
	/* N: more than this many within period_ms, none separated by a healthy run -> failed */
	unsigned int max_failures;
	uint64_t period_ms;	  /* T */
	uint64_t backoff_base_ms; /* delay before a second restart in a row (the first: none) */
	uint64_t backoff_max_ms;  /* the delay doubles per further failure up to this */
};

struct nook_restart_state {
	/* times of the unhealthy streak's failures still inside the period, oldest first */
	uint64_t fail_ms[NOOK_RESTART_MAX_BURST + 1];
	unsigned int nfail;
	unsigned int streak; /* failures since the driver last ran stably; drives the backoff */
	bool failed;
};

enum nook_restart_verdict {
	NOOK_RESTART_AFTER_DELAY, /* restart after *ret_delay_ms */
	NOOK_RESTART_GIVE_UP,	  /* too many failures: the device is failed */
};

/* nookd's defaults: 5 failures in 60 s, backoff 100 ms doubling up to 10 s. */
void nook_restart_policy_default(struct nook_restart_policy *p);

/* -EINVAL (with nothing changed) for a policy that cannot work. */
int nook_restart_policy_check(const struct nook_restart_policy *p);

void nook_restart_state_init(struct nook_restart_state *s);

/* A failure at @now_ms: what to do. Once GIVE_UP, every later failure is GIVE_UP too. */
enum nook_restart_verdict nook_restart_on_failure(struct nook_restart_state *s,
						  const struct nook_restart_policy *p,
						  uint64_t now_ms, uint64_t *ret_delay_ms);

/*
 * The driver has been running since @started_ms; at @now_ms a run at least as long as
 * the period counts as stable and the backoff starts again from the base.
 */
void nook_restart_on_running(struct nook_restart_state *s, const struct nook_restart_policy *p,
			     uint64_t started_ms, uint64_t now_ms);

/*
 * The driver proved itself healthy (it carried traffic again): the failures before it are
 * not part of a crash loop. The streak ends: they no longer count against max_failures, and
 * the next failure restarts at once.
 */
void nook_restart_on_healthy(struct nook_restart_state *s);

/* The operator's reset-failed: forget every failure. */
void nook_restart_reset(struct nook_restart_state *s);

#endif
