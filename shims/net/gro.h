/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Receive coalescing (Linux's GRO, for TCP over IPv4): consecutive in-order segments of one
 * TCP flow that a NIC received in one burst are merged into one large frame with a
 * virtio_net_hdr asking for segmentation (GSO) and with the checksum left partial, so the
 * kernel's stack handles one frame per burst instead of one per wire segment, and sends one
 * ACK for it. Segments are merged only when Linux's GRO would merge them: same headers but
 * for sequence number and length, checksums verified (by the NIC or here), nothing but ACK
 * and a closing PSH among the flags. Everything else passes through unchanged, in order
 * within its flow.
 *
 * Frames come in with nook_gro_rx() and go out through the caller's output function, either
 * at once or, for a flow being merged, at the latest on nook_gro_flush() (the end of the
 * burst: a NAPI poll).
 */
#ifndef NOOK_SHIMS_GRO_H
#define NOOK_SHIMS_GRO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct virtio_net_hdr;
struct nook_gro;

/* The most segments merged into one frame: an output gets at most 1 + this many pieces. */
#define NOOK_GRO_MAX_SEGS 64

/*
 * One frame out: @hdr, then the frame in @iov (@iovcnt pieces, at most
 * 1 + NOOK_GRO_MAX_SEGS). Returns 0 or -errno.
 */
typedef int (*nook_gro_out_fn)(void *ctx, const struct virtio_net_hdr *hdr, const struct iovec *iov,
			       int iovcnt);

struct nook_gro_stats {
	uint64_t merged;   /* segments that went out inside a larger frame */
	uint64_t frames;   /* large frames made of more than one segment */
	uint64_t bad_csum; /* TCP segments whose checksum was wrong (passed on as they came) */
};

int nook_gro_new(nook_gro_out_fn out, void *ctx, struct nook_gro **ret_gro);
void nook_gro_free(struct nook_gro *gro);

/*
 * A received Ethernet frame, which must stay valid and unchanged until the next
 * nook_gro_flush() returns (a merged frame points into it). @hdr: what the NIC checked
 * (VIRTIO_NET_HDR_F_DATA_VALID: its checksums are good), or NULL. Returns the first error
 * of an output made during the call (the frame, or a flow it flushed), else 0.
 */
int nook_gro_rx(struct nook_gro *gro, const struct virtio_net_hdr *hdr, const void *frame,
		size_t len);

/* Send everything held; returns the first output error, else 0. */
int nook_gro_flush(struct nook_gro *gro);

void nook_gro_get_stats(const struct nook_gro *gro, struct nook_gro_stats *ret_stats);

#endif
