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
/* The protocol under any VLAN tag in the frame itself. */
static inline __be16 vlan_get_protocol(const struct sk_buff *skb)
{
	__be16 type = skb->protocol;

	if (eth_type_vlan(type) && skb_headlen(skb) >= VLAN_ETH_HLEN)
		type = ((const struct vlan_ethhdr *)skb->data)->h_vlan_encapsulated_proto;
	return type;
}
#endif
