// SPDX-License-Identifier: GPL-2.0-only
/*
 * The net shim's host side (see netif.h): the TAP fd on the driver process's loop, the
 * driver's transmit queue state, and `ip link` changes turned into ndo-style calls.
 */
#include "netif.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gro.h"
#include "txq.h"
#include "shims/loop/loop.h"
#include "common/net/tap.h"

struct nook_netif {
	struct nook_loop *loop;
	int tap_fd;
	/* Kicked by nook_netif_wake_queue(): the queue drains from the loop, not from inside
	 * the driver's own call, as Linux runs the qdisc from softirq after a wake. */
	int wake_fd;
	const struct nook_netif_ops *ops;
	void *ctx;

	struct nook_link link;
	uint8_t (*mc)[6];
	size_t n_mc;

	bool stopped;
	bool carrier;
	/* A frame the driver refused with -EBUSY, offered again first; held_read: it was read
	 * into the driver's buffers (ops->xmit_read), not into buf. */
	size_t held_len;
	bool held_read;
	struct virtio_net_hdr hdr;
	uint8_t *buf;
	/* Where netif_absorb() reads: hdr and buf may hold the refused frame. */
	struct virtio_net_hdr absorb_hdr;
	uint8_t *absorb_buf;
	/* What the kernel sent while the queue was stopped (txq.h says why it is read). */
	struct nook_txq *backlog;
	/* Received TCP segments merged on their way to the kernel. */
	struct nook_gro *gro;

	struct nook_netif_stats stats;
};

/*
 * The most read into the backlog in one pass: the loop goes back to the device (a NIC whose
 * receive ring fills while frames are copied loses them) and the next frame sent wakes it
 * again. 32 frames or 256 KiB: four TSO super-frames.
 */
#define BACKLOG_BATCH_FRAMES 32
#define BACKLOG_BATCH_BYTES (256u << 10)

/*
 * The queue is stopped: empty the TAP into the backlog, so the kernel's ring never fills and
 * drops (at random); the backlog drops, fairly, past its limits.
 */
static int netif_absorb(struct nook_netif *n)
{
	struct iovec iov[2] = { { &n->absorb_hdr, sizeof(n->absorb_hdr) },
				{ n->absorb_buf, NOOK_NETIF_MAX_FRAME } };
	size_t bytes = 0;

	for (int i = 0; i < BACKLOG_BATCH_FRAMES && bytes < BACKLOG_BATCH_BYTES; i++) {
		ssize_t len = readv(n->tap_fd, iov, 2);
		int r;

		if (len < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (len == 0)
			return 0;
		if (len <= (ssize_t)sizeof(n->absorb_hdr)) {
			n->stats.tx_dropped++;
			continue;
		}
		bytes += (size_t)len;
		r = nook_txq_push(n->backlog, &n->absorb_hdr, n->absorb_buf,
				  (size_t)len - sizeof(n->absorb_hdr));
		if (r < 0)
			return r;
		n->stats.tx_dropped += (uint64_t)r;
		n->stats.tx_backlog_dropped += (uint64_t)r;
	}
	return 0;
}

/*
 * Offer frames to the driver until the TAP is empty or the queue stops (then read on into
 * the backlog: netif_absorb()); the backlog's first, in their turns. Only to an open
 * driver with carrier: Linux never transmits on a device before ndo_open or without
 * carrier, and a TAP that is up already (as nookd keeps it for a restarted driver) holds
 * frames from the start. (A restarted e1000 fed frames before its link came up found its
 * transmit ring stuck and reset itself, restarting the link's autonegotiation.)
 */
static int netif_drain(struct nook_netif *n)
{
	while (n->carrier && (n->link.flags & IFF_UP)) {
		ssize_t len = (ssize_t)n->held_len;
		bool in_driver = n->held_read;
		const struct nook_txq_frame *f;
		int r;

		if (n->stopped)
			return netif_absorb(n);
		f = len ? NULL : nook_txq_peek(n->backlog);
		if (f) {
			/* Frames the backlog holds were sent before those still in the TAP. */
			r = n->ops->xmit(n->ctx, &f->hdr, f->data, f->len);
			if (r == -EBUSY) {
				n->stopped = true;
				return 0;
			}
			nook_txq_pop(n->backlog);
			if (r < 0)
				n->stats.tx_dropped++;
			else
				n->stats.tx_frames++;
			continue;
		}
		if (!len) {
			struct iovec iov[3] = { { &n->hdr, sizeof(n->hdr) },
						{ n->buf, NOOK_NETIF_MAX_FRAME } };
			void *buf[2];
			size_t blen[2];

			in_driver =
				n->ops->tx_buffers && n->ops->tx_buffers(n->ctx, buf, blen) == 0;
			if (in_driver) {
				iov[1] = (struct iovec){ buf[0], blen[0] };
				iov[2] = (struct iovec){ buf[1], blen[1] };
			}
			len = readv(n->tap_fd, iov, in_driver ? 3 : 2);
			if (len < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				return -errno;
			}
			if (len <= (ssize_t)sizeof(n->hdr)) {
				/* Nothing, or a header without a frame: not a frame. */
				if (len == 0)
					return 0;
				n->stats.tx_dropped++;
				continue;
			}
			len -= (ssize_t)sizeof(n->hdr);
		}
		r = in_driver ? n->ops->xmit_read(n->ctx, &n->hdr, (size_t)len) :
				n->ops->xmit(n->ctx, &n->hdr, n->buf, (size_t)len);
		if (r == -EBUSY) {
			/* The driver said its ring is full; it should also have stopped us. */
			n->held_len = (size_t)len;
			n->held_read = in_driver;
			n->stopped = true;
			return 0;
		}
		n->held_len = 0;
		n->held_read = false;
		if (r < 0)
			n->stats.tx_dropped++;
		else
			n->stats.tx_frames++;
	}
	return 0;
}

static int netif_on_tap(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	return netif_drain(userdata);
}

static int netif_on_wake(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	return netif_drain(userdata);
}

/* A frame (or a merged one) to the kernel. */
static int netif_write(void *ctx, const struct virtio_net_hdr *hdr, const struct iovec *iov,
		       int iovcnt)
{
	static const struct virtio_net_hdr none = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	struct nook_netif *n = ctx;
	struct iovec v[2 + NOOK_GRO_MAX_SEGS];
	size_t want = sizeof(*hdr);
	ssize_t r;

	if (iovcnt > 1 + NOOK_GRO_MAX_SEGS)
		return -EINVAL;
	v[0] = (struct iovec){ (void *)(hdr ? hdr : &none), sizeof(*hdr) };
	for (int i = 0; i < iovcnt; i++) {
		v[1 + i] = iov[i];
		want += iov[i].iov_len;
	}
	r = writev(n->tap_fd, v, 1 + iovcnt);
	if (r != (ssize_t)want) {
		n->stats.rx_dropped++;
		return r < 0 ? -errno : -EIO;
	}
	n->stats.rx_frames++;
	return 0;
}

int nook_netif_new(struct nook_loop *loop, int tap_fd, const struct nook_link *initial,
		   const struct nook_netif_ops *ops, void *ctx, struct nook_netif **ret_netif)
{
	struct nook_netif *n;
	int r;

	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = (struct nook_netif){ .loop = loop,
				  .tap_fd = tap_fd,
				  .wake_fd = -1,
				  .ops = ops,
				  .ctx = ctx,
				  .link = *initial,
				  .carrier = true };
	n->buf = malloc(NOOK_NETIF_MAX_FRAME);
	n->absorb_buf = malloc(NOOK_NETIF_MAX_FRAME);
	n->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!n->buf || !n->absorb_buf || n->wake_fd < 0) {
		r = n->buf && n->absorb_buf ? -errno : -ENOMEM;
		goto fail;
	}
	r = nook_gro_new(netif_write, n, &n->gro);
	if (r < 0)
		goto fail;
	r = nook_txq_new(&n->backlog);
	if (r < 0)
		goto fail;
	r = nook_loop_add_fd(loop, tap_fd, POLLIN, netif_on_tap, n);
	if (r < 0)
		goto fail;
	r = nook_loop_add_fd(loop, n->wake_fd, POLLIN, netif_on_wake, n);
	if (r < 0) {
		nook_loop_remove_fd(loop, tap_fd);
		goto fail;
	}
	*ret_netif = n;
	return 0;
fail:
	if (n->wake_fd >= 0)
		close(n->wake_fd);
	nook_gro_free(n->gro);
	nook_txq_free(n->backlog);
	free(n->absorb_buf);
	free(n->buf);
	free(n);
	return r;
}

void nook_netif_free(struct nook_netif *n)
{
	if (!n)
		return;
	nook_loop_remove_fd(n->loop, n->tap_fd);
	nook_loop_remove_fd(n->loop, n->wake_fd);
	close(n->tap_fd);
	close(n->wake_fd);
	nook_gro_free(n->gro);
	nook_txq_free(n->backlog);
	free(n->mc);
	free(n->absorb_buf);
	free(n->buf);
	free(n);
}

void nook_netif_stop_queue(struct nook_netif *n)
{
	n->stopped = true;
}

static int netif_kick(struct nook_netif *n)
{
	uint64_t one = 1;

	return write(n->wake_fd, &one, sizeof(one)) < 0 ? -errno : 0;
}

void nook_netif_set_carrier(struct nook_netif *n, bool on)
{
	bool was = n->carrier;

	n->carrier = on;
	if (on && !was)
		netif_kick(n);
}

int nook_netif_wake_queue(struct nook_netif *n)
{
	if (!n->stopped)
		return 0;
	n->stopped = false;
	return netif_kick(n);
}

bool nook_netif_queue_stopped(const struct nook_netif *n)
{
	return n->stopped;
}

int nook_netif_rx(struct nook_netif *n, const struct virtio_net_hdr *hdr, const void *frame,
		  size_t len)
{
	if (len >= 12 && !memcmp((const uint8_t *)frame + 6, n->link.mac, 6))
		n->stats.rx_own++;
	return nook_gro_rx(n->gro, hdr, frame, len);
}

void nook_netif_rx_flush(struct nook_netif *n)
{
	nook_gro_flush(n->gro);
}

int nook_netif_tx_now(struct nook_netif *n)
{
	return netif_drain(n);
}

static bool mc_equal(const struct nook_netif *n, const uint8_t (*mc)[6], size_t n_mc)
{
	return n->n_mc == n_mc && (n_mc == 0 || memcmp(n->mc, mc, n_mc * 6) == 0);
}

static int mc_store(struct nook_netif *n, const uint8_t (*mc)[6], size_t n_mc)
{
	uint8_t(*copy)[6] = NULL;

	if (n_mc) {
		copy = malloc(n_mc * 6);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, mc, n_mc * 6);
	}
	free(n->mc);
	n->mc = copy;
	n->n_mc = n_mc;
	return 0;
}

#define RX_MODE_FLAGS (IFF_PROMISC | IFF_ALLMULTI)

int nook_netif_link_changed(struct nook_netif *n, const struct nook_link *link,
			    const uint8_t (*mc)[6], size_t n_mc)
{
	const struct nook_link old = n->link;
	bool was_up = old.flags & IFF_UP, is_up = link->flags & IFF_UP;
	int r;

	/*
	 * In Linux's order: stop before anything changes under a running driver, MTU and MAC
	 * (allowed up or down), open, then the rx mode of a running interface. n->link
	 * follows each step that succeeded, so a failure leaves it true to the driver.
	 */
	if (was_up && !is_up) {
		r = n->ops->stop ? n->ops->stop(n->ctx) : 0;
		if (r < 0)
			return r;
		n->link.flags &= ~IFF_UP;
	}
	if (link->mtu != old.mtu) {
		r = n->ops->change_mtu ? n->ops->change_mtu(n->ctx, link->mtu) : 0;
		if (r < 0)
			return r;
		n->link.mtu = link->mtu;
	}
	if (memcmp(link->mac, old.mac, 6) != 0) {
		r = n->ops->set_mac ? n->ops->set_mac(n->ctx, link->mac) : 0;
		if (r < 0)
			return r;
		memcpy(n->link.mac, link->mac, 6);
	}
	if (!was_up && is_up) {
		r = n->ops->open ? n->ops->open(n->ctx) : 0;
		if (r < 0)
			return r;
	}
	n->link = *link;
	if (!was_up && is_up) /* what waited in the TAP goes out, from the loop */
		netif_kick(n);
	if ((link->flags & RX_MODE_FLAGS) != (old.flags & RX_MODE_FLAGS) ||
	    !mc_equal(n, mc, n_mc) || (!was_up && is_up)) {
		r = mc_store(n, mc, n_mc);
		if (r < 0)
			return r;
		if (is_up && n->ops->set_rx_mode)
			n->ops->set_rx_mode(n->ctx, link->flags & RX_MODE_FLAGS, n->mc, n->n_mc);
	}
	return 0;
}

const struct nook_link *nook_netif_link(const struct nook_netif *n)
{
	return &n->link;
}

uint64_t nook_netif_tx_waiting(const struct nook_netif *n)
{
	return nook_txq_frames(n->backlog) + (n->held_len ? 1 : 0);
}

void nook_netif_get_stats(const struct nook_netif *n, struct nook_netif_stats *ret_stats)
{
	struct nook_gro_stats g;

	nook_gro_get_stats(n->gro, &g);
	*ret_stats = n->stats;
	ret_stats->rx_merged = g.merged;
	ret_stats->rx_bad_csum = g.bad_csum;
}

int nook_netif_fd(const struct nook_netif *n)
{
	return n->tap_fd;
}
