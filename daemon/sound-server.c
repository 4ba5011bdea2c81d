// SPDX-License-Identifier: GPL-2.0-only
/*
 * nookd's side of a supervised sound card (see sound-server.h).
 *
 * Each client connection is a struct sound_client: the client's socket, nookd's connection to the
 * driver for it (made anew for each incarnation), the request being served, the stream's
 * shadow and its two rings. The client's ring is nookd's: the client maps it read-write, the
 * driver read-only. The driver's ring is made anew for each incarnation; on the driver's
 * every signal, nookd checks what it says there and publishes it in the client's ring.
 *
 * Neither peer can stop nookd with what it is given: the rings are sealed against resizing
 * (a truncated ring would be nookd's SIGBUS), and each ring's wake-ups go through a one-way
 * socketpair of which nookd keeps its own end (nook_snd_wake_pair), not a shared eventfd. A
 * peer that clears O_NONBLOCK on its end, fills it or closes it changes nothing for nookd,
 * which sends and takes wake-ups with MSG_DONTWAIT: a send that finds the buffer full drops
 * a wake-up the peer has not taken anyway.
 *
 * A client has one request at a time with nookd (the plugins wait for each reply), so nookd
 * reads its next one only after answering. A request that was with a driver when it died is
 * sent again once the new incarnation has been brought to where the old one was.
 *
 * How a new incarnation is brought there is recovery/sound-replay.c's; the card's and its
 * clients' records, which both halves share, are in sound-card.h.
 */
#include "sound-server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/ipc/sound-proto.h"
#include "daemon/log.h"
#include "recovery/sound-replay.h"
#include "recovery/stall-detect.h"
#include "sound-card.h"

/* The loop's time, in ms: what the streams' clocks are kept in. */
static uint64_t loop_ms(const struct nookd_sound *s)
{
	return (uint64_t)(ev_now(s->loop) * 1000);
}

/* A card's line in nookd's log, with its address as the device (log.h). */
void nookd_sound_log(struct nookd_sound *s, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	nookd_log(LOG_INFO, s->bdf, NULL, NULL, "sound: %s", text);
}

static void driver_failed(struct nookd_sound *s, const char *why, bool hung)
{
	nookd_sound_log(s, "the driver %s", why);
	if (s->hooks.misbehaved)
		s->hooks.misbehaved(s->ctx, why, hung);
}

static void misbehaved(struct nookd_sound *s, const char *why)
{
	driver_failed(s, why, false);
}

/* --- rings */

static void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * A ring for @c's stream, sealed (nook_snd_ring_memfd): the client and the driver get its fd,
 * and neither can then change its size under nookd's mapping.
 */
static int ring_make(struct sound_client *c, int *ret_mem, struct nook_snd_ring **ret_ring)
{
	int mem = nook_snd_ring_memfd(c->ring_size), r;
	void *m;

	if (mem < 0)
		return mem;
	m = mmap(NULL, c->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
	if (m == MAP_FAILED) {
		r = -errno;
		close(mem);
		return r;
	}
	nook_snd_ring_init(m, c->shadow.pcm.stream, c->frame_bytes, c->period_frames,
			   c->buffer_frames);
	*ret_mem = mem;
	*ret_ring = m;
	return 0;
}

static void driver_ring_free(struct sound_client *c)
{
	if (c->dring) {
		c->xruns_base += c->d_xruns;
		c->d_xruns = 0;
		ev_io_stop(c->card->loop, &c->d_io);
		munmap(c->dring, c->ring_size);
	}
	c->dring = NULL;
	fd_close(&c->dmem);
	fd_close(&c->dwake);
	c->suspect = false;
}

static void rings_free(struct sound_client *c)
{
	driver_ring_free(c);
	if (c->cring)
		munmap(c->cring, c->ring_size);
	c->cring = NULL;
	fd_close(&c->cmem);
	fd_close(&c->cwake);
	fd_close(&c->cwake_peer);
	c->published = 0;
	c->xruns_base = 0;
}

/* The client's ring and its wake-ups, which nookd signals and the client waits on. */
static int client_ring_new(struct sound_client *c)
{
	int r = ring_make(c, &c->cmem, &c->cring);

	if (r == 0)
		r = nook_snd_wake_pair(&c->cwake, &c->cwake_peer);
	if (r < 0)
		rings_free(c);
	return r;
}

void nookd_sound_client_signal(struct sound_client *c)
{
	int r = c->cwake >= 0 ? nook_snd_wake(c->cwake) : 0;

	if (r < 0)
		nookd_sound_log(c->card, "cannot wake a client: %s", strerror(-r));
}

static uint8_t *frames_at(struct nook_snd_ring *r, const struct sound_client *c, uint64_t pos)
{
	return (uint8_t *)r + NOOK_SND_RING_DATA_OFFSET + (pos % c->buffer_frames) * c->frame_bytes;
}

/*
 * nookd judged the driver's report of @c's stream wrong: true when the driver is being
 * stopped for it (and the client is kept from the report), false when it runs on (a driver
 * under a debugger), and the report goes through as before.
 */
static bool judged(struct sound_client *c, const char *why)
{
	struct nookd_sound *s = c->card;

	if (!s->hooks.stalled || !s->hooks.stalled(s->ctx, why))
		return false;
	c->suspect = true;
	return true;
}

/* The ms since @c's position last moved (or its card started), at the loop's time now. */
static uint64_t ms_since_moved(const struct sound_client *c)
{
	double now = ev_now(c->card->loop);

	return now > c->moved_at ? (uint64_t)((now - c->moved_at) * 1000) : 0;
}

/*
 * The frames @c's card must still pass before an xrun at position @hw is real: those the
 * application queued (playback), or the room it left to record into (capture).
 */
static uint64_t frames_due(const struct sound_client *c, uint64_t hw, uint64_t appl)
{
	if (c->shadow.pcm.stream == NOOK_SND_CAPTURE)
		appl += c->buffer_frames;
	return appl > hw ? appl - hw : 0;
}

/*
 * Whether the driver's report is one no card makes: its position ran further than the card
 * plays since it last moved, or it says the stream ran dry (over) while the application had
 * frames (room) the card cannot have used up yet (recovery/stall-detect.h). Either way the
 * client is told nothing of it and the driver is stopped.
 */
static bool report_wrong(struct sound_client *c, uint64_t hw, uint64_t appl, uint32_t state)
{
	uint32_t rate = c->shadow.params.rate, was = atomic_load(&c->cring->state);
	uint64_t clamped = hw, ms;
	char why[200];

	if (c->moved_at <= 0 || !rate)
		return false;
	ms = ms_since_moved(c);
	if (hw > c->published &&
	    nook_stall_step_check(hw - c->published, ms, rate, c->period_frames, why, sizeof(why)))
		return judged(c, why);
	if (state != NOOK_SND_STATE_XRUN ||
	    (was != NOOK_SND_STATE_RUNNING && was != NOOK_SND_STATE_DRAINING))
		return false;
	if (c->shadow.pcm.stream == NOOK_SND_PLAYBACK && clamped > appl)
		clamped = appl;
	if (clamped > c->published)
		ms = 0; /* the position is as of now */
	else
		clamped = c->published;
	return nook_stall_xrun_check(frames_due(c, clamped, appl), ms, rate, c->period_frames,
				     c->shadow.pcm.stream == NOOK_SND_CAPTURE, why, sizeof(why)) &&
	       judged(c, why);
}

/* What the driver says in its ring, checked, into the client's. */
static void ring_sync(struct sound_client *c)
{
	struct nookd_sound *s = c->card;
	struct nook_snd_ring *d = c->dring, *cr = c->cring;
	uint64_t hw = atomic_load_explicit(&d->hw_ptr, memory_order_acquire), xruns;
	uint64_t appl = atomic_load_explicit(&cr->appl_ptr, memory_order_acquire);
	uint32_t state = atomic_load(&d->state);
	bool advanced;

	if (c->suspect)
		return;
	ev_now_update(s->loop); /* its clock judges the driver's steps */
	if (!c->replaying && report_wrong(c, hw, appl, state))
		return;
	/* A position never goes back, nor past a buffer ahead, nor (playing) past the client. */
	if (hw < c->published)
		hw = c->published;
	if (hw > c->published + c->buffer_frames)
		hw = c->published + c->buffer_frames;
	if (c->shadow.pcm.stream == NOOK_SND_PLAYBACK && hw > appl)
		hw = appl > c->published ? appl : c->published;
	advanced = hw > c->published;
	if (advanced && !*c->stall_why)
		nook_stall_clock_moved(&c->clock, hw - c->published, c->shadow.params.rate,
				       (uint64_t)c->buffer_frames + c->period_frames, loop_ms(s),
				       c->stall_why, sizeof(c->stall_why));
	if (c->shadow.pcm.stream == NOOK_SND_CAPTURE) {
		for (uint64_t pos = c->published; pos < hw;) {
			uint64_t n = hw - pos, room = c->buffer_frames - pos % c->buffer_frames;

			if (n > room)
				n = room;
			memcpy(frames_at(cr, c, pos), frames_at(d, c, pos), n * c->frame_bytes);
			pos += n;
		}
	}
	c->published = hw;
	atomic_store_explicit(&cr->hw_ptr, hw, memory_order_release);
	if (advanced) {
		c->last_advance = c->moved_at = ev_now(c->card->loop);
		if (c->stalled_since > 0) {
			/* What the application saw of the failure: its position standing still. */
			nookd_sound_log(c->card,
					"a %s stream stood still for %.0f ms (from its last period "
					"before the failure to its first after)",
					c->shadow.pcm.stream == NOOK_SND_CAPTURE ? "capture" :
										   "playback",
					(c->last_advance - c->stalled_since) * 1000);
			c->stalled_since = 0;
		}
	}
	/* While a new incarnation is brought up to the stream, the client sees it run on. */
	if (state <= NOOK_SND_STATE_DRAINING && !c->replaying) {
		atomic_store_explicit(&cr->state, state, memory_order_release);
		if ((state == NOOK_SND_STATE_XRUN || state == NOOK_SND_STATE_SETUP) &&
		    c->shadow.stage >= NOOK_SOUND_RUNNING)
			nook_sound_stream_stopped(&c->shadow);
	}
	c->d_xruns = atomic_load(&d->xruns);
	xruns = c->xruns_base + c->d_xruns;
	atomic_store(&cr->xruns, xruns);
	if (xruns > c->xruns_seen)
		s->xruns += xruns - c->xruns_seen;
	c->xruns_seen = xruns;
	if (!*s->stall_why)
		nook_stall_dry_check(&s->dry, s->xruns, advanced, loop_ms(s), s->stall_why,
				     sizeof(s->stall_why));
	nookd_sound_client_signal(c);
	/* The incarnation plays: a stream it picked up again, or its first stream at all. */
	if (advanced && (c->await_flow || !s->flowed)) {
		c->await_flow = false;
		s->flowed = true;
		if (c->card->hooks.flowing)
			c->card->hooks.flowing(c->card->ctx);
	}
}

static void on_driver_ring(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sound_client *c = w->data;
	int r = nook_snd_wake_take(c->dwake);

	if (r == 0) {
		/* The driver closed its end: it signals no more (a dead one is seen as such). */
		ev_io_stop(loop, w);
		return;
	}
	if (r < 0 && r != -EAGAIN)
		return;
	if (c->dring && c->cring)
		ring_sync(c);
}

/*
 * The driver's ring for this incarnation, and the fds SV_RING passes: the client's ring
 * read-only, the driver's, and the driver's end of its wake-ups (the caller closes fds[0] and
 * fds[2] once passed).
 */
static int driver_ring_new(struct sound_client *c, int fds[3])
{
	char proc[64];
	int r;

	driver_ring_free(c);
	r = ring_make(c, &c->dmem, &c->dring);
	if (r == 0)
		r = nook_snd_wake_pair(&fds[2], &c->dwake);
	if (r < 0) {
		driver_ring_free(c);
		return r;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", c->cmem);
	fds[0] = open(proc, O_RDONLY | O_CLOEXEC);
	if (fds[0] < 0) {
		r = -errno;
		close(fds[2]);
		driver_ring_free(c);
		return r;
	}
	fds[1] = c->dmem;
	ev_io_set(&c->d_io, c->dwake, EV_READ);
	ev_io_start(c->card->loop, &c->d_io);
	return 0;
}

/* The geometry the driver granted: sane, and (replaying) the one the client's ring has. */
int nookd_sound_take_geometry(struct sound_client *c, const struct nook_snd_hw_params *p,
			      bool replay)
{
	uint64_t bytes = (uint64_t)p->buffer_frames * p->frame_bytes;

	if (!p->period_frames || !p->periods || !p->frame_bytes ||
	    p->frame_bytes > FRAME_MAX_BYTES ||
	    p->buffer_frames != (uint64_t)p->period_frames * p->periods ||
	    bytes + NOOK_SND_RING_DATA_OFFSET > RING_MAX_BYTES) {
		misbehaved(c->card, "granted a stream geometry that makes no sense");
		return -EPROTO;
	}
	if (replay)
		return p->buffer_frames == c->buffer_frames && p->frame_bytes == c->frame_bytes &&
				       p->period_frames == c->period_frames ?
			       0 :
			       -EPROTO;
	rings_free(c);
	c->frame_bytes = p->frame_bytes;
	c->buffer_frames = p->buffer_frames;
	c->period_frames = p->period_frames;
	c->ring_size = nook_snd_ring_bytes(p->frame_bytes, p->buffer_frames);
	return client_ring_new(c);
}

/* --- talking to the driver */

/* Send @req to the driver under a sequence number of nookd's (the client keeps its own). */
int nookd_sound_driver_send(struct sound_client *c, const struct nook_snd_req *req, const int *fds,
			    unsigned int n)
{
	static uint32_t seq;
	struct nook_snd_req q = *req;
	int r;

	q.seq = ++seq;
	r = nook_snd_send(c->drv, &q, sizeof(q), fds, n);
	if (r < 0)
		return r;
	c->sent = true;
	c->sent_op = q.op;
	c->seq = q.seq;
	ev_timer_set(&c->reply_timer, REPLY_TIMEOUT_S, 0.0);
	ev_timer_start(c->card->loop, &c->reply_timer);
	return 0;
}

static void on_reply_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct sound_client *c = w->data;
	char why[96];

	snprintf(why, sizeof(why), "hung: no answer to a sound request (op %u) in %.0f s",
		 c->sent_op, REPLY_TIMEOUT_S);
	driver_failed(c->card, why, true);
}

static void client_reply(struct sound_client *c, struct nook_snd_reply *a, const int *fds,
			 unsigned int n);
static void client_free(struct sound_client *c);

/* SV_RING for the stream whose geometry is known: the driver's new ring, the client's. */
int nookd_sound_send_ring(struct sound_client *c)
{
	struct nook_snd_req q = { .op = NOOK_SND_SV_RING };
	int fds[3], r = driver_ring_new(c, fds);

	if (r < 0)
		return r;
	r = nookd_sound_driver_send(c, &q, fds, 3);
	close(fds[0]);
	close(fds[2]);
	return r;
}

/* The driver answered a client's request. */
static void forward_done(struct sound_client *c, struct nook_snd_reply *a)
{
	struct nookd_sound *s = c->card;
	int fds[2], n_fds = 0, r;

	if (c->sent_op == NOOK_SND_PCM_HW_PARAMS && a->err == 0) {
		r = nookd_sound_take_geometry(c, &a->hw_params, false);
		if (r == 0)
			r = nookd_sound_send_ring(c);
		if (r == 0) {
			c->held = malloc(sizeof(*a));
			if (c->held) {
				*c->held = *a;
				return; /* the client's answer waits for the driver's to SV_RING */
			}
			r = -ENOMEM;
		}
		rings_free(c);
		a->err = r;
	}
	if (c->sent_op == NOOK_SND_SV_RING) {
		struct nook_snd_reply *held = c->held;

		c->held = NULL;
		if (a->err < 0) {
			held->err = a->err;
			rings_free(c);
		} else {
			fds[0] = c->cmem;
			fds[1] = c->cwake_peer;
			n_fds = 2;
		}
		*a = *held;
		free(held);
	}
	switch (c->req.op) {
	case NOOK_SND_PCM_OPEN:
		if (a->err == 0 && nook_snd_caps_check(&a->pcm_caps) < 0) {
			/* Restarted for it: the request waits, and goes again to the next one. */
			c->sent = true;
			misbehaved(s, "described a PCM stream with impossible limits");
			return;
		}
		break;
	case NOOK_SND_PCM_HW_PARAMS:
		nook_stall_clock_init(&c->clock);
		break;
	case NOOK_SND_PCM_START:
		if (a->err == 0) {
			nook_stall_clock_start(&c->clock, loop_ms(s));
			c->moved_at = ev_now(s->loop);
		}
		break;
	case NOOK_SND_PCM_PREPARE:
		if (a->err == 0 && c->cring) {
			atomic_store(&c->cring->appl_ptr, 0);
			atomic_store(&c->cring->hw_ptr, 0);
			atomic_store(&c->cring->state, NOOK_SND_STATE_PREPARED);
			c->published = 0;
		}
		break;
	case NOOK_SND_PCM_HW_FREE:
	case NOOK_SND_PCM_CLOSE:
		if (a->err == 0)
			rings_free(c);
		break;
	case NOOK_SND_CTL_WRITE:
		if (a->err == 0 && nook_sound_shadow_record_ctl(&s->shadow, &c->req.ctl_value) < 0)
			nookd_sound_log(s, "cannot record a control's value: out of memory");
		break;
	}
	nook_sound_stream_record(&c->shadow, &c->req, a);
	a->op = c->req.op;
	a->seq = c->req.seq;
	c->has_req = false;
	client_reply(c, a, n_fds ? fds : NULL, (unsigned int)n_fds);
	fd_close(&c->cwake_peer); /* the client's now: nookd keeps only its own end */
}

static void on_driver_reply(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sound_client *c = w->data;
	struct nook_snd_reply a;
	int r = nook_snd_recv(c->drv, &a, sizeof(a), NULL, 0);

	if (r == -EAGAIN || r == -EINTR)
		return;
	if (r < 0) {
		/* The driver went; nookd_sound_driver_gone() sorts the rest out. */
		ev_io_stop(loop, w);
		return;
	}
	if (r != sizeof(a) || !c->sent || a.seq != c->seq || a.op != c->sent_op) {
		misbehaved(c->card, "answered a request it was not asked");
		ev_io_stop(loop, w);
		ev_timer_stop(loop, &c->reply_timer); /* one verdict is enough */
		return;
	}
	c->sent = false;
	ev_timer_stop(loop, &c->reply_timer);
	if (c->replaying)
		nookd_sound_replay_done(c, &a);
	else
		forward_done(c, &a);
	if (c->dead)
		client_free(c);
}

/* --- clients */

static void client_reply(struct sound_client *c, struct nook_snd_reply *a, const int *fds,
			 unsigned int n)
{
	if (c->fd < 0)
		return;
	if (nook_snd_send(c->fd, a, sizeof(*a), fds, n) < 0) {
		nookd_sound_log(c->card, "a client stopped listening; dropping it");
		c->dead = true; /* freed once out of this call chain */
		return;
	}
	ev_io_start(c->card->loop, &c->io);
}

/* Pass the client's waiting request to the driver, if one is there to take it. */
void nookd_sound_try_send(struct sound_client *c)
{
	if (!c->has_req || c->sent || c->replaying || c->drv < 0 || c->card->phase != CARD_UP)
		return;
	if (nookd_sound_driver_send(c, &c->req, NULL, 0) < 0)
		nookd_sound_log(c->card, "cannot pass a request to the driver: %m");
}

static void client_free(struct sound_client *c)
{
	struct nookd_sound *s = c->card;
	bool a_client = c != s->controls;

	for (struct sound_client **p = &s->clients; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	ev_io_stop(s->loop, &c->io);
	ev_io_stop(s->loop, &c->drv_io);
	ev_timer_stop(s->loop, &c->reply_timer);
	if (c->fd >= 0)
		close(c->fd);
	/* The driver closes the client's stream when its connection goes. */
	if (c->drv >= 0)
		close(c->drv);
	rings_free(c);
	free(c->held);
	free(c);
	/* Its stream, if it was being picked up again, no longer holds the others back. */
	if (a_client)
		nookd_sound_replay_streams_done(s);
}

static void on_client(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sound_client *c = w->data;
	struct nook_snd_reply a = { 0 };
	int r = nook_snd_recv(c->fd, &c->req, sizeof(c->req), NULL, 0);

	if (r == -EAGAIN || r == -EINTR)
		return;
	if (r < 0) {
		client_free(c);
		return;
	}
	a.op = c->req.op;
	a.seq = c->req.seq;
	if (r != sizeof(c->req) || c->req.op < NOOK_SND_HELLO || c->req.op > NOOK_SND_CTL_TLV) {
		a.err = -EOPNOTSUPP;
		client_reply(c, &a, NULL, 0);
		if (c->dead)
			client_free(c);
		return;
	}
	if (c->req.op == NOOK_SND_PCM_PREPARE)
		c->req.prepare.position = 0; /* where a stream starts is nookd's to say */
	/* One request at a time: the next is read once this one is answered. */
	ev_io_stop(loop, w);
	c->has_req = true;
	nookd_sound_try_send(c);
}

/* nookd's connection to the running driver for @c, handed over on the sound channel. */
static int client_connect(struct sound_client *c)
{
	struct nook_snd_req q = { .op = NOOK_SND_SV_CONNECT };
	int sp[2], r;

	if (c->card->channel < 0)
		return -ENOTCONN;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sp) < 0)
		return -errno;
	r = nook_snd_send(c->card->channel, &q, sizeof(q), &sp[1], 1);
	close(sp[1]);
	if (r < 0) {
		close(sp[0]);
		return r;
	}
	c->drv = sp[0];
	ev_io_set(&c->drv_io, c->drv, EV_READ);
	ev_io_start(c->card->loop, &c->drv_io);
	return 0;
}

static struct sound_client *client_new(struct nookd_sound *s, int fd)
{
	struct sound_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->card = s;
	c->fd = fd;
	c->drv = c->cmem = c->cwake = c->cwake_peer = c->dmem = c->dwake = -1;
	ev_io_init(&c->io, on_client, fd, EV_READ);
	ev_io_init(&c->drv_io, on_driver_reply, -1, EV_READ);
	ev_init(&c->d_io, on_driver_ring);
	ev_init(&c->reply_timer, on_reply_timeout);
	c->io.data = c->drv_io.data = c->d_io.data = c->reply_timer.data = c;
	return c;
}

/*
 * Any local user may connect to a card (aplay runs as anyone), so none may take nookd's fds:
 * a user other than root holds at most NOOK_SND_CLIENTS_PER_USER connections to a card, and
 * users other than root NOOK_SND_CLIENTS_MAX together; root's applications always get in.
 */
#define NOOK_SND_CLIENTS_PER_USER 32
#define NOOK_SND_CLIENTS_MAX 256

/* Why a connection from @uid is refused, or NULL when it is taken. */
static const char *over_limit(const struct nookd_sound *s, uid_t uid)
{
	size_t mine = 0, users = 0;

	if (uid == 0)
		return NULL;
	for (const struct sound_client *c = s->clients; c; c = c->next) {
		if (c->uid == 0)
			continue;
		users++;
		mine += c->uid == uid;
	}
	if (mine >= NOOK_SND_CLIENTS_PER_USER)
		return "it holds as many as one user may";
	if (users >= NOOK_SND_CLIENTS_MAX)
		return "users other than root hold as many as nookd takes";
	return NULL;
}

/* A connection refused: said at once, then at most every 10 s with the count. */
static void refused(struct nookd_sound *s, uid_t uid, const char *why)
{
	uint64_t now = loop_ms(s);

	s->refused++;
	if (s->refused_logged_ms && now - s->refused_logged_ms < 10000)
		return;
	nookd_sound_log(s,
			"refused a connection from uid %u: %s (%llu refused so far; each user's "
			"connections are capped at %d)",
			(unsigned int)uid, why, (unsigned long long)s->refused,
			NOOK_SND_CLIENTS_PER_USER);
	s->refused_logged_ms = now ? now : 1;
}

static void on_listen_again(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nookd_sound *s = w->data;

	ev_io_start(loop, &s->listen_io);
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd_sound *s = w->data;
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct sound_client *c;
	const char *why;

	if (fd < 0) {
		if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM)
			return;
		/* The connection waits in the backlog: look again later, not in a spin. */
		nookd_sound_log(s, "cannot take a connection: %m; listening again in 100 ms");
		ev_io_stop(loop, &s->listen_io);
		ev_timer_set(&s->listen_timer, 0.1, 0.0);
		ev_timer_start(loop, &s->listen_timer);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		close(fd);
		return;
	}
	why = over_limit(s, cred.uid);
	if (why) {
		refused(s, cred.uid, why);
		close(fd);
		return;
	}
	c = client_new(s, fd);
	if (!c) {
		close(fd);
		return;
	}
	c->uid = cred.uid;
	c->next = s->clients;
	s->clients = c;
	if (s->channel >= 0 && s->phase != CARD_DOWN && client_connect(c) < 0)
		nookd_sound_log(s, "cannot connect a client to the driver");
	ev_io_start(loop, &c->io);
}

/* --- the card */

int nookd_sound_open(struct ev_loop *loop, const char *bdf, const struct nookd_sound_hooks *hooks,
		     void *ctx, struct nookd_sound **ret, struct nook_err *err)
{
	struct nookd_sound *s = calloc(1, sizeof(*s));

	if (!s)
		return nook_err_set(err, -ENOMEM, "%s: out of memory", bdf);
	s->loop = loop;
	snprintf(s->bdf, sizeof(s->bdf), "%s", bdf);
	s->hooks = *hooks;
	s->ctx = ctx;
	s->channel = -1;
	nook_sound_shadow_init(&s->shadow);
	s->listen_fd = nook_snd_listen(bdf, s->path, sizeof(s->path));
	if (s->listen_fd < 0) {
		int r = s->listen_fd;

		nook_err_set(err, r, "%s: cannot serve the sound card on %s: %s", bdf,
			     *s->path ? s->path : "its socket", strerror(-r));
		free(s);
		return r;
	}
	s->controls = client_new(s, -1);
	if (!s->controls) {
		close(s->listen_fd);
		unlink(s->path);
		free(s);
		return nook_err_set(err, -ENOMEM, "%s: out of memory", bdf);
	}
	ev_io_init(&s->listen_io, on_accept, s->listen_fd, EV_READ);
	ev_init(&s->listen_timer, on_listen_again);
	s->listen_io.data = s->listen_timer.data = s;
	ev_io_start(loop, &s->listen_io);
	*ret = s;
	return 0;
}

const char *nookd_sound_path(const struct nookd_sound *s)
{
	return s->path;
}

int nookd_sound_channel(struct nookd_sound *s)
{
	int sp[2];

	nookd_sound_driver_gone(s);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sp) < 0)
		return -errno;
	s->channel = sp[0];
	return sp[1];
}

void nookd_sound_driver_ready(struct nookd_sound *s)
{
	if (s->channel < 0 || s->phase != CARD_DOWN)
		return;
	if (client_connect(s->controls) < 0) {
		nookd_sound_log(s, "cannot reach the driver's sound channel");
		return;
	}
	for (struct sound_client *k = s->clients; k; k = k->next)
		if (client_connect(k) < 0)
			nookd_sound_log(s, "cannot connect a client to the driver");
	nookd_sound_replay_begin(s);
}

static void client_driver_gone(struct sound_client *c)
{
	ev_io_stop(c->card->loop, &c->drv_io);
	if (c->drv >= 0)
		close(c->drv);
	c->drv = -1;
	/* Whatever was with the driver goes again to the next one: the request, not its steps. */
	c->sent = false;
	ev_timer_stop(c->card->loop, &c->reply_timer);
	free(c->held);
	c->held = NULL;
	c->replaying = false;
	c->await_flow = false;
	if (c->shadow.stage >= NOOK_SOUND_RUNNING && c->stalled_since == 0)
		c->stalled_since = c->last_advance > 0 ? c->last_advance : ev_now(c->card->loop);
	driver_ring_free(c);
	nook_stall_stream_init(&c->stall);
	c->pace.running = false;
}

void nookd_sound_driver_gone(struct nookd_sound *s)
{
	s->phase = CARD_DOWN;
	s->flowed = false;
	if (s->channel >= 0)
		close(s->channel);
	s->channel = -1;
	client_driver_gone(s->controls);
	for (struct sound_client *c = s->clients; c; c = c->next)
		client_driver_gone(c);
}

/* A verdict a ring's sync left for the heartbeat, handed over (once) into @why. */
static bool take_verdict(char *verdict, char *why, size_t len)
{
	if (!*verdict)
		return false;
	snprintf(why, len, "%s", verdict);
	*verdict = '\0';
	return true;
}

bool nookd_sound_stalled(struct nookd_sound *s, uint64_t now_ms, char *why, size_t len)
{
	if (take_verdict(s->stall_why, why, len))
		return true;
	for (struct sound_client *c = s->clients; c; c = c->next) {
		uint32_t rate = c->shadow.params.rate, state;
		uint64_t pos;
		bool running;

		if (!c->dring || c->dead || c->suspect)
			continue;
		if (take_verdict(c->stall_why, why, len))
			return true;
		state = atomic_load(&c->dring->state);
		running = state == NOOK_SND_STATE_RUNNING || state == NOOK_SND_STATE_DRAINING;
		pos = atomic_load(&c->dring->hw_ptr);
		if (nook_stall_stream_check(&c->stall, running, pos,
					    rate ? (uint32_t)((uint64_t)c->period_frames * 1000 /
							      rate) :
						   0,
					    now_ms, why, len) ||
		    nook_stall_pace_check(&c->pace, running, pos, rate, c->period_frames, now_ms,
					  why, len))
			return true;
	}
	return false;
}

void nookd_sound_close(struct nookd_sound *s)
{
	nookd_sound_driver_gone(s);
	while (s->clients) {
		struct sound_client *c = s->clients;

		if (c->cring) {
			atomic_store(&c->cring->state, NOOK_SND_STATE_DISCONNECTED);
			nookd_sound_client_signal(c);
		}
		client_free(c);
	}
	client_free(s->controls);
	ev_io_stop(s->loop, &s->listen_io);
	ev_timer_stop(s->loop, &s->listen_timer);
	close(s->listen_fd);
	unlink(s->path);
	nook_sound_shadow_free(&s->shadow);
	free(s);
}
