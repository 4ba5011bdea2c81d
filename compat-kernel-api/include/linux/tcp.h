/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_TCP_H
#define NOOK_LINUX_TCP_H
#include <linux/skbuff.h>
#include_next <linux/tcp.h>
static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}
static inline unsigned int tcp_hdrlen(const struct sk_buff *skb)
{
	return tcp_hdr(skb)->doff * 4;
}
/* Bytes of all headers up to the end of TCP's, from skb->data. */
static inline int skb_tcp_all_headers(const struct sk_buff *skb)
{
	return skb_transport_offset(skb) + (int)tcp_hdrlen(skb);
}
#endif
