/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IP_H
#define NOOK_LINUX_IP_H
#include <linux/skbuff.h>
#include_next <linux/ip.h>
static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}
static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4;
}
#endif
