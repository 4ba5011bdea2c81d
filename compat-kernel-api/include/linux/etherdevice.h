/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_ETHERDEVICE_H
#define NOOK_LINUX_ETHERDEVICE_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/random.h>

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
int eth_validate_addr(struct net_device *dev);
int eth_mac_addr(struct net_device *dev, void *p);
void ether_setup(struct net_device *dev);

static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}
static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 0x01;
}
static inline bool is_local_ether_addr(const u8 *a)
{
	return a[0] & 0x02;
}
static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}
static inline bool is_unicast_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a);
}
static inline bool is_valid_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}
static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}
static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return memcmp(a, b, ETH_ALEN) == 0;
}
static inline void eth_zero_addr(u8 *a)
{
	memset(a, 0, ETH_ALEN);
}
static inline void eth_broadcast_addr(u8 *a)
{
	memset(a, 0xff, ETH_ALEN);
}
static inline void eth_random_addr(u8 *a)
{
	get_random_bytes(a, ETH_ALEN);
	a[0] &= 0xfe;
	a[0] |= 0x02;
}
#define eth_hw_addr_random(dev)              \
	do {                                 \
		u8 __a[ETH_ALEN];            \
		eth_random_addr(__a);        \
		eth_hw_addr_set((dev), __a); \
	} while (0)
/* Pad a short frame to the Ethernet minimum; frees the skb on failure, as Linux does. */
static inline int eth_skb_pad(struct sk_buff *skb)
{
	if (skb_put_padto(skb, ETH_ZLEN)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	return 0;
}

#endif
