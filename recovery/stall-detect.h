/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Silent failures, seen from outside the driver: a driver process that lives and beats but
 * has stopped doing its job. nookd samples what it can see on each heartbeat (a NIC's
 * counters: the driver's own, which ride along with the heartbeat, and the kernel's side of
 * the TAP; a sound stream's position) and asks these functions whether the device stalled.
 * Pure logic: every call takes the counters and the time.
 *
 * The thresholds are here, in one place. Each is long enough that a working driver on an
 * idle or lightly used device never trips it, and short enough that nookd restarts a stalled
 * driver within 5 s of the stall (with a heartbeat every 200 ms to 1 s).
 */
#ifndef NOOK_RECOVERY_STALL_DETECT_H
#define NOOK_RECOVERY_STALL_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Frames the driver took from the TAP and sent none for this long: it eats them, or drops
 * or fails every one (a driver that counts them dropped is no more use than one that does
 * not). A frame taken is sent, and counted, at its completion interrupt, within
 * milliseconds: 1 s is far past that, and a NIC that lost its interrupts is caught before a
 * ping's gap passes 2 s. A NIC whose driver completes frames late says by how much
 * (tx_done_ms: e100 asks for a completion interrupt only every 16th frame and otherwise
 * cleans its ring when its 2 s watchdog raises one) and is given that too, up to
 * NOOK_STALL_TX_MS in all, whatever it says.
 */
#define NOOK_STALL_TX_MIN_MS 1000
#define NOOK_STALL_TX_MS 3000

/* How long a NIC whose driver says its frames complete within @tx_done_ms may send nothing. */
uint64_t nook_stall_tx_ms(uint32_t tx_done_ms);
/*
 * ... or this long when the driver counted them dropped or failed as it took them, whatever
 * completions it says may come late: it says so itself, and no completion is awaited (a
 * ping's retry is 1 s).
 */
#define NOOK_STALL_TX_FAILED_MS 1000

/*
 * Frames waiting for the driver, in the TAP or in the shim's backlog behind its stopped queue
 * (STATS says how many: common/ipc/control.h), and none sent, for this long. The driver's
 * queue is stopped (its ring is full), or it refused a frame: that is Linux's transmit
 * watchdog's case, which runs inside the driver process (compat-kernel-api's netdev
 * watchdog) and tries the driver's own reset first (ndo_tx_timeout, after its watchdog_timeo,
 * at most 1.5 s), then fail-stops if the queue times out again within two periods of the
 * reset, or of the link's return when the reset dropped it (e1000: about 6 s in all). nookd's
 * check is the backstop behind it, for a driver with no ndo_tx_timeout or a watchdog that
 * no longer runs, so it waits the longest of those out. But the net shim reads the TAP on
 * while the queue is stopped, into its fair backlog (shims/net/txq.h), so a stopped queue
 * that sends nothing shows as frames taken and none sent, and is judged by the rule above
 * (1 s, plus the completion lag), before the driver's own watchdog: frames left waiting in
 * the TAP now mean a driver process that no longer reads it.
 */
#define NOOK_STALL_TX_BACKLOG_MS 8000

/*
 * The NIC counts frames it missed (no receive buffer free: rx_missed, rx_fifo_errors,
 * rx_over_errors), or the driver counts every frame that arrives an error or a drop
 * (rx_errors, rx_dropped), while it received none, for this long: its receive path stopped
 * and frames are arriving. A driver that falls behind under load still receives, and its
 * ring refills within a NAPI poll; a line with bad frames among good ones still receives the
 * good. 1 s: a receive path that stopped costs a ping reply a second, and the application's
 * wait is the detection plus the restart.
 */
#define NOOK_STALL_RX_MS 1000
/*
 * Misses that stop for this long start no stall when they come again: a miss or two on an
 * idle NIC does not keep rising. Past the 2 s in which e1000 updates its counters (its
 * watchdog reads the NIC's), so its misses, which rise every 2 s, still make one stall.
 */
#define NOOK_STALL_RX_QUIET_MS 3000

/*
 * Frames sent, and nothing at all received, not even counted missed or refused, for this
 * long (received: from the network; frames from the NIC's own address, looped back to it,
 * are not counted in rx_done): the NIC's receiver is off (a bad write to its receive control, e1000's RCTL, turns it
 * off, and a receiver that is off counts nothing). A host that sends on a LAN hears back
 * within a round trip (ARP, TCP's ACKs, ping's replies); but a network may also be quiet (a
 * stream sent to no one, a peer gone). So the network is asked first: the check wants a
 * probe (probe_wanted), nookd has the kernel probe a neighbour that answered lately (an ARP
 * request: common/net/neigh.h) and says so (nook_stall_nic_probed), and only if nothing at
 * all is received in NOOK_STALL_RX_PROBE_MS after it is it a stall. With no neighbour to ask
 * (nook_stall_nic_unaskable) nothing is judged until a frame comes. A neighbour that left
 * without its entry knowing would still cost a restart: so the driver is restarted once; if
 * its successor fails the same way the network was quiet, and the rule rests for this
 * device for NOOK_STALL_RX_SILENT_REST_MS. Only while it sends NOOK_STALL_RX_SILENT_RATE
 * frame a second or more, all through the silence (with a receiver off, the kernel's own
 * neighbour entries fail soon, and what it sends then is ARP's retries, a second apart: the
 * probe goes to a neighbour nookd saw answer, remembered). Never while frames wait behind a
 * stopped queue: nothing that asks for an answer goes out then (the transmit rules' case).
 */
#define NOOK_STALL_RX_SILENT_MS 2000
#define NOOK_STALL_RX_SILENT_RATE 1
#define NOOK_STALL_RX_PROBE_MS 1500
#define NOOK_STALL_RX_SILENT_REST_MS (10ULL * 60 * 1000)

/*
 * A NIC's link down this long, while its interface is up, after a driver had it: a new
 * incarnation (after a crash or a restart) that has not brought it back (the slowest of
 * nook's NICs, e1000, has its link 2.4 s after a start in the guest), or a running one that
 * had it and lost it, and does not look again (8139cp reads its link only on a link-change
 * interrupt; a bad PHY read leaves it down for good). That one is judged sooner, after
 * nook_stall_link_lost_ms(): twice as long as the device's drivers took, at their quickest,
 * to bring the link up after a start (a reset nookd asked for, for new ring sizes or an MTU,
 * reallocates the rings and negotiates again: e1000's took 3.3 s after a 2.2 s start; a
 * link lost within 1 s of such a request is that reset's, given a start's
 * NOOK_STALL_LINK_MS), and at least
 * NOOK_STALL_LINK_LOST_MS: half a second, so that with the restart an application waits less
 * than 2 s; a link back sooner was never judged. The driver is restarted once; the next
 * one is believed, so a cable pulled costs one restart while no frame can flow.
 */
#define NOOK_STALL_LINK_MS 6000
#define NOOK_STALL_LINK_LOST_MS 500

/* How long a link that a running driver had may be down: @took_ms, its longest bring-up. */
uint64_t nook_stall_link_lost_ms(uint64_t took_ms);

/*
 * A running (or draining) stream whose position has not moved for this long, or for
 * NOOK_STALL_SOUND_PERIODS of its periods if those are longer: its card raises an interrupt
 * every period, whose handler moves the position. 1 s is 8 periods at aplay's geometry
 * (125 ms), far past any scheduling delay in the guest, and judged at the heartbeat after
 * it, a restart has the stream moving again within the 2 s an application bears.
 */
#define NOOK_STALL_SOUND_MS 1000
#define NOOK_STALL_SOUND_PERIODS 4

/* What nookd sees of a NIC at one heartbeat. */
struct nook_stall_nic_sample {
	uint64_t now_ms;
	/* the driver's link is up: before it, and while it is down, nothing is judged */
	bool carrier;
	/* how long its NIC may leave a frame unsent, as the driver says (common/ipc/control.h) */
	uint32_t tx_done_ms;
	/* frames wait in the TAP for the driver (the TAP polls readable) */
	bool backlog;
	/* the kernel's side of the TAP: frames the driver read, frames dropped on a full queue */
	uint64_t tap_taken, tap_dropped;
	/* the driver's: frames sent (tx_packets), and given up on (tx_dropped + tx_errors) */
	uint64_t tx_sent, tx_failed;
	/* the driver's: frames received (rx_packets) */
	uint64_t rx_done;
	/* the NIC's missed-frame counters, as the driver reports them */
	uint64_t rx_missed, rx_fifo, rx_over;
	/* the driver's: frames that arrived and it refused (rx_errors, rx_dropped) */
	uint64_t rx_errors, rx_dropped;
	/* receive silence (NOOK_STALL_RX_SILENT_MS) may be judged a stall now */
	bool rx_silence_judged;
};

struct nook_stall_nic {
	bool primed; /* a sample is kept in last */
	struct nook_stall_nic_sample last;
	/* transmit: since when nothing was done with frames that were there */
	uint64_t tx_since_ms;				 /* 0: not stalling */
	uint64_t tx_taken, tx_dropped_at_tap, tx_failed; /* since tx_since_ms */
	/* receive: since when frames are missed or refused and none received */
	uint64_t rx_since_ms;
	uint64_t rx_last_miss_ms;
	uint64_t rx_missed;  /* since rx_since_ms (the largest of the three counters' rises) */
	uint64_t rx_refused; /* since rx_since_ms (the larger of rx_errors' and rx_dropped's) */
	/* receive silence: since when nothing was received, and frames sent since; when the
	 * network was asked (0: not yet), whom; no neighbour to ask */
	uint64_t silent_since_ms;
	uint64_t silent_sent;
	uint64_t probe_at_ms;
	char probe_ip[16];
	bool unaskable;
	/* Out: this driver has received a frame; the last stall was receive silence; receive
	 * silence went on while it was not judged (rx_silence_judged false: the network's);
	 * a probe is wanted now (the caller asks, then says so). */
	bool heard, silence_stall, silence_unjudged, probe_wanted;
};

void nook_stall_nic_init(struct nook_stall_nic *s);
/* The silence's probe was sent at @now_ms, to @ip; or there was no neighbour to ask. */
void nook_stall_nic_probed(struct nook_stall_nic *s, uint64_t now_ms, const char *ip);
void nook_stall_nic_unaskable(struct nook_stall_nic *s);

/*
 * One heartbeat's sample. True when the NIC stalled, with the reason in @why, e.g. "stopped
 * transmitting: 14 frames taken in 3.2 s, none sent"; the state then starts afresh.
 */
bool nook_stall_nic_check(struct nook_stall_nic *s, const struct nook_stall_nic_sample *x,
			  char *why, size_t len);

/* A sound stream's watch. */
struct nook_stall_stream {
	bool running;
	uint64_t pos;	   /* the position last seen */
	uint64_t since_ms; /* when it last moved, or the stream started */
};

void nook_stall_stream_init(struct nook_stall_stream *s);

/*
 * A stream that runs on without a break for NOOK_STALL_PACE_MS and plays less than
 * NOOK_STALL_PACE_PERCENT of its rate in that time (give or take two periods): its card runs
 * at another rate than the one the application asked for (a driver that set the rate or the
 * buffer wrong), and what it plays is slow and low. A card's crystal is off by far less.
 */
#define NOOK_STALL_PACE_MS 2000
#define NOOK_STALL_PACE_PERCENT 75
/* A position that has not moved for this long stands still: the rule above is for that. */
#define NOOK_STALL_PACE_STILL_MS 750

struct nook_stall_pace {
	bool running;
	uint64_t start_ms, start_pos; /* the window being judged */
	uint64_t last_pos, moved_ms;  /* where it last moved to, and when */
};

/*
 * The stream at @now_ms: @running, at position @pos, with @rate frames a second in periods
 * of @period_frames. True when it played too slowly, with the reason in @why; the watch then
 * starts afresh.
 */
bool nook_stall_pace_check(struct nook_stall_pace *p, bool running, uint64_t pos, uint32_t rate,
			   uint32_t period_frames, uint64_t now_ms, char *why, size_t len);

/*
 * A stream's clock: the frames its position moved since it first started, through its xruns
 * and restarts, against the time since. A card plays (or records) at its rate; a position
 * that moved faster than that comes from a driver whose pointer reads are wrong (a card gone:
 * all ones; or garbage), and the application, which writes as fast as the position allows,
 * has its sound cut short. NOOK_STALL_CLOCK_PERCENT of the rate, plus a buffer and a period
 * (a card may take a period ahead, and a start may find a buffer queued), is beyond any card.
 */
#define NOOK_STALL_CLOCK_PERCENT 125

struct nook_stall_clock {
	uint64_t start_ms; /* 0: not started since its parameters were set */
	uint64_t frames;   /* moved since */
};

void nook_stall_clock_init(struct nook_stall_clock *k);
/* The stream started at @now_ms (once: restarts after an xrun keep the first start). */
void nook_stall_clock_start(struct nook_stall_clock *k, uint64_t now_ms);

/*
 * Its position moved @frames more at @now_ms, at @rate frames a second, with @slack frames
 * (its buffer and a period) allowed ahead. True when it moved faster than the card can, with
 * the reason in @why; the clock then starts afresh.
 */
bool nook_stall_clock_moved(struct nook_stall_clock *k, uint64_t frames, uint32_t rate,
			    uint64_t slack, uint64_t now_ms, char *why, size_t len);

/*
 * The most a card at @rate moves its position in @ms: NOOK_STALL_CLOCK_PERCENT of its rate,
 * and @slack_frames more. The clock above allows a buffer and a period over a stream's life;
 * one step of a position, between two looks, a period (a driver reports its position a
 * period at a time, a little late or early). A step beyond that comes from a pointer read
 * gone wrong (all ones, garbage), and a position taken on from it would tell the application
 * that frames were played that never were.
 */
uint64_t nook_stall_card_reach(uint32_t rate, uint64_t slack_frames, uint64_t ms);

/*
 * The position moved @frames in the @ms since the last look. True when no card moves so
 * far so fast, with the reason in @why.
 */
bool nook_stall_step_check(uint64_t frames, uint64_t ms, uint32_t rate, uint32_t period_frames,
			   char *why, size_t len);

/*
 * The driver says the stream ran dry (playback) or over (capture), @ms after its position
 * last moved, with @due frames still to go before it could have: the frames the application
 * had queued and the card had not played, or the room it had left to record into. True when
 * the card cannot have gone through @due frames in that time: the application kept up, and
 * the driver's xrun is its own failure, with the reason in @why. An application that fed
 * (or read) too late has nothing due, and its xrun is its own.
 */
bool nook_stall_xrun_check(uint64_t due, uint64_t ms, uint32_t rate, uint32_t period_frames,
			   bool capture, char *why, size_t len);

/*
 * A stream that ran dry this many times in a row without its position moving once: each run
 * the application gave it a buffer, the card played none of it and the driver said it ran
 * dry (a card gone, whose pointer reads all ones, looks so to it). The application, which
 * prepares and writes again after each, sees its sound skip through and end early; the
 * stream is never still, nor running, long enough for the rules above. An application that
 * feeds too slowly runs dry too, but its card plays what it was given in between.
 */
#define NOOK_STALL_DRY_XRUNS 3

struct nook_stall_dry {
	uint64_t xruns;	   /* the stream's xrun count at the last look */
	unsigned int dry;  /* xruns since its position last moved */
	uint64_t first_ms; /* the first of them */
};

/*
 * The stream's xrun count is @xruns and its position @moved since the last look, at
 * @now_ms. True when it ran dry NOOK_STALL_DRY_XRUNS times without moving, with the reason
 * in @why; the count then starts afresh.
 */
bool nook_stall_dry_check(struct nook_stall_dry *d, uint64_t xruns, bool moved, uint64_t now_ms,
			  char *why, size_t len);

/*
 * The stream at @now_ms: @running (started or draining, as the driver says), at position
 * @pos (frames, never going back), @period_ms its period (0: unknown). True when it stood
 * still too long, with the reason in @why; the watch then starts afresh.
 */
bool nook_stall_stream_check(struct nook_stall_stream *s, bool running, uint64_t pos,
			     uint32_t period_ms, uint64_t now_ms, char *why, size_t len);

#endif
