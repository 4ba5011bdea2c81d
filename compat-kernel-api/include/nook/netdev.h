/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net host hooks: how a driver's net_device reaches the outside (the driver program's
 * net shim installs them). Called in the compat layer's context, one at a time.
 */
#ifndef NOOK_NETDEV_H
#define NOOK_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_device;
struct sk_buff;

/*
 * The offload state of a frame, as an skb carries it: on transmit, the checksum and
 * segmentation the sender left for the NIC to do; on receive, what the NIC checked.
 */
struct nook_netdev_offload {
	/* Transmit: checksum from csum_start (from the frame's first byte) to the end, and
	 * store the result at csum_start + csum_offset (CHECKSUM_PARTIAL). */
	bool csum_partial;
	/* Receive: the NIC found the frame's checksums good (CHECKSUM_UNNECESSARY). */
	bool csum_valid;
	uint16_t csum_start, csum_offset;
	/* Transmit: cut the TCP payload into gso_size-byte segments (NOOK_NETDEV_GSO_*). */
	uint8_t gso_type;
	uint16_t gso_size;
};

#define NOOK_NETDEV_GSO_NONE 0
#define NOOK_NETDEV_GSO_TCPV4 1
#define NOOK_NETDEV_GSO_TCPV6 2
/* or'ed in: segments of a frame with CWR set, as RFC 3168 TCP wants them */
#define NOOK_NETDEV_GSO_ECN 0x80

/* What the driver's NIC can do for a frame it sends (nook_netdev_offloads()). */
#define NOOK_NETDEV_OFF_CSUM (1u << 0)
#define NOOK_NETDEV_OFF_TSO4 (1u << 1)
#define NOOK_NETDEV_OFF_TSO6 (1u << 2)
#define NOOK_NETDEV_OFF_TSO_ECN (1u << 3)

struct nook_netdev_host {
	int (*register_dev)(void *ctx, struct net_device *dev);
	void (*unregister_dev)(void *ctx, struct net_device *dev);
	void (*carrier)(void *ctx, struct net_device *dev, bool on);
	/* The driver stopped (false) or woke (true) its transmit queue. */
	void (*queue)(void *ctx, struct net_device *dev, bool awake);
	void (*address_changed)(void *ctx, struct net_device *dev);
	/*
	 * A received Ethernet frame and what the NIC checked. The frame stays valid until the
	 * next rx_flush() returns, so the host may gather frames without copying them.
	 */
	void (*rx)(void *ctx, struct net_device *dev, const void *frame, size_t len,
		   const struct nook_netdev_offload *off);
	/*
	 * The end of a burst of received frames (a NAPI poll, or a frame outside one): what
	 * rx() held back to merge must go out now; the frames are freed after it returns.
	 */
	void (*rx_flush)(void *ctx, struct net_device *dev);
	/*
	 * A NAPI poll that handed frames up has ended (after its rx_flush). The host's stack
	 * may have answered them at once, as TCP acknowledges what it receives: this is the
	 * moment to offer the driver what waits to be sent. Linux transmits such answers from
	 * the same softirq, not after the next interrupt; waiting for the loop's next pass
	 * would hold every acknowledgement until the whole receive burst is done.
	 */
	void (*poll_done)(void *ctx, struct net_device *dev);
	/* The driver's features changed: nook_netdev_offloads() may say something new. */
	void (*features_changed)(void *ctx, struct net_device *dev);
	/* In a task (ndo calls may sleep): bring the driver in line with the interface. */
	void (*link_apply)(void *ctx, struct net_device *dev);
};

void nook_netdev_set_host(const struct nook_netdev_host *host, void *ctx);

/* Queue link_apply to run in the rtnl task. */
int nook_netdev_request_link(struct net_device *dev);

/* The driver's ndo callbacks; those that may sleep only from link_apply. */
int nook_netdev_ndo_open(struct net_device *dev);
int nook_netdev_ndo_stop(struct net_device *dev);
int nook_netdev_ndo_change_mtu(struct net_device *dev, unsigned int mtu);
int nook_netdev_ndo_set_mac(struct net_device *dev, const unsigned char mac[6]);
void nook_netdev_ndo_set_rx_mode(struct net_device *dev, unsigned int flags,
				 const unsigned char (*mc)[6], size_t n_mc);
/*
 * A frame the kernel sent, to ndo_start_xmit, with the offload work it leaves to the NIC
 * (NULL: none). Returns 0, -EBUSY (offer it again later), or -errno: the frame was dropped,
 * -EINVAL when the offload request does not fit the frame or the NIC.
 */
int nook_netdev_xmit(struct net_device *dev, const void *frame, size_t len,
		     const struct nook_netdev_offload *off);
/*
 * Transmit without copying: the two buffers the host reads the next frame into (at least
 * 65535 + 14 bytes in all, the frame's first bytes in the first), then
 * nook_netdev_xmit_read() with its length, which hands the frame over in those buffers.
 * Returns as nook_netdev_xmit(). After -EBUSY the driver keeps the frame: the next call
 * offers it again, whatever its @len, and nothing may be read before it is taken. After any
 * other error the buffers are the host's again, for the next frame.
 */
int nook_netdev_tx_buffers(struct net_device *dev, void *ret_buf[2], size_t ret_len[2]);
int nook_netdev_xmit_read(struct net_device *dev, size_t len,
			  const struct nook_netdev_offload *off);
/* NOOK_NETDEV_OFF_*: the offloads the driver's NIC does now, from its features. */
unsigned int nook_netdev_offloads(const struct net_device *dev);

const char *nook_netdev_ifname(const struct net_device *dev);
void nook_netdev_set_ifname(struct net_device *dev, const char *name);
const unsigned char *nook_netdev_mac(const struct net_device *dev);
unsigned int nook_netdev_mtu(const struct net_device *dev);
bool nook_netdev_carrier_ok(const struct net_device *dev);

#endif
