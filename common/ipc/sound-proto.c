// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nook sound protocol's transport (see sound-proto.h): one fixed struct per SEQPACKET
 * message, fds beside it as SCM_RIGHTS, and where a card's socket lives.
 */
#include "sound-proto.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdpass.h"
#include "common/base/pci-addr.h"
#include "common/base/dirs.h"

int nook_snd_send(int sock, const void *msg, size_t len, const int *fds, unsigned int n_fds)
{
	union {
		char buf[NOOK_FDPASS_SPACE(NOOK_SND_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (n_fds > NOOK_SND_MAX_FDS)
		return -EINVAL;
	nook_fdpass_attach(&mh, ctl.buf, fds, n_fds);
	do {
		/* MSG_NOSIGNAL: a peer that went away is -EPIPE here, not SIGPIPE in the app. */
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET || errno == ENOTCONN ? -EPIPE : -errno;
	if ((size_t)n != len)
		return -EMSGSIZE; /* SEQPACKET sends all or nothing; this is not our peer */
	return 0;
}

int nook_snd_recv(int sock, void *msg, size_t len, int *ret_fds, unsigned int max_fds)
{
	/* Room for more fds than we keep: the extra ones arrive and are closed here. */
	union {
		char buf[NOOK_FDPASS_SPACE(8)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	if (max_fds > NOOK_SND_MAX_FDS)
		max_fds = NOOK_SND_MAX_FDS;
	for (unsigned int i = 0; i < max_fds; i++)
		ret_fds[i] = -1;
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	nook_fdpass_take(&mh, ret_fds, max_fds);
	if (n == 0)
		return -EPIPE; /* orderly shutdown: SEQPACKET has no empty messages of ours */
	if (mh.msg_flags & MSG_TRUNC) {
		for (unsigned int i = 0; i < max_fds; i++) {
			if (ret_fds[i] >= 0)
				close(ret_fds[i]);
			ret_fds[i] = -1;
		}
		return -EMSGSIZE;
	}
	return (int)n;
}

static const char *sound_dir(void)
{
	const char *dir = getenv("NOOK_SOUND_DIR");

	return dir && *dir ? dir : NOOK_SND_DEFAULT_DIR;
}

static int is_card(const char *dir, const char *name)
{
	char path[4096];
	struct nook_pci_addr a;
	struct stat st;

	if (strlen(name) != NOOK_PCI_ADDR_LEN - 1 || nook_pci_addr_parse(name, &a) < 0)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int first_card(const char *dir, char *ret_bdf)
{
	struct dirent **names;
	int n, r = -ENOENT;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		/* Only sockets named by a full BDF: anything else in the directory is not a card. */
		if (r < 0 && is_card(dir, names[i]->d_name)) {
			memcpy(ret_bdf, names[i]->d_name, NOOK_PCI_ADDR_LEN);
			r = 0;
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int nook_snd_socket_path(const char *dev, char *buf, size_t size)
{
	char bdf[NOOK_PCI_ADDR_LEN];
	const char *dir = sound_dir();
	int r;

	if (dev && *dev) {
		struct nook_pci_addr a;

		r = nook_pci_addr_parse(dev, &a);
		if (r < 0)
			return r;
		nook_pci_addr_format(&a, bdf);
	} else {
		r = first_card(dir, bdf);
		if (r < 0)
			return r;
	}
	r = snprintf(buf, size, "%s/%s", dir, bdf);
	if (r < 0 || (size_t)r >= size)
		return -ENAMETOOLONG;
	return 0;
}

int nook_snd_listen(const char *bdf, char *path, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r;

	if (!bdf || !*bdf)
		return -EINVAL;
	r = nook_snd_socket_path(bdf, path, size);
	if (r < 0)
		return r;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	/* The directory and its parents (/run/nook/sound), as mkdir -p. */
	r = nook_make_parents(path);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0 ||
	    chmod(path, 0666) < 0) { /* any local user may play, as on a desktop */
		r = -errno;
		close(fd);
		unlink(path);
		return r;
	}
	return fd;
}

int nook_snd_caps_check(const struct nook_snd_pcm_caps *c)
{
	if (!c->formats || !c->channels_min || c->channels_min > c->channels_max || !c->rate_min ||
	    c->rate_min > c->rate_max || c->n_rates > NOOK_SND_MAX_RATES || !c->period_bytes_min ||
	    c->period_bytes_min > c->period_bytes_max || !c->periods_min ||
	    c->periods_min > c->periods_max || !c->buffer_bytes_max)
		return -EPROTO;
	return 0;
}

size_t nook_snd_ring_bytes(unsigned int frame_bytes, unsigned int buffer_frames)
{
	size_t size = NOOK_SND_RING_DATA_OFFSET + (size_t)buffer_frames * frame_bytes;

	return (size + 4095) & ~(size_t)4095;
}

void nook_snd_ring_init(struct nook_snd_ring *r, enum nook_snd_stream stream,
			unsigned int frame_bytes, unsigned int period_frames,
			unsigned int buffer_frames)
{
	r->magic = NOOK_SND_RING_MAGIC;
	r->version = NOOK_SND_PROTO_VERSION;
	r->stream = stream;
	r->frame_bytes = frame_bytes;
	r->period_frames = period_frames;
	r->buffer_frames = buffer_frames;
	r->data_offset = NOOK_SND_RING_DATA_OFFSET;
	atomic_store(&r->state, NOOK_SND_STATE_SETUP);
}

int nook_snd_ring_memfd(size_t size)
{
	int fd = memfd_create("nook-sound-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING), r;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int nook_snd_wake_pair(int *ret_signal, int *ret_wait)
{
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	/* One way: the waiter cannot write into the signaller's end, nor read its own way back. */
	if (shutdown(sp[0], SHUT_RD) < 0 || shutdown(sp[1], SHUT_WR) < 0) {
		int r = -errno;

		close(sp[0]);
		close(sp[1]);
		return r;
	}
	*ret_signal = sp[0];
	*ret_wait = sp[1];
	return 0;
}

int nook_snd_wake(int fd)
{
	static const uint64_t one = 1;
	ssize_t n;

	/* MSG_DONTWAIT holds for this call whatever the file's O_NONBLOCK; no SIGPIPE either. */
	n = send(fd, &one, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && errno == ENOTSOCK)
		n = write(fd, &one, sizeof(one)); /* an eventfd: a standalone driver's own */
	if (n >= 0 || errno == EAGAIN || errno == EPIPE || errno == ECONNRESET || errno == EINTR)
		return 0;
	return -errno;
}

int nook_snd_wake_take(int fd)
{
	uint8_t buf[256]; /* as many wake-ups as this at once; more are taken at the next */
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && errno == ENOTSOCK)
		n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EWOULDBLOCK || errno == EINTR ? -EAGAIN : -errno;
	return n > 0 ? 1 : 0;
}
