// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcm.nook: an ALSA I/O plugin (alsa-lib's ioplug) that plays and captures through a card a
 * nook driver process serves. Control goes over the card's socket (sound-proto.h); frames go
 * through the ring the server hands over with PCM_HW_PARAMS's reply.
 *
 * Positions: the server keeps hw_ptr and appl_ptr as 64-bit frame counts since PREPARE. This
 * plugin keeps its own 64-bit appl, advanced by exactly the frames each transfer copies, and
 * publishes it to ring->appl_ptr. ioplug keeps its own appl_ptr too, advanced by what transfer
 * returns, and learns the hardware position from pointer() as hw_ptr % buffer_size.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>

#include "nook-conn.h"
#include "common/ipc/sound-proto.h"

#define WHO "pcm.nook"
/* Drain may take as long as the frames still queued, plus this for the card to stop. */
#define DRAIN_MARGIN_MS 2000

struct nook_pcm {
	snd_pcm_ioplug_t io;
	struct nook_conn conn;
	unsigned int device;
	struct nook_snd_pcm_caps caps;

	struct nook_snd_ring *ring; /* NULL until hw_params */
	size_t ring_size;
	uint8_t *data;
	int evfd;
	unsigned int frame_bytes, buffer_frames;
	snd_pcm_channel_area_t *ring_areas; /* one per channel, over data */

	uint64_t appl; /* frames this side copied since PREPARE */
	bool started;  /* START answered since PREPARE: the ring's state may lag behind it */
	snd_pcm_uframes_t avail_min;
	int gone; /* the server hung up */
};

/* Transport loss is a disconnected card; a request the server refused stays what it was. */
static int pcm_call(struct nook_pcm *p, struct nook_snd_req *req, struct nook_snd_reply *rep,
		    int *ret_fds, unsigned int n_fds)
{
	int r = nook_conn_call(&p->conn, req, rep, ret_fds, n_fds);

	if (r == -ENODEV || r == -ETIMEDOUT) {
		p->gone = 1;
		snd_pcm_ioplug_set_state(&p->io, SND_PCM_STATE_DISCONNECTED);
	}
	return r;
}

static int pcm_simple(struct nook_pcm *p, enum nook_snd_op op)
{
	struct nook_snd_req req = { .op = op };
	struct nook_snd_reply rep;

	return pcm_call(p, &req, &rep, NULL, 0);
}

static void ring_release(struct nook_pcm *p)
{
	if (p->ring)
		munmap(p->ring, p->ring_size);
	if (p->evfd >= 0)
		close(p->evfd);
	free(p->ring_areas);
	p->ring = NULL;
	p->data = NULL;
	p->evfd = -1;
	p->ring_areas = NULL;
}

static int server_gone(struct nook_pcm *p)
{
	if (!p->gone && (nook_conn_alive(&p->conn) < 0 ||
			 (p->ring && atomic_load(&p->ring->state) == NOOK_SND_STATE_DISCONNECTED)))
		p->gone = 1;
	if (p->gone)
		snd_pcm_ioplug_set_state(&p->io, SND_PCM_STATE_DISCONNECTED);
	return p->gone;
}

static int nook_start(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;
	int r = pcm_simple(p, NOOK_SND_PCM_START);

	if (r == 0)
		p->started = true;
	return r;
}

static int nook_stop(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;

	p->started = false;
	return pcm_simple(p, NOOK_SND_PCM_STOP);
}

static snd_pcm_sframes_t nook_pointer(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;
	uint64_t hw;

	if (!p->ring)
		return 0;
	hw = atomic_load_explicit(&p->ring->hw_ptr, memory_order_acquire);
	/* Keep the last position when gone: ioplug turns a negative one into an xrun. */
	if (server_gone(p))
		return (snd_pcm_sframes_t)(hw % p->buffer_frames);
	if (atomic_load(&p->ring->state) == NOOK_SND_STATE_XRUN)
		return -EPIPE;
	return (snd_pcm_sframes_t)(hw % p->buffer_frames);
}

/* Copy @size frames between the application's @areas at @offset and the ring at p->appl. */
static snd_pcm_sframes_t nook_transfer(snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas,
				       snd_pcm_uframes_t offset, snd_pcm_uframes_t size)
{
	struct nook_pcm *p = io->private_data;
	snd_pcm_uframes_t done = 0;

	if (server_gone(p))
		return -ENODEV;
	if (!p->ring)
		return -EBADFD;
	while (done < size) {
		snd_pcm_uframes_t pos = p->appl % p->buffer_frames;
		snd_pcm_uframes_t n = size - done;

		if (n > p->buffer_frames - pos)
			n = p->buffer_frames - pos; /* up to the ring's end, then wrap */
		if (io->stream == SND_PCM_STREAM_PLAYBACK)
			snd_pcm_areas_copy(p->ring_areas, pos, areas, offset + done, io->channels,
					   n, io->format);
		else
			snd_pcm_areas_copy(areas, offset + done, p->ring_areas, pos, io->channels,
					   n, io->format);
		p->appl += n;
		done += n;
	}
	/* Release: the server reads the frames (playback) only after it sees appl_ptr. */
	atomic_store_explicit(&p->ring->appl_ptr, p->appl, memory_order_release);
	return (snd_pcm_sframes_t)size;
}

static int ring_check(struct nook_pcm *p, const struct nook_snd_hw_params *hw)
{
	const struct nook_snd_ring *r = p->ring;
	uint64_t end = (uint64_t)r->data_offset + (uint64_t)r->buffer_frames * r->frame_bytes;

	if (r->magic != NOOK_SND_RING_MAGIC || r->version != NOOK_SND_PROTO_VERSION ||
	    r->stream != (uint32_t)p->io.stream) {
		SNDERR(WHO ": %s: the stream's ring is not a nook ring for this stream",
		       p->conn.path);
		return -EPROTO;
	}
	if (r->frame_bytes != p->frame_bytes || r->period_frames != hw->period_frames ||
	    r->buffer_frames != (uint64_t)hw->period_frames * hw->periods ||
	    r->buffer_frames != p->io.buffer_size || r->data_offset < sizeof(*r) ||
	    end > p->ring_size) {
		SNDERR(WHO
		       ": %s: the ring's geometry (%u bytes/frame, %u x %u frames at %u) is not "
		       "the one asked for (%u bytes/frame, %u x %u frames)",
		       p->conn.path, r->frame_bytes, r->period_frames,
		       r->period_frames ? r->buffer_frames / r->period_frames : 0, r->data_offset,
		       p->frame_bytes, hw->period_frames, hw->periods);
		return -EPROTO;
	}
	return 0;
}

static int ring_map(struct nook_pcm *p, int memfd, const struct nook_snd_hw_params *hw)
{
	struct stat st;
	void *m;

	if (fstat(memfd, &st) < 0)
		return -errno;
	if ((size_t)st.st_size < sizeof(struct nook_snd_ring))
		return -EPROTO;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->ring = m;
	p->ring_size = (size_t)st.st_size;
	p->buffer_frames = p->ring->buffer_frames;
	if (ring_check(p, hw) < 0)
		return -EPROTO;
	p->data = (uint8_t *)m + p->ring->data_offset;
	p->ring_areas = calloc(p->io.channels, sizeof(*p->ring_areas));
	if (!p->ring_areas)
		return -ENOMEM;
	for (unsigned int ch = 0; ch < p->io.channels; ch++) {
		p->ring_areas[ch].addr = p->data;
		p->ring_areas[ch].first =
			ch * (unsigned int)snd_pcm_format_physical_width(p->io.format);
		p->ring_areas[ch].step = p->frame_bytes * 8;
	}
	return 0;
}

static int nook_hw_params(snd_pcm_ioplug_t *io, snd_pcm_hw_params_t *params)
{
	struct nook_pcm *p = io->private_data;
	struct nook_snd_req req = { .op = NOOK_SND_PCM_HW_PARAMS };
	struct nook_snd_reply rep;
	int fds[2], r;

	if (p->ring) {
		ring_release(p);
		pcm_simple(p, NOOK_SND_PCM_HW_FREE);
	}
	if (io->period_size == 0 || io->buffer_size % io->period_size) {
		SNDERR(WHO ": buffer size %lu is not a whole number of periods of %lu",
		       io->buffer_size, io->period_size);
		return -EINVAL;
	}
	req.hw_params = (struct nook_snd_hw_params){
		.format = (uint32_t)io->format,
		.channels = io->channels,
		.rate = io->rate,
		.period_frames = (uint32_t)io->period_size,
		.periods = (uint32_t)(io->buffer_size / io->period_size),
	};
	p->frame_bytes = (unsigned int)snd_pcm_format_physical_width(io->format) / 8 * io->channels;
	r = pcm_call(p, &req, &rep, fds, 2);
	if (r < 0) {
		SNDERR(WHO ": %s: the card refused %s, %u channels, %u Hz, %u x %u frames: %s",
		       p->conn.path, snd_pcm_format_name(io->format), io->channels, io->rate,
		       req.hw_params.period_frames, req.hw_params.periods, strerror(-r));
		return r;
	}
	if (fds[0] < 0 || fds[1] < 0 ||
	    memcmp(&rep.hw_params, &req.hw_params,
		   offsetof(struct nook_snd_hw_params, frame_bytes))) {
		/* alsa-lib has fixed these parameters already: the server must grant them as asked. */
		SNDERR(WHO ": %s: the server granted other parameters than asked, or no ring",
		       p->conn.path);
		r = -EPROTO;
		goto fail;
	}
	p->evfd = fds[1];
	fds[1] = -1;
	r = ring_map(p, fds[0], &req.hw_params);
	if (r < 0)
		goto fail;
	close(fds[0]);
	p->appl = 0;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	ring_release(p);
	pcm_simple(p, NOOK_SND_PCM_HW_FREE);
	return r;
}

static int nook_hw_free(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;

	if (!p->ring)
		return 0;
	ring_release(p);
	return p->gone ? 0 : pcm_simple(p, NOOK_SND_PCM_HW_FREE);
}

static int nook_sw_params(snd_pcm_ioplug_t *io, snd_pcm_sw_params_t *params)
{
	struct nook_pcm *p = io->private_data;

	return snd_pcm_sw_params_get_avail_min(params, &p->avail_min);
}

static int nook_prepare(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;
	int r;

	if (server_gone(p))
		return -ENODEV;
	r = pcm_simple(p, NOOK_SND_PCM_PREPARE);
	if (r < 0)
		return r;
	p->appl = 0;
	p->started = false;
	return 0;
}

/* Wait for the ring to change, or the server to go, until @deadline_ms. */
static int wait_ring(struct nook_pcm *p, int64_t deadline_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = p->evfd, .events = POLLIN },
		{ .fd = p->conn.sock, .events = POLLIN },
	};
	int64_t left = deadline_ms - nook_now_ms();
	int n;

	if (left <= 0)
		return -ETIMEDOUT;
	n = poll(pfd, 2, (int)left);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (pfd[1].revents) {
		p->gone = 1;
		return -ENODEV;
	}
	if (pfd[0].revents & POLLIN)
		nook_snd_wake_take(p->evfd);
	return 0;
}

static int64_t drain_deadline(struct nook_pcm *p, uint64_t hw)
{
	uint64_t queued = p->appl > hw ? p->appl - hw : 0;

	return nook_now_ms() + (int64_t)(queued * 1000 / p->io.rate) + DRAIN_MARGIN_MS;
}

/* Playback: let the card play what is queued, then stop. Called without ioplug's lock. */
static int nook_drain(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;
	uint64_t hw;
	int64_t deadline;
	int r;

	if (server_gone(p))
		return -ENODEV;
	if (io->stream == SND_PCM_STREAM_CAPTURE || !p->ring || p->appl == 0) {
		snd_pcm_ioplug_set_state(io, SND_PCM_STATE_SETUP);
		return pcm_simple(p, NOOK_SND_PCM_STOP);
	}
	/*
	 * Fewer frames than the start threshold were written: the card never started. Asked of
	 * this side, not of the ring: nookd copies the driver's state into it a moment after it
	 * answers START, and a second START is refused (EBADFD).
	 */
	if (!p->started) {
		r = nook_start(io);
		if (r < 0)
			return r;
	}
	r = pcm_simple(p, NOOK_SND_PCM_DRAIN);
	if (r < 0)
		return r;
	hw = atomic_load(&p->ring->hw_ptr);
	deadline = drain_deadline(p, hw);
	for (;;) {
		uint32_t state = atomic_load(&p->ring->state);
		uint64_t now_hw = atomic_load(&p->ring->hw_ptr);

		if (state == NOOK_SND_STATE_SETUP)
			break;
		if (state == NOOK_SND_STATE_XRUN) {
			snd_pcm_ioplug_set_state(io, SND_PCM_STATE_XRUN);
			return -EPIPE;
		}
		if (state == NOOK_SND_STATE_DISCONNECTED)
			p->gone = 1;
		if (p->gone)
			break;
		if (now_hw != hw) { /* progress: the card is slow, not stuck */
			hw = now_hw;
			deadline = drain_deadline(p, hw);
		}
		r = wait_ring(p, deadline);
		if (r == -ETIMEDOUT) {
			SNDERR(WHO ": %s: drain: the card stopped playing (%llu frames left)",
			       p->conn.path, (unsigned long long)(p->appl - hw));
			pcm_simple(p, NOOK_SND_PCM_STOP);
			return -EIO;
		}
		if (r < 0 && r != -ENODEV)
			return r;
	}
	if (p->gone) {
		snd_pcm_ioplug_set_state(io, SND_PCM_STATE_DISCONNECTED);
		return -ENODEV;
	}
	snd_pcm_ioplug_set_state(io, SND_PCM_STATE_SETUP);
	return 0;
}

static int nook_poll_count(snd_pcm_ioplug_t *io)
{
	return 2;
}

/*
 * The ring's wake-ups (the server's wake socket, or a standalone driver's eventfd), and the
 * socket: its hang-up wakes an application waiting on a dead server.
 */
static int nook_poll_descriptors(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int space)
{
	struct nook_pcm *p = io->private_data;

	if (space < 2)
		return -EINVAL;
	pfd[0] = (struct pollfd){ .fd = p->evfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = p->conn.sock, .events = POLLIN };
	return 2;
}

static int nook_poll_revents(snd_pcm_ioplug_t *io, struct pollfd *pfd, unsigned int nfds,
			     unsigned short *revents)
{
	struct nook_pcm *p = io->private_data;
	unsigned short ready = io->stream == SND_PCM_STREAM_PLAYBACK ? POLLOUT : POLLIN;
	uint64_t hw, avail;
	int r;

	*revents = 0;
	if (nfds < 2)
		return -EINVAL;
	if (pfd[1].revents || server_gone(p)) {
		p->gone = 1;
		snd_pcm_ioplug_set_state(io, SND_PCM_STATE_DISCONNECTED);
		*revents = POLLERR;
		return 0;
	}
	if (pfd[0].revents & (POLLERR | POLLNVAL)) {
		*revents = POLLERR;
		return 0;
	}
	/* Take the wake-ups first: a change after this signals again. */
	r = pfd[0].revents & POLLIN ? nook_snd_wake_take(p->evfd) : -EAGAIN;
	if (r < 0 && r != -EAGAIN)
		return r;
	if (!p->ring)
		return 0;
	if (atomic_load(&p->ring->state) == NOOK_SND_STATE_XRUN) {
		*revents = ready; /* the application finds -EPIPE when it looks */
		return 0;
	}
	hw = atomic_load_explicit(&p->ring->hw_ptr, memory_order_acquire);
	if (io->stream == SND_PCM_STREAM_PLAYBACK)
		avail = p->buffer_frames - (p->appl > hw ? p->appl - hw : 0);
	else
		avail = hw > p->appl ? hw - p->appl : 0;
	if (avail >= (p->avail_min ? p->avail_min : 1))
		*revents = ready;
	return 0;
}

static int nook_close(snd_pcm_ioplug_t *io)
{
	struct nook_pcm *p = io->private_data;

	if (!p->gone)
		pcm_simple(p, NOOK_SND_PCM_CLOSE);
	ring_release(p);
	nook_conn_close(&p->conn);
	free(p);
	return 0;
}

static const snd_pcm_ioplug_callback_t nook_pcm_callback = {
	.start = nook_start,
	.stop = nook_stop,
	.pointer = nook_pointer,
	.transfer = nook_transfer,
	.close = nook_close,
	.hw_params = nook_hw_params,
	.hw_free = nook_hw_free,
	.sw_params = nook_sw_params,
	.prepare = nook_prepare,
	.drain = nook_drain,
	.poll_descriptors_count = nook_poll_count,
	.poll_descriptors = nook_poll_descriptors,
	.poll_revents = nook_poll_revents,
};

/* What the card can do, as ioplug constraints: hw_params refuses anything else with -EINVAL. */
static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

static int set_constraints(struct nook_pcm *p)
{
	const struct nook_snd_pcm_caps *c = &p->caps;
	unsigned int access[2] = { SND_PCM_ACCESS_RW_INTERLEAVED, SND_PCM_ACCESS_MMAP_INTERLEAVED };
	unsigned int formats[64], n_formats = 0;
	snd_pcm_ioplug_t *io = &p->io;
	int r;

	for (unsigned int f = 0; f < 64 && f <= SND_PCM_FORMAT_LAST; f++) {
		if ((c->formats & (1ull << f)) && snd_pcm_format_physical_width(f) > 0)
			formats[n_formats++] = f;
	}
	if (!n_formats)
		return -EPROTO;
	/*
	 * MMAP for playback only: ioplug commits playback's mmap'ed frames through transfer, so
	 * this plugin's appl follows; capture's mmap_begin would read ahead of what is committed.
	 */
	r = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_ACCESS,
					  io->stream == SND_PCM_STREAM_PLAYBACK ? 2 : 1, access);
	if (!r)
		r = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_FORMAT, n_formats, formats);
	if (!r)
		r = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_CHANNELS, c->channels_min,
						    c->channels_max);
	if (!r && c->n_rates)
		r = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_RATE, c->n_rates, c->rates);
	else if (!r)
		r = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_RATE, c->rate_min,
						    c->rate_max);
	/*
	 * Period sizes from a list (2^k and 3 * 2^k bytes): a period is then a whole number of
	 * frames of any width up to 6 channels, so the buffer alsa-lib picks is a whole number
	 * of periods, as the card's DMA buffer must be. A bare byte range lets a buffer time
	 * like 500 ms end as 22050 frames of 5512.5-frame periods.
	 */
	unsigned int sizes[64], n_sizes = 0;

	for (unsigned int b = 16; b <= c->period_bytes_max && n_sizes + 2 <= 64; b *= 2) {
		if (b >= c->period_bytes_min)
			sizes[n_sizes++] = b;
		if (b * 3 >= c->period_bytes_min && b * 3 <= c->period_bytes_max)
			sizes[n_sizes++] = b * 3;
	}
	qsort(sizes, n_sizes, sizeof(sizes[0]), cmp_uint);
	if (!n_sizes)
		return -EPROTO;
	if (!r)
		r = snd_pcm_ioplug_set_param_list(io, SND_PCM_IOPLUG_HW_PERIOD_BYTES, n_sizes,
						  sizes);
	if (!r)
		r = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_PERIODS, c->periods_min,
						    c->periods_max);
	if (!r)
		r = snd_pcm_ioplug_set_param_minmax(io, SND_PCM_IOPLUG_HW_BUFFER_BYTES,
						    c->period_bytes_min * c->periods_min,
						    c->buffer_bytes_max);
	return r;
}

static int pcm_open_stream(struct nook_pcm *p, snd_pcm_stream_t stream)
{
	struct nook_snd_req req = { .op = NOOK_SND_PCM_OPEN };
	struct nook_snd_reply rep;
	int r;

	req.pcm_open.device = p->device;
	req.pcm_open.stream =
		stream == SND_PCM_STREAM_PLAYBACK ? NOOK_SND_PLAYBACK : NOOK_SND_CAPTURE;
	r = pcm_call(p, &req, &rep, NULL, 0);
	if (r < 0) {
		SNDERR(WHO ": %s: card %s has no %s stream on PCM device %u: %s", p->conn.path,
		       p->conn.card.name,
		       stream == SND_PCM_STREAM_PLAYBACK ? "playback" : "capture", p->device,
		       strerror(-r));
		return r;
	}
	p->caps = rep.pcm_caps;
	if (nook_snd_caps_check(&p->caps) < 0) {
		SNDERR(WHO ": %s: the server describes PCM device %u with impossible limits",
		       p->conn.path, p->device);
		return -EPROTO;
	}
	return 0;
}

SND_PCM_PLUGIN_DEFINE_FUNC(nook)
{
	const char *dev = NULL;
	struct nook_pcm *p;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->evfd = -1;
	p->conn.sock = -1;
	r = nook_conn_parse_conf(conf, WHO, &dev, &p->device);
	if (r < 0)
		goto fail;
	r = nook_conn_open(&p->conn, dev, WHO);
	if (r < 0)
		goto fail;
	r = pcm_open_stream(p, stream);
	if (r < 0)
		goto fail;
	p->io.version = SND_PCM_IOPLUG_VERSION;
	p->io.name = "nook";
	p->io.poll_fd = -1;
	p->io.callback = &nook_pcm_callback;
	p->io.private_data = p;
	r = snd_pcm_ioplug_create(&p->io, name, stream, mode);
	if (r < 0)
		goto fail;
	r = set_constraints(p);
	if (r < 0) {
		SNDERR(WHO ": %s: cannot describe the card's limits to alsa-lib: %s", p->conn.path,
		       snd_strerror(r));
		snd_pcm_ioplug_delete(&p->io); /* calls nook_close, which frees p */
		return r;
	}
	*pcmp = p->io.pcm;
	return 0;
fail:
	nook_conn_close(&p->conn);
	free(p);
	return r;
}

SND_PCM_PLUGIN_SYMBOL(nook);
