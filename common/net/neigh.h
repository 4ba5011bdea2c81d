/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A question to the network: have the kernel probe a neighbour of an interface again (an ARP
 * request sent to its address, as the kernel sends to confirm one it has not heard from).
 * A neighbour that answered lately and is still there answers this one too; its answer is
 * a frame the interface receives. nookd asks it of a NIC that sends and hears nothing (see
 * recovery/stall-detect.h), to tell a receiver that is off from a network that is quiet.
 * rtnetlink only: RTM_GETNEIGH, then RTM_NEWNEIGH setting the entry to NUD_PROBE (which the
 * kernel answers with a probe at once); CAP_NET_ADMIN.
 */
#ifndef NOOK_COMMON_NET_NEIGH_H
#define NOOK_COMMON_NET_NEIGH_H

#include <stddef.h>

#include <netinet/in.h>
#include <stdint.h>

struct nook_neigh {
	struct in_addr ip;
	uint8_t mac[6];
};

/*
 * The IPv4 neighbour of @ifindex that the kernel learned and holds as reachable (or stale,
 * or being confirmed), one confirmed lately first: 0, or -ENOENT when there is none.
 */
int nook_neigh_pick(int ifindex, struct nook_neigh *ret);

/*
 * Have the kernel probe @n again: its entry (made again if the kernel has let it go, as
 * after probes nobody answered) set to NUD_PROBE, which sends an ARP request to @n's
 * address at once. 0 or -errno.
 */
int nook_neigh_probe(int ifindex, const struct nook_neigh *n);

#endif
