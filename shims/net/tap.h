/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP devices: the kernel network interface a nook NIC driver's net_device becomes.
 * Frames the kernel sends are read from the fd and go to the driver's start_xmit; frames the
 * driver receives are written to it.
 */
#ifndef NOOK_SHIMS_TAP_H
#define NOOK_SHIMS_TAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Create (or attach to) the TAP interface @ifname; an empty or NULL name lets the kernel
 * pick one ("tap%d"). The fd is non-blocking and close-on-exec; the name the kernel gave
 * is stored in @ret_ifname. No packet-information header is prepended to frames.
 */
int nook_tap_open(const char *ifname, char ret_ifname[IFNAMSIZ], int *ret_fd);

/* The interface's carrier, as the NIC's link state (needs CAP_NET_ADMIN). */
int nook_tap_set_carrier(int fd, bool up);

/* The interface's MAC address, through the TAP fd itself. */
int nook_tap_set_mac(int fd, const uint8_t mac[6]);
int nook_tap_get_mac(int fd, uint8_t ret_mac[6]);

/* The interface's MTU (needs CAP_NET_ADMIN in the interface's network namespace). */
int nook_tap_set_mtu(const char *ifname, unsigned int mtu);
int nook_tap_get_mtu(const char *ifname, unsigned int *ret_mtu);

#endif
