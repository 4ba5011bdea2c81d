/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net shim: joins the compat layer's net_device (nook/netdev.h) to a TAP interface
 * (netif.h) on the driver process's loop, and follows `ip link` changes.
 */
#ifndef NOOK_SHIMS_NETDEV_SHIM_H
#define NOOK_SHIMS_NETDEV_SHIM_H

#include "err.h"

struct nook_loop;

struct nook_netdev_shim_config {
	const char *ifname; /* the interface to create; NULL: nook%d */
};

/* Install the net host hooks; the TAP is created when the driver registers its netdev. */
int nook_netdev_shim_install(struct nook_loop *loop, const struct nook_netdev_shim_config *cfg);

/* Why the last registration failed, for the driver program to report. */
const struct nook_err *nook_netdev_shim_error(void);

#endif
