/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IF_ETHER_H
#define NOOK_LINUX_IF_ETHER_H
/* ETH_ALEN, ETH_HLEN, ETH_P_*, struct ethhdr: the system's UAPI definitions. */
#include_next <linux/if_ether.h>
#include <linux/skbuff.h>
static inline struct ethhdr *eth_hdr(const struct sk_buff *skb)
{
	return (struct ethhdr *)skb_mac_header(skb);
}
#endif
