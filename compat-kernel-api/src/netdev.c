// SPDX-License-Identifier: GPL-2.0-only
/*
 * net_device: allocation, registration, carrier and queue state, and the receive path
 * (the transmit path is netdev-xmit.c).
 * What reaches the outside (a TAP interface, nookd) goes through the net host hooks
 * (nook/netdev.h), which the driver program's net shim installs.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/net_tstamp.h>
#include <nook/fault.h>
#include <nook/host.h>
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
	nook_netdev_watchdog_init(dev);
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

void nook_netdev_features_sync(struct net_device *dev)
{
	if (likely(dev->features == dev->nook_features_told))
		return;
	dev->nook_features_told = dev->features;
	if (host && host->features_changed)
		host->features_changed(host_ctx, dev);
}

/* Free the received skbs held for the host (netif_receive_skb). */
static void rx_held_free(struct net_device *dev)
{
	struct sk_buff *skb;

	while ((skb = dev->nook_rx_held)) {
		dev->nook_rx_held = skb->next;
		skb->next = NULL;
		kfree_skb(skb);
	}
	dev->nook_rx_nheld = 0;
}

void free_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	nook_netdev_watchdog_down(dev);
	/* Frames still held for a host that is gone (it flushes before a device goes). */
	rx_held_free(dev);
	nook_netdev_tx_release(dev);
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

void dev_addr_mod(struct net_device *dev, unsigned int offset, const void *addr, size_t len)
{
	u8 a[MAX_ADDR_LEN];

	/* Linux stops the kernel (BUG) for a change past the address; here the driver stops. */
	if (offset + len > dev->addr_len)
		nook_fatal("dev_addr_mod() past the end of the device's address");
	memcpy(a, dev->nook_addr, dev->addr_len);
	memcpy(a + offset, addr, len);
	dev_addr_set_nook(dev, a);
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
	dev->nook_features_told = dev->features;
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
	nook_netdev_watchdog_down(dev);
	dev->reg_state = NETREG_UNREGISTERED;
	if (host && host->unregister_dev)
		host->unregister_dev(host_ctx, dev);
}

/*
 * A carrier that flips more often than any cable does is a driver gone wrong (or one
 * flooding its host): more than CARRIER_STORM_FLIPS changes within a second stop it.
 */
#define CARRIER_STORM_FLIPS 20

static void carrier_flipped(struct net_device *dev)
{
	static u64 flips_ns[CARRIER_STORM_FLIPS];
	static unsigned int next;
	u64 now = nook_host_now_ns(), oldest = flips_ns[next];
	char msg[160];

	flips_ns[next] = now;
	next = (next + 1) % CARRIER_STORM_FLIPS;
	if (!oldest || now - oldest >= 1000000000ull)
		return;
	snprintf(msg, sizeof(msg), "%s: carrier flipped %d times within %llu ms: a carrier storm",
		 dev->name, CARRIER_STORM_FLIPS, (unsigned long long)((now - oldest) / 1000000));
	nook_fatal(msg);
}

void netif_carrier_on(struct net_device *dev)
{
	if (!test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	carrier_flipped(dev);
	/* As Linux: the watchdog, idle while the link was down, watches again. */
	if (netif_running(dev))
		nook_netdev_watchdog_up(dev);
	if (host && host->carrier)
		host->carrier(host_ctx, dev, true);
}

void netif_carrier_off(struct net_device *dev)
{
	if (test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	carrier_flipped(dev);
	if (host && host->carrier)
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

/* Start and wake differ in Linux only in whether the qdisc is kicked; the TAP is read either way. */
void netif_tx_start_queue(struct netdev_queue *q)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &q->state) && host && host->queue)
		host->queue(host_ctx, q->dev, true);
}

void netif_tx_stop_queue(struct netdev_queue *q)
{
	/* As Linux: a stopped queue's watchdog timeout counts from its stop, at the latest. */
	q->trans_start = jiffies;
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
		skb->pkt_type =
			is_broadcast_ether_addr(eth->h_dest) ? PACKET_BROADCAST : PACKET_MULTICAST;
	else if (dev && !ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_OTHERHOST;
	else
		skb->pkt_type = PACKET_HOST;
	if (ntohs(eth->h_proto) >= ETH_P_802_3_MIN)
		return eth->h_proto;
	return htons(ETH_P_802_2);
}

/*
 * What the driver hands up crosses a boundary: an skb whose pointers and lengths do not
 * describe its own buffer would make the shim read outside it. Nonsense stops the driver
 * (a driver that lies once is not trusted with the next frame); the reason is returned.
 */
static const char *skb_rx_nonsense(const struct sk_buff *skb, char *why, size_t size)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int room = skb->end - (unsigned int)(skb->data - skb->head), frags = 0;

	if (!skb->dev)
		return "a received skb with no device";
	if (skb->data < skb->head || skb->data > skb->head + skb->end || skb->tail > skb->end)
		return "a received skb whose data pointer lies outside its buffer";
	if (skb_mac_header(skb) < skb->head || skb_mac_header(skb) > skb->data)
		return "a received skb whose MAC header lies outside its buffer";
	if (sh->nr_frags > MAX_SKB_FRAGS)
		return "a received skb with more fragments than an skb holds";
	for (unsigned int i = 0; i < sh->nr_frags; i++)
		frags += skb_frag_size(&sh->frags[i]);
	if (skb->data_len > skb->len || skb->data_len != frags || skb_headlen(skb) > room ||
	    skb_tail_pointer(skb) != skb->data + skb_headlen(skb)) {
		snprintf(why, size,
			 "a received skb whose length (%u bytes, %u in fragments) "
			 "does not fit its buffer (%u bytes, %u in fragments)",
			 skb->len, skb->data_len, room, frags);
		return why;
	}
	return NULL;
}

static void skb_rx_check(struct sk_buff *skb)
{
	char why[160], msg[200];
	const char *bad;

	if (nook_fault_rx_point())
		skb->len += 0x10000; /* a length far beyond any receive buffer */
	bad = skb_rx_nonsense(skb, why, sizeof(why));
	if (!bad)
		return;
	snprintf(msg, sizeof(msg), "%s: the driver handed up %s", skb->dev ? skb->dev->name : "?",
		 bad);
	nook_fatal(msg);
}

/*
 * The most received skbs held for the host in one burst: a NAPI poll hands up at most its
 * weight (64 for most drivers), so this only bounds a driver that receives outside NAPI.
 */
#define RX_HELD_MAX 256

/*
 * Hand a received frame out (from its MAC header). The host may keep pointing at it until
 * the burst ends, so the skb is freed then, not now.
 */
int netif_receive_skb(struct sk_buff *skb)
{
	unsigned int maclen = (unsigned int)(skb->data - skb_mac_header(skb));
	struct nook_netdev_offload off = { .csum_valid = skb->ip_summed == CHECKSUM_UNNECESSARY };
	struct net_device *dev = skb->dev;

	skb_rx_check(skb);
	/*
	 * A runt is a bad frame, not a lie about the buffer: Linux's stack drops it, and so
	 * does nook. (e100 can read a QEMU receive descriptor that is marked done before its
	 * length is written, and hands up an empty frame.)
	 */
	if (skb->len + maclen < ETH_HLEN) {
		netdev_warn_once(dev,
				 "the driver handed up a received frame of %u bytes, shorter "
				 "than an Ethernet header: dropped (said once)\n",
				 skb->len + maclen);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (skb_is_nonlinear(skb) && !__pskb_pull_tail(skb, (int)skb->data_len)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	if (!dev || !host || !host->rx) {
		kfree_skb(skb);
		return NET_RX_SUCCESS;
	}
	host->rx(host_ctx, dev, skb_mac_header(skb), skb->len + maclen, &off);
	skb->next = dev->nook_rx_held;
	dev->nook_rx_held = skb;
	/* Outside a NAPI poll no end of the burst would come: this frame is the burst. */
	if (!nook_napi_polling() || ++dev->nook_rx_nheld >= RX_HELD_MAX)
		nook_netdev_rx_flush(dev);
	return NET_RX_SUCCESS;
}

void nook_netdev_rx_flush(struct net_device *dev)
{
	if (!dev)
		return;
	if (host && host->rx_flush)
		host->rx_flush(host_ctx, dev);
	rx_held_free(dev);
}

void nook_netdev_poll_done(struct net_device *dev)
{
	if (dev && host && host->poll_done)
		host->poll_done(host_ctx, dev);
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

/* A running interface takes a new address only if its driver says it can (as Linux asks). */
int eth_mac_addr(struct net_device *dev, void *p)
{
	const struct sockaddr *sa = p;

	if (!(dev->priv_flags & IFF_LIVE_ADDR_CHANGE) && netif_running(dev))
		return -EBUSY;
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

/* --- the host side's way in */

static struct work_struct link_work;
static struct net_device *link_dev;

static void link_work_fn(struct work_struct *w)
{
	rtnl_lock();
	if (host && host->link_apply && link_dev && link_dev->reg_state == NETREG_REGISTERED)
		host->link_apply(host_ctx, link_dev);
	rtnl_unlock();
}

int nook_netdev_request_link(struct net_device *dev)
{
	static bool init;

	if (!init) {
		INIT_WORK(&link_work, link_work_fn);
		init = true;
	}
	link_dev = dev;
	schedule_work(&link_work);
	return 0;
}

int nook_netdev_ndo_open(struct net_device *dev)
{
	int r = 0;

	if (netif_running(dev))
		return 0;
	if (dev->netdev_ops->ndo_validate_addr)
		r = dev->netdev_ops->ndo_validate_addr(dev);
	if (r)
		return r;
	/* As Linux's __dev_open: running before ndo_open, and not if it fails. */
	set_bit(__LINK_STATE_START, &dev->state);
	if (dev->netdev_ops->ndo_open)
		r = dev->netdev_ops->ndo_open(dev);
	if (r) {
		clear_bit(__LINK_STATE_START, &dev->state);
	} else {
		dev->flags |= IFF_UP;
		/* Linux's dev_activate: the queues' watchdog counts from now */
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			netdev_get_tx_queue(dev, i)->trans_start = jiffies;
		nook_netdev_watchdog_up(dev);
	}
	return r;
}

int nook_netdev_ndo_stop(struct net_device *dev)
{
	int r = 0;

	if (!netif_running(dev))
		return 0;
	nook_netdev_watchdog_down(dev); /* Linux's dev_deactivate, before ndo_stop */
	if (dev->netdev_ops->ndo_stop)
		r = dev->netdev_ops->ndo_stop(dev);
	clear_bit(__LINK_STATE_START, &dev->state);
	dev->flags &= ~IFF_UP;
	return r;
}

int nook_netdev_ndo_change_mtu(struct net_device *dev, unsigned int mtu)
{
	if (mtu < dev->min_mtu || mtu > dev->max_mtu)
		return -EINVAL;
	if (dev->netdev_ops->ndo_change_mtu)
		return dev->netdev_ops->ndo_change_mtu(dev, (int)mtu);
	dev->mtu = mtu;
	return 0;
}

int nook_netdev_ndo_set_mac(struct net_device *dev, const unsigned char mac[6])
{
	struct sockaddr sa = { .sa_family = 1 };

	memcpy(sa.sa_data, mac, ETH_ALEN);
	/* A driver without the callback cannot change its NIC's address (Linux says the same). */
	if (!dev->netdev_ops->ndo_set_mac_address)
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_set_mac_address(dev, &sa);
}

static void hw_list_set(struct netdev_hw_addr_list *l, const unsigned char (*addrs)[6], size_t n)
{
	struct netdev_hw_addr *ha, *tmp;

	list_for_each_entry_safe(ha, tmp, &l->list, list) {
		list_del(&ha->list);
		kfree(ha);
	}
	l->count = 0;
	for (size_t i = 0; i < n; i++) {
		ha = kzalloc(sizeof(*ha), GFP_KERNEL);
		if (!ha)
			break;
		memcpy(ha->addr, addrs[i], ETH_ALEN);
		list_add_tail(&ha->list, &l->list);
		l->count++;
	}
}

void nook_netdev_ndo_set_rx_mode(struct net_device *dev, unsigned int flags,
				 const unsigned char (*mc)[6], size_t n_mc)
{
	dev->flags = (dev->flags & ~(IFF_PROMISC | IFF_ALLMULTI)) |
		     (flags & (IFF_PROMISC | IFF_ALLMULTI));
	hw_list_set(&dev->mc, mc, n_mc);
	if (dev->netdev_ops->ndo_set_rx_mode)
		dev->netdev_ops->ndo_set_rx_mode(dev);
}

const char *nook_netdev_ifname(const struct net_device *dev)
{
	return dev->name;
}

void nook_netdev_set_ifname(struct net_device *dev, const char *name)
{
	strscpy(dev->name, name, sizeof(dev->name));
}

const unsigned char *nook_netdev_mac(const struct net_device *dev)
{
	return dev->dev_addr;
}

unsigned int nook_netdev_mtu(const struct net_device *dev)
{
	return dev->mtu;
}

bool nook_netdev_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

/* A driver's ndo_get_stats64 starting from the unsigned long counters in dev->stats. */
void netdev_stats_to_stats64(struct rtnl_link_stats64 *to, const struct net_device_stats *from)
{
	*to = (struct rtnl_link_stats64){
		.rx_packets = from->rx_packets,
		.tx_packets = from->tx_packets,
		.rx_bytes = from->rx_bytes,
		.tx_bytes = from->tx_bytes,
		.rx_errors = from->rx_errors,
		.tx_errors = from->tx_errors,
		.rx_dropped = from->rx_dropped,
		.tx_dropped = from->tx_dropped,
		.multicast = from->multicast,
		.collisions = from->collisions,
		.rx_length_errors = from->rx_length_errors,
		.rx_over_errors = from->rx_over_errors,
		.rx_crc_errors = from->rx_crc_errors,
		.rx_frame_errors = from->rx_frame_errors,
		.rx_fifo_errors = from->rx_fifo_errors,
		.rx_missed_errors = from->rx_missed_errors,
		.tx_aborted_errors = from->tx_aborted_errors,
		.tx_carrier_errors = from->tx_carrier_errors,
		.tx_fifo_errors = from->tx_fifo_errors,
		.tx_heartbeat_errors = from->tx_heartbeat_errors,
		.tx_window_errors = from->tx_window_errors,
		.rx_compressed = from->rx_compressed,
		.tx_compressed = from->tx_compressed,
	};
}
