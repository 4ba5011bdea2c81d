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

#include "loop.h"
#include "sound-proto.h"
#include "sound-shim.h"

#define RING_DATA_OFFSET 4096u

struct conn {
	int fd;
	struct nook_snd_req req;
	bool busy, closing;
	/* a stream */
	struct nook_snd_substream *stream;
	bool capture;
	int memfd, efd;
	struct nook_snd_ring *ring;
	size_t ring_size;
	uint64_t moved; /* playback: frames copied to the card; capture: frames copied out */
	bool draining, stop_pending;
};

static struct {
	struct nook_loop *loop;
	char bdf[16];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
} shim = { .listen_fd = -1 };

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

static void ring_signal(struct conn *c)
{
	uint64_t one = 1;

	if (c->efd >= 0 && write(c->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_msg("<4>", "cannot wake the client: %s", strerror(errno));
}

static void ring_set_state(struct conn *c, enum nook_snd_state state)
{
	atomic_store_explicit(&c->ring->state, state, memory_order_release);
	ring_signal(c);
}

static void ring_free(struct conn *c)
{
	if (c->stream)
		nook_snd_pcm_set_notify(c->stream, NULL, NULL);
	if (c->ring)
		munmap(c->ring, c->ring_size);
	if (c->memfd >= 0)
		close(c->memfd);
	if (c->efd >= 0)
		close(c->efd);
	c->ring = NULL;
	c->memfd = c->efd = -1;
}

static int ring_new(struct conn *c, unsigned int period_frames)
{
	unsigned int frames = nook_snd_pcm_buffer_frames(c->stream);
	unsigned int frame_bytes = nook_snd_pcm_frame_bytes(c->stream);
	size_t size = RING_DATA_OFFSET + (size_t)frames * frame_bytes;

	size = (size + 4095) & ~(size_t)4095;
	c->memfd = memfd_create("nook-sound-ring", MFD_CLOEXEC);
	if (c->memfd < 0)
		return -errno;
	if (ftruncate(c->memfd, (off_t)size) < 0)
		goto fail;
	c->ring = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, c->memfd, 0);
	if (c->ring == MAP_FAILED) {
		c->ring = NULL;
		goto fail;
	}
	c->ring_size = size;
	c->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->efd < 0)
		goto fail;
	c->ring->magic = NOOK_SND_RING_MAGIC;
	c->ring->version = NOOK_SND_PROTO_VERSION;
	c->ring->stream = c->capture ? NOOK_SND_CAPTURE : NOOK_SND_PLAYBACK;
	c->ring->frame_bytes = frame_bytes;
	c->ring->period_frames = period_frames;
	c->ring->buffer_frames = frames;
	c->ring->data_offset = RING_DATA_OFFSET;
	atomic_store(&c->ring->state, NOOK_SND_STATE_SETUP);
	return 0;
fail:;
	int r = -errno;

	ring_free(c);
	return r;
}

static uint8_t *ring_frames(struct conn *c, uint64_t frame)
{
	return (uint8_t *)c->ring + c->ring->data_offset +
	       (frame % c->ring->buffer_frames) * c->ring->frame_bytes;
}

static uint8_t *dma_frames(struct conn *c, uint64_t frame)
{
	return (uint8_t *)nook_snd_pcm_buffer(c->stream) +
	       (frame % c->ring->buffer_frames) * c->ring->frame_bytes;
}

/* Copy frames [from, to) between ring and DMA buffer, which share one geometry. */
static void move_frames(struct conn *c, uint64_t from, uint64_t to)
{
	unsigned int fb = c->ring->frame_bytes, bf = c->ring->buffer_frames;

	while (from < to) {
		uint64_t n = to - from, room = bf - from % bf;

		if (n > room)
			n = room;
		if (c->capture)
			memcpy(ring_frames(c, from), dma_frames(c, from), n * fb);
		else
			memcpy(dma_frames(c, from), ring_frames(c, from), n * fb);
		from += n;
	}
}

static void silence_frames(struct conn *c, uint64_t from, uint64_t to)
{
	unsigned int bf = c->ring->buffer_frames;

	while (from < to) {
		uint64_t n = to - from, room = bf - from % bf;

		if (n > room)
			n = room;
		nook_snd_pcm_silence(c->stream, (unsigned int)(from % bf), (unsigned int)n);
		from += n;
	}
}

/* Playback: what the client wrote, ahead of the card; silence past it. */
static void feed_card(struct conn *c, uint64_t hw)
{
	uint64_t appl = atomic_load_explicit(&c->ring->appl_ptr, memory_order_acquire);
	uint64_t end = hw + c->ring->buffer_frames;
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
	struct nook_snd_ring *ring = c->ring;
	uint64_t hw = nook_snd_pcm_position(c->stream);
	uint32_t state = atomic_load(&ring->state);
	bool running = nook_snd_pcm_running(c->stream);

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
		uint64_t appl = atomic_load_explicit(&ring->appl_ptr, memory_order_acquire);

		move_frames(c, c->moved, hw);
		c->moved = hw;
		atomic_store_explicit(&ring->hw_ptr, hw, memory_order_release);
		if (hw - appl > ring->buffer_frames && !c->stop_pending) {
			atomic_fetch_add(&ring->xruns, 1);
			c->stop_pending = nook_snd_run(stop_task, c, "snd-stop") == 0;
			ring_set_state(c, NOOK_SND_STATE_XRUN);
			return;
		}
		ring_signal(c);
		return;
	}
	uint64_t appl = atomic_load_explicit(&ring->appl_ptr, memory_order_acquire);

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
		silence_frames(c, hw, hw + ring->buffer_frames);
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
	r = nook_snd_pcm_hw_params(c->stream, p->format, p->channels, p->rate, &p->period_frames,
				   &p->periods);
	if (r < 0)
		return r;
	r = ring_new(c, p->period_frames);
	if (r < 0) {
		nook_snd_pcm_hw_free(c->stream);
		return r;
	}
	nook_snd_pcm_set_notify(c->stream, on_period, c);
	return 0;
}

static int pcm_prepare(struct conn *c)
{
	int r;

	if (!c->ring)
		return -EBADFD;
	r = nook_snd_pcm_prepare(c->stream);
	if (r < 0)
		return r;
	atomic_store(&c->ring->hw_ptr, 0);
	atomic_store(&c->ring->appl_ptr, 0);
	c->moved = 0;
	c->draining = false;
	if (!c->capture)
		silence_frames(c, 0, c->ring->buffer_frames);
	ring_set_state(c, NOOK_SND_STATE_PREPARED);
	return 0;
}

static int pcm_start(struct conn *c)
{
	int r;

	if (!c->ring || atomic_load(&c->ring->state) != NOOK_SND_STATE_PREPARED)
		return -EBADFD;
	if (!c->capture)
		feed_card(c, 0);
	r = nook_snd_pcm_start(c->stream);
	if (r < 0)
		return r;
	ring_set_state(c, NOOK_SND_STATE_RUNNING);
	return 0;
}

static int pcm_stop(struct conn *c)
{
	if (!c->ring)
		return -EBADFD;
	c->draining = false;
	nook_snd_pcm_stop(c->stream);
	ring_set_state(c, NOOK_SND_STATE_SETUP);
	return 0;
}

static int pcm_drain(struct conn *c)
{
	uint32_t state;

	if (!c->ring)
		return -EBADFD;
	state = atomic_load(&c->ring->state);
	if (c->capture || state != NOOK_SND_STATE_RUNNING)
		return pcm_stop(c);
	if (atomic_load(&c->ring->hw_ptr) >= atomic_load(&c->ring->appl_ptr))
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
		if (r == 0) {
			fds[0] = c->memfd;
			fds[1] = c->efd;
			n_fds = 2;
		}
		break;
	case NOOK_SND_PCM_HW_FREE:
		ring_free(c);
		r = c->stream ? nook_snd_pcm_hw_free(c->stream) : -EBADFD;
		break;
	case NOOK_SND_PCM_PREPARE:
		r = pcm_prepare(c);
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
	r = nook_snd_recv(fd, &c->req, sizeof(c->req), NULL, 0);
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

static int on_accept(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct conn *c;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (cfd < 0)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return 0;
	}
	c->fd = cfd;
	c->memfd = c->efd = -1;
	if (nook_loop_add_fd(loop, cfd, POLLIN, on_conn, c) < 0) {
		close(cfd);
		free(c);
	}
	return 0;
}

static void card_registered(void *ctx)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(shim.path)];
	char *slash;
	int fd, r;

	r = nook_snd_socket_path(shim.bdf, shim.path, sizeof(shim.path));
	if (r < 0) {
		log_msg("<3>", "cannot name the card's socket: %s", strerror(-r));
		return;
	}
	/* The directory and its parents (/run/nook/sound), as mkdir -p. */
	snprintf(dir, sizeof(dir), "%s", shim.path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			log_msg("<3>", "cannot create %s: %s", dir, strerror(errno));
		*slash = '/';
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return log_msg("<3>", "cannot create the card's socket: %s", strerror(errno));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", shim.path);
	unlink(shim.path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0 ||
	    nook_loop_add_fd(shim.loop, fd, POLLIN, on_accept, NULL) < 0) {
		log_msg("<3>", "cannot serve the card on %s", shim.path);
		close(fd);
		shim.path[0] = '\0';
		return;
	}
	/* Any local user may play: the card is as open as a desktop's sound device. */
	chmod(shim.path, 0666);
	shim.listen_fd = fd;
	log_msg("<6>", "serving the card on %s", shim.path);
}

static void card_gone(void *ctx)
{
	if (shim.listen_fd < 0)
		return;
	nook_loop_remove_fd(shim.loop, shim.listen_fd);
	close(shim.listen_fd);
	shim.listen_fd = -1;
	unlink(shim.path);
	shim.path[0] = '\0';
}

int nook_sound_shim_install(struct nook_loop *loop, const char *bdf)
{
	static const struct nook_snd_host host = {
		.card_registered = card_registered,
		.card_gone = card_gone,
	};

	shim.loop = loop;
	snprintf(shim.bdf, sizeof(shim.bdf), "%s", bdf);
	nook_snd_set_host(&host, NULL);
	return 0;
}
