/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net host hooks: how a driver's net_device reaches the outside (the driver program's
 * net shim installs them). Called in the compat layer's context, one at a time.
 */
#ifndef NOOK_NETDEV_H
#define NOOK_NETDEV_H

#include <stdbool.h>

struct net_device;
struct sk_buff;

struct nook_netdev_host {
	int (*register_dev)(void *ctx, struct net_device *dev);
	void (*unregister_dev)(void *ctx, struct net_device *dev);
	void (*carrier)(void *ctx, struct net_device *dev, bool on);
	/* The driver stopped (false) or woke (true) its transmit queue. */
	void (*queue)(void *ctx, struct net_device *dev, bool awake);
	void (*address_changed)(void *ctx, struct net_device *dev);
	/* A received frame (skb->data at the network header, mac header set); the hook owns it. */
	void (*rx)(void *ctx, struct net_device *dev, struct sk_buff *skb);
};

void nook_netdev_set_host(const struct nook_netdev_host *host, void *ctx);

#endif
