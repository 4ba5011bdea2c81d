/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's record of a supervised sound card and of each client connection to it, private to
 * the two halves of its service: daemon/sound-server.c (the card's socket, its clients, their
 * requests and rings) and recovery/sound-replay.c (bringing a new incarnation to where the
 * last one was).
 */
#ifndef NOOK_DAEMON_SOUND_CARD_H
#define NOOK_DAEMON_SOUND_CARD_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/ipc/sound-proto.h"
#include "recovery/sound-shadow.h"
#include "recovery/stall-detect.h"
#include "sound-server.h"

/* The most a stream's ring may take: far beyond any card's buffer (ES1370: 64 KiB). */
#define RING_MAX_BYTES (64u << 20)
#define FRAME_MAX_BYTES 512u
/*
 * A driver answers a request at once (PCM and control callbacks take milliseconds: a
 * hundred at most in the guest); one that has not answered in this long is stuck, even if
 * its loop still beats. It is well under the plugins' own 5 s, so a restart can still answer
 * in time, and within the 2 s an application bears.
 */
#define REPLY_TIMEOUT_S 1.0

struct sound_client {
	struct nookd_sound *card;
	struct sound_client *next;
	int fd;	   /* the client's connection; -1 for the card's own (the controls' replay) */
	uid_t uid; /* its user's, as the kernel says */
	ev_io io;
	int drv; /* nookd's connection to the driver for this client; -1 while none */
	ev_io drv_io;

	/* the client's request being served, and what is with the driver */
	bool has_req;
	struct nook_snd_req req;
	bool sent;
	uint32_t sent_op, seq;
	ev_timer reply_timer;	     /* runs while a request is with the driver */
	struct nook_snd_reply *held; /* HW_PARAMS's reply, held while the driver takes the rings */

	/* bringing a new incarnation to where the last one was */
	bool replaying;
	struct nook_snd_req replay[NOOK_SOUND_REPLAY_MAX];
	size_t n_replay, at_replay;
	size_t start_at; /* the first step of the last phase (START) */

	struct nook_sound_stream_shadow shadow;

	/* the stream's geometry and rings */
	unsigned int frame_bytes, buffer_frames, period_frames;
	size_t ring_size;
	/* the client's ring, nookd's end of its wake-ups and the client's (until passed) */
	int cmem, cwake, cwake_peer;
	struct nook_snd_ring *cring;
	int dmem,
		dwake; /* the driver's ring, this incarnation's, and nookd's end of its wake-ups */
	struct nook_snd_ring *dring;
	ev_io d_io;
	uint64_t published;  /* hw_ptr as the client has it */
	uint32_t xruns_base; /* under/overruns of earlier incarnations */
	uint32_t d_xruns;    /* ... and this one's, as the client was last told */
	bool await_flow; /* replayed into a new incarnation: its first period ends the recovery */
	double last_advance; /* when its position last moved (ev_now) */
	double moved_at;     /* ... or, if later, when the card was started (0: never) */
	/*
	 * nookd judged this incarnation's report of the stream wrong (a position no card can
	 * reach, an xrun the application did not cause) and the driver is being stopped for
	 * it: nothing more of its ring reaches the client, which sees its stream wait, not fail.
	 */
	bool suspect;
	double stalled_since;		/* a failure stopped it: its last move before (0: none) */
	struct nook_stall_stream stall; /* the running driver's position, watched for a stall */
	struct nook_stall_pace pace;	/* ... and for its pace */
	struct nook_stall_clock clock;	/* ... and against its rate, since it first started */
	uint64_t xruns_seen;		/* its xruns the card's count has had */
	char stall_why[200];		/* the clock's verdict, for the next heartbeat; "" none */
	bool dead; /* the client stopped listening: freed once out of its callbacks */
};

struct nookd_sound {
	struct ev_loop *loop;
	char bdf[16];
	char path[108];
	int listen_fd;
	ev_io listen_io;
	ev_timer listen_timer;		     /* out of fds: listening again after a pause */
	uint64_t refused, refused_logged_ms; /* connections refused, and when that was last said */
	int channel; /* nookd's end of the running incarnation's sound channel; -1 when none */
	enum { CARD_DOWN, CARD_STREAMS, CARD_CONTROLS, CARD_UP } phase; /* of a new incarnation */
	struct sound_client *clients;
	struct sound_client *controls; /* the card's own connection: the controls' replay */
	size_t at_control;
	struct nook_sound_shadow shadow;
	struct nookd_sound_hooks hooks;
	void *ctx;
	/*
	 * Its streams' xruns, whoever's, since one last played a frame: a card whose every
	 * stream runs dry at once fails each application that tries it, one after the other.
	 */
	uint64_t xruns;
	struct nook_stall_dry dry;
	char stall_why[200]; /* its verdict, for the next heartbeat; "" none */
	bool flowed;	     /* the running incarnation moved a stream's position */
};

/* sound-server.c, for the replay */
void nookd_sound_log(struct nookd_sound *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Wake the client: its ring changed. */
void nookd_sound_client_signal(struct sound_client *c);
/* The geometry the driver granted: sane, and (@replay) the one the client's ring has. */
int nookd_sound_take_geometry(struct sound_client *c, const struct nook_snd_hw_params *p,
			      bool replay);
/* Send @req to the driver for @c, under a sequence number of nookd's; its reply is awaited. */
int nookd_sound_driver_send(struct sound_client *c, const struct nook_snd_req *req, const int *fds,
			    unsigned int n);
/* SV_RING for the stream whose geometry is known: the driver's new ring, the client's. */
int nookd_sound_send_ring(struct sound_client *c);
/* Send the client's pending request on to the driver, if the card can take it now. */
void nookd_sound_try_send(struct sound_client *c);

#endif
