/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A NIC's traffic counters, as its driver reports them to nookd (NOOK_CTL_STATS), nookd sums
 * them over the driver's incarnations, and the Statistics property and `nookctl status`
 * show them. One list, in wire order: a counter added here reaches each of those places.
 */
#ifndef NOOK_NIC_COUNTERS_H
#define NOOK_NIC_COUNTERS_H

#include <stdint.h>

/* clang-format off */
/* X(name) for each counter; the driver's struct nook_netdev_counters has the same names. */
#define NOOK_NIC_COUNTERS(X)                                                                     \
	X(rx_packets) X(tx_packets) X(rx_bytes) X(tx_bytes)                                      \
	X(rx_errors) X(tx_errors) X(rx_dropped) X(tx_dropped)                                    \
	X(rx_missed) /* frames the NIC dropped: no receive buffer was free */                   \
	X(multicast) X(collisions)                                                               \
	/* what rx_errors and tx_errors are made of, as the driver counts it (ip -s -s link) */ \
	X(rx_length_errors) X(rx_over_errors) X(rx_crc_errors) X(rx_frame_errors)                \
	X(rx_fifo_errors) X(tx_aborted_errors) X(tx_carrier_errors) X(tx_fifo_errors)            \
	X(tx_heartbeat_errors) X(tx_window_errors)
/* clang-format on */

struct nook_nic_counters {
#define NOOK_NIC_COUNTER_FIELD(name) uint64_t name;
	NOOK_NIC_COUNTERS(NOOK_NIC_COUNTER_FIELD)
#undef NOOK_NIC_COUNTER_FIELD
};

#define NOOK_NIC_N_COUNTERS (sizeof(struct nook_nic_counters) / sizeof(uint64_t))

#endif
