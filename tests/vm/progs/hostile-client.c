// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-client: a local user's program that turns nook's sound protocol (sound-proto.h)
 * against the server of a card, nookd in the VM scenario hostile-client.sh. Each mode is an
 * attack the server must survive while it goes on serving everyone else:
 *
 *   connections BDF N [SECONDS]  open N connections at once, say how many the server kept
 *                                open (they answer HELLO) and how many it closed, then hold
 *                                them for SECONDS (default 60) or until SIGTERM/SIGINT
 *   truncate BDF                 set a stream up as the plugin does, then try to resize the
 *                                ring memfd, change its seals and write into the wake-up fd
 *   block BDF SECONDS [DEVICE playback|capture]
 *                                set a stream up, make the wake-up fd blocking, start the
 *                                stream with frames never written (the ring's silence) and
 *                                keep it running for SECONDS without ever reading a wake-up
 *   flood BDF N                  N malformed requests as fast as the server takes them,
 *                                then N valid HELLOs, every answer checked
 *
 * Each finding is one line on stdout, prefixed with the mode. Exit status: 0 when the server
 * held (every attempt refused, every answer in time), 1 when an attack got through or the
 * server stopped answering, 2 when the test could not be run (no server, bad arguments).
 *
 * The socket directory is the protocol's: $NOOK_SOUND_DIR, /run/nook/sound by default.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc/sound-proto.h"

#define EXIT_HELD 0
#define EXIT_BROKEN 1
#define EXIT_SETUP 2

/* How long the server may take to answer one request (the plugins give it 5 s too). */
#define ANSWER_MS 5000
/* How long a connect may wait for room in the server's backlog. */
#define CONNECT_MS 10000

/* SNDRV_PCM_FORMAT_* this program can size a frame for. */
#define FMT_S8 0
#define FMT_U8 1
#define FMT_S16_LE 2
#define FMT_S32_LE 10

static const char *mode = "hostile-client";
static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL); /* a signal cuts it short: the caller looks at stop_asked */
}

static const char *err_text(int r)
{
	return strerror(r < 0 ? -r : r);
}

/* --- connections */

static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

static int path_for(const char *bdf)
{
	int r = nook_snd_socket_path(bdf, sock_path, sizeof(sock_path));

	if (r < 0)
		say("cannot name the socket of card %s: %s", bdf, err_text(r));
	return r;
}

/*
 * A connection to the card's socket: a blocking connect, which waits (up to CONNECT_MS) while
 * the server's backlog is full, then non-blocking. Returns the fd or a negative errno.
 */
static int conn_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = CONNECT_MS / 1000 };
	int fd, r;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, sock_path, sizeof(sa.sun_path));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		goto fail;
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EINTR)
			goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		goto fail;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r == -EAGAIN || r == -EINPROGRESS ? -ETIMEDOUT : r;
}

/* Wait up to @ms for a message on @fd: 0, -ETIMEDOUT, or another negative errno. */
static int wait_readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t deadline = now_ms() + ms;

	for (;;) {
		int64_t left = deadline - now_ms();
		int n = poll(&pfd, 1, left > 0 ? (int)left : 0);

		if (n > 0)
			return 0; /* a message, or the hang-up, which recv reports */
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/*
 * One request and its answer, as the plugin makes them: @q's seq filled from *@seq, the
 * answer checked to be @q's. Up to 2 fds into @fds (may be NULL). Returns the answer's err,
 * or the transport's: -EPIPE when the server closed the connection, -ETIMEDOUT when it did
 * not answer in ANSWER_MS, -EPROTO for an answer to something else.
 */
static int call(int fd, uint32_t *seq, struct nook_snd_req *q, struct nook_snd_reply *a, int *fds)
{
	int got[2] = { -1, -1 }, r;

	q->seq = ++*seq;
	r = nook_snd_send(fd, q, sizeof(*q), NULL, 0);
	if (r < 0)
		return r;
	r = wait_readable(fd, ANSWER_MS);
	if (r < 0)
		return r;
	memset(a, 0, sizeof(*a));
	r = nook_snd_recv(fd, a, sizeof(*a), got, 2);
	if (r >= 0 && ((size_t)r != sizeof(*a) || a->op != q->op || a->seq != q->seq))
		r = -EPROTO;
	for (int i = 0; i < 2; i++) {
		if (fds && r >= 0)
			fds[i] = got[i];
		else if (got[i] >= 0)
			close(got[i]);
	}
	return r < 0 ? r : a->err;
}

/* --- a stream, set up as the plugin sets one up */

struct stream {
	int sock;
	uint32_t seq;
	struct nook_snd_card card;
	unsigned int device;
	enum nook_snd_stream dir;
	struct nook_snd_pcm_caps caps;
	struct nook_snd_hw_params hw; /* as granted */
	int mem, wake;		      /* the ring's memfd and the wake-up fd, as received */
	size_t mem_size;
	struct nook_snd_ring *ring; /* mapped when asked */
};

/* A request that carries nothing but its op. */
static int simple(struct stream *s, uint32_t op)
{
	struct nook_snd_req q = { .op = op };
	struct nook_snd_reply a;

	return call(s->sock, &s->seq, &q, &a, NULL);
}

/*
 * The stream to attack when none is named: a playback stream on a device other than 0 (the
 * one `aplay -D nook:DEV=...` plays on, which the attack leaves free), else device 0's
 * capture, else device 0's playback.
 */
static void choose_stream(const struct nook_snd_card *card, int *device, int *dir)
{
	unsigned int n = card->n_pcms < NOOK_SND_MAX_PCMS ? card->n_pcms : NOOK_SND_MAX_PCMS;

	if (*device >= 0 && *dir >= 0)
		return;
	for (unsigned int i = 0; i < n; i++) {
		if (card->pcms[i].device != 0 && card->pcms[i].playback_substreams) {
			*device = (int)card->pcms[i].device;
			*dir = NOOK_SND_PLAYBACK;
			return;
		}
	}
	*device = 0;
	*dir = NOOK_SND_PLAYBACK;
	for (unsigned int i = 0; i < n; i++)
		if (card->pcms[i].device == 0 && card->pcms[i].capture_substreams)
			*dir = NOOK_SND_CAPTURE;
}

static unsigned int clamp_u(unsigned int v, unsigned int lo, unsigned int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A geometry any card of these limits takes: 0, or -ENOTSUP for a format we cannot size. */
static int choose_params(const struct nook_snd_pcm_caps *c, struct nook_snd_hw_params *hw)
{
	static const unsigned int rates[] = { 48000, 44100 };
	unsigned int sample, frame, bytes;

	memset(hw, 0, sizeof(*hw));
	if (c->formats & (1ull << FMT_S16_LE)) {
		hw->format = FMT_S16_LE;
		sample = 2;
	} else if (c->formats & (1ull << FMT_S32_LE)) {
		hw->format = FMT_S32_LE;
		sample = 4;
	} else if (c->formats & ((1ull << FMT_S8) | (1ull << FMT_U8))) {
		hw->format = c->formats & (1ull << FMT_U8) ? FMT_U8 : FMT_S8;
		sample = 1;
	} else {
		return -ENOTSUP;
	}
	hw->channels = clamp_u(2, c->channels_min, c->channels_max);
	hw->rate = 0;
	for (unsigned int i = 0; i < 2 && !hw->rate; i++) {
		if (c->n_rates) {
			for (unsigned int k = 0; k < c->n_rates && k < NOOK_SND_MAX_RATES; k++)
				if (c->rates[k] == rates[i])
					hw->rate = rates[i];
		} else if (rates[i] >= c->rate_min && rates[i] <= c->rate_max) {
			hw->rate = rates[i];
		}
	}
	if (!hw->rate)
		hw->rate = c->n_rates ? c->rates[c->n_rates - 1] : c->rate_max;
	/* Short periods (512 frames, ~11 ms), so that the server signals often. */
	frame = sample * hw->channels;
	bytes = clamp_u(512 * frame, c->period_bytes_min, c->period_bytes_max);
	hw->period_frames = (bytes + frame - 1) / frame;
	hw->periods = clamp_u(4, c->periods_min, c->periods_max);
	while (hw->periods > c->periods_min &&
	       (uint64_t)hw->period_frames * frame * hw->periods > c->buffer_bytes_max)
		hw->periods--;
	return 0;
}

static int stream_setup(const char *bdf, int device, int dir, bool map, struct stream *s)
{
	struct nook_snd_req q = { .op = NOOK_SND_HELLO };
	struct nook_snd_reply a;
	uint8_t hdr[sizeof(struct nook_snd_ring)];
	int fds[2] = { -1, -1 }, r;
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->mem = s->wake = -1;
	if (path_for(bdf) < 0)
		return -EINVAL;
	s->sock = conn_open();
	if (s->sock < 0) {
		say("cannot connect to %s: %s", sock_path, err_text(s->sock));
		return s->sock;
	}
	r = call(s->sock, &s->seq, &q, &a, NULL);
	if (r < 0) {
		say("HELLO failed: %s", err_text(r));
		return r;
	}
	s->card = a.card;
	s->card.name[sizeof(s->card.name) - 1] = '\0';
	choose_stream(&s->card, &device, &dir);
	s->device = (unsigned int)device;
	s->dir = (enum nook_snd_stream)dir;

	q = (struct nook_snd_req){ .op = NOOK_SND_PCM_OPEN };
	q.pcm_open.device = s->device;
	q.pcm_open.stream = s->dir;
	r = call(s->sock, &s->seq, &q, &a, NULL);
	if (r == 0)
		r = nook_snd_caps_check(&a.pcm_caps);
	if (r < 0) {
		say("PCM_OPEN of device %u %s failed: %s", s->device,
		    dir == NOOK_SND_CAPTURE ? "capture" : "playback", err_text(r));
		return r;
	}
	s->caps = a.pcm_caps;

	q = (struct nook_snd_req){ .op = NOOK_SND_PCM_HW_PARAMS };
	r = choose_params(&s->caps, &q.hw_params);
	if (r < 0) {
		say("the stream offers no sample format this program knows (mask %#llx)",
		    (unsigned long long)s->caps.formats);
		return r;
	}
	r = call(s->sock, &s->seq, &q, &a, fds);
	if (r < 0) {
		say("PCM_HW_PARAMS (format %u, %u ch, %u Hz, %u x %u frames) failed: %s",
		    q.hw_params.format, q.hw_params.channels, q.hw_params.rate, q.hw_params.periods,
		    q.hw_params.period_frames, err_text(r));
		return r;
	}
	s->mem = fds[0];
	s->wake = fds[1];
	s->hw = a.hw_params;
	if (s->mem < 0 || s->wake < 0) {
		say("PCM_HW_PARAMS's answer came without a ring and its wake-up fd");
		return -EPROTO;
	}
	/* The geometry as the ring's header has it, as the plugin takes it (read, not mapped). */
	if (fstat(s->mem, &st) < 0 || (size_t)st.st_size < sizeof(hdr) ||
	    pread(s->mem, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
		say("the ring memfd is empty or unreadable");
		return -EPROTO;
	}
	s->mem_size = (size_t)st.st_size;
	memcpy(&s->hw.frame_bytes, hdr + offsetof(struct nook_snd_ring, frame_bytes), 4);
	memcpy(&s->hw.period_frames, hdr + offsetof(struct nook_snd_ring, period_frames), 4);
	memcpy(&s->hw.buffer_frames, hdr + offsetof(struct nook_snd_ring, buffer_frames), 4);
	if (!s->hw.frame_bytes || !s->hw.period_frames || !s->hw.buffer_frames ||
	    NOOK_SND_RING_DATA_OFFSET + (uint64_t)s->hw.buffer_frames * s->hw.frame_bytes >
		    s->mem_size) {
		say("the ring's header does not describe its memfd (%u bytes/frame, %u frames in "
		    "%zu bytes)",
		    s->hw.frame_bytes, s->hw.buffer_frames, s->mem_size);
		return -EPROTO;
	}
	say("stream set up on %s (card \"%s\"): device %u %s, %u Hz, %u ch, %u x %u frames; "
	    "ring memfd of %zu bytes and wake-up fd received",
	    sock_path, s->card.name, s->device, s->dir == NOOK_SND_CAPTURE ? "capture" : "playback",
	    s->hw.rate, s->hw.channels,
	    s->hw.buffer_frames / (s->hw.period_frames ? s->hw.period_frames : 1),
	    s->hw.period_frames, s->mem_size);
	if (!map)
		return 0;
	s->ring = mmap(NULL, s->mem_size, PROT_READ | PROT_WRITE, MAP_SHARED, s->mem, 0);
	if (s->ring == MAP_FAILED) {
		r = -errno;
		s->ring = NULL;
		say("cannot map the ring read-write: %s", err_text(r));
		return r;
	}
	if (s->ring->magic != NOOK_SND_RING_MAGIC) {
		say("the ring's header is not a nook ring's (magic %#x)", s->ring->magic);
		return -EPROTO;
	}
	return 0;
}

/* --- connections BDF N [SECONDS] */

/* Room for @n fds: the soft limit raised to the hard one if need be. */
static int fd_room(unsigned long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur >= n)
		return 0;
	if (rl.rlim_max < n) {
		say("cannot hold %lu fds: RLIMIT_NOFILE's hard limit is %llu (raise it, e.g. "
		    "ulimit -n, before running this)",
		    n, (unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	rl.rlim_cur = n;
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

static int mode_connections(const char *bdf, unsigned long n, unsigned int hold_s)
{
	unsigned long opened = 0, kept = 0, closed = 0, failed = 0, still = 0, m;
	int first_err = 0, *fds, *state; /* state: 0 waiting for HELLO's answer, 1 kept, 2 closed */
	unsigned long *idx;
	struct pollfd *pfd;
	uint32_t seq = 0;
	int64_t t0, deadline;

	if (path_for(bdf) < 0 || fd_room(n + 32) < 0)
		return EXIT_SETUP;
	fds = calloc(n, sizeof(*fds));
	state = calloc(n, sizeof(*state));
	idx = calloc(n, sizeof(*idx));
	pfd = calloc(n, sizeof(*pfd));
	if (!fds || !state || !idx || !pfd) {
		say("out of memory for %lu connections", n);
		return EXIT_SETUP;
	}
	t0 = now_ms();
	for (unsigned long i = 0; i < n; i++) {
		fds[i] = conn_open();
		if (fds[i] >= 0) {
			opened++;
			continue;
		}
		if (!failed++)
			first_err = fds[i];
		state[i] = 2;
	}
	say("%lu of %lu connections made in %lld ms%s%s", opened, n, (long long)(now_ms() - t0),
	    failed ? "; the first that failed: " : "", failed ? err_text(first_err) : "");
	if (!opened) {
		say("the server took no connection at all");
		return EXIT_SETUP;
	}
	/* Which ones the server keeps: each says HELLO; a kept one answers, a closed one hangs up. */
	for (unsigned long i = 0; i < n; i++) {
		struct nook_snd_req q = { .op = NOOK_SND_HELLO, .seq = ++seq };

		if (fds[i] >= 0 && nook_snd_send(fds[i], &q, sizeof(q), NULL, 0) < 0) {
			close(fds[i]);
			fds[i] = -1;
			state[i] = 2;
			closed++;
		}
	}
	deadline = now_ms() + 20000;
	for (;;) {
		int64_t left = deadline - now_ms();
		int k;

		m = 0;
		for (unsigned long i = 0; i < n; i++) {
			if (fds[i] >= 0 && state[i] == 0) {
				idx[m] = i;
				pfd[m++] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
			}
		}
		if (!m || left <= 0)
			break;
		k = poll(pfd, m, (int)left);
		for (unsigned long j = 0; k > 0 && j < m; j++) {
			unsigned long i = idx[j];
			struct nook_snd_reply a;
			int r;

			if (!pfd[j].revents)
				continue;
			r = nook_snd_recv(fds[i], &a, sizeof(a), NULL, 0);
			if (r == -EAGAIN || r == -EINTR)
				continue;
			if (r > 0 && a.op == NOOK_SND_HELLO && a.err == 0) {
				state[i] = 1;
				kept++;
				continue;
			}
			state[i] = 2;
			closed++;
			close(fds[i]);
			fds[i] = -1;
		}
	}
	say("%lu connections at once: %lu kept open by the server (answering HELLO), %lu closed "
	    "by it, %lu neither in 20 s, %lu not made",
	    n, kept, closed, opened - kept - closed, failed);
	say("holding %lu connections for %u s (SIGTERM ends it)", kept, hold_s);
	t0 = now_ms();
	deadline = t0 + (int64_t)hold_s * 1000;
	while (!stop_asked && now_ms() < deadline)
		sleep_ms(200);
	for (unsigned long i = 0; i < n; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		if (state[i] == 1 && poll(&p, 1, 0) == 0)
			still++;
		if (fds[i] >= 0)
			close(fds[i]);
	}
	say("after %lld ms held, %lu of the %lu kept connections were still open",
	    (long long)(now_ms() - t0), still, kept);
	free(fds);
	free(state);
	free(idx);
	free(pfd);
	return EXIT_HELD;
}

/* --- truncate BDF */

/* One attempt: @r is 0 (it went through) or a negative errno (refused). */
static bool attempt(const char *what, int r, unsigned int *got_through)
{
	if (r == 0) {
		++*got_through;
		say("%s: ALLOWED (the server's sealing failed)", what);
		return true;
	}
	say("%s: refused (%s)", what, err_text(r));
	return false;
}

static int neg_errno(int rc)
{
	return rc < 0 ? -errno : 0;
}

static int mode_truncate(const char *bdf)
{
	unsigned int got_through = 0;
	struct stream s;
	char proc[64], what[128];
	int seals, fd, r;
	struct stat st;
	uint8_t one = 1;
	off_t size;

	r = stream_setup(bdf, -1, -1, false, &s);
	if (r < 0)
		return EXIT_SETUP;
	size = (off_t)s.mem_size;
	seals = fcntl(s.mem, F_GET_SEALS);
	if (seals < 0)
		say("the ring memfd's seals: cannot read them: %s", strerror(errno));
	else
		say("the ring memfd's seals:%s%s%s%s%s", seals & F_SEAL_SHRINK ? " shrink" : "",
		    seals & F_SEAL_GROW ? " grow" : "", seals & F_SEAL_SEAL ? " seal" : "",
		    seals & F_SEAL_WRITE ? " write" : "", seals == 0 ? " none" : "");

	attempt("ftruncate the ring to 0 bytes", neg_errno(ftruncate(s.mem, 0)), &got_through);
	snprintf(what, sizeof(what), "ftruncate the ring to double its size (%lld bytes)",
		 (long long)size * 2);
	attempt(what, neg_errno(ftruncate(s.mem, size * 2)), &got_through);
	attempt("ftruncate the ring one page shorter", neg_errno(ftruncate(s.mem, size - 4096)),
		&got_through);
	attempt("fallocate the ring to double its size",
		neg_errno(fallocate(s.mem, 0, 0, size * 2)), &got_through);
	r = (int)pwrite(s.mem, &one, 1, size);
	attempt("write a byte past the ring's end", r < 0 ? -errno : 0, &got_through);
	/* Seals only ever add up; F_SEAL_SEAL means even adding is over. */
	attempt("F_ADD_SEALS none (allowed only while unsealed)",
		neg_errno(fcntl(s.mem, F_ADD_SEALS, 0)), &got_through);
	attempt("F_ADD_SEALS F_SEAL_WRITE (would stop the server writing the ring)",
		neg_errno(fcntl(s.mem, F_ADD_SEALS, F_SEAL_WRITE)), &got_through);
#ifdef F_SEAL_FUTURE_WRITE
	attempt("F_ADD_SEALS F_SEAL_FUTURE_WRITE",
		neg_errno(fcntl(s.mem, F_ADD_SEALS, F_SEAL_FUTURE_WRITE)), &got_through);
#endif
	/* A new open file of the same memory: seals are the memory's, not the file's. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s.mem);
	fd = open(proc, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		say("reopening the ring through %s: %s (nothing more to try there)", proc,
		    strerror(errno));
	} else {
		attempt("ftruncate to 0 through a new read-write open of the ring",
			neg_errno(ftruncate(fd, 0)), &got_through);
		attempt("F_ADD_SEALS none through the new open (the seals are still there)",
			neg_errno(fcntl(fd, F_ADD_SEALS, 0)), &got_through);
		close(fd);
	}
	if (fstat(s.mem, &st) == 0 && st.st_size != size) {
		say("the ring is now %lld bytes, not %lld", (long long)st.st_size, (long long)size);
		got_through++;
	} else {
		say("the ring is still %lld bytes", (long long)size);
	}

	/* The wake-up fd: the waiting end of a one-way pair, nothing to write into. */
	if (fstat(s.wake, &st) == 0)
		say("the wake-up fd is %s", S_ISSOCK(st.st_mode) ?
						    "a socket (one end of a pair)" :
						    "not a socket (a shared eventfd?)");
	r = fcntl(s.wake, F_SETFL, fcntl(s.wake, F_GETFL) & ~O_NONBLOCK);
	say("cleared O_NONBLOCK on the wake-up fd: %s (only this program's own open file)",
	    r < 0 ? strerror(errno) : "done");
	{
		uint64_t v = 1;
		ssize_t n = send(s.wake, &v, sizeof(v), MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == ENOTSOCK)
			n = write(s.wake, &v, sizeof(v));
		attempt("write into the wake-up fd", n < 0 ? -errno : 0, &got_through);
	}

	/* Whatever happened, the server must still answer on this connection. */
	r = simple(&s, NOOK_SND_PCM_PREPARE);
	say("PCM_PREPARE after the attempts: %s", r == 0 ? "answered" : err_text(r));
	if (r == -EPIPE || r == -ETIMEDOUT || r == -EPROTO)
		got_through++;
	r = simple(&s, NOOK_SND_PCM_CLOSE);
	say("PCM_CLOSE: %s", r == 0 ? "answered" : err_text(r));
	say("%s", got_through ? "an attempt got through" : "every attempt was refused");
	return got_through ? EXIT_BROKEN : EXIT_HELD;
}

/* --- block BDF SECONDS [DEVICE playback|capture] */

/* Keep the stream fed with frames never written: playback a buffer ahead, capture read up. */
static void feed(struct stream *s)
{
	uint64_t hw = atomic_load(&s->ring->hw_ptr);

	atomic_store(&s->ring->appl_ptr,
		     s->dir == NOOK_SND_PLAYBACK ? hw + s->hw.buffer_frames : hw);
}

static int start(struct stream *s)
{
	int r = simple(s, NOOK_SND_PCM_PREPARE);

	if (r == 0) {
		feed(s);
		r = simple(s, NOOK_SND_PCM_START);
		if (r < 0)
			say("PCM_START: %s", err_text(r));
	} else {
		say("PCM_PREPARE: %s", err_text(r));
	}
	return r;
}

static int unread(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) < 0 ? -1 : n;
}

static int mode_block(const char *bdf, unsigned int hold_s, int device, int dir)
{
	uint64_t hw, hw_mark = 0, xruns = 0;
	int64_t t0, deadline, next_look;
	int inq_mark = -1, inq, r, flags;
	bool full = false, ok = true;
	unsigned int step_ms;
	struct stream s;

	r = stream_setup(bdf, device, dir, true, &s);
	if (r < 0)
		return EXIT_SETUP;
	flags = fcntl(s.wake, F_GETFL);
	r = flags < 0 ? -1 : fcntl(s.wake, F_SETFL, flags & ~O_NONBLOCK);
	say("the wake-up fd made blocking: %s; it is never read from now on",
	    r < 0 ? strerror(errno) : "done");
	if (start(&s) < 0)
		return EXIT_SETUP;
	t0 = now_ms();
	say("stream started with frames never written; holding it %u s", hold_s);
	fflush(stdout);
	step_ms = s.hw.rate ? (unsigned int)((uint64_t)s.hw.period_frames * 1000 / s.hw.rate / 2) :
			      10;
	step_ms = clamp_u(step_ms, 2, 50);
	deadline = t0 + (int64_t)hold_s * 1000;
	next_look = t0 + 1000;
	while (!stop_asked && now_ms() < deadline) {
		uint32_t state;

		sleep_ms(step_ms);
		state = atomic_load(&s.ring->state);
		if (state == NOOK_SND_STATE_DISCONNECTED) {
			say("the server says the card is gone (state DISCONNECTED)");
			ok = false;
			break;
		}
		if (state == NOOK_SND_STATE_XRUN) {
			xruns++;
			if (start(&s) < 0) {
				ok = false;
				break;
			}
			continue;
		}
		feed(&s);
		if (now_ms() < next_look)
			continue;
		/* Once a second: has the server's signalling filled the wake-up fd? */
		next_look += 1000;
		hw = atomic_load(&s.ring->hw_ptr);
		inq = unread(s.wake);
		if (!full && inq > 0 && inq == inq_mark && hw > hw_mark) {
			full = true;
			say("the wake-up fd is full: %d bytes of wake-ups unread, and the stream "
			    "runs "
			    "on (frame %llu): the server's later wake-ups find no room",
			    inq, (unsigned long long)hw);
			fflush(stdout);
		}
		inq_mark = inq;
		hw_mark = hw;
	}
	hw = atomic_load(&s.ring->hw_ptr);
	say("after %lld ms: the stream ran to frame %llu (%.1f s of sound), %llu xruns restarted, "
	    "%d bytes of wake-ups left unread%s",
	    (long long)(now_ms() - t0), (unsigned long long)hw,
	    s.hw.rate ? (double)hw / s.hw.rate : 0.0, (unsigned long long)xruns, unread(s.wake),
	    full ? " (the fd filled up)" : "");
	if (!hw) {
		say("the stream never moved: the server was not signalling it");
		ok = false;
	}
	r = simple(&s, NOOK_SND_PCM_STOP);
	say("PCM_STOP: %s", r == 0 ? "answered: the server still serves this client" : err_text(r));
	if (r < 0)
		ok = false;
	return ok ? EXIT_HELD : EXIT_BROKEN;
}

/* --- flood BDF N */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: enough for garbage */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static void rnd_fill(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
}

enum garbage {
	G_SHORT,	/* fewer bytes than a request */
	G_OP_ZERO,	/* op 0 */
	G_OP_HIGH,	/* op beyond the protocol's */
	G_OP_SV,	/* nookd-to-driver ops, from a client */
	G_PCM_UNOPENED, /* a stream's ops with no stream open */
	G_HW_PARAMS,	/* HW_PARAMS with random geometry and no stream open */
	G_PCM_OPEN,	/* PCM_OPEN of a device or direction that does not exist */
	G_CTL_INDEX,	/* controls beyond the card's */
	G_RANDOM,	/* a request's size of random bytes */
	G_FDS,		/* a request with fds no request carries */
	G_LONG,		/* more bytes than a request: the server closes the connection */
	G_EMPTY,	/* an empty message: the server takes it for the end */
	G_KINDS
};

static const char *const garbage_name[G_KINDS] = {
	"short",
	"op 0",
	"op out of range",
	"nookd-to-driver op",
	"stream op, no stream",
	"HW_PARAMS, random, no stream",
	"PCM_OPEN of no such stream",
	"control out of range",
	"random bytes",
	"fds attached",
	"oversized",
	"empty",
};

/* Build garbage of @kind in @buf; its length. */
static size_t garbage(enum garbage kind, uint8_t *buf, size_t max, uint32_t seq)
{
	struct nook_snd_req q;

	memset(&q, 0, sizeof(q));
	q.seq = seq;
	switch (kind) {
	case G_SHORT: {
		size_t len = 1 + rnd() % (sizeof(q) - 1);

		rnd_fill(buf, len);
		if (len >= 8)
			memcpy(buf + 4, &seq, 4);
		return len;
	}
	case G_OP_ZERO:
		rnd_fill(&q, sizeof(q));
		q.op = 0;
		break;
	case G_OP_HIGH:
		rnd_fill(&q, sizeof(q));
		q.op = NOOK_SND_CTL_TLV + 1 + rnd() % 1000;
		if (rnd() % 4 == 0)
			q.op = UINT32_MAX - rnd() % 4;
		break;
	case G_OP_SV:
		rnd_fill(&q, sizeof(q));
		q.op = rnd() % 2 ? NOOK_SND_SV_CONNECT : NOOK_SND_SV_RING;
		break;
	case G_PCM_UNOPENED: {
		static const uint32_t ops[] = { NOOK_SND_PCM_HW_FREE, NOOK_SND_PCM_PREPARE,
						NOOK_SND_PCM_START,   NOOK_SND_PCM_STOP,
						NOOK_SND_PCM_DRAIN,   NOOK_SND_PCM_CLOSE };

		q.op = ops[rnd() % 6];
		if (q.op == NOOK_SND_PCM_PREPARE)
			q.prepare.position = ((uint64_t)rnd() << 32) | rnd();
		break;
	}
	case G_HW_PARAMS:
		q.op = NOOK_SND_PCM_HW_PARAMS;
		rnd_fill(&q.hw_params, sizeof(q.hw_params));
		break;
	case G_PCM_OPEN:
		q.op = NOOK_SND_PCM_OPEN;
		q.pcm_open.device = NOOK_SND_MAX_PCMS + rnd() % 1000;
		q.pcm_open.stream = rnd() % 2 ? rnd() | 2 : rnd() % 2;
		if (q.pcm_open.stream <= NOOK_SND_CAPTURE)
			q.pcm_open.device = UINT32_MAX - rnd() % 8;
		break;
	case G_CTL_INDEX: {
		static const uint32_t ops[] = { NOOK_SND_CTL_INFO, NOOK_SND_CTL_ENUM_ITEM,
						NOOK_SND_CTL_READ, NOOK_SND_CTL_WRITE,
						NOOK_SND_CTL_TLV };

		q.op = ops[rnd() % 5];
		rnd_fill(&q.ctl_value, sizeof(q.ctl_value));
		q.ctl_ref.index = (1u << 20) + rnd() % (UINT32_MAX - (1u << 20));
		break;
	}
	case G_RANDOM:
		rnd_fill(&q, sizeof(q));
		q.seq = seq;
		if (q.op >= NOOK_SND_HELLO && q.op <= NOOK_SND_CTL_TLV)
			q.op = 0; /* a valid op with random values could write a real control */
		break;
	case G_FDS:
		rnd_fill(&q, sizeof(q));
		q.op = 0x7fffffff;
		break;
	case G_LONG: {
		size_t len = sizeof(q) + 1 + rnd() % 256;

		if (len > max)
			len = max;
		rnd_fill(buf, len);
		return len;
	}
	case G_EMPTY:
	case G_KINDS:
		return 0;
	}
	q.seq = seq;
	memcpy(buf, &q, sizeof(q));
	return sizeof(q);
}

struct flood_stats {
	unsigned long sent, answered, refused_op, refused_other, accepted, mismatched;
	unsigned long closed_expected, closed_unexpected, lost, connects;
	unsigned long by_kind[G_KINDS];
	int other_errs[8];
	unsigned int n_other_errs;
};

#define WINDOW 8 /* requests in flight on one connection (the socket queues ~10) */

struct inflight {
	uint32_t seq;
	bool has_seq;
	bool hello;
};

static void note_err(struct flood_stats *st, int err)
{
	for (unsigned int i = 0; i < st->n_other_errs; i++)
		if (st->other_errs[i] == err)
			return;
	if (st->n_other_errs < 8)
		st->other_errs[st->n_other_errs++] = err;
}

/*
 * Send @n requests (garbage, or HELLOs when @hello) on connections made as needed, WINDOW at
 * a time, and take every answer. Returns 0, or -ETIMEDOUT when the server went silent for
 * ANSWER_MS with requests in flight, another negative errno when it cannot be reached.
 */
static int flood(unsigned long n, bool hello, struct flood_stats *st, int64_t deadline)
{
	static uint8_t buf[sizeof(struct nook_snd_req) + 512];
	struct inflight q[WINDOW];
	unsigned int head = 0, count = 0;
	bool closing = false;
	int sock = -1, devnull = open("/dev/null", O_RDONLY | O_CLOEXEC), r = 0;
	uint32_t seq = 0;

	while (st->sent < n || count || closing) {
		if (now_ms() > deadline) {
			say("out of time after %lu requests", st->sent);
			break;
		}
		if (sock < 0) {
			sock = conn_open();
			if (sock < 0) {
				say("cannot connect again after %lu requests: %s", st->sent,
				    err_text(sock));
				r = sock;
				break;
			}
			st->connects++;
		}
		/* Fill the window; after a message that ends the connection, send no more. */
		while (!closing && count < WINDOW && st->sent < n) {
			/* One in 32 ends the connection: most of the flood stays on one. */
			enum garbage kind = hello	    ? G_KINDS :
					    rnd() % 32 == 0 ? (rnd() % 2 ? G_LONG : G_EMPTY) :
							      (enum garbage)(rnd() % G_LONG);
			struct nook_snd_req h = { .op = NOOK_SND_HELLO, .seq = ++seq };
			int fds[3] = { devnull, devnull, devnull };
			size_t len;

			if (hello) {
				memcpy(buf, &h, sizeof(h));
				len = sizeof(h);
			} else {
				len = garbage(kind, buf, sizeof(buf), ++seq);
			}
			r = nook_snd_send(sock, buf, len, fds,
					  kind == G_FDS && devnull >= 0 ? 3 : 0);
			if (r == -EAGAIN)
				break;
			if (r < 0)
				break; /* the server closed it: the answers before are taken below */
			st->sent++;
			if (!hello)
				st->by_kind[kind]++;
			if (!hello && (kind == G_LONG || kind == G_EMPTY)) {
				closing = true;
				break;
			}
			q[(head + count++) % WINDOW] =
				(struct inflight){ seq, hello || kind != G_SHORT || len >= 8,
						   hello };
		}
		r = wait_readable(sock, ANSWER_MS);
		if (r < 0) {
			say("the server did not answer in %d ms with %u requests in flight (after "
			    "%lu "
			    "sent)",
			    ANSWER_MS, count, st->sent);
			break;
		}
		/* Take every answer there is; an end of the connection ends the batch. */
		for (;;) {
			struct nook_snd_reply a;
			struct inflight *f;

			r = nook_snd_recv(sock, &a, sizeof(a), NULL, 0);
			if (r == -EAGAIN) {
				r = 0;
				break;
			}
			if (r < 0) {
				if (closing && !count)
					st->closed_expected++;
				else
					st->closed_unexpected++;
				st->lost += count;
				count = 0;
				closing = false;
				close(sock);
				sock = -1;
				r = 0;
				break;
			}
			if (!count) {
				st->mismatched++; /* an answer to nothing */
				continue;
			}
			f = &q[head];
			head = (head + 1) % WINDOW;
			count--;
			st->answered++;
			if ((size_t)r != sizeof(a) || (f->has_seq && a.seq != f->seq)) {
				st->mismatched++;
				continue;
			}
			if (f->hello) {
				if (a.op != NOOK_SND_HELLO || a.err ||
				    a.card.version != NOOK_SND_PROTO_VERSION)
					st->mismatched++;
				else
					st->accepted++;
			} else if (a.err == 0) {
				st->accepted++;
			} else if (a.err == -EOPNOTSUPP) {
				st->refused_op++;
			} else {
				st->refused_other++;
				note_err(st, a.err);
			}
		}
		if (r < 0)
			break;
		/* A closing message answered (not what the server does), or the socket buffer full. */
		if (closing && !count && sock >= 0 && wait_readable(sock, 1000) == -ETIMEDOUT) {
			say("the server kept a connection open after an oversized or empty "
			    "message");
			close(sock);
			sock = -1;
			closing = false;
		}
	}
	if (sock >= 0)
		close(sock);
	if (devnull >= 0)
		close(devnull);
	return r;
}

static int mode_flood(const char *bdf, unsigned long n)
{
	struct flood_stats g = { 0 }, h = { 0 };
	int64_t t0, t1;
	bool ok = true;
	char errs[256] = "";
	int r;

	if (path_for(bdf) < 0)
		return EXIT_SETUP;
	rng_state = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;
	say("seed %#llx", (unsigned long long)rng_state);
	t0 = now_ms();
	r = flood(n, false, &g, t0 + 60000);
	t1 = now_ms();
	for (unsigned int i = 0; i < g.n_other_errs; i++)
		snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs), "%s%s", i ? ", " : "",
			 strerror(-g.other_errs[i]));
	say("%lu malformed requests in %lld ms on %lu connections: %lu answered (%lu refused as "
	    "not a request, %lu refused by the card%s%s, %lu accepted), %lu answers that did not "
	    "match their request",
	    g.sent, (long long)(t1 - t0), g.connects, g.answered, g.refused_op, g.refused_other,
	    *errs ? ": " : "", errs, g.accepted, g.mismatched);
	for (int k = 0; k < G_KINDS; k++)
		printf("%s%s %lu", k ? ", " : "flood: sent by kind: ", garbage_name[k],
		       g.by_kind[k]);
	putchar('\n');
	say("connections closed by the server: %lu after an oversized or empty message (as it "
	    "should), %lu otherwise, %lu requests lost with them",
	    g.closed_expected, g.closed_unexpected, g.lost);
	if (r < 0 || g.mismatched || g.closed_unexpected)
		ok = false;

	t0 = now_ms();
	r = flood(n, true, &h, t0 + 60000);
	t1 = now_ms();
	say("%lu HELLOs in %lld ms (%.0f a second): %lu answered with the card (protocol %u), "
	    "%lu wrong answers, %lu lost to closed connections",
	    h.sent, (long long)(t1 - t0), t1 > t0 ? h.sent * 1000.0 / (double)(t1 - t0) : 0.0,
	    h.accepted, NOOK_SND_PROTO_VERSION, h.mismatched, h.lost);
	if (r < 0 || h.accepted != n)
		ok = false;
	say("%s", ok ? "the server answered everything it was sent" :
		       "the server did not answer everything as it should");
	return ok ? EXIT_HELD : EXIT_BROKEN;
}

/* --- main */

static int usage(void)
{
	fprintf(stderr,
		"usage: hostile-client connections BDF N [SECONDS]\n"
		"       hostile-client truncate BDF\n"
		"       hostile-client block BDF SECONDS [DEVICE playback|capture]\n"
		"       hostile-client flood BDF N\n"
		"The card's socket is $NOOK_SOUND_DIR/BDF (default %s/BDF).\n",
		NOOK_SND_DEFAULT_DIR);
	return EXIT_SETUP;
}

static bool number(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;

	errno = 0;
	*ret = strtoul(s, &end, 10);
	return !errno && *s && !*end && *ret <= max;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned long n = 0, secs = 60, dev;
	int device = -1, dir = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 3)
		return usage();
	mode = argv[1];
	if (!strcmp(mode, "connections")) {
		if (argc < 4 || argc > 5 || !number(argv[3], 1u << 20, &n) || !n ||
		    (argc == 5 && !number(argv[4], 86400, &secs)))
			return usage();
		return mode_connections(argv[2], n, (unsigned int)secs);
	}
	if (!strcmp(mode, "truncate")) {
		if (argc != 3)
			return usage();
		return mode_truncate(argv[2]);
	}
	if (!strcmp(mode, "block")) {
		if ((argc != 4 && argc != 6) || !number(argv[3], 86400, &secs))
			return usage();
		if (argc == 6) {
			if (!number(argv[4], 255, &dev))
				return usage();
			device = (int)dev;
			if (!strcmp(argv[5], "playback"))
				dir = NOOK_SND_PLAYBACK;
			else if (!strcmp(argv[5], "capture"))
				dir = NOOK_SND_CAPTURE;
			else
				return usage();
		}
		return mode_block(argv[2], (unsigned int)secs, device, dir);
	}
	if (!strcmp(mode, "flood")) {
		if (argc != 4 || !number(argv[3], 100000000, &n) || !n)
			return usage();
		return mode_flood(argv[2], n);
	}
	return usage();
}
