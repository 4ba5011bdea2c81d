/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The transmit backlog: frames the kernel sent on the TAP while the driver's queue was
 * stopped, held in a fair queue, as a kernel NIC's qdisc (Debian's fq_codel) holds them.
 *
 * A TAP never pushes back on the stack: the kernel puts what it sends into the TAP's ring
 * (500 frames) and drops the next, whichever flow it belongs to, when nobody reads. Behind a
 * stopped driver a bulk TCP transfer filled that ring and a ping beside it was lost. So the
 * shim reads the TAP on while the queue is stopped and keeps the frames here: flows (by their
 * addresses, protocol and ports) are served in turn, deficit round robin by bytes, a flow
 * that had nothing queued first; past the limits the oldest frame of the flow holding the
 * most bytes is dropped, so a sparse flow (ping, DNS, an ACK stream) loses nothing to a bulk
 * one.
 */
#ifndef NOOK_SHIMS_TXQ_H
#define NOOK_SHIMS_TXQ_H

#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>

struct nook_txq;

struct nook_txq_frame {
	struct nook_txq_frame *next;
	struct virtio_net_hdr hdr;
	size_t len;
	uint8_t data[];
};

/* Limits of the backlog: frames, and bytes of frames. */
#define NOOK_TXQ_MAX_FRAMES 1000
#define NOOK_TXQ_MAX_BYTES (4u << 20)

int nook_txq_new(struct nook_txq **ret_txq);
void nook_txq_free(struct nook_txq *txq);

/*
 * A copy of the frame at the end of its flow's queue. Returns how many frames were dropped to
 * keep within the limits (it may be this one, if it alone is over them), or -ENOMEM.
 */
int nook_txq_push(struct nook_txq *txq, const struct virtio_net_hdr *hdr, const void *frame,
		  size_t len);
/* The frame whose turn it is, or NULL when empty. It stays the next until a pop or a push. */
const struct nook_txq_frame *nook_txq_peek(struct nook_txq *txq);
/* Remove the frame nook_txq_peek() returns (peek, send, then pop, with no push between). */
void nook_txq_pop(struct nook_txq *txq);
/* Drop every frame; returns how many. */
size_t nook_txq_purge(struct nook_txq *txq);

size_t nook_txq_frames(const struct nook_txq *txq);
size_t nook_txq_bytes(const struct nook_txq *txq);

#endif
