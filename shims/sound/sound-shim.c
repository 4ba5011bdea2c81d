// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sound shim (see sound-shim.h). Requests are read on the event loop and served in a
 * kernel task each, since a driver's PCM and control callbacks may sleep; one connection
 * has at most one request in flight (the client waits for each reply).
 *
 * Playback: on START and on every period, frames the client has put in the ring move to the
 * DMA buffer ahead of the card, up to a buffer's length past its position; the rest of the
 * buffer is silenced, so a late client is heard as silence, not as stale sound. When the
 * card catches up with the client, the stream stops: done after DRAIN, an underrun (XRUN)
 * otherwise. Capture: the frames the card recorded move to the ring; a client a whole
 * buffer behind is an overrun.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <nook/sound.h>

#include "shims/loop/loop.h"
#include "common/ipc/sound-proto.h"
#include "sound-shim.h"

struct conn {
	int fd;
	struct nook_snd_req req;
	int req_fds[NOOK_SND_MAX_FDS]; /* SV_RING's */
	bool busy, closing;
	/* a stream */
	struct nook_snd_substream *stream;
	bool capture;
	/*
	 * Its rings. Standalone, one of ours (in == out), whose memfd and eventfd go to the
	 * client. Supervised, nookd's two: the client's, read-only (in), and ours (out).
	 */
	const struct nook_snd_ring *in; /* appl_ptr; playback's frames */
	struct nook_snd_ring *out;	/* hw_ptr, state, xruns; capture's frames */
	size_t in_size, out_size;
	int memfd, efd;
	/* the rings' geometry, as set up: never read back from memory a client can write */
	unsigned int frame_bytes, buffer_frames, period_frames;
	uint64_t base;	/* the ring position the card's position 0 stands for (PREPARE's) */
	uint64_t moved; /* playback: frames copied to the card; capture: frames copied out */
	bool draining, stop_pending;
};

static struct {
	struct nook_loop *loop;
	char bdf[16];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
	int channel_fd; /* supervised: nookd's sound channel; -1 standalone */
} shim = { .listen_fd = -1, .channel_fd = -1 };

const char *nook_sound_shim_path(void)
{
	return shim.path;
}

static void __attribute__((format(printf, 2, 3))) log_msg(const char *level, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%ssound %s: ", level, shim.bdf);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- rings */

/* Supervised, efd is our end of nookd's wake-up pair for our ring; standalone, our eventfd. */
static void ring_signal(struct conn *c)
{
	int r = c->efd >= 0 ? nook_snd_wake(c->efd) : 0;

	if (r < 0)
		log_msg("<4>", "cannot wake the client: %s", strerror(-r));
}

static void ring_set_state(struct conn *c, enum nook_snd_state state)
{
	atomic_store_explicit(&c->out->state, state, memory_order_release);
	ring_signal(c);
}

static uint64_t ring_appl(const struct conn *c)
{
	return atomic_load_explicit(&((struct nook_snd_ring *)c->in)->appl_ptr,
				    memory_order_acquire);
}

static void ring_free(struct conn *c)
{
	if (c->stream)
		nook_snd_pcm_set_notify(c->stream, NULL, NULL);
	if (c->in && (void *)c->in != (void *)c->out)
		munmap((void *)c->in, c->in_size);
	if (c->out)
		munmap(c->out, c->out_size);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->efd >= 0)
		close(c->efd);
	c->in = NULL;
	c->out = NULL;
	c->memfd = c->efd = -1;
}

static void ring_init_header(struct conn *c, struct nook_snd_ring *r)
{
	nook_snd_ring_init(r, c->capture ? NOOK_SND_CAPTURE : NOOK_SND_PLAYBACK, c->frame_bytes,
			   c->period_frames, c->buffer_frames);
}

static size_t ring_bytes(const struct conn *c)
{
	return nook_snd_ring_bytes(c->frame_bytes, c->buffer_frames);
}

static void ring_geometry(struct conn *c, unsigned int period_frames)
{
	c->buffer_frames = nook_snd_pcm_buffer_frames(c->stream);
	c->frame_bytes = nook_snd_pcm_frame_bytes(c->stream);
	c->period_frames = period_frames;
}

/* Standalone: our own ring, shared with the client. */
static int ring_new(struct conn *c, unsigned int period_frames)
{
	size_t size;
	void *m;

	ring_geometry(c, period_frames);
	size = ring_bytes(c);
	/* Sealed: the client it goes to cannot truncate it under our mapping (SIGBUS). */
	c->memfd = nook_snd_ring_memfd(size);
	if (c->memfd < 0)
		return c->memfd;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, c->memfd, 0);
	if (m == MAP_FAILED)
		goto fail;
	c->in = c->out = m;
	c->in_size = c->out_size = size;
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->efd < 0)
		goto fail;
	ring_init_header(c, c->out);
	return 0;
fail:;
	int r = -errno;

	ring_free(c);
	return r;
}

/* Map one of nookd's rings: it must be at least as big as the geometry says. */
static void *ring_map(const struct conn *c, int fd, int prot, size_t *ret_size)
{
	size_t size = ring_bytes(c);
	struct stat st;
	void *m;

	if (fstat(fd, &st) < 0 || (size_t)st.st_size < size)
		return NULL;
	m = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return NULL;
	*ret_size = size;
	return m;
}

/* Supervised: nookd's rings for the stream whose hw_params were just set. */
static int ring_attach(struct conn *c, int *fds)
{
	const struct nook_snd_ring *in;

	if (!c->stream || !c->period_frames || c->out || fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		return -EBADFD;
	c->in = ring_map(c, fds[0], PROT_READ, &c->in_size);
	c->out = ring_map(c, fds[1], PROT_READ | PROT_WRITE, &c->out_size);
	in = c->in;
	if (!c->in || !c->out || in->buffer_frames != c->buffer_frames ||
	    in->frame_bytes != c->frame_bytes || in->data_offset != NOOK_SND_RING_DATA_OFFSET) {
		if (c->in)
			munmap((void *)c->in, c->in_size);
		if (c->out)
			munmap(c->out, c->out_size);
		c->in = NULL;
		c->out = NULL;
		return -EINVAL;
	}
	ring_init_header(c, c->out);
	c->efd = fds[2];
	fds[2] = -1;
	return 0;
}

/* How many of the frames [from, to) (ring positions) lie in one piece in ring and DMA buffer. */
static uint64_t ring_chunk(const struct conn *c, uint64_t from, uint64_t to)
{
	uint64_t bf = c->buffer_frames, n = to - from;
	uint64_t room = bf - from % bf, dma_room = bf - (from - c->base) % bf;

	if (room > dma_room)
		room = dma_room;
	return n < room ? n : room;
}

/* The DMA buffer's frame index for a ring position. */
static unsigned int dma_index(const struct conn *c, uint64_t pos)
{
	return (unsigned int)((pos - c->base) % c->buffer_frames);
}

/* Copy frames [from, to) between ring and DMA buffer. */
static void move_frames(struct conn *c, uint64_t from, uint64_t to)
{
	uint8_t *dma = nook_snd_pcm_buffer(c->stream);
	unsigned int fb = c->frame_bytes;

	while (from < to) {
		uint64_t n = ring_chunk(c, from, to);
		size_t at = (size_t)(from % c->buffer_frames) * fb + NOOK_SND_RING_DATA_OFFSET;
		uint8_t *d = dma + (size_t)dma_index(c, from) * fb;

		if (c->capture)
			memcpy((uint8_t *)c->out + at, d, n * fb);
		else
			memcpy(d, (const uint8_t *)c->in + at, n * fb);
		from += n;
	}
}

static void silence_frames(struct conn *c, uint64_t from, uint64_t to)
{
	while (from < to) {
		uint64_t n = ring_chunk(c, from, to);

		nook_snd_pcm_silence(c->stream, dma_index(c, from), (unsigned int)n);
		from += n;
	}
}

/* Playback: what the client wrote, ahead of the card; silence past it. */
static void feed_card(struct conn *c, uint64_t hw)
{
	uint64_t appl = ring_appl(c);
	uint64_t end = hw + c->buffer_frames;
	uint64_t to = appl < end ? appl : end;

	if (c->moved < hw)
		c->moved = hw;
	if (c->moved < to) {
		move_frames(c, c->moved, to);
		c->moved = to;
	}
	silence_frames(c, c->moved, end);
}

static int stop_task(void *arg)
{
	struct conn *c = arg;

	c->stop_pending = false;
	if (c->stream)
		nook_snd_pcm_stop(c->stream);
	return 0;
}

/* The card completed a period, or its stream stopped (driver or core): compat context. */
static void on_period(void *arg)
{
	struct conn *c = arg;
	struct nook_snd_ring *ring = c->out;
	uint64_t hw = c->base + nook_snd_pcm_position(c->stream);
	uint32_t state = atomic_load(&ring->state);
	bool running = nook_snd_pcm_running(c->stream);
	uint64_t appl = ring_appl(c);

	if (!running) {
		if (state == NOOK_SND_STATE_RUNNING) {
			atomic_fetch_add(&ring->xruns, 1);
			ring_set_state(c, NOOK_SND_STATE_XRUN);
		} else if (state == NOOK_SND_STATE_DRAINING) {
			ring_set_state(c, NOOK_SND_STATE_SETUP);
		}
		return;
	}
	if (c->capture) {
		move_frames(c, c->moved, hw);
		c->moved = hw;
		atomic_store_explicit(&ring->hw_ptr, hw, memory_order_release);
		if (hw - appl > c->buffer_frames && !c->stop_pending) {
			atomic_fetch_add(&ring->xruns, 1);
			c->stop_pending = nook_snd_run(stop_task, c, "snd-stop") == 0;
			ring_set_state(c, NOOK_SND_STATE_XRUN);
			return;
		}
		ring_signal(c);
		return;
	}
	if (hw >= appl) {
		/* The card played all the client gave it (what follows is silence). */
		atomic_store_explicit(&ring->hw_ptr, appl, memory_order_release);
		if (!c->stop_pending)
			c->stop_pending = nook_snd_run(stop_task, c, "snd-stop") == 0;
		if (c->draining) {
			c->draining = false;
			ring_set_state(c, NOOK_SND_STATE_SETUP);
		} else {
			atomic_fetch_add(&ring->xruns, 1);
			ring_set_state(c, NOOK_SND_STATE_XRUN);
		}
		silence_frames(c, hw, hw + c->buffer_frames);
		return;
	}
	atomic_store_explicit(&ring->hw_ptr, hw, memory_order_release);
	feed_card(c, hw);
	ring_signal(c);
}

/* --- requests (each in its own kernel task) */

static void fill_card(struct nook_snd_card *card)
{
	struct nook_snd_card_desc d;

	card->version = NOOK_SND_PROTO_VERSION;
	if (nook_snd_card_describe(&d) < 0)
		return;
	snprintf(card->id, sizeof(card->id), "%s", d.id);
	snprintf(card->driver, sizeof(card->driver), "%s", d.driver);
	snprintf(card->name, sizeof(card->name), "%s", d.name);
	snprintf(card->longname, sizeof(card->longname), "%s", d.longname);
	card->n_pcms = d.n_pcms < NOOK_SND_MAX_PCMS ? d.n_pcms : NOOK_SND_MAX_PCMS;
	for (unsigned int k = 0; k < card->n_pcms; k++) {
		card->pcms[k].device = d.pcms[k].device;
		card->pcms[k].playback_substreams = d.pcms[k].playback;
		card->pcms[k].capture_substreams = d.pcms[k].capture;
		snprintf(card->pcms[k].name, sizeof(card->pcms[k].name), "%s", d.pcms[k].name);
	}
}

static int pcm_open(struct conn *c, const struct nook_snd_pcm_open *o,
		    struct nook_snd_pcm_caps *caps)
{
	struct nook_snd_stream_caps sc;
	int r;

	if (c->stream)
		return -EBUSY;
	if (o->stream != NOOK_SND_PLAYBACK && o->stream != NOOK_SND_CAPTURE)
		return -EINVAL;
	r = nook_snd_pcm_open(o->device, o->stream == NOOK_SND_CAPTURE, &c->stream);
	if (r < 0)
		return r;
	c->capture = o->stream == NOOK_SND_CAPTURE;
	nook_snd_pcm_caps(c->stream, &sc);
	caps->formats = sc.formats;
	caps->channels_min = sc.channels_min;
	caps->channels_max = sc.channels_max;
	caps->rate_min = sc.rate_min;
	caps->rate_max = sc.rate_max;
	caps->n_rates = sc.n_rates;
	memcpy(caps->rates, sc.rates, sizeof(caps->rates));
	caps->period_bytes_min = sc.period_bytes_min;
	caps->period_bytes_max = sc.period_bytes_max;
	caps->periods_min = sc.periods_min;
	caps->periods_max = sc.periods_max;
	caps->buffer_bytes_max = sc.buffer_bytes_max;
	return 0;
}

static int pcm_hw_params(struct conn *c, struct nook_snd_hw_params *p)
{
	int r;

	if (!c->stream)
		return -EBADFD;
	ring_free(c);
	c->period_frames = 0;
	r = nook_snd_pcm_hw_params(c->stream, p->format, p->channels, p->rate, &p->period_frames,
				   &p->periods);
	if (r < 0)
		return r;
	if (shim.channel_fd >= 0) {
		/* Supervised: nookd makes the rings for this geometry (SV_RING). */
		ring_geometry(c, p->period_frames);
	} else {
		r = ring_new(c, p->period_frames);
		if (r < 0) {
			nook_snd_pcm_hw_free(c->stream);
			return r;
		}
	}
	p->frame_bytes = c->frame_bytes;
	p->buffer_frames = c->buffer_frames;
	nook_snd_pcm_set_notify(c->stream, on_period, c);
	return 0;
}

static int pcm_prepare(struct conn *c, uint64_t position)
{
	int r;

	if (!c->out)
		return -EBADFD;
	r = nook_snd_pcm_prepare(c->stream);
	if (r < 0)
		return r;
	c->base = c->moved = position;
	atomic_store(&c->out->hw_ptr, position);
	if ((void *)c->in == (void *)c->out)
		atomic_store(&c->out->appl_ptr, position);
	c->draining = false;
	if (!c->capture)
		silence_frames(c, position, position + c->buffer_frames);
	ring_set_state(c, NOOK_SND_STATE_PREPARED);
	return 0;
}

static int pcm_start(struct conn *c)
{
	int r;

	if (!c->out || atomic_load(&c->out->state) != NOOK_SND_STATE_PREPARED)
		return -EBADFD;
	if (!c->capture)
		feed_card(c, c->base);
	r = nook_snd_pcm_start(c->stream);
	if (r < 0)
		return r;
	ring_set_state(c, NOOK_SND_STATE_RUNNING);
	return 0;
}

static int pcm_stop(struct conn *c)
{
	if (!c->out)
		return -EBADFD;
	c->draining = false;
	nook_snd_pcm_stop(c->stream);
	ring_set_state(c, NOOK_SND_STATE_SETUP);
	return 0;
}

static int pcm_drain(struct conn *c)
{
	uint32_t state;

	if (!c->out)
		return -EBADFD;
	state = atomic_load(&c->out->state);
	if (c->capture || state != NOOK_SND_STATE_RUNNING)
		return pcm_stop(c);
	if (atomic_load(&c->out->hw_ptr) >= ring_appl(c))
		return pcm_stop(c);
	c->draining = true;
	ring_set_state(c, NOOK_SND_STATE_DRAINING);
	return 0;
}

static void pcm_close(struct conn *c)
{
	if (!c->stream)
		return;
	ring_free(c);
	nook_snd_pcm_close(c->stream);
	c->stream = NULL;
}

static int ctl_request(const struct nook_snd_req *q, struct nook_snd_reply *a)
{
	switch (q->op) {
	case NOOK_SND_CTL_COUNT:
		a->ctl_count.count = nook_snd_ctl_elems();
		return 0;
	case NOOK_SND_CTL_INFO: {
		struct nook_snd_ctl_desc d;
		int r = nook_snd_ctl_describe(q->ctl_ref.index, &d);

		if (r < 0)
			return r;
		a->ctl_info.iface = d.iface;
		a->ctl_info.device = d.device;
		a->ctl_info.subdevice = d.subdevice;
		a->ctl_info.elem_index = d.index;
		snprintf(a->ctl_info.name, sizeof(a->ctl_info.name), "%s", d.name);
		a->ctl_info.type = d.type;
		a->ctl_info.access = d.access;
		a->ctl_info.count = d.count;
		a->ctl_info.min = d.min;
		a->ctl_info.max = d.max;
		a->ctl_info.step = d.step;
		a->ctl_info.items = d.items;
		return 0;
	}
	case NOOK_SND_CTL_ENUM_ITEM:
		return nook_snd_ctl_item_name(q->ctl_ref.index, q->ctl_ref.item, a->ctl_item.name,
					      sizeof(a->ctl_item.name));
	case NOOK_SND_CTL_READ:
		a->ctl_value.index = q->ctl_ref.index;
		return nook_snd_ctl_read(q->ctl_ref.index, a->ctl_value.values, a->ctl_value.bytes,
					 sizeof(a->ctl_value.bytes));
	case NOOK_SND_CTL_WRITE: {
		int r = nook_snd_ctl_write(q->ctl_value.index, q->ctl_value.values,
					   q->ctl_value.bytes, sizeof(q->ctl_value.bytes));

		if (r < 0)
			return r;
		a->ctl_value.index = q->ctl_value.index;
		a->ctl_value.changed = r;
		return 0;
	}
	case NOOK_SND_CTL_TLV: {
		int r = nook_snd_ctl_tlv(q->ctl_ref.index, a->ctl_tlv.tlv, NOOK_SND_TLV_WORDS);

		if (r < 0)
			return r;
		a->ctl_tlv.words = (uint32_t)r;
		return 0;
	}
	}
	return -EOPNOTSUPP;
}

static void conn_free(struct conn *c)
{
	pcm_close(c);
	nook_loop_remove_fd(shim.loop, c->fd);
	close(c->fd);
	free(c);
}

static void close_fds(int *fds)
{
	for (unsigned int i = 0; i < NOOK_SND_MAX_FDS; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

static int serve_task(void *arg)
{
	struct conn *c = arg;
	struct nook_snd_reply *a = calloc(1, sizeof(*a));
	int fds[2], n_fds = 0, r;

	if (!a) {
		c->closing = true;
		goto out;
	}
	a->op = c->req.op;
	a->seq = c->req.seq;
	switch (c->req.op) {
	case NOOK_SND_HELLO:
		fill_card(&a->card);
		r = 0;
		break;
	case NOOK_SND_PCM_OPEN:
		r = pcm_open(c, &c->req.pcm_open, &a->pcm_caps);
		break;
	case NOOK_SND_PCM_HW_PARAMS:
		a->hw_params = c->req.hw_params;
		r = pcm_hw_params(c, &a->hw_params);
		if (r == 0 && c->memfd >= 0) {
			fds[0] = c->memfd;
			fds[1] = c->efd;
			n_fds = 2;
		}
		break;
	case NOOK_SND_SV_RING:
		r = shim.channel_fd >= 0 ? ring_attach(c, c->req_fds) : -EOPNOTSUPP;
		break;
	case NOOK_SND_PCM_HW_FREE:
		ring_free(c);
		r = c->stream ? nook_snd_pcm_hw_free(c->stream) : -EBADFD;
		break;
	case NOOK_SND_PCM_PREPARE:
		r = pcm_prepare(c, c->req.prepare.position);
		break;
	case NOOK_SND_PCM_START:
		r = pcm_start(c);
		break;
	case NOOK_SND_PCM_STOP:
		r = pcm_stop(c);
		break;
	case NOOK_SND_PCM_DRAIN:
		r = pcm_drain(c);
		break;
	case NOOK_SND_PCM_CLOSE:
		pcm_close(c);
		r = 0;
		break;
	default:
		r = ctl_request(&c->req, a);
		break;
	}
	a->err = r;
	if (nook_snd_send(c->fd, a, sizeof(*a), n_fds ? fds : NULL, (unsigned int)n_fds) < 0)
		c->closing = true;
out:
	close_fds(c->req_fds);
	free(a);
	c->busy = false;
	if (c->closing)
		conn_free(c);
	return 0;
}

static int on_conn(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct conn *c = userdata;
	int r;

	if (c->busy)
		return 0; /* the reply to the last request is not out yet */
	memset(&c->req, 0, sizeof(c->req));
	/* Only nookd passes fds (SV_RING); a client's are closed on arrival. */
	r = nook_snd_recv(fd, &c->req, sizeof(c->req), c->req_fds,
			  shim.channel_fd >= 0 ? NOOK_SND_MAX_FDS : 0);
	if (r == -EAGAIN || r == -EINTR)
		return 0;
	c->busy = true;
	if (r < 0) {
		c->closing = true; /* the client went: close its stream in a task */
		c->req.op = NOOK_SND_PCM_CLOSE;
	}
	if (nook_snd_run(serve_task, c, "snd-request") < 0) {
		c->busy = false;
		conn_free(c);
	}
	return 0;
}

/* A new connection on @cfd (non-blocking): served from now on, or closed. */
static void conn_new(int cfd)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c) {
		close(cfd);
		return;
	}
	c->fd = cfd;
	c->memfd = c->efd = -1;
	for (unsigned int i = 0; i < NOOK_SND_MAX_FDS; i++)
		c->req_fds[i] = -1;
	if (nook_loop_add_fd(shim.loop, cfd, POLLIN, on_conn, c) < 0) {
		close(cfd);
		free(c);
	}
}

static int on_accept(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd >= 0)
		conn_new(cfd);
	return 0;
}

/* Supervised: nookd passes each client connection on the sound channel. */
static int on_channel(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct nook_snd_req q;
	int cfd, r;

	while ((r = nook_snd_recv(fd, &q, sizeof(q), &cfd, 1)) >= 0) {
		if (q.op != NOOK_SND_SV_CONNECT || cfd < 0) {
			log_msg("<4>", "nookd sent op %u on the sound channel; ignored", q.op);
			if (cfd >= 0)
				close(cfd);
			continue;
		}
		fcntl(cfd, F_SETFL, O_NONBLOCK);
		conn_new(cfd);
	}
	if (r != -EAGAIN && r != -EINTR) {
		/* nookd closed it: the control channel's end stops the driver. */
		nook_loop_remove_fd(loop, fd);
	}
	return 0;
}

static void card_registered(void *ctx)
{
	int fd;

	if (shim.channel_fd >= 0) {
		if (nook_loop_add_fd(shim.loop, shim.channel_fd, POLLIN, on_channel, NULL) < 0)
			log_msg("<3>", "cannot watch nookd's sound channel");
		else
			log_msg("<6>", "serving the card to nookd");
		return;
	}
	fd = nook_snd_listen(shim.bdf, shim.path, sizeof(shim.path));
	if (fd < 0 || nook_loop_add_fd(shim.loop, fd, POLLIN, on_accept, NULL) < 0) {
		log_msg("<3>", "cannot serve the card on %s: %s",
			*shim.path ? shim.path : "its socket", strerror(fd < 0 ? -fd : EIO));
		if (fd >= 0) {
			close(fd);
			unlink(shim.path);
		}
		shim.path[0] = '\0';
		return;
	}
	shim.listen_fd = fd;
	log_msg("<6>", "serving the card on %s", shim.path);
}

static void card_gone(void *ctx)
{
	if (shim.channel_fd >= 0)
		nook_loop_remove_fd(shim.loop, shim.channel_fd);
	if (shim.listen_fd < 0)
		return;
	nook_loop_remove_fd(shim.loop, shim.listen_fd);
	close(shim.listen_fd);
	shim.listen_fd = -1;
	unlink(shim.path);
	shim.path[0] = '\0';
}

int nook_sound_shim_install(struct nook_loop *loop, const char *bdf, int channel_fd)
{
	static const struct nook_snd_host host = {
		.card_registered = card_registered,
		.card_gone = card_gone,
	};

	shim.loop = loop;
	shim.channel_fd = channel_fd;
	if (channel_fd >= 0)
		fcntl(channel_fd, F_SETFL, O_NONBLOCK);
	snprintf(shim.bdf, sizeof(shim.bdf), "%s", bdf);
	nook_snd_set_host(&host, NULL);
	return 0;
}
