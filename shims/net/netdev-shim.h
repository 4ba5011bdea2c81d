/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net shim: joins the compat layer's net_device (nook/netdev.h) to a TAP interface
 * (netif.h) on the driver process's loop, and follows `ip link` changes.
 */
#ifndef NOOK_SHIMS_NETDEV_SHIM_H
#define NOOK_SHIMS_NETDEV_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"
#include "common/net/link-watch.h"

struct nook_loop;

/*
 * Standalone, the shim creates the TAP itself, follows `ip link` on rtnetlink and sets the
 * carrier. Supervised, nookd has created the TAP (its fd is given), watches the link for
 * the driver and owns the carrier: the shim reports to it instead, through the callbacks.
 */
struct nook_netdev_shim_config {
	const char *ifname; /* the interface to create (NULL: nook%d), or nookd's */
	int tap_fd;	    /* supervised: nookd's TAP; -1 standalone */
	/* Both set: supervised. */
	void (*report_carrier)(bool on);
	void (*report_netdev)(const uint8_t mac[6], unsigned int mtu);
	/* Optional: the driver handed up its first received frame (recovery's finish line). */
	void (*report_traffic)(void);
};

/* Install the net host hooks; the TAP is created when the driver registers its netdev. */
int nook_netdev_shim_install(struct nook_loop *loop, const struct nook_netdev_shim_config *cfg);

/*
 * Supervised: the interface as `ip link` left it, from nookd. The driver's rtnl task
 * applies the difference to the driver's ndo callbacks.
 */
void nook_netdev_shim_set_link(const struct nook_link *link, const uint8_t (*mc)[6], size_t n_mc);

/* The driver's registered net_device, NULL before register_netdev (for host queries). */
struct net_device;
struct net_device *nook_netdev_shim_dev(void);
/* Frames the kernel sent that wait for the driver's stopped queue (0 before registration). */
uint64_t nook_netdev_shim_tx_waiting(void);
/* Frames received from the interface's own address (netif.h's rx_own). */
uint64_t nook_netdev_shim_rx_own(void);

/* Why the last registration failed, for the driver program to report. */
const struct nook_err *nook_netdev_shim_error(void);

#endif
