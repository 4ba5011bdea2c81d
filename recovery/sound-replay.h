/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sound shadow's replay into a new incarnation of a card's driver: each stream the
 * shadow (sound-shadow.h) gives the requests that bring it back (open, hw_params, the rings,
 * prepare at its position, start), the controls get their recorded values, and the requests
 * that were with the dead driver go again. nookd's side, on its record of the card
 * (daemon/sound-card.h).
 */
#ifndef NOOK_RECOVERY_SOUND_REPLAY_H
#define NOOK_RECOVERY_SOUND_REPLAY_H

struct nookd_sound;
struct sound_client;
struct nook_snd_reply;

/* The new incarnation took the card and every client is connected to it: replay. */
void nookd_sound_replay_begin(struct nookd_sound *s);

/* The driver answered @c's replay step @a: the next step, or the next phase. */
void nookd_sound_replay_done(struct sound_client *c, struct nook_snd_reply *a);

/* A stream is prepared, or given up: once every stream is, the controls' turn. */
void nookd_sound_replay_streams_done(struct nookd_sound *s);

#endif
