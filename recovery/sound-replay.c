// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sound shadow's replay (see sound-replay.h): a new incarnation is brought to where the
 * last one was in three phases. Every stream is opened, set up and prepared at its position;
 * then the controls get their values (after prepare, which may reprogram a codec, as a live
 * mixer change would come after it); then the streams that were running start, and the
 * clients' requests go on.
 */
#include "sound-replay.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "daemon/sound-card.h"

static void replay_next(struct sound_client *c);

/* What brings the new incarnation's stream for @c to where it was. */
static void replay_plan(struct sound_client *c)
{
	c->n_replay = nook_sound_stream_replay(&c->shadow, c->published, c->replay);
	for (c->start_at = 0; c->start_at < c->n_replay; c->start_at++)
		if (c->replay[c->start_at].op == NOOK_SND_PCM_START)
			break;
	c->at_replay = 0;
	c->replaying = true;
}

/* Send the next replay step, or end this phase of the replay. */
static void replay_next(struct sound_client *c)
{
	struct nookd_sound *s = c->card;
	size_t limit;
	int r;

	if (c == s->controls) {
		const struct nook_snd_ctl_value *v =
			nook_sound_shadow_ctl(&s->shadow, s->at_control);
		struct nook_snd_req q = { .op = NOOK_SND_CTL_WRITE };

		if (v) {
			q.ctl_value = *v;
			if (nookd_sound_driver_send(c, &q, NULL, 0) == 0)
				return;
		}
		/* The controls are as they were: the streams run again, the clients go on. */
		c->replaying = false;
		s->phase = CARD_UP;
		for (struct sound_client *k = s->clients; k; k = k->next) {
			if (k->replaying)
				replay_next(k);
			else
				nookd_sound_try_send(k);
		}
		return;
	}
	limit = s->phase == CARD_UP ? c->n_replay : c->start_at;
	if (c->at_replay < limit) {
		struct nook_snd_req *q = &c->replay[c->at_replay];

		if (q->op == NOOK_SND_PCM_PREPARE)
			nookd_sound_log(s, "picking a %s stream up at frame %llu",
					c->shadow.pcm.stream == NOOK_SND_CAPTURE ? "capture" :
										   "playback",
					(unsigned long long)q->prepare.position);
		/* The first period after START ends the recovery, even one ahead of START's reply. */
		if (q->op == NOOK_SND_PCM_START)
			c->await_flow = true;
		r = q->op == NOOK_SND_SV_RING ? nookd_sound_send_ring(c) :
						nookd_sound_driver_send(c, q, NULL, 0);
		if (r == 0)
			return;
		c->await_flow = false;
		nookd_sound_log(s, "cannot replay a stream into the driver: %s", strerror(-r));
	} else if (s->phase != CARD_UP) {
		nookd_sound_replay_streams_done(
			s); /* this one is prepared: wait for the others and the controls */
		return;
	}
	c->replaying = false;
	nookd_sound_replay_streams_done(s);
	nookd_sound_try_send(c);
}

void nookd_sound_replay_done(struct sound_client *c, struct nook_snd_reply *a)
{
	struct nookd_sound *s = c->card;
	int r = a->err;

	if (c == s->controls) {
		if (r < 0)
			nookd_sound_log(s, "the new driver refused a control's recorded value: %s",
					strerror(-r));
		s->at_control++;
		replay_next(c);
		return;
	}
	if (r == 0 && c->sent_op == NOOK_SND_PCM_HW_PARAMS) {
		r = nookd_sound_take_geometry(c, &a->hw_params, true);
		if (r == -EPROTO)
			nookd_sound_log(s, "the new driver granted the stream another geometry");
	}
	if (r < 0) {
		nookd_sound_log(
			s,
			"cannot pick a stream up again (%s); its client is told the card is gone",
			strerror(-r));
		c->replaying = false;
		c->await_flow = false;
		if (c->cring) {
			atomic_store(&c->cring->state, NOOK_SND_STATE_DISCONNECTED);
			nookd_sound_client_signal(c);
		}
		memset(&c->shadow, 0, sizeof(c->shadow));
		nookd_sound_replay_streams_done(s);
		nookd_sound_try_send(c);
		return;
	}
	if (c->sent_op == NOOK_SND_PCM_START) {
		c->moved_at = ev_now(s->loop);
		if (s->hooks.resumed)
			s->hooks.resumed(s->ctx);
	}
	c->at_replay++;
	replay_next(c);
}

/* Every stream is prepared (or given up): the controls' turn. */
void nookd_sound_replay_streams_done(struct nookd_sound *s)
{
	if (s->phase != CARD_STREAMS)
		return;
	for (struct sound_client *k = s->clients; k; k = k->next)
		if (k->replaying && k->at_replay < k->start_at)
			return;
	s->phase = CARD_CONTROLS;
	s->at_control = 0;
	s->controls->replaying = true;
	replay_next(s->controls);
}

void nookd_sound_replay_begin(struct nookd_sound *s)
{
	s->phase = CARD_STREAMS;
	for (struct sound_client *k = s->clients; k; k = k->next)
		replay_plan(k);
	for (struct sound_client *k = s->clients; k; k = k->next)
		replay_next(k);
	nookd_sound_replay_streams_done(s); /* no streams: the controls at once */
}
