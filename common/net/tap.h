/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP devices: the kernel network interface a nook NIC driver's net_device becomes.
 * Frames the kernel sends are read from the fd and go to the driver's start_xmit; frames the
 * driver receives are written to it. Every frame on the fd, either way, starts with a
 * struct virtio_net_hdr (IFF_VNET_HDR): the checksum and segmentation work the kernel left
 * for the NIC, or that the NIC already did, travel with the frame, as they do with an skb.
 */
#ifndef NOOK_COMMON_TAP_H
#define NOOK_COMMON_TAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/virtio_net.h>

/* Bytes in front of each frame on a TAP fd from nook_tap_open(). */
#define NOOK_TAP_VNET_HDR_LEN ((int)sizeof(struct virtio_net_hdr))

/*
 * Create (or attach to) the TAP interface @ifname; an empty or NULL name lets the kernel
 * pick one ("tap%d"). The fd is non-blocking and close-on-exec; the name the kernel gave
 * is stored in @ret_ifname. Frames carry a virtio_net_hdr and no packet-information header;
 * until nook_tap_set_offload() the kernel sends only whole, checksummed frames.
 */
int nook_tap_open(const char *ifname, char ret_ifname[IFNAMSIZ], int *ret_fd);

/*
 * The offloads (TUN_F_CSUM, TUN_F_TSO4, ...) the reader of @fd does for the kernel: frames
 * it sends may then leave their checksum or their segmentation to us, as the header says.
 */
int nook_tap_set_offload(int fd, unsigned int tun_flags);

/* The interface's carrier, as the NIC's link state (needs CAP_NET_ADMIN). */
int nook_tap_set_carrier(int fd, bool up);

/* The interface's MAC address, through the TAP fd itself. */
int nook_tap_set_mac(int fd, const uint8_t mac[6]);
int nook_tap_get_mac(int fd, uint8_t ret_mac[6]);

/* The interface's MTU (needs CAP_NET_ADMIN in the interface's network namespace). */
int nook_tap_set_mtu(const char *ifname, unsigned int mtu);
int nook_tap_get_mtu(const char *ifname, unsigned int *ret_mtu);

#endif
