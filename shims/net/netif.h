/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net shim's host side: one TAP interface in front of one driver's net_device.
 *
 * Frames the kernel sends on the TAP go to ops->xmit (the driver's start_xmit), while the
 * driver's queue is awake, and wait in a fair backlog (txq.h) while it is stopped; frames the driver receives are written to the TAP with
 * nook_netif_rx(). `ip link` changes arrive as a new struct nook_link (from link-watch when
 * the driver runs standalone, from nookd when it is supervised); nook_netif_link_changed()
 * turns the difference into the matching ndo-style calls.
 */
#ifndef NOOK_SHIMS_NETIF_H
#define NOOK_SHIMS_NETIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/net/link-watch.h"

struct virtio_net_hdr;

struct nook_loop;
struct nook_netif;

/* Largest frame the shim moves: a 64 KiB TSO super-frame plus its Ethernet header. */
#define NOOK_NETIF_MAX_FRAME (65536 + 14)

struct nook_netif_ops {
	int (*open)(void *ctx);
	int (*stop)(void *ctx);
	int (*change_mtu)(void *ctx, unsigned int mtu);
	int (*set_mac)(void *ctx, const uint8_t mac[6]);
	/* IFF_PROMISC / IFF_ALLMULTI in @flags, and the link-layer multicast list. */
	void (*set_rx_mode)(void *ctx, unsigned int flags, const uint8_t (*mc)[6], size_t n_mc);
	/*
	 * A frame the kernel sent, and its header: the checksum and segmentation it leaves
	 * to the NIC (only what nook_tap_set_offload() allowed; the callee must still check:
	 * the header is input). The callee copies what it keeps. Returns 0 when taken,
	 * -EBUSY when the driver cannot take it now (the shim keeps it and offers it again
	 * after nook_netif_wake_queue()), another negative errno to drop it.
	 */
	int (*xmit)(void *ctx, const struct virtio_net_hdr *hdr, const void *frame, size_t len);
	/*
	 * Optional, both or neither: transmit without a copy. tx_buffers() gives the two
	 * buffers the next frame is read into (NOOK_NETIF_MAX_FRAME bytes or more in all);
	 * xmit_read() then takes the @len bytes read there, and returns as xmit(). After
	 * -EBUSY the frame stays in the driver's hands and the shim calls xmit_read() again,
	 * before it reads anything else. When tx_buffers() fails, the shim reads into its own
	 * buffer and calls xmit().
	 */
	int (*tx_buffers)(void *ctx, void *ret_buf[2], size_t ret_len[2]);
	int (*xmit_read)(void *ctx, const struct virtio_net_hdr *hdr, size_t len);
};

struct nook_netif_stats {
	uint64_t tx_frames, tx_dropped;
	/* Of tx_dropped: frames the backlog dropped (txq.h) while the driver's queue was stopped. */
	uint64_t tx_backlog_dropped;
	/* Frames written to the TAP (a merged one counts once), and those it refused. */
	uint64_t rx_frames, rx_dropped;
	/* Received segments that went out merged (gro.h); TCP segments with a bad checksum. */
	uint64_t rx_merged, rx_bad_csum;
	/*
	 * Frames the NIC received from the interface's own address: it hears itself (a loopback
	 * its driver set by mistake), not the network. nookd does not count them as heard.
	 */
	uint64_t rx_own;
};

/* Take over @tap_fd (closed by nook_netif_free) and serve it on @loop. */
int nook_netif_new(struct nook_loop *loop, int tap_fd, const struct nook_link *initial,
		   const struct nook_netif_ops *ops, void *ctx, struct nook_netif **ret_netif);
void nook_netif_free(struct nook_netif *netif);

/*
 * The driver's carrier. Frames wait in the TAP while it is off, as Linux sends nothing to a
 * device without carrier; when it comes on, they go out. A new netif starts with carrier on.
 */
void nook_netif_set_carrier(struct nook_netif *netif, bool on);

/* netif_stop_queue()/netif_wake_queue(): stop or resume handing frames to xmit. */
void nook_netif_stop_queue(struct nook_netif *netif);
int nook_netif_wake_queue(struct nook_netif *netif);
bool nook_netif_queue_stopped(const struct nook_netif *netif);

/*
 * A frame the driver received, to the kernel, with its header (NULL: nothing to say).
 * TCP segments may be held back to merge with the ones that follow (gro.h) until
 * nook_netif_rx_flush(), so @frame must stay valid and unchanged until then (it is
 * gathered from where it lies). Returns 0 or the error of a write to the TAP.
 */
int nook_netif_rx(struct nook_netif *netif, const struct virtio_net_hdr *hdr, const void *frame,
		  size_t len);
/* The end of a burst of nook_netif_rx() frames: nothing may stay held back. */
void nook_netif_rx_flush(struct nook_netif *netif);
/*
 * Offer the driver what waits in the TAP now, not on the loop's next pass: for when
 * received frames have gone up and the kernel may have answered them. Only from where
 * Linux could transmit (softirq, not inside an interrupt handler). Returns 0 or the error
 * of a read from the TAP.
 */
int nook_netif_tx_now(struct nook_netif *netif);

/* The link as `ip link` left it now: calls open/stop/change_mtu/set_mac/set_rx_mode. */
int nook_netif_link_changed(struct nook_netif *netif, const struct nook_link *link,
			    const uint8_t (*mc)[6], size_t n_mc);

const struct nook_link *nook_netif_link(const struct nook_netif *netif);
int nook_netif_fd(const struct nook_netif *netif);
void nook_netif_get_stats(const struct nook_netif *netif, struct nook_netif_stats *ret_stats);
/* Frames that wait for the driver's queue: the backlog's, and one it refused (-EBUSY). */
uint64_t nook_netif_tx_waiting(const struct nook_netif *netif);

#endif
