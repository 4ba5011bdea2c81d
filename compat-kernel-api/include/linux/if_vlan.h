/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IF_VLAN_H
#define NOOK_LINUX_IF_VLAN_H
#include <linux/netdevice.h>
#include <linux/etherdevice.h>

#define VLAN_HLEN 4
#define VLAN_ETH_HLEN 18
#define VLAN_ETH_ZLEN 64
#define VLAN_ETH_DATA_LEN 1500
#define VLAN_ETH_FRAME_LEN 1518
#define VLAN_N_VID 4096
#define VLAN_VID_MASK 0x0fff
#define VLAN_PRIO_MASK 0xe000
#define VLAN_PRIO_SHIFT 13
#define VLAN_CFI_MASK 0x1000
#define VLAN_TAG_PRESENT VLAN_CFI_MASK

struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};
struct vlan_ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_vlan_proto;
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

static inline bool eth_type_vlan(__be16 type)
{
	return type == htons(ETH_P_8021Q) || type == htons(ETH_P_8021AD);
}
/* A frame with a VLAN tag inside another (QinQ). */
static inline bool skb_vlan_tagged_multi(const struct sk_buff *skb)
{
	if (!eth_type_vlan(skb->protocol) || skb_headlen(skb) < VLAN_ETH_HLEN)
		return false;
	return eth_type_vlan(((const struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto);
}

/*
 * What a driver can offload for this frame: under two VLAN tags only what needs no parsing
 * of the headers (scatter-gather, the generic checksum, tag insertion).
 */
static inline netdev_features_t vlan_features_check(struct sk_buff *skb, netdev_features_t features)
{
	if (skb_vlan_tagged_multi(skb))
		features &= NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM | NETIF_F_FRAGLIST |
			    NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	return features;
}

/* The protocol under any VLAN tag in the frame itself. */
static inline __be16 vlan_get_protocol(const struct sk_buff *skb)
{
	__be16 type = skb->protocol;

	if (eth_type_vlan(type) && skb_headlen(skb) >= VLAN_ETH_HLEN)
		type = ((const struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto;
	return type;
}
#endif
