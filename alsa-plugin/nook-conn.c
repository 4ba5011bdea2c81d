// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plugins' side of a connection to a card's server (nook-conn.h). The socket is
 * non-blocking from the start so that every wait is a poll() with a deadline: an application
 * must never hang in a plugin because a server stopped answering.
 */
#include "nook-conn.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

/* Wait for @events on @fd until @deadline_ms; 0, or -ETIMEDOUT, or -ENODEV on hang-up. */
static int wait_fd(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int64_t left = deadline_ms - nook_now_ms();
		int n;

		if (left < 0)
			left = 0;
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		if (pfd.revents & events)
			return 0; /* readable even if hung up: the message comes first */
		return -ENODEV;
	}
}

/* A listener's full backlog is EAGAIN on a non-blocking unix connect: retry until the deadline. */
static int connect_deadline(int sock, const char *path, int64_t deadline_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	for (;;) {
		if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		if (nook_now_ms() >= deadline_ms)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

static int report_connect_error(const char *who, const char *dev, const char *path, int r)
{
	switch (r) {
	case -ENOENT:
	case -ECONNREFUSED:
		SNDERR("%s: %s: no nook sound server on this socket: card %s is not served by nook "
		       "(is nookd running? is the card's driver up?)",
		       who, path, dev && *dev ? dev : "(first)");
		return r == -ENOENT ? -ENOENT : -ENODEV;
	default:
		SNDERR("%s: %s: cannot connect: %s", who, path, strerror(-r));
		return r;
	}
}

static int hello(struct nook_conn *c, const char *who)
{
	struct nook_snd_req req = { .op = NOOK_SND_HELLO };
	struct nook_snd_reply rep;
	int r;

	r = nook_conn_call(c, &req, &rep, NULL, 0);
	if (r < 0) {
		SNDERR("%s: %s: HELLO failed: %s", who, c->path, strerror(-r));
		return r;
	}
	if (rep.card.version != NOOK_SND_PROTO_VERSION) {
		SNDERR("%s: %s: the server speaks protocol %u, this plugin %u", who, c->path,
		       rep.card.version, NOOK_SND_PROTO_VERSION);
		return -EPROTO;
	}
	c->card = rep.card;
	/* The server's strings are fixed-size fields: make sure they end. */
	c->card.id[sizeof(c->card.id) - 1] = '\0';
	c->card.driver[sizeof(c->card.driver) - 1] = '\0';
	c->card.name[sizeof(c->card.name) - 1] = '\0';
	c->card.longname[sizeof(c->card.longname) - 1] = '\0';
	return 0;
}

int nook_conn_open(struct nook_conn *c, const char *dev, const char *who)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->sock = -1;
	r = nook_snd_socket_path(dev, c->path, sizeof(c->path));
	if (r == -EINVAL) {
		SNDERR("%s: DEV \"%s\" is not a PCI address (0000:00:04.0 or 00:04.0)", who, dev);
		return r;
	}
	if (r == -ENOENT && !(dev && *dev)) {
		SNDERR("%s: no nook sound card is served (no card socket in %s; is nookd running?)",
		       who,
		       getenv("NOOK_SOUND_DIR") && *getenv("NOOK_SOUND_DIR") ?
			       getenv("NOOK_SOUND_DIR") :
			       NOOK_SND_DEFAULT_DIR);
		return r;
	}
	if (r < 0) {
		SNDERR("%s: cannot name the socket of card %s: %s", who, dev ? dev : "",
		       strerror(-r));
		return r;
	}
	c->sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->sock < 0) {
		r = -errno;
		SNDERR("%s: socket: %s", who, strerror(-r));
		return r;
	}
	r = connect_deadline(c->sock, c->path, nook_now_ms() + NOOK_CONN_TIMEOUT_MS);
	if (r < 0) {
		r = report_connect_error(who, dev, c->path, r);
		nook_conn_close(c);
		return r;
	}
	r = hello(c, who);
	if (r < 0) {
		nook_conn_close(c);
		return r;
	}
	return 0;
}

void nook_conn_close(struct nook_conn *c)
{
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
}

int nook_conn_call(struct nook_conn *c, struct nook_snd_req *req, struct nook_snd_reply *rep,
		   int *ret_fds, unsigned int n_fds)
{
	int64_t deadline = nook_now_ms() + NOOK_CONN_TIMEOUT_MS;
	int fds[2] = { -1, -1 };
	int r;

	if (c->sock < 0)
		return -ENODEV;
	req->seq = ++c->seq;
	r = nook_snd_send(c->sock, req, sizeof(*req), NULL, 0);
	if (r < 0)
		return r == -EPIPE ? -ENODEV : r;
	for (;;) {
		r = wait_fd(c->sock, POLLIN, deadline);
		if (r < 0)
			return r;
		memset(rep, 0, sizeof(*rep));
		r = nook_snd_recv(c->sock, rep, sizeof(*rep), fds, 2);
		if (r == -EAGAIN)
			continue;
		if (r == -EPIPE)
			return -ENODEV;
		if (r < 0)
			return r;
		if (rep->op == req->op && rep->seq == req->seq)
			break;
		/* A stale reply (to a request that timed out before): not ours, drop it. */
		for (int i = 0; i < 2; i++) {
			if (fds[i] >= 0)
				close(fds[i]);
		}
	}
	for (unsigned int i = 0; i < 2; i++) {
		if (i < n_fds)
			ret_fds[i] = fds[i];
		else if (fds[i] >= 0)
			close(fds[i]);
	}
	if ((size_t)r < offsetof(struct nook_snd_reply, card))
		return -EPROTO;
	return rep->err;
}

int nook_conn_alive(const struct nook_conn *c)
{
	struct pollfd pfd = { .fd = c->sock, .events = POLLIN };

	if (c->sock < 0)
		return -ENODEV;
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
		return -ENODEV; /* the server never speaks unasked: readable means gone */
	return 0;
}

int nook_conn_parse_conf(snd_config_t *conf, const char *who, const char **ret_dev,
			 unsigned int *ret_device)
{
	snd_config_iterator_t i, next;

	snd_config_for_each(i, next, conf) {
		snd_config_t *n = snd_config_iterator_entry(i);
		const char *id;
		long v;

		if (snd_config_get_id(n, &id) < 0)
			continue;
		if (!strcmp(id, "comment") || !strcmp(id, "type") || !strcmp(id, "hint"))
			continue;
		if (!strcmp(id, "dev")) {
			if (snd_config_get_string(n, ret_dev) < 0) {
				SNDERR("%s: dev must be a string (a PCI address)", who);
				return -EINVAL;
			}
			continue;
		}
		if (ret_device && !strcmp(id, "device")) {
			if (snd_config_get_integer(n, &v) < 0 || v < 0) {
				SNDERR("%s: device must be a PCM device number", who);
				return -EINVAL;
			}
			*ret_device = (unsigned int)v;
			continue;
		}
		SNDERR("%s: unknown field %s", who, id);
		return -EINVAL;
	}
	return 0;
}
