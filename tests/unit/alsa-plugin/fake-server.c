// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fake card server (fake-server.h): one thread, one poll loop over the listening socket,
 * the connections and each running stream's timerfd, which is the card's period clock.
 */
#include "fake-server.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/ipc/sound-proto.h"

#define MAX_CLIENTS 8
#define FMT_S16_LE 2 /* SNDRV_PCM_FORMAT_S16_LE */
#define PLAYED_MAX (8u << 20)

struct client {
	int sock;
	uint32_t stream;
	int opened; /* PCM_OPEN done */
	struct nook_snd_hw_params hw;
	struct nook_snd_ring *ring;
	size_t ring_size;
	int evfd, timerfd; /* evfd: our end of the ring's wake-ups */
	int evfd_peer;	   /* the client's end, until passed */
	int start_pending; /* lagging: started, the ring still says PREPARED until the first tick */
};

struct fake_server {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd, wake_fd;
	pthread_t thread;
	int running, quit;
	_Atomic int lag_state; /* fake_server_lag_state() */
	struct client clients[MAX_CLIENTS];

	pthread_mutex_t lock; /* played, ctl values */
	uint8_t *played;
	size_t played_len;
	int64_t volume[2];
	int64_t sw, source;
};

static const uint32_t fake_rates[] = { 8000, 11025, 16000, 22050, 32000, 44100, 48000 };

int16_t fake_capture_sample(uint64_t frame, unsigned int ch)
{
	return (int16_t)(uint16_t)(frame * 3 + ch * 1000);
}

static void signal_ring(struct client *c)
{
	nook_snd_wake(c->evfd);
}

static void set_timer(struct client *c, int on)
{
	struct itimerspec its = { 0 };

	if (on) {
		uint64_t ns = (uint64_t)c->hw.period_frames * 1000000000ull / c->hw.rate;

		its.it_value.tv_sec = (time_t)(ns / 1000000000ull);
		its.it_value.tv_nsec = (long)(ns % 1000000000ull);
		its.it_interval = its.it_value;
	}
	timerfd_settime(c->timerfd, 0, &its, NULL);
}

static void ring_free(struct client *c)
{
	if (c->ring)
		munmap(c->ring, c->ring_size);
	if (c->evfd >= 0)
		close(c->evfd);
	if (c->evfd_peer >= 0)
		close(c->evfd_peer);
	if (c->timerfd >= 0)
		close(c->timerfd);
	c->ring = NULL;
	c->evfd = c->evfd_peer = c->timerfd = -1;
}

static void client_close(struct client *c)
{
	ring_free(c);
	if (c->sock >= 0)
		close(c->sock);
	memset(c, 0, sizeof(*c));
	c->sock = c->evfd = c->evfd_peer = c->timerfd = -1;
}

static uint32_t frame_bytes(const struct nook_snd_hw_params *hw)
{
	return 2 * hw->channels;
}

static int hw_ok(const struct nook_snd_hw_params *hw)
{
	uint64_t period_bytes = (uint64_t)hw->period_frames * 2 * hw->channels;
	int rate_ok = 0;

	for (size_t i = 0; i < sizeof(fake_rates) / sizeof(fake_rates[0]); i++)
		rate_ok |= hw->rate == fake_rates[i];
	return rate_ok && hw->format == FMT_S16_LE && hw->channels >= 1 && hw->channels <= 2 &&
	       period_bytes >= 64 && period_bytes <= 65536 && hw->periods >= 2 &&
	       hw->periods <= 32 && period_bytes * hw->periods <= 128 * 1024;
}

/* A sealed ring and its wake-ups for the client, as nookd makes them; fds[] get the ones to pass. */
static int hw_params(struct client *c, const struct nook_snd_hw_params *hw, int fds[2])
{
	size_t data = (size_t)hw->period_frames * hw->periods * frame_bytes(hw);
	int memfd;

	if (!hw_ok(hw))
		return -EINVAL;
	ring_free(c);
	c->hw = *hw;
	c->ring_size = 4096 + ((data + 4095) & ~(size_t)4095);
	memfd = nook_snd_ring_memfd(c->ring_size);
	if (memfd < 0)
		return memfd;
	c->ring = mmap(NULL, c->ring_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (nook_snd_wake_pair(&c->evfd, &c->evfd_peer) < 0)
		c->evfd = c->evfd_peer = -1;
	c->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (c->ring == MAP_FAILED || c->evfd < 0 || c->timerfd < 0) {
		c->ring = NULL;
		close(memfd);
		return -ENOMEM;
	}
	c->ring->magic = NOOK_SND_RING_MAGIC;
	c->ring->version = NOOK_SND_PROTO_VERSION;
	c->ring->stream = c->stream;
	c->ring->frame_bytes = frame_bytes(hw);
	c->ring->period_frames = hw->period_frames;
	c->ring->buffer_frames = hw->period_frames * hw->periods;
	c->ring->data_offset = 4096;
	atomic_store(&c->ring->state, NOOK_SND_STATE_SETUP);
	fds[0] = memfd;
	fds[1] = c->evfd_peer;
	return 0;
}

static void record_played(struct fake_server *fs, const uint8_t *p, size_t n)
{
	pthread_mutex_lock(&fs->lock);
	if (fs->played_len + n <= PLAYED_MAX) {
		memcpy(fs->played + fs->played_len, p, n);
		fs->played_len += n;
	}
	pthread_mutex_unlock(&fs->lock);
}

/* One period of the card's clock. */
static void tick(struct fake_server *fs, struct client *c)
{
	struct nook_snd_ring *r = c->ring;
	uint8_t *data = (uint8_t *)r + r->data_offset;
	uint64_t hw = atomic_load(&r->hw_ptr), appl = atomic_load(&r->appl_ptr);
	uint32_t state;

	if (c->start_pending) {
		c->start_pending = 0;
		atomic_store(&r->state, NOOK_SND_STATE_RUNNING);
	}
	state = atomic_load(&r->state);
	if (state != NOOK_SND_STATE_RUNNING && state != NOOK_SND_STATE_DRAINING)
		return;
	if (c->stream == NOOK_SND_PLAYBACK) {
		uint64_t n = appl - hw < r->period_frames ? appl - hw : r->period_frames;

		for (uint64_t i = 0; i < n; i++)
			record_played(fs, data + ((hw + i) % r->buffer_frames) * r->frame_bytes,
				      r->frame_bytes);
		atomic_store(&r->hw_ptr, hw + n);
		if (state == NOOK_SND_STATE_DRAINING && hw + n == appl) {
			atomic_store(&r->state, NOOK_SND_STATE_SETUP);
			set_timer(c, 0);
		} else if (n == 0) {
			atomic_store(&r->state, NOOK_SND_STATE_XRUN);
			atomic_fetch_add(&r->xruns, 1);
			set_timer(c, 0);
		}
	} else {
		for (uint64_t i = 0; i < r->period_frames; i++) {
			int16_t *f =
				(int16_t *)(data + ((hw + i) % r->buffer_frames) * r->frame_bytes);

			for (unsigned int ch = 0; ch < c->hw.channels; ch++)
				f[ch] = fake_capture_sample(hw + i, ch);
		}
		atomic_store(&r->hw_ptr, hw + r->period_frames);
		if (hw + r->period_frames - appl > r->buffer_frames) {
			atomic_store(&r->state, NOOK_SND_STATE_XRUN);
			set_timer(c, 0);
		}
	}
	signal_ring(c);
}

static int pcm_op(struct fake_server *fs, struct client *c, const struct nook_snd_req *q)
{
	uint32_t state = c->ring ? atomic_load(&c->ring->state) : NOOK_SND_STATE_SETUP;

	if (!c->ring)
		return -EBADFD;
	if (c->start_pending)
		state = NOOK_SND_STATE_RUNNING;
	switch (q->op) {
	case NOOK_SND_PCM_PREPARE:
		c->start_pending = 0;
		set_timer(c, 0);
		atomic_store(&c->ring->hw_ptr, 0);
		atomic_store(&c->ring->appl_ptr, 0);
		atomic_store(&c->ring->state, NOOK_SND_STATE_PREPARED);
		return 0;
	case NOOK_SND_PCM_START:
		if (state != NOOK_SND_STATE_PREPARED)
			return -EBADFD;
		if (atomic_load(&fs->lag_state))
			c->start_pending = 1;
		else
			atomic_store(&c->ring->state, NOOK_SND_STATE_RUNNING);
		set_timer(c, 1);
		return 0;
	case NOOK_SND_PCM_STOP:
		c->start_pending = 0;
		set_timer(c, 0);
		atomic_store(&c->ring->state, NOOK_SND_STATE_SETUP);
		break;
	case NOOK_SND_PCM_DRAIN:
		if (state != NOOK_SND_STATE_RUNNING)
			return -EBADFD;
		c->start_pending = 0;
		if (atomic_load(&c->ring->hw_ptr) == atomic_load(&c->ring->appl_ptr)) {
			set_timer(c, 0);
			atomic_store(&c->ring->state, NOOK_SND_STATE_SETUP);
		} else {
			atomic_store(&c->ring->state, NOOK_SND_STATE_DRAINING);
		}
		break;
	}
	signal_ring(c);
	return 0;
}

static int ctl_info(uint32_t index, struct nook_snd_ctl_info *in)
{
	static const char *const names[] = { "Master Playback Volume", "Master Playback Switch",
					     "Capture Source" };
	static const uint32_t types[] = { 2 /* INTEGER */, 1 /* BOOLEAN */, 3 /* ENUMERATED */ };

	if (index >= 3)
		return -ENOENT;
	memset(in, 0, sizeof(*in));
	in->iface = 2; /* MIXER */
	strcpy(in->name, names[index]);
	in->type = types[index];
	in->access = 3 | (index == 0 ? 0x10 : 0); /* READWRITE, TLV_READ */
	in->count = index == 0 ? 2 : 1;
	in->max = index == 0 ? 31 : 1;
	in->step = index == 0 ? 1 : 0;
	in->items = index == 2 ? 3 : 0;
	return 0;
}

static int64_t *ctl_slot(struct fake_server *fs, uint32_t index, unsigned int i)
{
	return index == 0 ? &fs->volume[i] : index == 1 ? &fs->sw : &fs->source;
}

static int ctl_rw(struct fake_server *fs, const struct nook_snd_req *q, struct nook_snd_reply *a)
{
	struct nook_snd_ctl_info in;
	uint32_t index = q->op == NOOK_SND_CTL_READ ? q->ctl_ref.index : q->ctl_value.index;
	int r = ctl_info(index, &in);

	if (r < 0)
		return r;
	a->ctl_value.index = index;
	pthread_mutex_lock(&fs->lock);
	for (unsigned int i = 0; i < in.count; i++) {
		int64_t *slot = ctl_slot(fs, index, i);
		int64_t v = q->ctl_value.values[i];
		int64_t max = index == 2 ? 2 : in.max;

		if (q->op == NOOK_SND_CTL_WRITE && (v < 0 || v > max)) {
			r = -EINVAL;
			break;
		}
		if (q->op == NOOK_SND_CTL_WRITE && *slot != v) {
			*slot = v;
			a->ctl_value.changed = 1;
		}
		a->ctl_value.values[i] = *slot;
	}
	pthread_mutex_unlock(&fs->lock);
	return r;
}

static int ctl_op(struct fake_server *fs, const struct nook_snd_req *q, struct nook_snd_reply *a)
{
	static const char *const items[] = { "Mic", "Line", "CD" };

	switch (q->op) {
	case NOOK_SND_CTL_COUNT:
		a->ctl_count.count = 3;
		return 0;
	case NOOK_SND_CTL_INFO:
		return ctl_info(q->ctl_ref.index, &a->ctl_info);
	case NOOK_SND_CTL_ENUM_ITEM:
		if (q->ctl_ref.index != 2 || q->ctl_ref.item >= 3)
			return -EINVAL;
		strcpy(a->ctl_item.name, items[q->ctl_ref.item]);
		return 0;
	case NOOK_SND_CTL_READ:
	case NOOK_SND_CTL_WRITE:
		return ctl_rw(fs, q, a);
	case NOOK_SND_CTL_TLV:
		if (q->ctl_ref.index >= 3)
			return -ENOENT;
		if (q->ctl_ref.index == 0) {
			a->ctl_tlv.words = 4;
			a->ctl_tlv.tlv[0] = 1; /* SNDRV_CTL_TLVT_DB_SCALE */
			a->ctl_tlv.tlv[1] = 8;
			a->ctl_tlv.tlv[2] = (uint32_t)FAKE_TLV_DB_MIN;
			a->ctl_tlv.tlv[3] = FAKE_TLV_DB_STEP;
		}
		return 0;
	}
	return -EINVAL;
}

static void card(struct nook_snd_card *cd)
{
	cd->version = NOOK_SND_PROTO_VERSION;
	strcpy(cd->id, "NookFake");
	strcpy(cd->driver, "FAKE");
	strcpy(cd->name, "Fake nook card");
	strcpy(cd->longname, "Fake nook card at " FAKE_BDF);
	cd->n_pcms = 1;
	cd->pcms[0].playback_substreams = 1;
	cd->pcms[0].capture_substreams = 1;
	strcpy(cd->pcms[0].name, "Fake PCM");
}

static void caps(struct nook_snd_pcm_caps *cp)
{
	cp->formats = 1ull << FMT_S16_LE;
	cp->channels_min = 1;
	cp->channels_max = 2;
	cp->rate_min = 8000;
	cp->rate_max = 48000;
	cp->n_rates = sizeof(fake_rates) / sizeof(fake_rates[0]);
	memcpy(cp->rates, fake_rates, sizeof(fake_rates));
	cp->period_bytes_min = 64;
	cp->period_bytes_max = 65536;
	cp->periods_min = 2;
	cp->periods_max = 32;
	cp->buffer_bytes_max = 128 * 1024;
}

static int request(struct fake_server *fs, struct client *c, const struct nook_snd_req *q,
		   struct nook_snd_reply *a, int fds[2])
{
	switch (q->op) {
	case NOOK_SND_HELLO:
		card(&a->card);
		return 0;
	case NOOK_SND_PCM_OPEN:
		if (q->pcm_open.device != 0 || q->pcm_open.stream > NOOK_SND_CAPTURE)
			return -ENODEV;
		c->stream = q->pcm_open.stream;
		c->opened = 1;
		caps(&a->pcm_caps);
		return 0;
	case NOOK_SND_PCM_HW_PARAMS:
		if (!c->opened)
			return -EBADFD;
		a->hw_params = q->hw_params;
		return hw_params(c, &q->hw_params, fds);
	case NOOK_SND_PCM_HW_FREE:
	case NOOK_SND_PCM_CLOSE:
		ring_free(c);
		return 0;
	case NOOK_SND_PCM_PREPARE:
	case NOOK_SND_PCM_START:
	case NOOK_SND_PCM_STOP:
	case NOOK_SND_PCM_DRAIN:
		return pcm_op(fs, c, q);
	default:
		return ctl_op(fs, q, a);
	}
}

static void serve(struct fake_server *fs, struct client *c)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;
	int fds[2] = { -1, -1 }, r;

	r = nook_snd_recv(c->sock, &q, sizeof(q), NULL, 0);
	if (r < 0) {
		client_close(c);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.op = q.op;
	a.seq = q.seq;
	a.err = request(fs, c, &q, &a, fds);
	nook_snd_send(c->sock, &a, sizeof(a), fds, a.err == 0 && fds[0] >= 0 ? 2 : 0);
	if (fds[0] >= 0) {
		close(fds[0]); /* the memfd: the mapping stays */
		close(fds[1]); /* the client's end of the wake-ups */
		c->evfd_peer = -1;
	}
}

static void accept_client(struct fake_server *fs)
{
	int s = accept4(fs->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (s < 0)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (fs->clients[i].sock < 0) {
			fs->clients[i].sock = s;
			return;
		}
	}
	close(s);
}

static void *server_thread(void *arg)
{
	struct fake_server *fs = arg;

	while (!__atomic_load_n(&fs->quit, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd[2 + 2 * MAX_CLIENTS];
		int n = 0;

		pfd[n++] = (struct pollfd){ .fd = fs->listen_fd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = fs->wake_fd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++) {
			pfd[n++] = (struct pollfd){ .fd = fs->clients[i].sock, .events = POLLIN };
			pfd[n++] =
				(struct pollfd){ .fd = fs->clients[i].timerfd, .events = POLLIN };
		}
		if (poll(pfd, (nfds_t)n, 1000) <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			accept_client(fs);
		for (int i = 0; i < MAX_CLIENTS; i++) {
			struct client *c = &fs->clients[i];
			uint64_t expirations;

			if (c->timerfd >= 0 && (pfd[3 + 2 * i].revents & POLLIN) &&
			    read(c->timerfd, &expirations, sizeof(expirations)) > 0)
				tick(fs, c);
			if (pfd[2 + 2 * i].revents)
				serve(fs, c);
		}
	}
	return NULL;
}

struct fake_server *fake_server_start(const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct fake_server *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return NULL;
	pthread_mutex_init(&fs->lock, NULL);
	for (int i = 0; i < MAX_CLIENTS; i++)
		fs->clients[i].sock = fs->clients[i].evfd = fs->clients[i].evfd_peer =
			fs->clients[i].timerfd = -1;
	snprintf(fs->path, sizeof(fs->path), "%s/%s", dir, FAKE_BDF);
	memcpy(sa.sun_path, fs->path, sizeof(sa.sun_path));
	fs->played = malloc(PLAYED_MAX);
	fs->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	fs->wake_fd = eventfd(0, EFD_CLOEXEC);
	if (!fs->played || fs->listen_fd < 0 || fs->wake_fd < 0 ||
	    bind(fs->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fs->listen_fd, 8) < 0 ||
	    pthread_create(&fs->thread, NULL, server_thread, fs) != 0) {
		fake_server_free(fs);
		return NULL;
	}
	fs->running = 1;
	return fs;
}

void fake_server_stop(struct fake_server *fs)
{
	uint64_t one = 1;

	if (!fs->running)
		return;
	__atomic_store_n(&fs->quit, 1, __ATOMIC_RELEASE);
	if (write(fs->wake_fd, &one, sizeof(one)) < 0) {
		/* the thread still sees quit within its poll timeout */
	}
	pthread_join(fs->thread, NULL);
	fs->running = 0;
	for (int i = 0; i < MAX_CLIENTS; i++)
		client_close(&fs->clients[i]);
	close(fs->listen_fd);
	fs->listen_fd = -1;
	unlink(fs->path);
}

void fake_server_free(struct fake_server *fs)
{
	if (!fs)
		return;
	fake_server_stop(fs);
	if (fs->listen_fd >= 0) {
		close(fs->listen_fd);
		unlink(fs->path);
	}
	if (fs->wake_fd >= 0)
		close(fs->wake_fd);
	pthread_mutex_destroy(&fs->lock);
	free(fs->played);
	free(fs);
}

void fake_server_lag_state(struct fake_server *fs, int on)
{
	atomic_store(&fs->lag_state, on);
}

size_t fake_server_played(struct fake_server *fs, void *buf, size_t max)
{
	size_t n;

	pthread_mutex_lock(&fs->lock);
	n = fs->played_len < max ? fs->played_len : max;
	memcpy(buf, fs->played, n);
	pthread_mutex_unlock(&fs->lock);
	return n;
}
