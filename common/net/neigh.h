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

/*
 * Probe an IPv4 neighbour of @ifindex that the kernel learned and holds as reachable (or
 * stale, or being confirmed): one confirmed lately first. Its address goes to @ret_ip
 * (dotted, @len bytes). -ENOENT when there is none (nothing to ask), another -errno when
 * the kernel refused.
 */
int nook_neigh_probe(int ifindex, char *ret_ip, size_t len);

#endif
