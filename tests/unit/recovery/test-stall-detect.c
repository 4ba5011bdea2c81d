// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/stall-detect: a NIC that stops transmitting or receiving, a sound
 * stream whose position stands still, each told from an idle device, a busy one, a paused
 * stream and a driver whose own watchdog should go first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "recovery/stall-detect.h"

#define BEAT_MS 200

static char why[256];

/* A NIC with link, sampled every BEAT_MS; the test moves the counters between samples. */
struct nic {
	struct nook_stall_nic st;
	struct nook_stall_nic_sample x;
};

static void nic_init(struct nic *n)
{
	nook_stall_nic_init(&n->st);
	memset(&n->x, 0, sizeof(n->x));
	n->x.now_ms = 1000;
	n->x.carrier = true;
	why[0] = '\0';
	assert_false(nook_stall_nic_check(&n->st, &n->x, why, sizeof(why)));
}

/* The next heartbeat's sample: stalled or not. */
static bool beat(struct nic *n)
{
	n->x.now_ms += BEAT_MS;
	return nook_stall_nic_check(&n->st, &n->x, why, sizeof(why));
}

/* Beats until a stall is seen, at most @ms; returns the ms it took, or -1. */
static long beats_until_stall(struct nic *n, long ms, void (*each)(struct nic *))
{
	for (long t = BEAT_MS; t <= ms; t += BEAT_MS) {
		if (each)
			each(n);
		if (beat(n))
			return t;
	}
	return -1;
}

static void ping_answered(struct nic *n)
{
	n->x.tap_taken++;
	n->x.tx_sent++;
	n->x.rx_done++;
}

static void frame_eaten(struct nic *n)
{
	n->x.tap_taken++;
}

static void queue_stopped(struct nic *n)
{
	n->x.backlog = true;
	n->x.tap_dropped += 3;
}

static void rx_dead(struct nic *n)
{
	n->x.rx_missed += 5;
	n->x.tap_taken++;
	n->x.tx_sent++;
}

static void test_idle_nic_never_stalls(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_int_equal(beats_until_stall(&n, 600000, NULL), -1);
}

static void test_busy_nic_never_stalls(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_int_equal(beats_until_stall(&n, 600000, ping_answered), -1);
}

/* A NIC that completes each frame at its interrupt (8139cp, e1000, pcnet32): 1 s. */
static void test_driver_eating_frames_stalls_in_1_s(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	ms = beats_until_stall(&n, 10000, frame_eaten);
	assert_true(ms >= NOOK_STALL_TX_MIN_MS && ms <= NOOK_STALL_TX_MIN_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped transmitting: 6 frames taken in 1.0 s, none sent"));
}

/* e100 says its completions come up to 2 s late: 3 s, and no driver gets more. */
static void test_late_completing_driver_gets_its_lag(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	n.x.tx_done_ms = 2000;
	ms = beats_until_stall(&n, 10000, frame_eaten);
	assert_true(ms >= NOOK_STALL_TX_MS && ms <= NOOK_STALL_TX_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped transmitting: 16 frames taken in 3.0 s, none sent"));
	nic_init(&n);
	n.x.tx_done_ms = 0xffffffff; /* a driver's word, bounded */
	ms = beats_until_stall(&n, 10000, frame_eaten);
	assert_true(ms >= NOOK_STALL_TX_MS && ms <= NOOK_STALL_TX_MS + BEAT_MS);
	assert_int_equal(nook_stall_tx_ms(0), 1000);
	assert_int_equal(nook_stall_tx_ms(500), 1500);
}

/* One frame taken and never sent is owed, whatever comes after (nothing). */
static void test_one_frame_taken_and_lost_stalls(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.tap_taken = 1;
	assert_true(beats_until_stall(&n, 10000, NULL) > 0);
	assert_non_null(strstr(why, "1 frames taken"));
}

/* e100 cleans its ring when its 2 s watchdog interrupts: a late completion is no stall. */
static void test_slow_completion_is_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.tx_done_ms = 2000;
	for (int i = 0; i < 20; i++) {
		n.x.tap_taken++;
		assert_int_equal(beats_until_stall(&n, 2400, NULL), -1);
		n.x.tx_sent++;
		assert_false(beat(&n));
	}
}

/* It drops every frame it is given (a checksum it thinks it cannot ask for): no use either. */
static void frame_dropped(struct nic *n)
{
	n->x.tap_taken++;
	n->x.tx_failed++;
}

/* It says so itself: judged in 1 s, with no completion to wait for. */
static void test_every_frame_dropped_stalls_in_1_s(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	ms = beats_until_stall(&n, 10000, frame_dropped);
	assert_true(ms >= NOOK_STALL_TX_FAILED_MS && ms <= NOOK_STALL_TX_FAILED_MS + BEAT_MS);
	assert_non_null(strstr(why, "none sent, 6 of them counted dropped or failed"));
}

/* Some counted failed, the others taken and not (yet) completed: the completions' wait. */
static void half_dropped(struct nic *n)
{
	n->x.tap_taken += 2;
	n->x.tx_failed++;
}

static void test_some_frames_dropped_wait_for_completions(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	n.x.tx_done_ms = 2000;
	ms = beats_until_stall(&n, 10000, half_dropped);
	assert_true(ms >= NOOK_STALL_TX_MS && ms <= NOOK_STALL_TX_MS + BEAT_MS);
}

/* Drops among frames sent (a full ring now and then): it sends, so no stall. */
static void some_dropped_some_sent(struct nic *n)
{
	n->x.tap_taken += 3;
	n->x.tx_failed++;
	n->x.tx_sent += 2;
}

static void test_drops_among_sends_are_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_int_equal(beats_until_stall(&n, 600000, some_dropped_some_sent), -1);
}

/* A stopped queue: Linux's watchdog in the driver first; nookd's backstop much later. */
static void test_stopped_queue_waits_for_the_drivers_watchdog(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	frame_eaten(&n); /* the last frames filled its ring; then the queue stopped */
	ms = beats_until_stall(&n, 60000, queue_stopped);
	assert_true(ms >= NOOK_STALL_TX_BACKLOG_MS && ms <= NOOK_STALL_TX_BACKLOG_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped transmitting: 1 frames taken in 8.0 s, none sent; "
				    "more wait in its queue"));
	nic_init(&n);
	assert_true(beats_until_stall(&n, 60000, queue_stopped) > 0);
	assert_non_null(strstr(why, "frames waited 8.0 s in its queue, none taken or sent "
				    "(123 dropped there"));
}

/* The driver's reset worked: the queue ran again and frames went out. */
static void test_queue_that_runs_again_is_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	/* the driver's reset ran at 2 s, and the link it dropped came back 4 s later */
	assert_int_equal(beats_until_stall(&n, 6000, queue_stopped), -1);
	n.x.backlog = false;
	n.x.tap_taken += 50;
	n.x.tx_sent += 50;
	assert_int_equal(beats_until_stall(&n, 600000, ping_answered), -1);
}

static void test_no_carrier_no_judgement(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.carrier = false;
	assert_int_equal(beats_until_stall(&n, 60000, queue_stopped), -1);
	assert_int_equal(beats_until_stall(&n, 60000, frame_eaten), -1);
	/* the link comes up: the counting starts there */
	n.x.carrier = true;
	n.x.backlog = false;
	assert_int_equal(beats_until_stall(&n, 800, frame_eaten), -1);
	assert_true(beats_until_stall(&n, 600, frame_eaten) > 0);
}

static void test_receive_stopped_stalls_in_1_s(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	ms = beats_until_stall(&n, 10000, rx_dead);
	assert_true(ms >= NOOK_STALL_RX_MS && ms <= NOOK_STALL_RX_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped receiving: the NIC missed 30 frames in 1.0 s, "
				    "none received"));
}

/* The three counters may count one miss each: the largest rise counts, not their sum. */
static void counted_thrice(struct nic *n)
{
	n->x.rx_missed += 2;
	n->x.rx_fifo += 2;
	n->x.rx_over += 1;
}

static void test_missed_counters_are_not_summed(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_true(beats_until_stall(&n, 10000, counted_thrice) > 0);
	assert_non_null(strstr(why, "missed 12 frames"));
}

/* Every frame arrives and the driver refuses it (8139cp counts it an error and a drop). */
static void every_frame_refused(struct nic *n)
{
	n->x.rx_errors += 5;
	n->x.rx_dropped += 5;
}

static void test_every_frame_refused_stalls_in_1_s(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	ms = beats_until_stall(&n, 10000, every_frame_refused);
	assert_true(ms >= NOOK_STALL_RX_MS && ms <= NOOK_STALL_RX_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped receiving: 30 frames arrived in 1.0 s and the driver "
				    "counted every one an error or a drop, none received"));
}

/* Bad frames among good ones: the driver still receives the good. */
static void some_frames_bad(struct nic *n)
{
	n->x.rx_errors += 2;
	n->x.rx_dropped += 1;
	n->x.rx_done += 50;
}

static void test_some_bad_frames_are_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_int_equal(beats_until_stall(&n, 600000, some_frames_bad), -1);
}

/* Under load a driver misses some frames and receives the rest: it works. */
static void falling_behind(struct nic *n)
{
	n->x.rx_missed += 3;
	n->x.rx_done += 100;
}

static void test_missing_frames_while_receiving_is_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_int_equal(beats_until_stall(&n, 600000, falling_behind), -1);
}

/* e1000 reads the NIC's miss counters in its 2 s watchdog: they rise every 2 s, a stall still. */
static void test_misses_counted_every_2_s_stall(void **state)
{
	struct nic n;
	long ms = 0;

	nic_init(&n);
	for (int i = 1; i <= 50 && !ms; i++) {
		if (i % 10 == 0)
			n.x.rx_missed += 40;
		if (beat(&n))
			ms = i * BEAT_MS;
	}
	assert_int_equal(ms, 4000); /* the second rise, 2 s after the first */
	assert_non_null(strstr(why, "the NIC missed 80 frames in 2.0 s"));
}

/* Misses now and then on a quiet link (one a minute, say) are no continuing stall. */
static void test_sparse_misses_are_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	for (int i = 0; i < 30; i++) {
		n.x.rx_missed++;
		assert_int_equal(beats_until_stall(&n, 60000, NULL), -1);
	}
}

/* A receiver turned off: frames go out, nothing comes in, and the NIC counts nothing. */
static void sends_only(struct nic *n)
{
	n->x.tap_taken += 2;
	n->x.tx_sent += 2;
}

/* Beats of sending only until the check wants the network asked; the ms it took, or -1. */
static long beats_until_probe_wanted(struct nic *n, long ms)
{
	for (long t = BEAT_MS; t <= ms; t += BEAT_MS) {
		sends_only(n);
		assert_false(beat(n));
		if (n->st.probe_wanted)
			return t;
	}
	return -1;
}

/* A receiver that is off: after 2 s the network is asked, and 1.5 s later it is a stall. */
static void test_receiver_off_stalls_when_a_probe_goes_unanswered(void **state)
{
	struct nic n;
	long ms;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	ms = beats_until_probe_wanted(&n, 10000);
	assert_true(ms >= NOOK_STALL_RX_SILENT_MS && ms <= NOOK_STALL_RX_SILENT_MS + BEAT_MS);
	nook_stall_nic_probed(&n.st, n.x.now_ms, "192.0.2.2");
	assert_false(n.st.probe_wanted);
	ms = beats_until_stall(&n, 10000, sends_only);
	assert_true(ms >= NOOK_STALL_RX_PROBE_MS && ms <= NOOK_STALL_RX_PROBE_MS + BEAT_MS);
	assert_non_null(strstr(why, "stopped receiving: 36 frames sent in 3.6 s, none received or "
				    "counted missed, and 192.0.2.2, which answered before, did not "
				    "answer an ARP probe"));
	assert_true(n.st.silence_stall);
	assert_false(n.st.heard);
}

/* A quiet network with a neighbour that answers: its answer ends the silence. */
static void test_answered_probe_is_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	for (int round = 0; round < 5; round++) {
		assert_true(beats_until_probe_wanted(&n, 10000) > 0);
		nook_stall_nic_probed(&n.st, n.x.now_ms, "192.0.2.2");
		sends_only(&n);
		assert_false(beat(&n));
		n.x.rx_done++; /* the ARP reply */
		assert_false(beat(&n));
	}
	assert_true(n.st.heard);
	assert_false(n.st.silence_stall);
}

/* No neighbour to ask: nothing is judged until a frame comes; then the watch starts over. */
static void test_silence_with_no_one_to_ask_is_not_judged(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_true(beats_until_probe_wanted(&n, 10000) > 0);
	nook_stall_nic_unaskable(&n.st);
	assert_int_equal(beats_until_stall(&n, 60000, sends_only), -1);
	assert_false(n.st.probe_wanted);
	n.x.rx_done++;
	assert_false(beat(&n));
	assert_true(beats_until_probe_wanted(&n, 10000) > 0);
}

/* A stopped queue (8139cp whose interrupt handler does nothing: nothing completes, nothing
 * is received) is the transmit watchdog's to judge, not receive silence. */
static void sends_behind_a_stopped_queue(struct nic *n)
{
	sends_only(n);
	n->x.backlog = true;
}

static void test_no_silence_behind_a_stopped_queue(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_int_equal(beats_until_stall(&n, NOOK_STALL_TX_BACKLOG_MS - BEAT_MS,
					   sends_behind_a_stopped_queue),
			 -1);
	assert_false(n.st.probe_wanted);
}

/* Not judged (after one restart for it, or resting): the silence is only noted. */
static void test_unjudged_silence_is_noted_not_a_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	assert_true(beats_until_probe_wanted(&n, 10000) > 0);
	nook_stall_nic_probed(&n.st, n.x.now_ms, "192.0.2.2");
	assert_int_equal(beats_until_stall(&n, 10000, sends_only), -1);
	assert_true(n.st.silence_unjudged);
	assert_false(n.st.silence_stall);
}

/* A frame every 2 s (an idle host's chatter): too few to ask the network about. */
static void arp_retry(struct nic *n)
{
	if (n->x.now_ms % 2000 == 0) {
		n->x.tap_taken++;
		n->x.tx_sent++;
	}
}

static void test_retries_to_a_quiet_network_are_no_stall(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_int_equal(beats_until_stall(&n, 60000, arp_retry), -1);
	assert_false(n.st.silence_unjudged);
	assert_false(n.st.probe_wanted);
}

/* A frame now and then, received or only counted, keeps the rule quiet. */
static void sends_and_hears_a_little(struct nic *n)
{
	sends_only(n);
	if (n->x.now_ms % 1800 == 0)
		n->x.rx_done++;
	if (n->x.now_ms % 3000 == 0)
		n->x.rx_errors++;
}

static void test_anything_heard_is_no_silence(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_int_equal(beats_until_stall(&n, 60000, sends_and_hears_a_little), -1);
	assert_true(n.st.heard);
}

/* The idle NIC (nothing sent) and the missed-frame rule keep their own verdicts. */
static void test_silence_needs_sending_and_yields_to_missed(void **state)
{
	struct nic n;

	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_int_equal(beats_until_stall(&n, 60000, NULL), -1);
	nic_init(&n);
	n.x.rx_silence_judged = true;
	assert_true(beats_until_stall(&n, 10000, rx_dead) > 0);
	assert_non_null(strstr(why, "the NIC missed"));
	assert_false(n.st.silence_stall);
}

static void test_stream_stall(void **state)
{
	struct nook_stall_stream s;
	uint64_t now = 5000, pos = 0;

	nook_stall_stream_init(&s);
	/* running and moving: fine, for ever */
	for (int i = 0; i < 3000; i++, now += BEAT_MS, pos += 1764)
		assert_false(nook_stall_stream_check(&s, true, pos, 125, now, why, sizeof(why)));
	/* it stops moving: 1 s later a stall, not before */
	for (uint64_t t = 0; t < NOOK_STALL_SOUND_MS; t += BEAT_MS, now += BEAT_MS)
		assert_false(nook_stall_stream_check(&s, true, pos, 125, now, why, sizeof(why)));
	assert_true(nook_stall_stream_check(&s, true, pos, 125, now, why, sizeof(why)));
	assert_non_null(strstr(why, "a running stream's position stood still for 1.0 s at frame"));
}

static void test_paused_or_drained_stream_never_stalls(void **state)
{
	struct nook_stall_stream s;
	uint64_t now = 5000;

	nook_stall_stream_init(&s);
	assert_false(nook_stall_stream_check(&s, true, 100, 125, now, why, sizeof(why)));
	for (int i = 0; i < 3000; i++, now += BEAT_MS)
		assert_false(nook_stall_stream_check(&s, false, 200, 125, now, why, sizeof(why)));
	/* started again: its 1 s counts from the start, not from long ago */
	assert_false(nook_stall_stream_check(&s, true, 200, 125, now, why, sizeof(why)));
	assert_false(nook_stall_stream_check(&s, true, 200, 125, now + 900, why, sizeof(why)));
}

/* A stream of 1 s periods moves once a second: four of them before it counts as stalled. */
static void test_long_periods_wait_longer(void **state)
{
	struct nook_stall_stream s;

	nook_stall_stream_init(&s);
	assert_false(nook_stall_stream_check(&s, true, 0, 1000, 1000, why, sizeof(why)));
	assert_false(nook_stall_stream_check(&s, true, 0, 1000, 4900, why, sizeof(why)));
	assert_true(nook_stall_stream_check(&s, true, 0, 1000, 5000, why, sizeof(why)));
}

/* A card playing at its rate, through underruns and restarts, never runs ahead of its clock. */
static void test_clock_at_the_rate_is_fine(void **state)
{
	struct nook_stall_clock k;
	char w[200];

	nook_stall_clock_init(&k);
	nook_stall_clock_start(&k, 1000);
	/* a buffer taken at the start, then a period each 5.3 ms-period (256 at 48 kHz) */
	assert_false(nook_stall_clock_moved(&k, 4096, 48000, 4096 + 1024, 1001, w, sizeof(w)));
	for (uint64_t t = 1000; t < 61000; t += 100) {
		bool xrun = (t / 1000) % 7 == 0; /* the application runs dry now and then */

		if (!xrun)
			assert_false(nook_stall_clock_moved(&k, 4800, 48000, 4096 + 1024, t + 100,
							    w, sizeof(w)));
	}
}

/* All-ones pointer reads: a buffer at each restart, five seconds of sound in one. */
static void test_clock_run_ahead_is_caught(void **state)
{
	struct nook_stall_clock k;
	bool caught = false;
	char w[200];

	nook_stall_clock_init(&k);
	nook_stall_clock_start(&k, 1000);
	for (uint64_t t = 1000; t <= 2000 && !caught; t += 140)
		caught = nook_stall_clock_moved(&k, 22050, 44100, 22050 + 5512, t, w, sizeof(w));
	assert_true(caught);
	assert_non_null(strstr(w, "ran ahead of its card's clock"));
	/* not started (no START since its parameters): nothing is judged */
	nook_stall_clock_init(&k);
	assert_false(nook_stall_clock_moved(&k, 1u << 30, 44100, 0, 5000, w, sizeof(w)));
}

/* A lost link waits twice the device's bring-up, within 0.5 to 6 s. */
static void test_lost_link_waits_for_the_devices_bring_up(void **state)
{
	assert_int_equal(nook_stall_link_lost_ms(0), 500); /* 8139cp: at once */
	assert_int_equal(nook_stall_link_lost_ms(100), 500);
	assert_int_equal(nook_stall_link_lost_ms(330), 660);	/* 8139cp from its start */
	assert_int_equal(nook_stall_link_lost_ms(2200), 4400);	/* e1000's autonegotiation */
	assert_int_equal(nook_stall_link_lost_ms(3300), 6000);	/* e1000 after new rings */
	assert_int_equal(nook_stall_link_lost_ms(60000), 6000); /* never past the start's */
}

/* A card gone: each run, the driver says it ran dry before a frame is played. */
static void test_dry_runs_are_caught(void **state)
{
	struct nook_stall_dry d = { 0 };
	char w[200];

	assert_false(nook_stall_dry_check(&d, 0, false, 1000, w, sizeof(w)));
	assert_false(nook_stall_dry_check(&d, 1, false, 1140, w, sizeof(w)));
	assert_false(nook_stall_dry_check(&d, 2, false, 1280, w, sizeof(w)));
	assert_true(nook_stall_dry_check(&d, 3, false, 1420, w, sizeof(w)));
	assert_non_null(strstr(w, "ran dry 3 times in 0.3 s and its card played not a frame"));
}

/* An application that feeds too slowly: it runs dry again and again, but the card plays. */
static void test_slow_feeder_is_no_stall(void **state)
{
	struct nook_stall_dry d = { 0 };
	char w[200];

	for (uint64_t x = 1; x < 50; x++) {
		assert_false(nook_stall_dry_check(&d, x, false, x * 500, w, sizeof(w)));
		assert_false(nook_stall_dry_check(&d, x, true, x * 500 + 100, w, sizeof(w)));
	}
}

/*
 * A card at 44.1 kHz in periods of 125 ms (5512 frames), its driver reporting each period
 * up to 100 ms late: no step is too far. A pointer read of all ones that lands three periods
 * ahead a period after the last is.
 */
static void test_steps_at_the_rate_are_fine(void **state)
{
	char w[200];

	for (uint64_t late = 0; late <= 100; late += 10) {
		/* the last period came late, this one on time: a period in 125 - late ms */
		assert_false(nook_stall_step_check(5512, 125 - late, 44100, 5512, w, sizeof(w)));
		/* two periods at once, after a wake-up that came 100 ms late */
		assert_false(nook_stall_step_check(2 * 5512, 150 + late, 44100, 5512, w,
						   sizeof(w)));
	}
	/* a stream picked up again long after it last moved: any step a buffer long */
	assert_false(nook_stall_step_check(4 * 5512, 2000, 44100, 5512, w, sizeof(w)));
	assert_false(nook_stall_step_check(1u << 30, 1000, 0, 5512, w, sizeof(w))); /* no rate */
}

static void test_a_jump_is_caught(void **state)
{
	char w[200];

	assert_true(nook_stall_step_check(3 * 5512, 125, 44100, 5512, w, sizeof(w)));
	assert_non_null(
		strstr(w, "jumped 16536 frames in 125 ms, where its card plays at most 12402"));
	assert_true(nook_stall_step_check(1u << 30, 125, 44100, 5512, w, sizeof(w)));
}

/*
 * aplay keeps its buffer (4 periods) full: a driver that says it ran dry a period after its
 * position last moved, with 3 periods still queued, is wrong; an application that let its
 * queue run out, or out but for what the card could have played since, ran dry itself.
 */
static void test_xrun_the_application_did_not_cause(void **state)
{
	char w[300];

	assert_true(nook_stall_xrun_check(3 * 5512, 125, 44100, 5512, false, w, sizeof(w)));
	assert_non_null(strstr(w, "ran dry 125 ms after its position last moved, with 16536 frames "
				  "still queued, where its card plays at most 12402"));
	assert_false(nook_stall_xrun_check(0, 125, 44100, 5512, false, w, sizeof(w)));
	assert_false(nook_stall_xrun_check(5512, 10, 44100, 5512, false, w, sizeof(w)));
	assert_false(nook_stall_xrun_check(3 * 5512, 300, 44100, 5512, false, w, sizeof(w)));
	/* capture: the room left to record into */
	assert_true(nook_stall_xrun_check(4 * 5512, 0, 48000, 5512, true, w, sizeof(w)));
	assert_non_null(strstr(w, "ran over 0 ms after"));
}

/* A card playing at 44.1 kHz, a period at a time, sampled every 200 ms: never too slow. */
static void test_pace_at_the_rate_is_fine(void **state)
{
	struct nook_stall_pace p = { 0 };
	char w[200];

	for (uint64_t t = 0; t < 60000; t += 200)
		assert_false(nook_stall_pace_check(&p, true, t * 44100 / 1000 / 5512 * 5512, 44100,
						   5512, 1000 + t, w, sizeof(w)));
}

/* A driver that set the card's rate wrong: 22050 Hz for a 44100 Hz stream. */
static void test_half_pace_is_caught(void **state)
{
	struct nook_stall_pace p = { 0 };
	bool caught = false;
	uint64_t t;
	char w[200];

	for (t = 0; t <= 4000 && !caught; t += 200)
		caught = nook_stall_pace_check(&p, true, t * 22050 / 1000, 44100, 5512, 1000 + t, w,
					       sizeof(w));
	assert_true(caught);
	assert_true(t >= NOOK_STALL_PACE_MS);
	assert_non_null(strstr(w, "50% of its rate (44100 Hz)"));
	/* a stream that stops moving is the stall rule's, not this one's */
	memset(&p, 0, sizeof(p));
	for (t = 0; t <= 10000; t += 200)
		assert_false(nook_stall_pace_check(&p, true, (t < 2000 ? t : 2000) * 44100 / 1000,
						   44100, 5512, 1000 + t, w, sizeof(w)));
	/*
	 * It played at its rate for 1.6 s, and its driver was stopped 1.2 s (a debugger: no
	 * heartbeat, so no look either), moved once more and stands still: the pause is not a
	 * pace, and the standing still is the stall rule's
	 */
	memset(&p, 0, sizeof(p));
	for (t = 0; t <= 3600; t += 100) {
		uint64_t pos = (t < 1600 ? t : t < 2800 ? 1600 : 1700) * 44100 / 1000;

		if (t > 1600 && t < 2800)
			continue;
		assert_false(nook_stall_pace_check(&p, true, pos, 44100, 6144, 1000 + t, w,
						   sizeof(w)));
	}
	/* breaks (an xrun, a pause) start the window again */
	memset(&p, 0, sizeof(p));
	for (t = 0; t <= 10000; t += 200)
		assert_false(nook_stall_pace_check(&p, (t / 1000) % 3 != 2, t * 44100 / 1000, 44100,
						   5512, 1000 + t, w, sizeof(w)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_nic_never_stalls),
		cmocka_unit_test(test_busy_nic_never_stalls),
		cmocka_unit_test(test_driver_eating_frames_stalls_in_1_s),
		cmocka_unit_test(test_late_completing_driver_gets_its_lag),
		cmocka_unit_test(test_one_frame_taken_and_lost_stalls),
		cmocka_unit_test(test_slow_completion_is_no_stall),
		cmocka_unit_test(test_stopped_queue_waits_for_the_drivers_watchdog),
		cmocka_unit_test(test_queue_that_runs_again_is_no_stall),
		cmocka_unit_test(test_no_carrier_no_judgement),
		cmocka_unit_test(test_receive_stopped_stalls_in_1_s),
		cmocka_unit_test(test_missed_counters_are_not_summed),
		cmocka_unit_test(test_every_frame_dropped_stalls_in_1_s),
		cmocka_unit_test(test_some_frames_dropped_wait_for_completions),
		cmocka_unit_test(test_drops_among_sends_are_no_stall),
		cmocka_unit_test(test_every_frame_refused_stalls_in_1_s),
		cmocka_unit_test(test_some_bad_frames_are_no_stall),
		cmocka_unit_test(test_missing_frames_while_receiving_is_no_stall),
		cmocka_unit_test(test_misses_counted_every_2_s_stall),
		cmocka_unit_test(test_sparse_misses_are_no_stall),
		cmocka_unit_test(test_receiver_off_stalls_when_a_probe_goes_unanswered),
		cmocka_unit_test(test_answered_probe_is_no_stall),
		cmocka_unit_test(test_silence_with_no_one_to_ask_is_not_judged),
		cmocka_unit_test(test_no_silence_behind_a_stopped_queue),
		cmocka_unit_test(test_unjudged_silence_is_noted_not_a_stall),
		cmocka_unit_test(test_retries_to_a_quiet_network_are_no_stall),
		cmocka_unit_test(test_anything_heard_is_no_silence),
		cmocka_unit_test(test_silence_needs_sending_and_yields_to_missed),
		cmocka_unit_test(test_stream_stall),
		cmocka_unit_test(test_paused_or_drained_stream_never_stalls),
		cmocka_unit_test(test_long_periods_wait_longer),
		cmocka_unit_test(test_clock_at_the_rate_is_fine),
		cmocka_unit_test(test_clock_run_ahead_is_caught),
		cmocka_unit_test(test_lost_link_waits_for_the_devices_bring_up),
		cmocka_unit_test(test_dry_runs_are_caught),
		cmocka_unit_test(test_slow_feeder_is_no_stall),
		cmocka_unit_test(test_steps_at_the_rate_are_fine),
		cmocka_unit_test(test_a_jump_is_caught),
		cmocka_unit_test(test_xrun_the_application_did_not_cause),
		cmocka_unit_test(test_pace_at_the_rate_is_fine),
		cmocka_unit_test(test_half_pace_is_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
