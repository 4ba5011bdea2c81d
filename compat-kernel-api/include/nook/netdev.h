/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net host hooks: how a driver's net_device reaches the outside (the driver program's
 * net shim installs them). Called in the compat layer's context, one at a time.
 */
#ifndef NOOK_NETDEV_H
#define NOOK_NETDEV_H

#include <stdbool.h>
#include <stddef.h>

struct net_device;
struct sk_buff;

struct nook_netdev_host {
	int (*register_dev)(void *ctx, struct net_device *dev);
	void (*unregister_dev)(void *ctx, struct net_device *dev);
	void (*carrier)(void *ctx, struct net_device *dev, bool on);
	/* The driver stopped (false) or woke (true) its transmit queue. */
	void (*queue)(void *ctx, struct net_device *dev, bool awake);
	void (*address_changed)(void *ctx, struct net_device *dev);
	/* A received Ethernet frame; valid during the call only. */
	void (*rx)(void *ctx, struct net_device *dev, const void *frame, size_t len);
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
/* A frame the kernel sent, to ndo_start_xmit: 0, -EBUSY (offer it again later), or -errno. */
int nook_netdev_xmit(struct net_device *dev, const void *frame, size_t len);

const char *nook_netdev_ifname(const struct net_device *dev);
void nook_netdev_set_ifname(struct net_device *dev, const char *name);
const unsigned char *nook_netdev_mac(const struct net_device *dev);
unsigned int nook_netdev_mtu(const struct net_device *dev);

#endif
