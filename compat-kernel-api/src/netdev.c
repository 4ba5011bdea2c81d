// SPDX-License-Identifier: GPL-2.0-only
/*
 * net_device: allocation, registration, carrier and queue state, and the receive path.
 * What reaches the outside (a TAP interface, nookd) goes through the net host hooks
 * (nook/netdev.h), which the driver program's net shim installs.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/net_tstamp.h>
#include <nook/netdev.h>

#include "internal.h"

static const struct nook_netdev_host *host;
static void *host_ctx;

void nook_netdev_set_host(const struct nook_netdev_host *h, void *ctx)
{
	host = h;
	host_ctx = ctx;
}

struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs)
{
	size_t size = ALIGN(sizeof(struct net_device), NETDEV_ALIGN) + (size_t)sizeof_priv;
	struct net_device *dev = kzalloc(size, GFP_KERNEL);

	if (!dev)
		return NULL;
	dev->_tx = kcalloc(txqs ? txqs : 1, sizeof(*dev->_tx), GFP_KERNEL);
	if (!dev->_tx) {
		kfree(dev);
		return NULL;
	}
	for (unsigned int i = 0; i < (txqs ? txqs : 1); i++)
		dev->_tx[i].dev = dev;
	dev->num_tx_queues = dev->real_num_tx_queues = txqs ? txqs : 1;
	dev->nook_priv = (u8 *)dev + ALIGN(sizeof(struct net_device), NETDEV_ALIGN);
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->uc.list);
	INIT_LIST_HEAD(&dev->mc.list);
	ether_setup(dev);
	strscpy(dev->name, "eth%d", sizeof(dev->name));
	set_bit(__LINK_STATE_PRESENT, &dev->state);
	set_bit(__LINK_STATE_NOCARRIER, &dev->state);
	return dev;
}

void ether_setup(struct net_device *dev)
{
	dev->type = 1; /* ARPHRD_ETHER */
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->dev_addr = dev->nook_addr;
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

void free_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	kfree(dev->_tx);
	kfree(dev);
}

int dev_addr_set_nook(struct net_device *dev, const u8 *addr)
{
	memcpy(dev->nook_addr, addr, dev->addr_len);
	if (dev->reg_state == NETREG_REGISTERED && host && host->address_changed)
		host->address_changed(host_ctx, dev);
	return 0;
}

int register_netdev(struct net_device *dev)
{
	int r = 0;

	if (dev->netdev_ops && dev->netdev_ops->ndo_init) {
		r = dev->netdev_ops->ndo_init(dev);
		if (r)
			return r;
	}
	if (!is_valid_ether_addr(dev->dev_addr))
		return -EADDRNOTAVAIL;
	memcpy(dev->perm_addr, dev->dev_addr, ETH_ALEN);
	dev->wanted_features = dev->features | dev->hw_features;
	if (host && host->register_dev)
		r = host->register_dev(host_ctx, dev);
	if (r == 0)
		dev->reg_state = NETREG_REGISTERED;
	return r;
}

void unregister_netdev(struct net_device *dev)
{
	if (dev->reg_state != NETREG_REGISTERED)
		return;
	if (netif_running(dev) && dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	clear_bit(__LINK_STATE_START, &dev->state);
	dev->reg_state = NETREG_UNREGISTERED;
	if (host && host->unregister_dev)
		host->unregister_dev(host_ctx, dev);
}

void netif_carrier_on(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state) && host && host->carrier)
		host->carrier(host_ctx, dev, true);
}

void netif_carrier_off(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state) && host && host->carrier)
		host->carrier(host_ctx, dev, false);
}

void netif_device_detach(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev))
		netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
}

void netif_device_attach(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev))
		netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
}

void netif_tx_start_queue(struct netdev_queue *q)
{
	clear_bit(__QUEUE_STATE_DRV_XOFF, &q->state);
}

void netif_tx_stop_queue(struct netdev_queue *q)
{
	if (!test_and_set_bit(__QUEUE_STATE_DRV_XOFF, &q->state) && host && host->queue)
		host->queue(host_ctx, q->dev, false);
}

void netif_tx_wake_queue(struct netdev_queue *q)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &q->state) && host && host->queue)
		host->queue(host_ctx, q->dev, true);
}

/* --- receive */

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	eth = (const struct ethhdr *)skb->data;
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	if (is_multicast_ether_addr(eth->h_dest))
		skb->pkt_type = is_broadcast_ether_addr(eth->h_dest) ? PACKET_BROADCAST :
								       PACKET_MULTICAST;
	else if (dev && !ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_OTHERHOST;
	else
		skb->pkt_type = PACKET_HOST;
	if (ntohs(eth->h_proto) >= ETH_P_802_3_MIN)
		return eth->h_proto;
	return htons(ETH_P_802_2);
}

int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	if (dev)
		dev->stats.rx_packets += 0; /* the driver counts its own statistics */
	if (host && host->rx)
		host->rx(host_ctx, dev, skb);
	else
		kfree_skb(skb);
	return 0;
}

gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	netif_receive_skb(skb);
	return GRO_NORMAL;
}

int netif_rx(struct sk_buff *skb)
{
	return netif_receive_skb(skb);
}

/* --- address and ethtool helpers */

int eth_validate_addr(struct net_device *dev)
{
	return is_valid_ether_addr(dev->dev_addr) ? 0 : -EADDRNOTAVAIL;
}

int eth_mac_addr(struct net_device *dev, void *p)
{
	const struct sockaddr *sa = p;

	if (!is_valid_ether_addr((const u8 *)sa->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(dev, (const u8 *)sa->sa_data);
	return 0;
}

u32 ethtool_op_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev) ? 1 : 0;
}

int ethtool_op_get_ts_info(struct net_device *dev, struct ethtool_ts_info *info)
{
	info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
				SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = -1;
	return 0;
}

/* The legacy 32-bit link-mode masks are the first 32 bits of the link-mode bitmap. */
void ethtool_convert_legacy_u32_to_link_mode(unsigned long *dst, u32 legacy_u32)
{
	bitmap_zero(dst, __ETHTOOL_LINK_MODE_MASK_NBITS);
	dst[0] = legacy_u32;
}

bool ethtool_convert_link_mode_to_legacy_u32(u32 *legacy_u32, const unsigned long *src)
{
	bool fits = !(src[0] >> 32);

	for (unsigned int i = 1; i < BITS_TO_LONGS(__ETHTOOL_LINK_MODE_MASK_NBITS); i++)
		fits &= src[i] == 0;
	*legacy_u32 = (u32)src[0];
	return fits;
}
