/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's side of a supervised sound card: nookd, not the driver, serves the card's socket
 * ($NOOK_SOUND_DIR/<BDF>, sound-proto.h) to nook's ALSA plugins, owns every stream's ring,
 * and passes the clients' requests on to the running driver, each client over a connection
 * of its own (handed to the driver on its sound channel). What the driver reports about a
 * stream (its position, state, captured frames) is checked before the client sees it.
 *
 * When the driver dies, the clients' streams stall where they were (the applications wait,
 * as on a slow card) and their requests wait; the sound shadow (recovery/sound-shadow.h)
 * keeps what they had set up. Once a new incarnation has taken the card, the controls'
 * values are written again, then each stream is opened, set up, prepared at its position
 * and started again, and the waiting requests go on.
 */
#ifndef NOOK_DAEMON_SOUND_SERVER_H
#define NOOK_DAEMON_SOUND_SERVER_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"

struct nookd_sound;

struct nookd_sound_hooks {
	/* A stream picked up again after a restart was started: it sounds again. */
	void (*resumed)(void *ctx);
	/*
	 * The incarnation played (or captured) a period: the first of a stream picked up again
	 * after a restart, or the first of any stream (it does its job: it is healthy).
	 */
	void (*flowing)(void *ctx);
	/*
	 * The driver said something it cannot mean (a stream's geometry, a reply), or, @hung,
	 * left a request unanswered: stop it.
	 */
	void (*misbehaved)(void *ctx, const char *why, bool hung);
	/*
	 * The driver reported a stream as no card plays it (recovery/stall-detect.h): true when
	 * it is being stopped for that, false when it runs on (a driver under a debugger).
	 */
	bool (*stalled)(void *ctx, const char *why);
};

/* Serve the card at @bdf on its socket; no driver yet (requests wait for one). */
int nookd_sound_open(struct ev_loop *loop, const char *bdf, const struct nookd_sound_hooks *hooks,
		     void *ctx, struct nookd_sound **ret, struct nook_err *err);

/* The socket's path. */
const char *nookd_sound_path(const struct nookd_sound *s);

/*
 * A new incarnation is starting: the driver's end of a new sound channel (the caller passes
 * it to the driver and closes its copy), or a negative errno.
 */
int nookd_sound_channel(struct nookd_sound *s);

/* The incarnation took the card (READY): replay what the shadow knows, then serve. */
void nookd_sound_driver_ready(struct nookd_sound *s);

/* The incarnation ended: streams stall, requests wait for the next one. */
void nookd_sound_driver_gone(struct nookd_sound *s);

/*
 * At the running driver's heartbeat @now_ms: whether one of its running (or draining)
 * streams has stood still too long (recovery/stall-detect.h), with the reason in @why. A
 * paused, stopped or drained stream never has.
 */
bool nookd_sound_stalled(struct nookd_sound *s, uint64_t now_ms, char *why, size_t len);

/* The card goes away (detach): its clients are told so, its socket is removed. */
void nookd_sound_close(struct nookd_sound *s);

#endif
