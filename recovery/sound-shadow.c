// SPDX-License-Identifier: GPL-2.0-only
/* The sound shadow (see sound-shadow.h). */
#include "sound-shadow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void nook_sound_shadow_init(struct nook_sound_shadow *s)
{
	memset(s, 0, sizeof(*s));
}

void nook_sound_shadow_free(struct nook_sound_shadow *s)
{
	free(s->values);
	nook_sound_shadow_init(s);
}

int nook_sound_shadow_record_ctl(struct nook_sound_shadow *s, const struct nook_snd_ctl_value *v)
{
	struct nook_snd_ctl_value *grown;

	for (size_t i = 0; i < s->n; i++) {
		if (s->values[i].index == v->index) {
			s->values[i] = *v;
			s->values[i].changed = 0;
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;

		grown = realloc(s->values, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		s->values = grown;
		s->cap = cap;
	}
	s->values[s->n] = *v;
	s->values[s->n++].changed = 0;
	return 0;
}

const struct nook_snd_ctl_value *nook_sound_shadow_ctl(const struct nook_sound_shadow *s, size_t i)
{
	return i < s->n ? &s->values[i] : NULL;
}

void nook_sound_stream_record(struct nook_sound_stream_shadow *s, const struct nook_snd_req *req,
			      const struct nook_snd_reply *reply)
{
	if (reply->err < 0)
		return;
	switch (req->op) {
	case NOOK_SND_PCM_OPEN:
		s->stage = NOOK_SOUND_OPEN;
		s->pcm = req->pcm_open;
		break;
	case NOOK_SND_PCM_HW_PARAMS:
		s->stage = NOOK_SOUND_SETUP;
		s->params = reply->hw_params;
		break;
	case NOOK_SND_PCM_HW_FREE:
		if (s->stage > NOOK_SOUND_OPEN)
			s->stage = NOOK_SOUND_OPEN;
		break;
	case NOOK_SND_PCM_PREPARE:
		s->stage = NOOK_SOUND_PREPARED;
		break;
	case NOOK_SND_PCM_START:
		s->stage = NOOK_SOUND_RUNNING;
		break;
	case NOOK_SND_PCM_STOP:
		nook_sound_stream_stopped(s);
		break;
	case NOOK_SND_PCM_DRAIN:
		/*
		 * Only a running playback stream drains; any other stopped at once (capture
		 * too: the driver stops it), and one without hw_params has nothing to stop.
		 */
		if (s->stage == NOOK_SOUND_RUNNING && s->pcm.stream == NOOK_SND_PLAYBACK)
			s->stage = NOOK_SOUND_DRAINING;
		else
			nook_sound_stream_stopped(s);
		break;
	case NOOK_SND_PCM_CLOSE:
		memset(s, 0, sizeof(*s));
		break;
	default:
		break;
	}
}

void nook_sound_stream_stopped(struct nook_sound_stream_shadow *s)
{
	if (s->stage > NOOK_SOUND_SETUP)
		s->stage = NOOK_SOUND_SETUP;
}

size_t nook_sound_stream_replay(const struct nook_sound_stream_shadow *s, uint64_t position,
				struct nook_snd_req *reqs)
{
	size_t n = 0;

	if (s->stage == NOOK_SOUND_CLOSED)
		return 0;
	memset(reqs, 0, NOOK_SOUND_REPLAY_MAX * sizeof(*reqs));
	reqs[n].op = NOOK_SND_PCM_OPEN;
	reqs[n++].pcm_open = s->pcm;
	if (s->stage == NOOK_SOUND_OPEN)
		return n;
	reqs[n].op = NOOK_SND_PCM_HW_PARAMS;
	reqs[n].hw_params = s->params;
	reqs[n].hw_params.frame_bytes = reqs[n].hw_params.buffer_frames = 0;
	n++;
	reqs[n++].op = NOOK_SND_SV_RING;
	if (s->stage == NOOK_SOUND_SETUP)
		return n;
	reqs[n].op = NOOK_SND_PCM_PREPARE;
	reqs[n++].prepare.position = position;
	if (s->stage == NOOK_SOUND_PREPARED)
		return n;
	reqs[n++].op = NOOK_SND_PCM_START;
	if (s->stage == NOOK_SOUND_DRAINING)
		reqs[n++].op = NOOK_SND_PCM_DRAIN;
	return n;
}
