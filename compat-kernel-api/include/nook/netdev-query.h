/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Questions the host asks about a driver's net_device: its traffic counters, and ethtool
 * queries (driver info, link, link settings). The answers come from the driver's own
 * callbacks, as Linux's ethtool core would call them.
 */
#ifndef NOOK_NETDEV_QUERY_H
#define NOOK_NETDEV_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct net_device;

/* Linux's interface counters (struct rtnl_link_stats64), as the host reports them. */
struct nook_netdev_counters {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t rx_missed; /* rx_missed_errors: the NIC had no receive buffer free */
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	uint64_t rx_fifo_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	uint64_t tx_heartbeat_errors, tx_window_errors;
};

/* From ndo_get_stats64, ndo_get_stats or dev->stats, whichever the driver keeps. */
void nook_netdev_counters(struct net_device *dev, struct nook_netdev_counters *ret);

enum nook_netdev_query {
	NOOK_NETDEV_QUERY_DRVINFO = 1, /* answer: struct nook_netdev_drvinfo */
	NOOK_NETDEV_QUERY_LINK,	       /* answer: struct nook_netdev_link */
	NOOK_NETDEV_QUERY_SETTINGS,    /* answer: struct nook_netdev_settings */
};

struct nook_netdev_drvinfo {
	char driver[32], version[32], fw_version[32], bus_info[32];
};

struct nook_netdev_link {
	uint32_t link;	 /* 1: up */
	uint32_t speed;	 /* Mb/s, 0xffffffff unknown */
	uint8_t duplex;	 /* 0 half, 1 full, 0xff unknown */
	uint8_t autoneg; /* 0 off, 1 on */
	uint8_t port;	 /* PORT_* */
	uint8_t reserved;
};

/*
 * The ethtool settings nook carries across a driver's restarts: ring sizes (ethtool -G)
 * and the message level (ethtool -s msglvl). NOOK_NETDEV_UNSET: not supported, or (to
 * nook_netdev_configure()) leave alone.
 */
#define NOOK_NETDEV_UNSET UINT32_MAX
struct nook_netdev_settings {
	uint32_t ring_rx, ring_tx, ring_rx_max, ring_tx_max;
	uint32_t msglevel;
};

/*
 * Ask; @done gets 0 or a negative errno and the answer. The driver's callbacks may sleep,
 * so they run in a kernel task under the RTNL lock, and @done is called from there.
 */
int nook_netdev_query(struct net_device *dev, enum nook_netdev_query what,
		      void (*done)(void *ctx, int status, const void *answer, size_t len),
		      void *ctx);

/*
 * Apply the settings in @want that are not NOOK_NETDEV_UNSET (ring_*_max are ignored),
 * through the driver's ethtool_ops, in a task under RTNL; @done gets 0 or the first
 * negative errno, and the settings as they are afterwards.
 */
int nook_netdev_configure(struct net_device *dev, const struct nook_netdev_settings *want,
			  void (*done)(void *ctx, int status, const void *answer, size_t len),
			  void *ctx);

#endif
