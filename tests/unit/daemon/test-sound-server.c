// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/sound-server: nookd serving a supervised sound card. A real libev loop
 * runs the card; a fake driver, written here, takes the client connections nookd hands over
 * its sound channel and answers requests on them as the sound shim would (it maps the rings
 * SV_RING passes, writes hw_ptr and state in its own, and signals its eventfd); the clients
 * speak the sound protocol on the card's socket.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ipc/sound-proto.h"
#include "daemon/sound-server.h"

#define BDF "0000:00:04.0"
#define FORMAT_S16_LE 2
#define RING_DATA_OFFSET 4096u
/* The stream every test sets up: S16_LE stereo, 4 periods of 256 frames. */
#define CHANNELS 2
#define FRAME_BYTES (CHANNELS * 2)
#define PERIOD_FRAMES 256
#define PERIODS 4
#define BUFFER_FRAMES (PERIOD_FRAMES * PERIODS)
#define RING_SIZE 8192 /* 4096 of header, 4096 of frames */

/* ---- the fake driver ---- */

/* What the fake driver was asked, in the order it was asked, over all its connections. */
struct event {
	int conn; /* which connection: the order of their SV_CONNECTs */
	uint32_t op, seq;
	unsigned int n_fds;
	uint64_t position; /* PREPARE */
	struct nook_snd_pcm_open pcm_open;
	struct nook_snd_hw_params hw_params;
	uint32_t ctl_index; /* CTL_WRITE, CTL_READ */
	int64_t ctl_value;  /* CTL_WRITE */
	int ro_map_errno;   /* SV_RING: what mmap(PROT_WRITE) of the first fd failed with */
};

enum fdrv_mode {
	FDRV_ANSWER,	/* as the shim does */
	FDRV_HOLD,	/* take every request, answer none */
	FDRV_WRONG_SEQ, /* answer with a sequence number nookd did not use */
};

#define FDRV_CONNS 8
#define FDRV_EVENTS 64

struct fdrv;

struct fconn {
	struct fdrv *d;
	int idx, fd;
	ev_io io;
	bool gone; /* nookd closed it */
	bool capture;
	unsigned int frame_bytes, buffer_frames, period_frames;
	const struct nook_snd_ring *in; /* the client's ring, read-only */
	struct nook_snd_ring *out;	/* ours */
	size_t size;
	int efd;
	bool holding;
	struct nook_snd_req held;
	int held_fds[NOOK_SND_MAX_FDS];
};

struct fdrv {
	struct ev_loop *loop;
	int channel;
	ev_io chan_io;
	struct fconn *conns[FDRV_CONNS];
	int n_conns;
	struct event ev[FDRV_EVENTS];
	int n_ev;
	enum fdrv_mode mode;
	uint32_t hold_op;    /* hold requests of this op only (0: none) */
	bool bad_geometry;   /* grant a buffer that is not period_frames * periods */
	bool bad_caps;	     /* describe a stream with no channels */
	bool truncate_rings; /* SV_RING: try to truncate our ring first, as a hostile driver */
	int truncate_errno;  /* ... what that failed with (0: it did not) */
	int64_t ctl[8];
};

static size_t ring_bytes(unsigned int frame_bytes, unsigned int buffer_frames)
{
	return (RING_DATA_OFFSET + (size_t)frame_bytes * buffer_frames + 4095) & ~(size_t)4095;
}

static void close_fds(int *fds, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

static void fconn_unmap(struct fconn *c)
{
	if (c->in)
		munmap((void *)c->in, c->size);
	if (c->out)
		munmap(c->out, c->size);
	if (c->efd >= 0)
		close(c->efd);
	c->in = NULL;
	c->out = NULL;
	c->efd = -1;
}

static void fconn_close(struct fconn *c)
{
	if (c->fd < 0)
		return;
	ev_io_stop(c->d->loop, &c->io);
	fconn_unmap(c);
	close_fds(c->held_fds, NOOK_SND_MAX_FDS);
	close(c->fd);
	c->fd = -1;
	c->gone = true;
}

static void fconn_signal(struct fconn *c)
{
	assert_true(c->efd >= 0);
	assert_int_equal(nook_snd_wake(c->efd), 0);
}

/* SV_RING, as the shim's ring_attach: the client's ring read-only, ours read-write. */
static int fconn_attach(struct fconn *c, int *fds)
{
	struct stat st;
	void *in, *out;

	if (!c->period_frames || c->out || fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		return -EBADFD;
	if (c->d->truncate_rings)
		c->d->truncate_errno = ftruncate(fds[1], 0) < 0 ? errno : 0;
	c->size = ring_bytes(c->frame_bytes, c->buffer_frames);
	if (fstat(fds[0], &st) < 0 || (size_t)st.st_size < c->size || fstat(fds[1], &st) < 0 ||
	    (size_t)st.st_size < c->size)
		return -EINVAL;
	in = mmap(NULL, c->size, PROT_READ, MAP_SHARED, fds[0], 0);
	out = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[1], 0);
	assert_true(in != MAP_FAILED);
	assert_true(out != MAP_FAILED);
	c->in = in;
	c->out = out;
	c->out->magic = NOOK_SND_RING_MAGIC;
	c->out->version = NOOK_SND_PROTO_VERSION;
	c->out->stream = c->capture ? NOOK_SND_CAPTURE : NOOK_SND_PLAYBACK;
	c->out->frame_bytes = c->frame_bytes;
	c->out->period_frames = c->period_frames;
	c->out->buffer_frames = c->buffer_frames;
	c->out->data_offset = RING_DATA_OFFSET;
	atomic_store(&c->out->state, NOOK_SND_STATE_SETUP);
	c->efd = fds[2];
	fds[2] = -1;
	return 0;
}

static void fconn_set_state(struct fconn *c, uint32_t state)
{
	atomic_store(&c->out->state, state);
	fconn_signal(c);
}

/* Do @q and answer it, as the shim's serve_task. */
static void fconn_answer(struct fconn *c, const struct nook_snd_req *q, int *fds)
{
	struct fdrv *d = c->d;
	struct nook_snd_reply a;
	int r = 0;

	memset(&a, 0, sizeof(a));
	a.op = q->op;
	a.seq = d->mode == FDRV_WRONG_SEQ ? q->seq + 1000 : q->seq;
	switch (q->op) {
	case NOOK_SND_HELLO:
		a.card.version = NOOK_SND_PROTO_VERSION;
		snprintf(a.card.id, sizeof(a.card.id), "FakeCard");
		snprintf(a.card.driver, sizeof(a.card.driver), "FAKE");
		a.card.n_pcms = 1;
		break;
	case NOOK_SND_PCM_OPEN:
		c->capture = q->pcm_open.stream == NOOK_SND_CAPTURE;
		a.pcm_caps.formats = 1u << FORMAT_S16_LE;
		a.pcm_caps.channels_min = 1;
		a.pcm_caps.channels_max = 2;
		a.pcm_caps.rate_min = 8000;
		a.pcm_caps.rate_max = 48000;
		a.pcm_caps.periods_min = 2;
		a.pcm_caps.periods_max = 16;
		a.pcm_caps.period_bytes_min = 64;
		a.pcm_caps.period_bytes_max = 64 * 1024;
		a.pcm_caps.buffer_bytes_max = 128 * 1024;
		if (d->bad_caps)
			a.pcm_caps.channels_min = 0;
		break;
	case NOOK_SND_PCM_HW_PARAMS:
		fconn_unmap(c);
		a.hw_params = q->hw_params;
		a.hw_params.frame_bytes = q->hw_params.channels * 2;
		a.hw_params.buffer_frames = q->hw_params.period_frames * q->hw_params.periods +
					    (d->bad_geometry ? 1 : 0);
		c->frame_bytes = a.hw_params.frame_bytes;
		c->buffer_frames = a.hw_params.buffer_frames;
		c->period_frames = a.hw_params.period_frames;
		break;
	case NOOK_SND_SV_RING:
		r = fconn_attach(c, fds);
		break;
	case NOOK_SND_PCM_PREPARE:
		if (!c->out) {
			r = -EBADFD;
			break;
		}
		atomic_store(&c->out->hw_ptr, q->prepare.position);
		fconn_set_state(c, NOOK_SND_STATE_PREPARED);
		break;
	case NOOK_SND_PCM_START:
		if (!c->out || atomic_load(&c->out->state) != NOOK_SND_STATE_PREPARED) {
			r = -EBADFD;
			break;
		}
		fconn_set_state(c, NOOK_SND_STATE_RUNNING);
		break;
	case NOOK_SND_PCM_STOP:
	case NOOK_SND_PCM_DRAIN:
		if (c->out)
			fconn_set_state(c, NOOK_SND_STATE_SETUP);
		break;
	case NOOK_SND_PCM_HW_FREE:
	case NOOK_SND_PCM_CLOSE:
		fconn_unmap(c);
		break;
	case NOOK_SND_CTL_COUNT:
		a.ctl_count.count = 8;
		break;
	case NOOK_SND_CTL_READ:
		a.ctl_value.index = q->ctl_ref.index;
		a.ctl_value.values[0] = d->ctl[q->ctl_ref.index % 8];
		break;
	case NOOK_SND_CTL_WRITE:
		a.ctl_value.index = q->ctl_value.index;
		a.ctl_value.changed = d->ctl[q->ctl_value.index % 8] != q->ctl_value.values[0];
		d->ctl[q->ctl_value.index % 8] = q->ctl_value.values[0];
		break;
	default:
		break;
	}
	a.err = r;
	if (fds)
		close_fds(fds, NOOK_SND_MAX_FDS);
	assert_int_equal(nook_snd_send(c->fd, &a, sizeof(a), NULL, 0), 0);
}

static void fconn_on_request(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fconn *c = w->data;
	struct fdrv *d = c->d;
	struct nook_snd_req q;
	struct event *e;
	int fds[NOOK_SND_MAX_FDS], r;

	memset(&q, 0, sizeof(q));
	r = nook_snd_recv(c->fd, &q, sizeof(q), fds, NOOK_SND_MAX_FDS);
	if (r == -EAGAIN || r == -EINTR)
		return;
	if (r < 0) {
		fconn_close(c);
		return;
	}
	assert_int_equal(r, sizeof(q));
	assert_true(d->n_ev < FDRV_EVENTS);
	e = &d->ev[d->n_ev++];
	memset(e, 0, sizeof(*e));
	e->conn = c->idx;
	e->op = q.op;
	e->seq = q.seq;
	for (int i = 0; i < NOOK_SND_MAX_FDS; i++)
		e->n_fds += fds[i] >= 0;
	if (q.op == NOOK_SND_PCM_PREPARE)
		e->position = q.prepare.position;
	if (q.op == NOOK_SND_PCM_OPEN)
		e->pcm_open = q.pcm_open;
	if (q.op == NOOK_SND_PCM_HW_PARAMS)
		e->hw_params = q.hw_params;
	if (q.op == NOOK_SND_CTL_WRITE) {
		e->ctl_index = q.ctl_value.index;
		e->ctl_value = q.ctl_value.values[0];
	}
	if (q.op == NOOK_SND_CTL_READ)
		e->ctl_index = q.ctl_ref.index;
	if (q.op == NOOK_SND_SV_RING && fds[0] >= 0) {
		void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);

		e->ro_map_errno = m == MAP_FAILED ? errno : 0;
		if (m != MAP_FAILED)
			munmap(m, 4096);
	}
	if (d->mode == FDRV_HOLD || (d->hold_op && q.op == d->hold_op)) {
		assert_false(c->holding);
		c->holding = true;
		c->held = q;
		memcpy(c->held_fds, fds, sizeof(fds));
		return;
	}
	fconn_answer(c, &q, fds);
}

/* Answer the request @c holds. */
static void fconn_release(struct fconn *c)
{
	assert_true(c->holding);
	c->holding = false;
	fconn_answer(c, &c->held, c->held_fds);
}

static void fdrv_on_channel(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fdrv *d = w->data;
	struct nook_snd_req q;
	int fd, r;

	while ((r = nook_snd_recv(d->channel, &q, sizeof(q), &fd, 1)) >= 0) {
		struct fconn *c;

		assert_int_equal(r, sizeof(q));
		assert_int_equal(q.op, NOOK_SND_SV_CONNECT);
		assert_true(fd >= 0);
		assert_true(d->n_conns < FDRV_CONNS);
		c = calloc(1, sizeof(*c));
		assert_non_null(c);
		c->d = d;
		c->idx = d->n_conns;
		c->fd = fd;
		c->efd = -1;
		for (int i = 0; i < NOOK_SND_MAX_FDS; i++)
			c->held_fds[i] = -1;
		ev_io_init(&c->io, fconn_on_request, fd, EV_READ);
		c->io.data = c;
		ev_io_start(loop, &c->io);
		d->conns[d->n_conns++] = c;
	}
	if (r != -EAGAIN && r != -EINTR)
		ev_io_stop(loop, w);
}

static struct fdrv *fdrv_new(struct ev_loop *loop, int channel)
{
	struct fdrv *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_true(channel >= 0);
	d->loop = loop;
	d->channel = channel;
	ev_io_init(&d->chan_io, fdrv_on_channel, channel, EV_READ);
	d->chan_io.data = d;
	ev_io_start(loop, &d->chan_io);
	return d;
}

/* The driver process ends: every fd it had closes. */
static void fdrv_free(struct fdrv *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n_conns; i++) {
		fconn_close(d->conns[i]);
		free(d->conns[i]);
	}
	ev_io_stop(d->loop, &d->chan_io);
	close(d->channel);
	free(d);
}

/* The card moved the stream to @hw (and, capturing, recorded its frames there). */
static void fconn_set_hw(struct fconn *c, uint64_t hw)
{
	atomic_store(&c->out->hw_ptr, hw);
	fconn_signal(c);
}

/* ---- the fixture: nookd's card, its loop, its hooks ---- */

static struct {
	struct ev_loop *loop;
	ev_timer tick;
	char dir[64];
	struct nookd_sound *s;
	struct fdrv *drv;
	int n_flowing, n_misbehaved;
	bool hung;
	char why[128];
	/* the stalled hook: how often, the last reason, and whether nookd stops the driver */
	int n_stalled;
	bool stop_on_stall;
	char stall_why[200];
} T;

static void on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
}

static void hook_flowing(void *ctx)
{
	assert_ptr_equal(ctx, &T);
	T.n_flowing++;
}

static void hook_misbehaved(void *ctx, const char *why, bool hung)
{
	assert_ptr_equal(ctx, &T);
	T.n_misbehaved++;
	T.hung = hung;
	snprintf(T.why, sizeof(T.why), "%s", why);
}

static bool hook_stalled(void *ctx, const char *why)
{
	assert_ptr_equal(ctx, &T);
	T.n_stalled++;
	snprintf(T.stall_why, sizeof(T.stall_why), "%s", why);
	return T.stop_on_stall;
}

static const struct nookd_sound_hooks hooks = {
	.flowing = hook_flowing,
	.misbehaved = hook_misbehaved,
	.stalled = hook_stalled,
};

static int setup(void **state)
{
	struct nook_err err = { 0 };

	memset(&T, 0, sizeof(T));
	snprintf(T.dir, sizeof(T.dir), "/tmp/nook-sound-server-XXXXXX");
	if (!mkdtemp(T.dir))
		return -1;
	setenv("NOOK_SOUND_DIR", T.dir, 1);
	T.loop = ev_loop_new(EVFLAG_AUTO);
	if (!T.loop)
		return -1;
	/* EVRUN_ONCE returns at least this often, so the pumps can watch their deadlines. */
	ev_timer_init(&T.tick, on_tick, 0.005, 0.005);
	ev_timer_start(T.loop, &T.tick);
	if (nookd_sound_open(T.loop, BDF, &hooks, &T, &T.s, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	fdrv_free(T.drv);
	T.drv = NULL;
	if (T.s)
		nookd_sound_close(T.s);
	T.s = NULL;
	ev_timer_stop(T.loop, &T.tick);
	ev_loop_destroy(T.loop);
	rmdir(T.dir);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run the loop until @cond holds (true) or @timeout seconds have passed (false). */
static bool pump_until(bool (*cond)(void *), void *arg, double timeout)
{
	double end = now() + timeout;

	for (;;) {
		if (cond && cond(arg))
			return true;
		if (now() >= end)
			return false;
		ev_run(T.loop, EVRUN_ONCE);
	}
}

static void pump(double seconds)
{
	pump_until(NULL, NULL, seconds);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static bool fd_readable(void *arg)
{
	return readable(*(int *)arg);
}

static bool drv_has_events(void *arg)
{
	return T.drv && T.drv->n_ev >= *(int *)arg;
}

static bool drv_has_conns(void *arg)
{
	return T.drv && T.drv->n_conns >= *(int *)arg;
}

static bool misbehaved_n(void *arg)
{
	return T.n_misbehaved >= *(int *)arg;
}

static bool stalled_n(void *arg)
{
	return T.n_stalled >= *(int *)arg;
}

static bool flowing_n(void *arg)
{
	return T.n_flowing >= *(int *)arg;
}

/* A new incarnation takes the card. */
static void driver_start(void)
{
	int one = 1;

	assert_null(T.drv);
	T.drv = fdrv_new(T.loop, nookd_sound_channel(T.s));
	nookd_sound_driver_ready(T.s);
	/* the card's own connection (the controls' replay) comes first */
	assert_true(pump_until(drv_has_conns, &one, 2));
}

/* The incarnation dies (its process and so its fds first), and nookd is told. */
static void driver_kill(void)
{
	fdrv_free(T.drv);
	T.drv = NULL;
	nookd_sound_driver_gone(T.s);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* ---- the client side ---- */

struct cli {
	int fd;
	int mem, efd;
	struct nook_snd_ring *ring;
	uint32_t seq;
};

static void cli_connect(struct cli *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(c, 0, sizeof(*c));
	c->mem = c->efd = -1;
	c->seq = 0x5e0000;
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	assert_true(c->fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", nookd_sound_path(T.s));
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static void cli_close(struct cli *c)
{
	if (c->ring)
		munmap(c->ring, RING_SIZE);
	if (c->mem >= 0)
		close(c->mem);
	if (c->efd >= 0)
		close(c->efd);
	if (c->fd >= 0)
		close(c->fd);
	c->ring = NULL;
	c->fd = c->mem = c->efd = -1;
}

/* Send @q under the client's next sequence number, which is returned. */
static uint32_t cli_send(struct cli *c, struct nook_snd_req *q)
{
	q->seq = ++c->seq;
	assert_int_equal(nook_snd_send(c->fd, q, sizeof(*q), NULL, 0), 0);
	return q->seq;
}

static void cli_send_op(struct cli *c, uint32_t op)
{
	struct nook_snd_req q;

	memset(&q, 0, sizeof(q));
	q.op = op;
	cli_send(c, &q);
}

/* The reply to the client's last request: its op and sequence number, its fds in @fds. */
static void cli_reply(struct cli *c, uint32_t op, struct nook_snd_reply *a, int *fds)
{
	int tmp[2];

	assert_true(pump_until(fd_readable, &c->fd, 3));
	assert_int_equal(nook_snd_recv(c->fd, a, sizeof(*a), fds ? fds : tmp, 2), sizeof(*a));
	if (!fds)
		close_fds(tmp, 2);
	assert_int_equal(a->op, op);
	assert_int_equal(a->seq, c->seq);
}

/* A request answered with err 0 and no fds. */
static void cli_call(struct cli *c, struct nook_snd_req *q, struct nook_snd_reply *a)
{
	int fds[2];

	cli_send(c, q);
	cli_reply(c, q->op, a, fds);
	assert_int_equal(a->err, 0);
	assert_int_equal(fds[0], -1);
	assert_int_equal(fds[1], -1);
}

static void cli_call_op(struct cli *c, uint32_t op)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	memset(&q, 0, sizeof(q));
	q.op = op;
	cli_call(c, &q, &a);
}

static void open_req(struct nook_snd_req *q, uint32_t stream)
{
	memset(q, 0, sizeof(*q));
	q->op = NOOK_SND_PCM_OPEN;
	q->pcm_open.device = 0;
	q->pcm_open.stream = stream;
}

static void cli_open(struct cli *c, uint32_t stream)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	open_req(&q, stream);
	cli_call(c, &q, &a);
	assert_int_equal(a.pcm_caps.channels_max, 2);
	assert_int_equal(a.pcm_caps.rate_max, 48000);
}

static void hw_params_req(struct nook_snd_req *q)
{
	memset(q, 0, sizeof(*q));
	q->op = NOOK_SND_PCM_HW_PARAMS;
	q->hw_params.format = FORMAT_S16_LE;
	q->hw_params.channels = CHANNELS;
	q->hw_params.rate = 48000;
	q->hw_params.period_frames = PERIOD_FRAMES;
	q->hw_params.periods = PERIODS;
}

/* HW_PARAMS's reply: the geometry, and the ring and eventfd, which the client maps. */
static void cli_take_ring(struct cli *c, const struct nook_snd_reply *a, const int *fds)
{
	struct stat st;
	void *m;

	assert_int_equal(a->err, 0);
	assert_int_equal(a->hw_params.frame_bytes, FRAME_BYTES);
	assert_int_equal(a->hw_params.buffer_frames, BUFFER_FRAMES);
	assert_int_equal(a->hw_params.period_frames, PERIOD_FRAMES);
	assert_int_equal(a->hw_params.periods, PERIODS);
	assert_true(fds[0] >= 0);
	assert_true(fds[1] >= 0);
	assert_int_equal(fstat(fds[0], &st), 0);
	assert_int_equal(st.st_size, RING_SIZE);
	m = mmap(NULL, RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	assert_true(m != MAP_FAILED);
	c->mem = fds[0];
	c->efd = fds[1];
	c->ring = m;
}

static void cli_hw_params(struct cli *c)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int fds[2];

	hw_params_req(&q);
	cli_send(c, &q);
	cli_reply(c, NOOK_SND_PCM_HW_PARAMS, &a, fds);
	cli_take_ring(c, &a, fds);
}

/* Wait for a wake-up of the client's and take it (and any others waiting): 1. */
static int cli_wait_signal(struct cli *c)
{
	assert_true(pump_until(fd_readable, &c->efd, 2));
	return nook_snd_wake_take(c->efd);
}

static void cli_drain_signal(struct cli *c)
{
	while (nook_snd_wake_take(c->efd) > 0)
		;
}

struct state_wait {
	struct cli *c;
	uint32_t state;
};

static bool ring_in_state(void *arg)
{
	struct state_wait *w = arg;

	return atomic_load(&w->c->ring->state) == w->state;
}

/* Wait until the client's ring shows @state. */
static void cli_wait_state(struct cli *c, uint32_t state)
{
	struct state_wait w = { c, state };

	assert_true(pump_until(ring_in_state, &w, 2));
	assert_int_equal(atomic_load(&c->ring->state), state);
}

/* The driver reports position @hw: wait for nookd to signal the client. */
static void publish(struct cli *c, struct fconn *fc, uint64_t hw)
{
	cli_drain_signal(c);
	fconn_set_hw(fc, hw);
	assert_true(cli_wait_signal(c) >= 1);
}

static void cli_write_ctl(struct cli *c, uint32_t index, int64_t value)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	memset(&q, 0, sizeof(q));
	q.op = NOOK_SND_CTL_WRITE;
	q.ctl_value.index = index;
	q.ctl_value.values[0] = value;
	cli_call(c, &q, &a);
	assert_int_equal(a.ctl_value.index, index);
	assert_int_equal(a.ctl_value.changed, 1);
}

/* The fake driver's connection a request of @op last came on. */
static struct fconn *conn_of(struct fdrv *d, uint32_t op)
{
	for (int i = d->n_ev - 1; i >= 0; i--)
		if (d->ev[i].op == op)
			return d->conns[d->ev[i].conn];
	fail_msg("the driver was not asked op %u", op);
	return NULL;
}

/* A playback or capture stream, prepared and running; the driver's connection for it. */
static struct fconn *cli_running(struct cli *c, uint32_t stream)
{
	struct fconn *fc;

	cli_open(c, stream);
	cli_hw_params(c);
	fc = conn_of(T.drv, NOOK_SND_SV_RING);
	cli_call_op(c, NOOK_SND_PCM_PREPARE);
	assert_int_equal(atomic_load(&c->ring->state), NOOK_SND_STATE_PREPARED);
	assert_int_equal(atomic_load(&c->ring->hw_ptr), 0);
	assert_int_equal(atomic_load(&fc->out->hw_ptr), 0);
	cli_call_op(c, NOOK_SND_PCM_START);
	cli_wait_state(c, NOOK_SND_STATE_RUNNING);
	cli_drain_signal(c);
	return fc;
}

static void assert_event(const struct event *e, int conn, uint32_t op, unsigned int n_fds)
{
	assert_int_equal(e->conn, conn);
	assert_int_equal(e->op, op);
	assert_int_equal(e->n_fds, n_fds);
}

/* ---- 1. requests wait for a driver ---- */

static void test_hello_waits_for_driver(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;

	cli_connect(&c);
	memset(&q, 0, sizeof(q));
	q.op = NOOK_SND_HELLO;
	c.seq = 0x41410000;
	cli_send(&c, &q);
	pump(0.2);
	assert_false(readable(c.fd));

	/* A new incarnation is starting, but has not taken the card: still nothing. */
	T.drv = fdrv_new(T.loop, nookd_sound_channel(T.s));
	pump(0.2);
	assert_false(readable(c.fd));
	assert_int_equal(T.drv->n_conns, 0);
	assert_int_equal(T.drv->n_ev, 0);

	nookd_sound_driver_ready(T.s);
	cli_reply(&c, NOOK_SND_HELLO, &a, NULL);
	assert_int_equal(a.seq, 0x41410001);
	assert_int_equal(a.err, 0);
	assert_int_equal(a.card.version, NOOK_SND_PROTO_VERSION);
	assert_string_equal(a.card.id, "FakeCard");
	assert_int_equal(a.card.n_pcms, 1);
	/* The card's own connection, then the client's, which carried the HELLO. */
	assert_int_equal(T.drv->n_conns, 2);
	assert_int_equal(T.drv->n_ev, 1);
	assert_event(&T.drv->ev[0], 1, NOOK_SND_HELLO, 0);
	/* The driver saw nookd's sequence number, not the client's. */
	assert_int_not_equal(T.drv->ev[0].seq, 0x41410001);
	pump(0.1);
	assert_false(readable(c.fd));
	cli_close(&c);
}

/* ---- 2. HW_PARAMS: the rings ---- */

static void test_hw_params_rings(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	struct fconn *fc;
	int fds[2], three = 3;

	driver_start();
	cli_connect(&c);
	cli_open(&c, NOOK_SND_PLAYBACK);
	/* The client's answer waits for the driver's to SV_RING. */
	T.drv->hold_op = NOOK_SND_SV_RING;
	hw_params_req(&q);
	cli_send(&c, &q);
	assert_true(pump_until(drv_has_events, &three, 2));
	pump(0.2);
	assert_false(readable(c.fd));
	assert_int_equal(T.drv->n_ev, 3);
	assert_event(&T.drv->ev[0], 1, NOOK_SND_PCM_OPEN, 0);
	assert_event(&T.drv->ev[1], 1, NOOK_SND_PCM_HW_PARAMS, 0);
	assert_int_equal(T.drv->ev[1].hw_params.format, FORMAT_S16_LE);
	assert_int_equal(T.drv->ev[1].hw_params.channels, CHANNELS);
	assert_int_equal(T.drv->ev[1].hw_params.rate, 48000);
	assert_int_equal(T.drv->ev[1].hw_params.period_frames, PERIOD_FRAMES);
	assert_int_equal(T.drv->ev[1].hw_params.periods, PERIODS);
	assert_event(&T.drv->ev[2], 1, NOOK_SND_SV_RING, 3);
	/* The client's ring is the driver's read-only. */
	assert_int_equal(T.drv->ev[2].ro_map_errno, EACCES);

	fc = T.drv->conns[1];
	fconn_release(fc);
	cli_reply(&c, NOOK_SND_PCM_HW_PARAMS, &a, fds);
	cli_take_ring(&c, &a, fds);
	assert_int_equal(c.ring->magic, NOOK_SND_RING_MAGIC);
	assert_int_equal(c.ring->version, NOOK_SND_PROTO_VERSION);
	assert_int_equal(c.ring->stream, NOOK_SND_PLAYBACK);
	assert_int_equal(c.ring->frame_bytes, FRAME_BYTES);
	assert_int_equal(c.ring->period_frames, PERIOD_FRAMES);
	assert_int_equal(c.ring->buffer_frames, BUFFER_FRAMES);
	assert_int_equal(c.ring->data_offset, RING_DATA_OFFSET);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_SETUP);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 0);
	assert_int_equal(atomic_load(&c.ring->appl_ptr), 0);

	/* The driver maps the same memory: what the client writes, it reads. */
	assert_non_null(fc->in);
	assert_ptr_not_equal((void *)fc->in, (void *)c.ring);
	assert_memory_equal(fc->in, c.ring, offsetof(struct nook_snd_ring, hw_ptr));
	atomic_store(&c.ring->appl_ptr, 777);
	memset((uint8_t *)c.ring + RING_DATA_OFFSET + 10 * FRAME_BYTES, 0x5a, FRAME_BYTES);
	assert_int_equal(atomic_load(&((struct nook_snd_ring *)fc->in)->appl_ptr), 777);
	assert_int_equal(((const uint8_t *)fc->in)[RING_DATA_OFFSET + 10 * FRAME_BYTES], 0x5a);
	assert_int_equal(((const uint8_t *)fc->in)[RING_DATA_OFFSET + 10 * FRAME_BYTES + 3], 0x5a);
	/* and its own ring is another, of the same size */
	assert_non_null(fc->out);
	assert_int_equal(atomic_load(&fc->out->appl_ptr), 0);

	/* The client's eventfd is the one nookd signals: the driver's state change reaches it. */
	cli_call_op(&c, NOOK_SND_PCM_PREPARE);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_PREPARED);
	assert_int_equal(atomic_load(&c.ring->appl_ptr), 0);
	assert_true(cli_wait_signal(&c) >= 1);
	cli_close(&c);
}

/* ---- 3. positions ---- */

static void test_playback_position_checked(void **state)
{
	struct cli c;
	struct fconn *fc;

	driver_start();
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	atomic_store(&c.ring->appl_ptr, 600);

	publish(&c, fc, 256);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 256);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_RUNNING);

	/* back: stays */
	publish(&c, fc, 100);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 256);

	/* past what the client wrote: to what it wrote */
	publish(&c, fc, 700);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 600);

	/* more than a buffer ahead of the last position: a buffer ahead */
	atomic_store(&c.ring->appl_ptr, 5000);
	publish(&c, fc, 600 + BUFFER_FRAMES + 500);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 600 + BUFFER_FRAMES);

	/* a sane step from there is taken as it is */
	publish(&c, fc, 600 + BUFFER_FRAMES + 300);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 600 + BUFFER_FRAMES + 300);

	/* xruns and state go through */
	atomic_store(&fc->out->xruns, 2);
	cli_drain_signal(&c);
	fconn_set_state(fc, NOOK_SND_STATE_XRUN);
	cli_wait_signal(&c);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_XRUN);
	assert_int_equal(atomic_load(&c.ring->xruns), 2);
	assert_int_equal(T.n_flowing, 1); /* its first period: the incarnation plays */
	assert_int_equal(T.n_misbehaved, 0);
	cli_close(&c);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * A driver whose pointer reads are wrong (a card gone reads all ones) moves the position a
 * buffer at a stroke, run after run: the client's sound is cut short. nookd's clock of the
 * stream catches it at the next heartbeat; a position moving at the card's rate does not.
 */
static void test_position_ahead_of_the_clock_is_a_stall(void **state)
{
	struct cli c;
	struct fconn *fc;
	char why[200];
	uint64_t hw = 0;

	driver_start();
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	atomic_store(&c.ring->appl_ptr, 1000000);
	publish(&c, fc, PERIOD_FRAMES);
	assert_false(nookd_sound_stalled(T.s, mono_ms(), why, sizeof(why)));
	for (int i = 0; i < 8; i++) {
		hw += BUFFER_FRAMES;
		publish(&c, fc, hw);
	}
	assert_true(nookd_sound_stalled(T.s, mono_ms(), why, sizeof(why)));
	assert_non_null(strstr(why, "ran ahead of its card's clock"));
	/* said once */
	assert_false(nookd_sound_stalled(T.s, mono_ms(), why, sizeof(why)));
	cli_close(&c);
}

/*
 * The driver says the stream ran dry, run after run, before its position moved once; and
 * the card's count goes on from one application to the next (each aplay of a card gone
 * runs dry once or twice before it gives up).
 */
static void test_dry_runs_are_a_stall(void **state)
{
	struct cli c;
	struct fconn *fc;
	char why[200];

	driver_start();
	for (int app = 0; app < 2; app++) {
		cli_connect(&c);
		fc = cli_running(&c, NOOK_SND_PLAYBACK);
		for (uint32_t x = 1; x <= (app ? 1 : 2); x++) {
			cli_drain_signal(&c);
			atomic_store(&fc->out->xruns, x);
			fconn_set_state(fc, NOOK_SND_STATE_XRUN);
			cli_wait_signal(&c);
			assert_int_equal(app == 0,
					 !nookd_sound_stalled(T.s, mono_ms(), why, sizeof(why)));
		}
		cli_close(&c);
		pump(0.1);
	}
	assert_non_null(strstr(why, "ran dry 3 times"));
}

/* A playback stream under nookd's judgement: @appl frames written, a period played. */
static struct fconn *judged_playback(struct cli *c, uint64_t appl)
{
	struct fconn *fc = cli_running(c, NOOK_SND_PLAYBACK);

	atomic_store(&c->ring->appl_ptr, appl);
	publish(c, fc, PERIOD_FRAMES);
	cli_drain_signal(c);
	return fc;
}

/*
 * A pointer read of all ones moves a position far further than the card plays (48 kHz):
 * the driver is stopped for it, and the client sees neither the leap nor the xrun that
 * follows: its stream waits at the last true position, which the next incarnation starts
 * from. A driver that is not stopped for it (under a debugger) is passed on as before.
 */
static void test_leap_is_kept_from_the_client(void **state)
{
	struct cli c;
	struct fconn *fc;

	T.stop_on_stall = true;
	driver_start();
	cli_connect(&c);
	fc = judged_playback(&c, BUFFER_FRAMES);
	fconn_set_hw(fc, PERIOD_FRAMES + 100000);
	assert_true(pump_until(stalled_n, &(int){ 1 }, 2));
	assert_non_null(strstr(T.stall_why, "position jumped 100000 frames in "));
	atomic_store(&fc->out->xruns, 1);
	fconn_set_state(fc, NOOK_SND_STATE_XRUN);
	pump(0.05);
	assert_int_equal(T.n_stalled, 1);
	assert_false(readable(c.efd));
	assert_int_equal(atomic_load(&c.ring->hw_ptr), PERIOD_FRAMES);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_RUNNING);
	assert_int_equal(atomic_load(&c.ring->xruns), 0);

	/* The next incarnation starts at the true position, and is believed again. */
	driver_kill();
	driver_start();
	assert_true(pump_until(drv_has_events, &(int){ 5 }, 3));
	fc = conn_of(T.drv, NOOK_SND_PCM_START);
	assert_int_equal(atomic_load(&fc->out->hw_ptr), PERIOD_FRAMES);
	publish(&c, fc, 2 * PERIOD_FRAMES);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 2 * PERIOD_FRAMES);
	assert_int_equal(T.n_stalled, 1);
	cli_close(&c);

	/* under a debugger: the leap goes through, clamped to what the client wrote */
	T.stop_on_stall = false;
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	atomic_store(&c.ring->appl_ptr, BUFFER_FRAMES);
	publish(&c, fc, 100000);
	assert_int_equal(T.n_stalled, 2);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), BUFFER_FRAMES);
	cli_close(&c);
}

/*
 * The driver says the stream ran dry while the client's buffer was full: the card cannot
 * have played it since the position last moved; the client's stream waits. A client that
 * let its queue run out, and whose position reached the end of it, runs dry itself.
 */
static void test_xrun_the_client_did_not_cause_is_kept_from_it(void **state)
{
	struct cli c;
	struct fconn *fc;

	T.stop_on_stall = true;
	driver_start();
	cli_connect(&c);
	fc = judged_playback(&c, 100000); /* far more than the card plays in the test */
	atomic_store(&fc->out->xruns, 1);
	fconn_set_state(fc, NOOK_SND_STATE_XRUN);
	assert_true(pump_until(stalled_n, &(int){ 1 }, 2));
	assert_non_null(strstr(T.stall_why, "ran dry"));
	assert_non_null(strstr(T.stall_why, "the application kept up"));
	pump(0.05);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_RUNNING);
	assert_int_equal(atomic_load(&c.ring->xruns), 0);
	cli_close(&c);
	pump(0.1);
	driver_kill();

	driver_start();
	cli_connect(&c);
	fc = judged_playback(&c, 2 * PERIOD_FRAMES);
	atomic_store(&fc->out->hw_ptr, 2 * PERIOD_FRAMES);
	atomic_store(&fc->out->xruns, 1);
	fconn_set_state(fc, NOOK_SND_STATE_XRUN);
	cli_wait_state(&c, NOOK_SND_STATE_XRUN);
	assert_int_equal(atomic_load(&c.ring->xruns), 1);
	assert_int_equal(T.n_stalled, 1);
	cli_close(&c);
}

/* As nobody, open 40 connections to the card; exit with how many nookd keeps open. */
static void nobody_connects(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fds[40], open_n = 0;

	if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
		_exit(200);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", nookd_sound_path(T.s));
	for (int i = 0; i < 40; i++) {
		fds[i] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)) < 0)
			_exit(201);
	}
	/* those nookd refuses it closes at once: wait for them (2 s at most) */
	for (int tries = 0; tries < 200; tries++) {
		open_n = 0;
		for (int i = 0; i < 40; i++) {
			struct pollfd p = { .fd = fds[i], .events = POLLIN };

			open_n += !(poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLIN)));
		}
		if (open_n <= 32)
			break;
		usleep(10000);
	}
	usleep(200000); /* and no more than those */
	open_n = 0;
	for (int i = 0; i < 40; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		open_n += !(poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLIN)));
	}
	_exit(open_n);
}

/*
 * Any user may connect to a card, so one user opening connection after connection must not
 * take nookd's fds: it keeps 32 of them and closes the rest at once; root still gets in.
 */
static void test_one_user_cannot_take_every_connection(void **state)
{
	struct pollfd p;
	struct cli c;
	int status = 0;
	pid_t pid;

	if (geteuid() != 0)
		skip();
	assert_int_equal(chmod(T.dir, 0755), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		nobody_connects();
	for (double end = now() + 10; now() < end && waitpid(pid, &status, WNOHANG) == 0;)
		pump(0.01);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 32);
	cli_connect(&c);
	pump(0.1);
	p = (struct pollfd){ .fd = c.fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 0), 0); /* taken, not closed */
	cli_close(&c);
}

static uint8_t pattern(uint64_t frame, unsigned int byte)
{
	return (uint8_t)(frame * 7 + byte * 31 + 1);
}

static void driver_capture(struct fconn *fc, uint64_t from, uint64_t to)
{
	for (uint64_t f = from; f < to; f++)
		for (unsigned int b = 0; b < FRAME_BYTES; b++)
			((uint8_t *)fc
				 ->out)[RING_DATA_OFFSET + (f % BUFFER_FRAMES) * FRAME_BYTES + b] =
				pattern(f, b);
}

static void assert_captured(const struct cli *c, uint64_t from, uint64_t to)
{
	for (uint64_t f = from; f < to; f++)
		for (unsigned int b = 0; b < FRAME_BYTES; b++)
			assert_int_equal(((const uint8_t *)
						  c->ring)[RING_DATA_OFFSET +
							   (f % BUFFER_FRAMES) * FRAME_BYTES + b],
					 pattern(f, b));
}

static void test_capture_frames_copied(void **state)
{
	struct cli c;
	struct fconn *fc;
	const uint8_t *data;

	driver_start();
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_CAPTURE);
	assert_int_equal(c.ring->stream, NOOK_SND_CAPTURE);
	data = (const uint8_t *)c.ring + RING_DATA_OFFSET;

	/* Capturing, the position runs ahead of the client's (it reads behind). */
	driver_capture(fc, 0, 300);
	publish(&c, fc, 300);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 300);
	assert_captured(&c, 0, 300);
	/* what the card has not captured yet is not copied */
	for (size_t i = 300 * FRAME_BYTES; i < BUFFER_FRAMES * FRAME_BYTES; i++)
		assert_int_equal(data[i], 0);

	/* across the end of the buffer */
	atomic_store(&c.ring->appl_ptr, 300);
	driver_capture(fc, 300, 1100);
	publish(&c, fc, 1100);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1100);
	assert_captured(&c, 300, 1100);

	/* A position going back copies nothing. */
	memset((uint8_t *)fc->out + RING_DATA_OFFSET, 0xee, BUFFER_FRAMES * FRAME_BYTES);
	publish(&c, fc, 200);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1100);
	assert_captured(&c, 300, 1100);
	cli_close(&c);
}

/* ---- 4. recovery ---- */

static bool ring_running_until_events(void *arg)
{
	struct cli *c = arg;

	if (atomic_load(&c->ring->state) != NOOK_SND_STATE_RUNNING)
		fail_msg("the client's stream was seen in state %u",
			 (unsigned int)atomic_load(&c->ring->state));
	return T.drv && T.drv->n_ev >= 6;
}

static void test_recovery_replays_stream_and_controls(void **state)
{
	struct cli c, mixer;
	struct fconn *fc;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	struct event *e;
	int fds[2];

	driver_start();
	cli_connect(&mixer);
	cli_write_ctl(&mixer, 3, 42);
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	atomic_store(&c.ring->appl_ptr, 2000);
	publish(&c, fc, 512);
	publish(&c, fc, 1000);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1000);
	assert_int_equal(T.n_flowing, 1); /* once for the incarnation */
	T.n_flowing = 0;

	driver_kill();
	pump(0.1);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_RUNNING);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1000);
	cli_drain_signal(&c);

	T.drv = fdrv_new(T.loop, nookd_sound_channel(T.s));
	nookd_sound_driver_ready(T.s);
	assert_true(pump_until(ring_running_until_events, &c, 3));
	pump(0.1);
	ring_running_until_events(&c);
	/* The card's connection, then the clients' (newest first): the stream's is 1. */
	assert_int_equal(T.drv->n_conns, 3);
	assert_int_equal(T.drv->n_ev, 6);
	e = T.drv->ev;
	assert_event(&e[0], 1, NOOK_SND_PCM_OPEN, 0);
	assert_int_equal(e[0].pcm_open.device, 0);
	assert_int_equal(e[0].pcm_open.stream, NOOK_SND_PLAYBACK);
	assert_event(&e[1], 1, NOOK_SND_PCM_HW_PARAMS, 0);
	assert_int_equal(e[1].hw_params.format, FORMAT_S16_LE);
	assert_int_equal(e[1].hw_params.channels, CHANNELS);
	assert_int_equal(e[1].hw_params.rate, 48000);
	assert_int_equal(e[1].hw_params.period_frames, PERIOD_FRAMES);
	assert_int_equal(e[1].hw_params.periods, PERIODS);
	assert_event(&e[2], 1, NOOK_SND_SV_RING, 3);
	assert_int_equal(e[2].ro_map_errno, EACCES);
	assert_event(&e[3], 1, NOOK_SND_PCM_PREPARE, 0);
	assert_int_equal(e[3].position, 1000);
	assert_event(&e[4], 0, NOOK_SND_CTL_WRITE, 0);
	assert_int_equal(e[4].ctl_index, 3);
	assert_int_equal(e[4].ctl_value, 42);
	assert_event(&e[5], 1, NOOK_SND_PCM_START, 0);
	assert_int_equal(T.drv->ctl[3], 42);
	/* The client was told nothing: no reply, its ring as it was. */
	assert_false(readable(c.fd));
	assert_false(readable(mixer.fd));
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1000);
	assert_int_equal(T.n_flowing, 0);

	/* The new incarnation's ring is the new driver's; the client's ring is the same memory. */
	fc = T.drv->conns[1];
	assert_int_equal(atomic_load(&fc->out->hw_ptr), 1000);
	assert_int_equal(atomic_load(&((struct nook_snd_ring *)fc->in)->appl_ptr), 2000);
	/* Its first period ends the recovery. */
	fconn_set_hw(fc, 1000 + PERIOD_FRAMES);
	assert_true(pump_until(flowing_n, &(int){ 1 }, 2));
	assert_int_equal(T.n_flowing, 1);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1000 + PERIOD_FRAMES);
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_RUNNING);
	publish(&c, fc, 1000 + 2 * PERIOD_FRAMES);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 1000 + 2 * PERIOD_FRAMES);
	assert_int_equal(T.n_flowing, 1);

	/* The clients go on with the new incarnation. */
	cli_call_op(&c, NOOK_SND_PCM_STOP);
	cli_wait_state(&c, NOOK_SND_STATE_SETUP);
	memset(&q, 0, sizeof(q));
	q.op = NOOK_SND_CTL_READ;
	q.ctl_ref.index = 3;
	cli_send(&mixer, &q);
	cli_reply(&mixer, NOOK_SND_CTL_READ, &a, fds);
	assert_int_equal(a.err, 0);
	assert_int_equal(a.ctl_value.index, 3);
	assert_int_equal(a.ctl_value.values[0], 42);
	assert_int_equal(T.n_misbehaved, 0);
	cli_close(&c);
	cli_close(&mixer);
}

/* A request that comes while the new incarnation gets the controls' values waits for them. */
static void test_requests_wait_for_controls_replay(void **state)
{
	struct cli mixer, late;
	struct nook_snd_reply a;
	int one = 1;

	driver_start();
	cli_connect(&mixer);
	cli_write_ctl(&mixer, 2, -5);
	driver_kill();

	T.drv = fdrv_new(T.loop, nookd_sound_channel(T.s));
	T.drv->hold_op = NOOK_SND_CTL_WRITE;
	nookd_sound_driver_ready(T.s);
	assert_true(pump_until(drv_has_events, &one, 2));
	assert_event(&T.drv->ev[0], 0, NOOK_SND_CTL_WRITE, 0);
	assert_int_equal(T.drv->ev[0].ctl_index, 2);
	assert_int_equal(T.drv->ev[0].ctl_value, -5);

	cli_connect(&late);
	cli_send_op(&late, NOOK_SND_HELLO);
	cli_send_op(&mixer, NOOK_SND_CTL_COUNT);
	pump(0.2);
	assert_int_equal(T.drv->n_ev, 1);
	assert_false(readable(late.fd));
	assert_false(readable(mixer.fd));

	fconn_release(T.drv->conns[0]);
	cli_reply(&late, NOOK_SND_HELLO, &a, NULL);
	assert_int_equal(a.err, 0);
	cli_reply(&mixer, NOOK_SND_CTL_COUNT, &a, NULL);
	assert_int_equal(a.err, 0);
	assert_int_equal(a.ctl_count.count, 8);
	assert_int_equal(T.drv->n_ev, 3);
	assert_int_equal(T.drv->ctl[2], -5);
	cli_close(&mixer);
	cli_close(&late);
}

/* ---- 5. a request in flight when the driver dies ---- */

static void test_request_in_flight_sent_again(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int one = 1, fds[2];

	driver_start();
	cli_connect(&c);
	T.drv->mode = FDRV_HOLD;
	open_req(&q, NOOK_SND_CAPTURE);
	c.seq = 499;
	cli_send(&c, &q);
	assert_true(pump_until(drv_has_events, &one, 2));
	assert_event(&T.drv->ev[0], 1, NOOK_SND_PCM_OPEN, 0);

	driver_kill();
	pump(0.1);
	assert_false(readable(c.fd));

	driver_start();
	cli_reply(&c, NOOK_SND_PCM_OPEN, &a, fds);
	assert_int_equal(a.seq, 500);
	assert_int_equal(a.err, 0);
	assert_int_equal(a.pcm_caps.channels_max, 2);
	assert_int_equal(fds[0], -1);
	pump(0.2);
	assert_false(readable(c.fd));
	assert_int_equal(T.drv->n_ev, 1);
	assert_event(&T.drv->ev[0], 1, NOOK_SND_PCM_OPEN, 0);
	assert_int_equal(T.drv->ev[0].pcm_open.stream, NOOK_SND_CAPTURE);
	cli_close(&c);
}

/*
 * A driver that describes a stream no card could have (a code fault left its limits
 * unset) is restarted for it, and the client's open is answered by the next one.
 */
static void test_impossible_caps_restart_the_driver(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int fds[2];

	driver_start();
	cli_connect(&c);
	T.drv->bad_caps = true;
	open_req(&q, NOOK_SND_PLAYBACK);
	cli_send(&c, &q);
	pump(0.2);
	assert_int_equal(T.n_misbehaved, 1);
	assert_non_null(strstr(T.why, "impossible limits"));
	assert_false(readable(c.fd));

	driver_kill();
	driver_start();
	cli_reply(&c, NOOK_SND_PCM_OPEN, &a, fds);
	assert_int_equal(a.err, 0);
	assert_int_equal(a.pcm_caps.channels_min, 1);
	cli_close(&c);
}

/* The driver died between HW_PARAMS and its answer to SV_RING: HW_PARAMS goes again. */
static void test_hw_params_in_flight_sent_again(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int three = 3, fds[2];

	driver_start();
	cli_connect(&c);
	cli_open(&c, NOOK_SND_PLAYBACK);
	T.drv->hold_op = NOOK_SND_SV_RING;
	hw_params_req(&q);
	cli_send(&c, &q);
	assert_true(pump_until(drv_has_events, &three, 2));
	assert_event(&T.drv->ev[2], 1, NOOK_SND_SV_RING, 3);

	driver_kill();
	pump(0.1);
	assert_false(readable(c.fd));

	driver_start();
	cli_reply(&c, NOOK_SND_PCM_HW_PARAMS, &a, fds);
	cli_take_ring(&c, &a, fds);
	/* the stream opened again, then the request: once */
	assert_int_equal(T.drv->n_ev, 3);
	assert_event(&T.drv->ev[0], 1, NOOK_SND_PCM_OPEN, 0);
	assert_event(&T.drv->ev[1], 1, NOOK_SND_PCM_HW_PARAMS, 0);
	assert_event(&T.drv->ev[2], 1, NOOK_SND_SV_RING, 3);
	pump(0.2);
	assert_false(readable(c.fd));
	assert_int_equal(T.drv->n_ev, 3);
	/* and the ring works with the new driver */
	atomic_store(&c.ring->appl_ptr, 64);
	assert_int_equal(atomic_load(&((struct nook_snd_ring *)T.drv->conns[1]->in)->appl_ptr), 64);
	cli_close(&c);
}

/* ---- 6. a driver that misbehaves ---- */

static void test_unanswered_request_is_a_hang(void **state)
{
	struct cli c;
	double t0;

	driver_start();
	cli_connect(&c);
	T.drv->mode = FDRV_HOLD;
	t0 = now();
	cli_send_op(&c, NOOK_SND_CTL_COUNT);
	pump(0.7);
	assert_int_equal(T.n_misbehaved, 0);
	assert_true(pump_until(misbehaved_n, &(int){ 1 }, 1.5));
	assert_true(now() - t0 >= 0.95);
	assert_int_equal(T.n_misbehaved, 1);
	assert_true(T.hung);
	assert_non_null(strstr(T.why, "hung"));
	assert_false(readable(c.fd));
	driver_kill();
	pump(0.1);
	assert_int_equal(T.n_misbehaved, 1);
	cli_close(&c);
}

static void test_wrong_seq_is_misbehaviour(void **state)
{
	struct cli c;

	driver_start();
	cli_connect(&c);
	T.drv->mode = FDRV_WRONG_SEQ;
	cli_send_op(&c, NOOK_SND_CTL_COUNT);
	assert_true(pump_until(misbehaved_n, &(int){ 1 }, 1));
	assert_int_equal(T.n_misbehaved, 1);
	assert_false(T.hung);
	assert_non_null(strstr(T.why, "not asked"));
	pump(0.1);
	assert_false(readable(c.fd));
	driver_kill();
	assert_int_equal(T.n_misbehaved, 1);
	cli_close(&c);
}

static void test_unasked_reply_is_misbehaviour(void **state)
{
	struct nook_snd_reply a;

	driver_start();
	memset(&a, 0, sizeof(a));
	a.op = NOOK_SND_CTL_COUNT;
	a.seq = 1;
	/* on the card's own connection, which has asked nothing */
	assert_int_equal(nook_snd_send(T.drv->conns[0]->fd, &a, sizeof(a), NULL, 0), 0);
	assert_true(pump_until(misbehaved_n, &(int){ 1 }, 1));
	assert_int_equal(T.n_misbehaved, 1);
	assert_false(T.hung);
}

static void test_nonsense_geometry_is_misbehaviour(void **state)
{
	struct cli c;
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int fds[2];

	driver_start();
	cli_connect(&c);
	cli_open(&c, NOOK_SND_PLAYBACK);
	T.drv->bad_geometry = true;
	hw_params_req(&q);
	cli_send(&c, &q);
	cli_reply(&c, NOOK_SND_PCM_HW_PARAMS, &a, fds);
	assert_int_equal(a.err, -EPROTO);
	assert_int_equal(fds[0], -1);
	assert_int_equal(fds[1], -1);
	assert_int_equal(T.n_misbehaved, 1);
	assert_false(T.hung);
	assert_non_null(strstr(T.why, "geometry"));
	/* no rings were passed */
	assert_int_equal(T.drv->n_ev, 2);
	assert_int_equal(T.drv->ev[1].op, NOOK_SND_PCM_HW_PARAMS);
	cli_close(&c);
}

/* ---- 7. clients going, the card going ---- */

static bool fds_back_to(void *arg)
{
	return open_fds() == *(int *)arg;
}

static void test_client_disconnect_frees_all(void **state)
{
	struct cli c;
	struct fconn *fc;
	int before;

	driver_start();
	before = open_fds();
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	/* client: socket, ring, eventfd; nookd: its socket, its driver connection, two rings
	 * and two eventfds; the driver: its connection and its ring's eventfd */
	assert_int_equal(open_fds(), before + 3 + 8);
	cli_close(&c);
	pump_until(fds_back_to, &before, 2);
	assert_int_equal(open_fds(), before);
	/* The driver saw its connection for the client close (so closed the stream). */
	assert_true(fc->gone);
	assert_false(T.drv->conns[0]->gone);
}

/* A client that goes while its request is with the driver is dropped once it is answered. */
static void test_client_disconnect_while_asking(void **state)
{
	struct cli c;
	int before, one = 1;

	driver_start();
	before = open_fds();
	cli_connect(&c);
	T.drv->mode = FDRV_HOLD;
	cli_send_op(&c, NOOK_SND_CTL_COUNT);
	assert_true(pump_until(drv_has_events, &one, 2));
	cli_close(&c);
	pump(0.1);
	fconn_release(T.drv->conns[1]);
	pump_until(fds_back_to, &before, 2);
	assert_int_equal(open_fds(), before);
	assert_true(T.drv->conns[1]->gone);
	assert_int_equal(T.n_misbehaved, 0);
}

static void test_close_disconnects_clients(void **state)
{
	struct cli c, idle;
	struct nook_snd_reply a;
	struct stat st;
	char path[108];
	int fds[2];

	driver_start();
	cli_connect(&c);
	cli_connect(&idle);
	cli_running(&c, NOOK_SND_PLAYBACK);
	cli_drain_signal(&c);
	snprintf(path, sizeof(path), "%s", nookd_sound_path(T.s));
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));

	nookd_sound_close(T.s);
	T.s = NULL;
	assert_int_equal(atomic_load(&c.ring->state), NOOK_SND_STATE_DISCONNECTED);
	assert_true(readable(c.efd));
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
	/* Both clients' connections are closed. */
	assert_int_equal(nook_snd_recv(c.fd, &a, sizeof(a), fds, 2), -EPIPE);
	assert_int_equal(nook_snd_recv(idle.fd, &a, sizeof(a), fds, 2), -EPIPE);
	/* and the driver's for them */
	pump(0.1);
	for (int i = 0; i < T.drv->n_conns; i++)
		assert_true(T.drv->conns[i]->gone);
	cli_close(&c);
	cli_close(&idle);
}

/* ---- 8. a client that goes while its stream is picked up again ---- */

static void test_client_gone_during_replay(void **state)
{
	struct cli streaming, mixer;
	struct nook_snd_reply a;
	int one = 1, three = 3;

	driver_start();
	cli_connect(&mixer);
	cli_write_ctl(&mixer, 5, 7);
	cli_connect(&streaming);
	cli_running(&streaming, NOOK_SND_PLAYBACK);
	driver_kill();
	cli_send_op(&mixer, NOOK_SND_HELLO);

	/* The new incarnation is slow to open the stream again; its client goes meanwhile. */
	T.drv = fdrv_new(T.loop, nookd_sound_channel(T.s));
	T.drv->hold_op = NOOK_SND_PCM_OPEN;
	nookd_sound_driver_ready(T.s);
	assert_true(pump_until(drv_has_events, &one, 2));
	pump(0.1);
	assert_int_equal(T.drv->n_ev, 1);
	assert_event(&T.drv->ev[0], 1, NOOK_SND_PCM_OPEN, 0);
	cli_close(&streaming);

	/* The card comes up all the same: the controls, then the other client's request. */
	cli_reply(&mixer, NOOK_SND_HELLO, &a, NULL);
	assert_int_equal(a.err, 0);
	assert_string_equal(a.card.id, "FakeCard");
	assert_true(pump_until(drv_has_events, &three, 1));
	assert_int_equal(T.drv->n_ev, 3);
	assert_event(&T.drv->ev[1], 0, NOOK_SND_CTL_WRITE, 0);
	assert_int_equal(T.drv->ev[1].ctl_index, 5);
	assert_int_equal(T.drv->ev[1].ctl_value, 7);
	assert_event(&T.drv->ev[2], 2, NOOK_SND_HELLO, 0);
	assert_true(T.drv->conns[1]->gone);
	assert_int_equal(T.n_misbehaved, 0);
	cli_close(&mixer);
}

/* ---- 6. hostile peers ---- */

/*
 * A client and a driver that truncate their rings would make nookd's next touch of them a
 * SIGBUS: the rings are sealed, so the truncation is refused and nookd goes on.
 */
static void test_rings_cannot_be_truncated(void **state)
{
	struct cli c;
	struct fconn *fc;

	driver_start();
	T.drv->truncate_rings = true;
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	assert_int_equal(ftruncate(c.mem, 0), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ftruncate(c.mem, 2 * RING_SIZE), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(fcntl(c.mem, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	assert_int_equal(T.drv->truncate_errno, EPERM);
	/* nookd reads the driver's ring and writes the client's on the next report */
	atomic_store(&c.ring->appl_ptr, 600);
	publish(&c, fc, 256);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 256);
	cli_close(&c);
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	alarmed = 1;
}

/*
 * A client that clears O_NONBLOCK on its wake-up fd and fills it, and a driver that clears
 * it on its own, cannot make nookd wait: each of nookd's signals returns at once. A SIGALRM
 * (no SA_RESTART) ends a call that blocked, and tells.
 */
static void test_wakeups_cannot_block_nookd(void **state)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old_alrm, old_pipe;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	uint64_t max = UINT64_MAX - 1;
	struct cli c;
	struct fconn *fc;

	driver_start();
	cli_connect(&c);
	fc = cli_running(&c, NOOK_SND_PLAYBACK);
	sigaction(SIGPIPE, &ign, &old_pipe);
	assert_int_equal(fcntl(c.efd, F_SETFL, 0), 0);
	(void)!write(c.efd, &max, sizeof(max)); /* an eventfd's counter: full */
	assert_int_equal(fcntl(fc->efd, F_SETFL, 0), 0);
	atomic_store(&c.ring->appl_ptr, 600);
	alarmed = 0;
	sigaction(SIGALRM, &sa, &old_alrm);
	alarm(2);
	/* Far more wake-ups than the client's end holds: it takes none. */
	for (int i = 0; i < 1000 && !alarmed; i++) {
		fconn_signal(fc);
		ev_run(T.loop, EVRUN_NOWAIT);
	}
	alarm(0);
	sigaction(SIGALRM, &old_alrm, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	/* The client takes its wake-ups (so that a failure here does not hang the teardown). */
	assert_int_equal(fcntl(c.efd, F_SETFL, O_NONBLOCK), 0);
	cli_drain_signal(&c);
	assert_false(alarmed);
	/* and is woken as before */
	publish(&c, fc, 256);
	assert_int_equal(atomic_load(&c.ring->hw_ptr), 256);
	cli_close(&c);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(test_hello_waits_for_driver),
		T_(test_hw_params_rings),
		T_(test_playback_position_checked),
		T_(test_position_ahead_of_the_clock_is_a_stall),
		T_(test_dry_runs_are_a_stall),
		T_(test_leap_is_kept_from_the_client),
		T_(test_one_user_cannot_take_every_connection),
		T_(test_xrun_the_client_did_not_cause_is_kept_from_it),
		T_(test_capture_frames_copied),
		T_(test_recovery_replays_stream_and_controls),
		T_(test_requests_wait_for_controls_replay),
		T_(test_request_in_flight_sent_again),
		T_(test_impossible_caps_restart_the_driver),
		T_(test_hw_params_in_flight_sent_again),
		T_(test_unanswered_request_is_a_hang),
		T_(test_wrong_seq_is_misbehaviour),
		T_(test_unasked_reply_is_misbehaviour),
		T_(test_nonsense_geometry_is_misbehaviour),
		T_(test_client_disconnect_frees_all),
		T_(test_client_disconnect_while_asking),
		T_(test_close_disconnects_clients),
		T_(test_client_gone_during_replay),
		T_(test_rings_cannot_be_truncated),
		T_(test_wakeups_cannot_block_nookd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
