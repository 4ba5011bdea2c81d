/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_NET_IP6_CHECKSUM_H
#define NOOK_NET_IP6_CHECKSUM_H
#include <net/checksum.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr, __u32 len,
			__u8 proto, __wsum sum);
/* Seed a TSO frame's TCP checksum with the IPv6 pseudo-header, payload length 0. */
static inline void tcp_v6_gso_csum_prep(struct sk_buff *skb)
{
	struct ipv6hdr *ipv6h = ipv6_hdr(skb);

	ipv6h->payload_len = 0;
	tcp_hdr(skb)->check = ~csum_ipv6_magic(&ipv6h->saddr, &ipv6h->daddr, 0, IPPROTO_TCP, 0);
}
#endif
