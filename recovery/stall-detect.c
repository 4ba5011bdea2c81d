// SPDX-License-Identifier: GPL-2.0-only
/* Silent failures seen from outside the driver (see stall-detect.h). */
#include "stall-detect.h"

#include <stdio.h>
#include <string.h>

void nook_stall_nic_init(struct nook_stall_nic *s)
{
	memset(s, 0, sizeof(*s));
}

/* How far a counter rose since the last sample; one that went back (reset) rose by 0. */
static uint64_t rise(uint64_t now, uint64_t before)
{
	return now > before ? now - before : 0;
}

static uint64_t max2(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c)
{
	return max2(max2(a, b), c);
}

uint64_t nook_stall_tx_ms(uint32_t tx_done_ms)
{
	uint64_t ms = NOOK_STALL_TX_MIN_MS + (uint64_t)tx_done_ms;

	return ms < NOOK_STALL_TX_MS ? ms : NOOK_STALL_TX_MS;
}

/*
 * Frames there for the driver (taken from the TAP, or waiting in it) and nothing done with
 * any: since when. A frame taken stays owed until the driver counts one done, however quiet
 * the interface gets meanwhile.
 */
static bool tx_check(struct nook_stall_nic *s, const struct nook_stall_nic_sample *x, char *why,
		     size_t len)
{
	const struct nook_stall_nic_sample *l = &s->last;
	uint64_t taken = rise(x->tap_taken, l->tap_taken), limit, ms;

	if (rise(x->tx_sent, l->tx_sent) || x->tx_sent < l->tx_sent) {
		s->tx_since_ms = 0;
		return false;
	}
	if (!s->tx_since_ms && (taken || x->backlog)) {
		s->tx_since_ms = x->now_ms;
		s->tx_taken = s->tx_dropped_at_tap = s->tx_failed = 0;
	}
	if (!s->tx_since_ms)
		return false;
	s->tx_taken += taken;
	s->tx_failed += rise(x->tx_failed, l->tx_failed);
	s->tx_dropped_at_tap += rise(x->tap_dropped, l->tap_dropped);
	/* A stopped queue is the driver's own watchdog's to judge first. */
	if (x->backlog)
		limit = NOOK_STALL_TX_BACKLOG_MS;
	else if (s->tx_taken && s->tx_failed >= s->tx_taken)
		limit = NOOK_STALL_TX_FAILED_MS; /* every one it took, it failed */
	else
		limit = nook_stall_tx_ms(x->tx_done_ms);
	ms = x->now_ms - s->tx_since_ms;
	if (ms < limit)
		return false;
	if (s->tx_taken && s->tx_failed)
		snprintf(why, len,
			 "stopped transmitting: %llu frames taken in %.1f s, none sent, "
			 "%llu of them counted dropped or failed%s",
			 (unsigned long long)s->tx_taken, ms / 1000.0,
			 (unsigned long long)s->tx_failed,
			 x->backlog ? "; more wait in its queue" : "");
	else if (s->tx_taken)
		snprintf(why, len, "stopped transmitting: %llu frames taken in %.1f s, none sent%s",
			 (unsigned long long)s->tx_taken, ms / 1000.0,
			 x->backlog ? "; more wait in its queue" : "");
	else
		snprintf(why, len,
			 "stopped transmitting: frames waited %.1f s in its queue, none "
			 "taken or sent (%llu dropped there, the queue full)",
			 ms / 1000.0, (unsigned long long)s->tx_dropped_at_tap);
	return true;
}

/* Frames missed or refused, and none received: since when, as long as that goes on. */
static bool rx_check(struct nook_stall_nic *s, const struct nook_stall_nic_sample *x, char *why,
		     size_t len)
{
	const struct nook_stall_nic_sample *l = &s->last;
	uint64_t missed = max3(rise(x->rx_missed, l->rx_missed), rise(x->rx_fifo, l->rx_fifo),
			       rise(x->rx_over, l->rx_over));
	/* a driver may count one refused frame in both (8139cp does) */
	uint64_t refused =
		max2(rise(x->rx_errors, l->rx_errors), rise(x->rx_dropped, l->rx_dropped));
	uint64_t ms;

	if (rise(x->rx_done, l->rx_done) || x->rx_done < l->rx_done) {
		s->rx_since_ms = 0;
		return false;
	}
	if (!missed && !refused)
		return false;
	/* Misses that stopped for a while (a burst long ago) start no stall of today's. */
	if (s->rx_since_ms && x->now_ms - s->rx_last_miss_ms > NOOK_STALL_RX_QUIET_MS)
		s->rx_since_ms = 0;
	s->rx_last_miss_ms = x->now_ms;
	if (!s->rx_since_ms) {
		s->rx_since_ms = x->now_ms;
		s->rx_missed = s->rx_refused = 0;
	}
	s->rx_missed += missed;
	s->rx_refused += refused;
	ms = x->now_ms - s->rx_since_ms;
	if (ms < NOOK_STALL_RX_MS)
		return false;
	if (s->rx_missed >= s->rx_refused)
		snprintf(why, len,
			 "stopped receiving: the NIC missed %llu frames in %.1f s, none "
			 "received",
			 (unsigned long long)s->rx_missed, ms / 1000.0);
	else
		snprintf(why, len,
			 "stopped receiving: %llu frames arrived in %.1f s and the driver "
			 "counted every one an error or a drop, none received",
			 (unsigned long long)s->rx_refused, ms / 1000.0);
	return true;
}

/* Frames sent and none received, none counted missed or refused either: since when. */
static bool silence_check(struct nook_stall_nic *s, const struct nook_stall_nic_sample *x,
			  char *why, size_t len)
{
	const struct nook_stall_nic_sample *l = &s->last;
	uint64_t ms;

	if (rise(x->rx_done, l->rx_done) || x->rx_done < l->rx_done ||
	    rise(x->rx_missed, l->rx_missed) || rise(x->rx_fifo, l->rx_fifo) ||
	    rise(x->rx_over, l->rx_over) || rise(x->rx_errors, l->rx_errors) ||
	    rise(x->rx_dropped, l->rx_dropped)) {
		s->heard = s->heard || rise(x->rx_done, l->rx_done);
		s->silent_since_ms = x->now_ms;
		s->silent_sent = 0;
		s->probe_at_ms = 0;
		s->unaskable = false;
		return false;
	}
	if (!s->silent_since_ms)
		s->silent_since_ms = l->now_ms;
	s->silent_sent += rise(x->tx_sent, l->tx_sent);
	ms = x->now_ms - s->silent_since_ms;
	if (ms < NOOK_STALL_RX_SILENT_MS || s->silent_sent * 1000 < NOOK_STALL_RX_SILENT_RATE * ms)
		return false;
	/* Frames wait behind a stopped queue: what it sends does not go out, and no answer can
	 * come; that is the transmit watchdog's case (tx_check), not the receiver's. */
	if (x->backlog)
		return false;
	if (s->unaskable)
		return false;
	if (!s->probe_at_ms) {
		s->probe_wanted = true;
		return false;
	}
	if (x->now_ms - s->probe_at_ms < NOOK_STALL_RX_PROBE_MS)
		return false;
	if (!x->rx_silence_judged) {
		s->silence_unjudged = true;
		return false;
	}
	snprintf(why, len,
		 "stopped receiving: %llu frames sent in %.1f s, none received or counted "
		 "missed, and %s, which answered before, did not answer an ARP probe",
		 (unsigned long long)s->silent_sent, ms / 1000.0, s->probe_ip);
	return true;
}

void nook_stall_nic_probed(struct nook_stall_nic *s, uint64_t now_ms, const char *ip)
{
	s->probe_wanted = false;
	s->probe_at_ms = now_ms ? now_ms : 1;
	snprintf(s->probe_ip, sizeof(s->probe_ip), "%s", ip);
}

void nook_stall_nic_unaskable(struct nook_stall_nic *s)
{
	s->probe_wanted = false;
	s->unaskable = true;
}

bool nook_stall_nic_check(struct nook_stall_nic *s, const struct nook_stall_nic_sample *x,
			  char *why, size_t len)
{
	bool stalled, silent = false, heard;

	/* No link, no judgement; and the first sample with one is where counting starts. */
	if (!x->carrier || !s->primed || x->now_ms < s->last.now_ms) {
		nook_stall_nic_init(s);
		s->primed = x->carrier;
		s->last = *x;
		return false;
	}
	stalled = tx_check(s, x, why, len) || rx_check(s, x, why, len) ||
		  (silent = silence_check(s, x, why, len));
	s->last = *x;
	if (stalled) {
		heard = s->heard;
		nook_stall_nic_init(s);
		s->primed = true;
		s->last = *x;
		s->heard = heard;
		s->silence_stall = silent;
	}
	return stalled;
}

void nook_stall_stream_init(struct nook_stall_stream *s)
{
	memset(s, 0, sizeof(*s));
}

bool nook_stall_stream_check(struct nook_stall_stream *s, bool running, uint64_t pos,
			     uint32_t period_ms, uint64_t now_ms, char *why, size_t len)
{
	uint64_t limit = NOOK_STALL_SOUND_MS, ms;

	/* Paused, stopped, drained, not started: a position standing still is right. */
	if (!running || !s->running || pos != s->pos || now_ms < s->since_ms) {
		s->running = running;
		s->pos = pos;
		s->since_ms = now_ms;
		return false;
	}
	if ((uint64_t)period_ms * NOOK_STALL_SOUND_PERIODS > limit)
		limit = (uint64_t)period_ms * NOOK_STALL_SOUND_PERIODS;
	ms = now_ms - s->since_ms;
	if (ms < limit)
		return false;
	snprintf(why, len,
		 "a running stream's position stood still for %.1f s at frame %llu "
		 "(a period is %u ms)",
		 ms / 1000.0, (unsigned long long)pos, period_ms);
	nook_stall_stream_init(s);
	return true;
}

void nook_stall_clock_init(struct nook_stall_clock *k)
{
	memset(k, 0, sizeof(*k));
}

void nook_stall_clock_start(struct nook_stall_clock *k, uint64_t now_ms)
{
	if (!k->start_ms)
		k->start_ms = now_ms ? now_ms : 1;
}

uint64_t nook_stall_card_reach(uint32_t rate, uint64_t slack_frames, uint64_t ms)
{
	return (uint64_t)rate * ms * NOOK_STALL_CLOCK_PERCENT / 100000 + slack_frames;
}

bool nook_stall_clock_moved(struct nook_stall_clock *k, uint64_t frames, uint32_t rate,
			    uint64_t slack, uint64_t now_ms, char *why, size_t len)
{
	uint64_t ms;

	if (!k->start_ms || !rate || now_ms < k->start_ms)
		return false;
	k->frames += frames;
	ms = now_ms - k->start_ms;
	if (k->frames <= nook_stall_card_reach(rate, slack, ms))
		return false;
	snprintf(why, len,
		 "a stream's position ran ahead of its card's clock: %llu frames in "
		 "%.1f s at %u Hz (its pointer reads are wrong)",
		 (unsigned long long)k->frames, ms / 1000.0, rate);
	nook_stall_clock_init(k);
	return true;
}

uint64_t nook_stall_link_lost_ms(uint64_t took_ms)
{
	uint64_t ms = took_ms * 2;

	if (ms < NOOK_STALL_LINK_LOST_MS)
		return NOOK_STALL_LINK_LOST_MS;
	return ms < NOOK_STALL_LINK_MS ? ms : NOOK_STALL_LINK_MS;
}

bool nook_stall_step_check(uint64_t frames, uint64_t ms, uint32_t rate, uint32_t period_frames,
			   char *why, size_t len)
{
	uint64_t reach = nook_stall_card_reach(rate, period_frames, ms);

	if (!rate || frames <= reach)
		return false;
	snprintf(why, len,
		 "a stream's position jumped %llu frames in %llu ms, where its card "
		 "plays at most %llu at %u Hz (its pointer reads are wrong)",
		 (unsigned long long)frames, (unsigned long long)ms, (unsigned long long)reach,
		 rate);
	return true;
}

bool nook_stall_xrun_check(uint64_t due, uint64_t ms, uint32_t rate, uint32_t period_frames,
			   bool capture, char *why, size_t len)
{
	uint64_t reach = nook_stall_card_reach(rate, period_frames, ms);

	if (!rate || due <= reach)
		return false;
	snprintf(why, len,
		 "the driver said a stream ran %s %llu ms after its position last "
		 "moved, with %llu frames still %s, where its card %s at most %llu at %u Hz: "
		 "the application kept up",
		 capture ? "over" : "dry", (unsigned long long)ms, (unsigned long long)due,
		 capture ? "free to record into" : "queued", capture ? "records" : "plays",
		 (unsigned long long)reach, rate);
	return true;
}

bool nook_stall_dry_check(struct nook_stall_dry *d, uint64_t xruns, bool moved, uint64_t now_ms,
			  char *why, size_t len)
{
	uint64_t more = xruns > d->xruns ? xruns - d->xruns : 0;

	d->xruns = xruns;
	if (moved)
		d->dry = 0;
	if (!more)
		return false;
	if (!d->dry)
		d->first_ms = now_ms;
	d->dry += (unsigned int)(more < NOOK_STALL_DRY_XRUNS ? more : NOOK_STALL_DRY_XRUNS);
	if (d->dry < NOOK_STALL_DRY_XRUNS)
		return false;
	snprintf(why, len,
		 "a stream ran dry %u times in %.1f s and its card played not a frame "
		 "in between (its pointer reads are wrong)",
		 d->dry, (now_ms >= d->first_ms ? now_ms - d->first_ms : 0) / 1000.0);
	d->dry = 0;
	return true;
}

bool nook_stall_pace_check(struct nook_stall_pace *p, bool running, uint64_t pos, uint32_t rate,
			   uint32_t period_frames, uint64_t now_ms, char *why, size_t len)
{
	uint64_t ms, played, expected;

	if (pos != p->last_pos) {
		/* A pause (a debugger's stop, a stall) is not a pace: the window starts after it. */
		if (now_ms - p->moved_ms >= NOOK_STALL_PACE_STILL_MS) {
			p->start_ms = now_ms;
			p->start_pos = pos;
		}
		p->last_pos = pos;
		p->moved_ms = now_ms;
	}
	if (!running || !p->running || !rate || pos < p->start_pos || now_ms < p->start_ms ||
	    now_ms - p->moved_ms >= NOOK_STALL_PACE_STILL_MS) {
		p->running = running;
		p->start_ms = now_ms;
		p->start_pos = pos;
		if (!running)
			p->moved_ms = now_ms;
		return false;
	}
	ms = now_ms - p->start_ms;
	if (ms < NOOK_STALL_PACE_MS)
		return false;
	played = pos - p->start_pos;
	expected = (uint64_t)rate * ms / 1000;
	p->start_ms = now_ms;
	p->start_pos = pos;
	if ((played + 2ull * period_frames) * 100 >= expected * NOOK_STALL_PACE_PERCENT)
		return false;
	snprintf(why, len,
		 "a running stream played %llu frames in %.1f s, %llu%% of its rate "
		 "(%u Hz): its card runs at another rate than the driver was asked for",
		 (unsigned long long)played, ms / 1000.0,
		 (unsigned long long)(expected ? played * 100 / expected : 0), rate);
	p->running = false;
	return true;
}
