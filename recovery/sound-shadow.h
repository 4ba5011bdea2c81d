/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sound shadow: what a sound card's driver was told that a new incarnation must be told
 * again. Per card, the mixer controls' values as clients last wrote them (and the driver
 * took them). Per open stream, which PCM it is, the hw_params the driver granted, and how
 * far the stream had got: set up, prepared, running or draining. The position itself is
 * the client ring's, which nookd owns; replay starts the stream there.
 *
 * Pure bookkeeping: nookd records each request once the driver's reply says it was done,
 * and asks for the requests that bring a new incarnation to the same point.
 */
#ifndef NOOK_RECOVERY_SOUND_SHADOW_H
#define NOOK_RECOVERY_SOUND_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ipc/sound-proto.h"

/* The card's controls, by their index in the card's list. */
struct nook_sound_shadow {
	struct nook_snd_ctl_value *values;
	size_t n, cap;
};

void nook_sound_shadow_init(struct nook_sound_shadow *s);
void nook_sound_shadow_free(struct nook_sound_shadow *s);

/* A CTL_WRITE the driver took; a later write of the same control replaces it. */
int nook_sound_shadow_record_ctl(struct nook_sound_shadow *s, const struct nook_snd_ctl_value *v);

/* The @i-th recorded control write, oldest control first; NULL past the end. */
const struct nook_snd_ctl_value *nook_sound_shadow_ctl(const struct nook_sound_shadow *s, size_t i);

enum nook_sound_stage {
	NOOK_SOUND_CLOSED,
	NOOK_SOUND_OPEN,  /* PCM_OPEN done */
	NOOK_SOUND_SETUP, /* hw_params granted; not prepared, stopped or drained */
	NOOK_SOUND_PREPARED,
	NOOK_SOUND_RUNNING,
	NOOK_SOUND_DRAINING,
};

struct nook_sound_stream_shadow {
	enum nook_sound_stage stage;
	struct nook_snd_pcm_open pcm;
	struct nook_snd_hw_params params; /* as granted */
};

/* Record a client request the driver did (@req, answered with err 0 by @reply). */
void nook_sound_stream_record(struct nook_sound_stream_shadow *s, const struct nook_snd_req *req,
			      const struct nook_snd_reply *reply);

/*
 * The stream stopped on its own (an underrun, or the end of a drain): it is set up, no
 * longer prepared or running.
 */
void nook_sound_stream_stopped(struct nook_sound_stream_shadow *s);

/*
 * The requests that bring a new incarnation's stream to where this one was, in order, into
 * @reqs (room for at least NOOK_SOUND_REPLAY_MAX); returns how many. HW_PARAMS is followed
 * by NOOK_SND_SV_RING (whose fds nookd attaches); PREPARE starts at @position.
 */
#define NOOK_SOUND_REPLAY_MAX 6
size_t nook_sound_stream_replay(const struct nook_sound_stream_shadow *s, uint64_t position,
				struct nook_snd_req *reqs);

#endif
