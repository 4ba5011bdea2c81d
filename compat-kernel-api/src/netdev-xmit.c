// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit path: a frame from the host (the TAP, through the net shim) becomes the skb
 * Linux's stack would have handed the driver, with the checksum and segmentation work the
 * kernel left to the NIC checked against the frame and the NIC's features.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <nook/netdev.h>

#include "internal.h"

/* --- checking a frame's offload request, and applying it to the skb */

/* Where the network header starts (after up to two VLAN tags), and its protocol. */
static unsigned int frame_l3(const u8 *f, size_t len, __be16 *ret_proto)
{
	unsigned int off = ETH_HLEN;
	__be16 proto = ((const struct ethhdr *)f)->h_proto;

	for (int tags = 0; tags < 2 && eth_type_vlan(proto) && len >= off + VLAN_HLEN; tags++) {
		proto = *(const __be16 *)(f + off + 2);
		off += VLAN_HLEN;
	}
	*ret_proto = proto;
	return off;
}

/* The L4 protocol of a frame whose transport header starts at @l4, or -1. */
static int frame_l4_proto(const u8 *f, size_t len, __be16 proto, unsigned int nh, unsigned int l4)
{
	if (proto == htons(ETH_P_IP) && len >= nh + sizeof(struct iphdr)) {
		const struct iphdr *ip = (const void *)(f + nh);

		return ip->version == 4 && nh + ip->ihl * 4U == l4 ? ip->protocol : -1;
	}
	if (proto == htons(ETH_P_IPV6) && len >= nh + sizeof(struct ipv6hdr)) {
		const struct ipv6hdr *ip6 = (const void *)(f + nh);

		return ip6->version == 6 && nh + sizeof(*ip6) == l4 ? ip6->nexthdr : -1;
	}
	return -1;
}

/* The features a NIC needs to segment TCP over IPv4 or IPv6, with ECN or without. */
static netdev_features_t tso_features(bool ipv6, bool ecn)
{
	return (ipv6 ? NETIF_F_TSO6 : NETIF_F_TSO) | (ecn ? NETIF_F_TSO_ECN : 0);
}

/*
 * Check a frame's offload request against the frame and the NIC. The header comes from
 * outside the driver: anything that does not describe this frame exactly, or asks for what
 * the NIC does not do, is refused (the frame is dropped) rather than handed on.
 */
static int offload_check(const struct net_device *dev, const u8 *f, size_t len,
			 const struct nook_netdev_offload *off)
{
	unsigned int type = off->gso_type & ~NOOK_NETDEV_GSO_ECN, nh, thlen, seg;
	netdev_features_t need;
	const struct tcphdr *th;
	__be16 proto;
	int l4;

	if (off->csum_partial &&
	    ((size_t)off->csum_start + off->csum_offset + 2 > len || off->csum_start < ETH_HLEN))
		return -EINVAL;
	if (type == NOOK_NETDEV_GSO_NONE)
		return off->gso_type || off->gso_size ? -EINVAL : 0;

	/* TCP segmentation: the checksum is TCP's, right after a plain IP header. */
	if ((type != NOOK_NETDEV_GSO_TCPV4 && type != NOOK_NETDEV_GSO_TCPV6) ||
	    !off->csum_partial || !off->gso_size ||
	    off->csum_offset != offsetof(struct tcphdr, check))
		return -EINVAL;
	nh = frame_l3(f, len, &proto);
	l4 = frame_l4_proto(f, len, proto, nh, off->csum_start);
	if (l4 != IPPROTO_TCP ||
	    proto != htons(type == NOOK_NETDEV_GSO_TCPV4 ? ETH_P_IP : ETH_P_IPV6))
		return -EINVAL;
	th = (const void *)(f + off->csum_start);
	if ((size_t)off->csum_start + sizeof(*th) > len)
		return -EINVAL;
	thlen = th->doff * 4U;
	if (thlen < sizeof(*th) || (size_t)off->csum_start + thlen >= len)
		return -EINVAL;
	/* Every segment the NIC makes must fit the MTU. */
	seg = off->csum_start - nh + thlen + off->gso_size;
	if (seg > dev->mtu)
		return -EINVAL;
	need = tso_features(type == NOOK_NETDEV_GSO_TCPV6, off->gso_type & NOOK_NETDEV_GSO_ECN);
	return (dev->features & need) == need ? 0 : -EOPNOTSUPP;
}

/*
 * Whether the NIC, offering @features for this CHECKSUM_PARTIAL skb, checksums it itself (as
 * Linux's can_checksum_protocol).
 */
static bool nic_can_checksum(netdev_features_t features, const struct sk_buff *skb)
{
	const u8 *f = skb->data;
	unsigned int nh;
	__be16 proto;
	int l4;

	if (features & NETIF_F_HW_CSUM)
		return true;
	nh = frame_l3(f, skb->len, &proto);
	l4 = frame_l4_proto(f, skb->len, proto, nh, (unsigned int)skb_checksum_start_offset(skb));
	if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP)
		return false;
	return proto == htons(ETH_P_IP)	  ? features & NETIF_F_IP_CSUM :
	       proto == htons(ETH_P_IPV6) ? features & NETIF_F_IPV6_CSUM :
					    false;
}

/*
 * What the driver offloads for this skb: its features, narrowed by its ndo_features_check
 * (or, as Linux's default, for a frame under two VLAN tags), asked before each transmit.
 */
static netdev_features_t skb_offloads(struct net_device *dev, struct sk_buff *skb)
{
	netdev_features_t features = dev->features;

	if (dev->netdev_ops->ndo_features_check)
		return dev->netdev_ops->ndo_features_check(skb, dev, features);
	return vlan_features_check(skb, features);
}

/* Whether @features let the NIC segment this GSO skb. */
static bool nic_can_segment(netdev_features_t features, const struct sk_buff *skb)
{
	unsigned int type = skb_shinfo(skb)->gso_type;
	netdev_features_t need = tso_features(type & SKB_GSO_TCPV6, type & SKB_GSO_TCP_ECN);

	return (features & need) == need;
}

static void offload_apply(struct sk_buff *skb, const u8 *f, size_t len,
			  const struct nook_netdev_offload *off)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int thlen, payload;
	__be16 proto;

	skb_set_network_header(skb, (int)frame_l3(f, len, &proto));
	if (!off->csum_partial)
		return;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + off->csum_start);
	skb->csum_offset = off->csum_offset;
	skb_set_transport_header(skb, off->csum_start);
	if (off->gso_type == NOOK_NETDEV_GSO_NONE)
		return;
	thlen = tcp_hdr(skb)->doff * 4U;
	payload = (unsigned int)len - off->csum_start - thlen;
	sh->gso_size = off->gso_size;
	sh->gso_segs = (u16)DIV_ROUND_UP(payload, off->gso_size);
	sh->gso_type = (off->gso_type & ~NOOK_NETDEV_GSO_ECN) == NOOK_NETDEV_GSO_TCPV4 ?
			       SKB_GSO_TCPV4 :
			       SKB_GSO_TCPV6;
	if (off->gso_type & NOOK_NETDEV_GSO_ECN)
		sh->gso_type |= SKB_GSO_TCP_ECN;
}

/*
 * The frame as an skb. A segmentation frame keeps only its headers in the skb's head and
 * its payload in a page fragment, as Linux's stack builds TSO skbs: drivers count such an
 * skb's bytes as one header per segment plus the payload (e1000 does: (segs - 1) * headlen
 * + len), which a wholly linear skb would inflate by the payload once per segment.
 */
static struct sk_buff *skb_from_frame(struct net_device *dev, const u8 *frame, size_t len,
				      const struct nook_netdev_offload *off)
{
	/* offload_check() made sure the TCP header lies inside a segmentation frame */
	size_t head = off->gso_type == NOOK_NETDEV_GSO_NONE ?
			      len :
			      off->csum_start + (frame[off->csum_start + 12] >> 4) * 4U;
	unsigned int order = 0, paylen = (unsigned int)(len - head);
	struct sk_buff *skb = __netdev_alloc_skb(dev, (unsigned int)head, GFP_ATOMIC);
	struct page *pg;

	if (!skb)
		return NULL;
	skb_put_data(skb, frame, (unsigned int)head);
	if (!paylen)
		return skb;
	while ((PAGE_SIZE << order) < paylen)
		order++;
	pg = alloc_pages(GFP_ATOMIC, order);
	if (!pg) {
		kfree_skb(skb);
		return NULL;
	}
	memcpy(page_address(pg), frame + head, paylen);
	skb_fill_page_desc(skb, 0, pg, 0, (int)paylen);
	skb->len += paylen;
	skb->data_len += paylen;
	skb->truesize += (unsigned int)(PAGE_SIZE << order);
	return skb;
}

static int xmit_ready(struct net_device *dev, struct sk_buff *skb, bool keep);

/*
 * The built skb to the driver, as Linux's stack hands it over. On NETDEV_TX_BUSY the skb is
 * freed, or with @keep kept as the device's busy frame, to be offered again (as Linux's
 * qdisc requeues it).
 */
static int xmit_skb(struct net_device *dev, struct sk_buff *skb, size_t len,
		    const struct nook_netdev_offload *off, bool keep)
{
	netdev_features_t features;

	skb_reset_mac_header(skb);
	skb->protocol = ((const struct ethhdr *)skb->data)->h_proto;
	skb->ip_summed = CHECKSUM_NONE;
	offload_apply(skb, skb->data, len, off);
	features = skb_offloads(dev, skb);
	/*
	 * Linux would segment in software a frame the driver will not segment; nook has no
	 * segmentation of its own, and a driver handed one anyway may send it whole.
	 */
	if (skb_is_gso(skb) && !nic_can_segment(features, skb)) {
		netdev_warn_once(dev,
				 "dropped a segmentation frame (MSS %u) the driver will not "
				 "segment: nook does not segment in software (said once; the net "
				 "shim counts each frame it drops)\n",
				 skb_shinfo(skb)->gso_size);
		kfree_skb(skb);
		return -EOPNOTSUPP;
	}
	/* A checksum the NIC cannot do is done here, as Linux does before the driver. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    !nic_can_checksum(features, skb) && skb_checksum_help(skb) < 0) {
		kfree_skb(skb);
		return -EINVAL;
	}
	return xmit_ready(dev, skb, keep);
}

/*
 * --- the frames handed to the driver and not freed yet, by their head's arena block: a
 * mapping for the device to read that starts in a frame's data must end with the frame (or
 * at ETH_ZLEN, for a short one a driver pads with skb_padto(), which leaves the length as
 * it is). One past it sends what lies after the frame in the buffer, a stale frame's bytes,
 * with checksums the NIC makes right: a length the driver computed wrong. The arena's own
 * check stops only mappings past the whole block.
 */
#define TX_LIVE_BUCKETS 256
static struct sk_buff *tx_live[TX_LIVE_BUCKETS];

static struct sk_buff **tx_bucket(const void *head)
{
	return &tx_live[((uintptr_t)head >> 11) % TX_LIVE_BUCKETS];
}

static void xmit_note(struct sk_buff *skb)
{
	struct sk_buff **b;

	if (skb->nook_tx || skb->nook_head != NOOK_SKB_HEAD_ARENA)
		return;
	b = tx_bucket(skb->head);
	skb->nook_tx = true;
	skb->nook_tx_next = *b;
	*b = skb;
}

void nook_xmit_forget(struct sk_buff *skb)
{
	for (struct sk_buff **p = tx_bucket(skb->head); *p; p = &(*p)->nook_tx_next)
		if (*p == skb) {
			*p = skb->nook_tx_next;
			break;
		}
	skb->nook_tx = false;
}

void nook_xmit_map_check(struct device *dev, const void *block, const void *ptr, size_t size)
{
	const u8 *p = ptr, *end;
	struct sk_buff *skb = *tx_bucket(block);
	char msg[200];

	while (skb && skb->head != block)
		skb = skb->nook_tx_next;
	if (!skb || p < skb->data || p >= skb_tail_pointer(skb))
		return;
	end = max(skb_tail_pointer(skb), skb->data + ETH_ZLEN);
	if (p + size <= end)
		return;
	snprintf(msg, sizeof(msg),
		 "%s: DMA mapping of %zu bytes at byte %zu of a frame runs %zu bytes past its "
		 "end (%u bytes, %u of them in its head)",
		 nook_dev_name(dev), size, (size_t)(p - skb->data), (size_t)(p + size - end),
		 skb->len, skb_headlen(skb));
	nook_fatal(msg);
}

/* An skb ready for the driver (or the busy one, again). */
static int xmit_ready(struct net_device *dev, struct sk_buff *skb, bool keep)
{
	netdev_tx_t rc;

	xmit_note(skb);
	rc = dev->netdev_ops->ndo_start_xmit(skb, dev);

	/* As Linux's netdev_start_xmit: the transmit watchdog counts from the last one taken. */
	if (rc == NETDEV_TX_OK)
		netdev_get_tx_queue(dev, 0)->trans_start = jiffies;
	if (rc != NETDEV_TX_BUSY)
		return 0;
	if (keep)
		dev->nook_tx_busy = skb;
	else
		kfree_skb(skb);
	return -EBUSY;
}

int nook_netdev_xmit(struct net_device *dev, const void *frame, size_t len,
		     const struct nook_netdev_offload *off)
{
	static const struct nook_netdev_offload none;
	struct sk_buff *skb;
	int r;

	if (len < ETH_HLEN || len > 65535 + ETH_HLEN)
		return -EINVAL;
	if (!netif_running(dev) || netif_queue_stopped(dev))
		return -EBUSY;
	nook_netdev_features_sync(dev);
	if (!off)
		off = &none;
	r = offload_check(dev, frame, len, off);
	if (r < 0)
		return r;
	skb = skb_from_frame(dev, frame, len, off);
	if (!skb)
		return -ENOMEM;
	return xmit_skb(dev, skb, len, off, false);
}

/* --- transmit without a copy: the host reads the frame into the skb's own buffers */

/*
 * The next frame is read into the head of an skb (TX_HEAD bytes: a whole frame of a usual
 * MTU) and, past that, into a 64 KiB page, from TX_PAGE_FRONT on. For a segmentation frame
 * the payload that landed at the head's end moves down in front of the rest (at most
 * TX_PAGE_FRONT bytes: the headers are at least Ethernet + IPv4 + TCP), so the head holds
 * the headers only, as Linux builds TSO skbs.
 */
#define TX_HEAD 2048U
#define TX_PAGE_ORDER 4U
#define TX_PAGE_FRONT (TX_HEAD - ETH_HLEN - 20U - 20U)
#define TX_PAGE_ROOM ((PAGE_SIZE << TX_PAGE_ORDER) - TX_PAGE_FRONT)

int nook_netdev_tx_buffers(struct net_device *dev, void *ret_buf[2], size_t ret_len[2])
{
	if (!dev->nook_tx_head)
		dev->nook_tx_head = __netdev_alloc_skb(dev, TX_HEAD, GFP_ATOMIC);
	if (!dev->nook_tx_page)
		dev->nook_tx_page = alloc_pages(GFP_ATOMIC, TX_PAGE_ORDER);
	if (!dev->nook_tx_head || !dev->nook_tx_page)
		return -ENOMEM;
	ret_buf[0] = dev->nook_tx_head->data;
	ret_len[0] = TX_HEAD;
	ret_buf[1] = (u8 *)page_address(dev->nook_tx_page) + TX_PAGE_FRONT;
	ret_len[1] = TX_PAGE_ROOM;
	return 0;
}

/* A frame read across both buffers, made one (for what cannot take it in two pieces). */
static int xmit_linearized(struct net_device *dev, size_t len,
			   const struct nook_netdev_offload *off)
{
	u8 *f = kmalloc(len, GFP_ATOMIC);
	int r;

	if (!f)
		return -ENOMEM;
	memcpy(f, dev->nook_tx_head->data, TX_HEAD);
	memcpy(f + TX_HEAD, (u8 *)page_address(dev->nook_tx_page) + TX_PAGE_FRONT, len - TX_HEAD);
	r = nook_netdev_xmit(dev, f, len, off);
	kfree(f);
	return r;
}

int nook_netdev_xmit_read(struct net_device *dev, size_t len, const struct nook_netdev_offload *off)
{
	static const struct nook_netdev_offload none;
	struct sk_buff *skb = dev->nook_tx_busy;
	size_t hdr, move;
	int r;

	if (skb) {
		/* The frame the driver was busy for: the same, again. */
		dev->nook_tx_busy = NULL;
		if (!netif_running(dev) || netif_queue_stopped(dev)) {
			dev->nook_tx_busy = skb;
			return -EBUSY;
		}
		return xmit_ready(dev, skb, true);
	}
	if (!dev->nook_tx_head || !dev->nook_tx_page)
		return -EINVAL; /* nook_netdev_tx_buffers() first */
	if (len < ETH_HLEN || len > TX_HEAD + TX_PAGE_ROOM || len > 65535 + ETH_HLEN)
		return -EINVAL;
	if (!off)
		off = &none;
	/*
	 * Headers past the head (an odd IPv6 chain), or a frame too long for the head on a
	 * NIC without scatter-gather: one piece, copied, as before.
	 */
	if (len > TX_HEAD &&
	    ((off->csum_partial && off->csum_start + 60U > TX_HEAD) ||
	     (off->gso_type == NOOK_NETDEV_GSO_NONE && !(dev->features & NETIF_F_SG))))
		return xmit_linearized(dev, len, off);
	if (!netif_running(dev) || netif_queue_stopped(dev))
		return -EBUSY; /* nothing taken: the buffers keep the frame */
	nook_netdev_features_sync(dev);
	skb = dev->nook_tx_head;
	r = offload_check(dev, skb->data, len, off);
	if (r < 0)
		return r;
	dev->nook_tx_head = NULL;
	if (len <= TX_HEAD) {
		skb_put(skb, (unsigned int)len);
	} else {
		/* offload_check() made sure the TCP header lies inside a segmentation frame */
		hdr = off->gso_type == NOOK_NETDEV_GSO_NONE ?
			      TX_HEAD :
			      off->csum_start + (skb->data[off->csum_start + 12] >> 4) * 4U;
		move = TX_HEAD - hdr;
		memcpy((u8 *)page_address(dev->nook_tx_page) + TX_PAGE_FRONT - move,
		       skb->data + hdr, move);
		skb_put(skb, (unsigned int)hdr);
		skb_fill_page_desc(skb, 0, dev->nook_tx_page, (int)(TX_PAGE_FRONT - move),
				   (int)(len - hdr));
		skb->len += (unsigned int)(len - hdr);
		skb->data_len += (unsigned int)(len - hdr);
		skb->truesize += PAGE_SIZE << TX_PAGE_ORDER;
		dev->nook_tx_page = NULL;
	}
	return xmit_skb(dev, skb, len, off, true);
}

void nook_netdev_tx_release(struct net_device *dev)
{
	kfree_skb(dev->nook_tx_busy);
	kfree_skb(dev->nook_tx_head);
	if (dev->nook_tx_page)
		__free_pages(dev->nook_tx_page, TX_PAGE_ORDER);
	dev->nook_tx_busy = dev->nook_tx_head = NULL;
	dev->nook_tx_page = NULL;
}

unsigned int nook_netdev_offloads(const struct net_device *dev)
{
	netdev_features_t f = dev->features;
	unsigned int o = 0;

	if (f & (NETIF_F_HW_CSUM | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM))
		o |= NOOK_NETDEV_OFF_CSUM;
	/* As Linux's netdev_fix_features: no segmentation without scatter-gather and checksums. */
	if ((o & NOOK_NETDEV_OFF_CSUM) && (f & NETIF_F_SG)) {
		if (f & NETIF_F_TSO)
			o |= NOOK_NETDEV_OFF_TSO4;
		if (f & NETIF_F_TSO6)
			o |= NOOK_NETDEV_OFF_TSO6;
		if ((f & NETIF_F_TSO_ECN) && (o & (NOOK_NETDEV_OFF_TSO4 | NOOK_NETDEV_OFF_TSO6)))
			o |= NOOK_NETDEV_OFF_TSO_ECN;
	}
	return o;
}
