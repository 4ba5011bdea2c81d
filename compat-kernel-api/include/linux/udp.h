/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_UDP_H
#define NOOK_LINUX_UDP_H
#include <linux/skbuff.h>
#include_next <linux/udp.h>
static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}
#endif
