/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the administrator does to a nook interface with `ip link`: up/down, MTU, MAC,
 * promiscuous and all-multicast flags, the link-layer multicast list. A TAP device does
 * not pass these to its owner, so nook watches them on rtnetlink and forwards each change
 * to the driver's ndo callbacks.
 */
#ifndef NOOK_COMMON_LINK_WATCH_H
#define NOOK_COMMON_LINK_WATCH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nook_link {
	int ifindex;
	char ifname[IFNAMSIZ];
	/* IFF_UP, IFF_PROMISC, IFF_ALLMULTI, ... as `ip link` set them */
	unsigned int flags;
	unsigned int mtu;
	uint8_t mac[6];
	/* The interface was deleted. */
	bool gone;
};

/* A non-blocking, close-on-exec rtnetlink socket subscribed to link changes. */
int nook_link_watch_open(int *ret_fd);

/* The interface's current state, asked of the kernel (RTM_GETLINK). */
int nook_link_query(int ifindex, struct nook_link *ret_link);

/*
 * Read every pending message of the watch socket @fd and apply those about @link->ifindex
 * to @link. Returns 1 when something about the link changed, 0 when nothing did, or a
 * negative errno.
 */
int nook_link_watch_read(int fd, struct nook_link *link);

/*
 * The link-layer multicast list of @ifname, from @dev_mcast_path (NULL: /proc/net/dev_mcast),
 * up to @max addresses in @ret_addrs; the full count goes to @ret_count.
 */
int nook_link_mc_list(const char *dev_mcast_path, const char *ifname, uint8_t (*ret_addrs)[6],
		      size_t max, size_t *ret_count);

#endif
