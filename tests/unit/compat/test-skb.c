// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of sk_buff operations and of DMA mapping on the arena, on the fake host. */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/etherdevice.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <nook/dma.h>
#include <nook/kernel.h>
#include <nook/fault.h>
#include <nook/netdev.h>
#include <nook/netdev-query.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

static void test_linear_operations(void **state)
{
	size_t before = nook_arena_in_use();
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	u8 *p;

	assert_non_null(skb);
	assert_true(nook_arena_contains(skb->data));
	assert_int_equal(skb->len, 0);
	skb_reserve(skb, 32);
	assert_int_equal(skb_headroom(skb), 32);
	p = skb_put(skb, 100);
	memset(p, 0xab, 100);
	assert_int_equal(skb->len, 100);
	assert_ptr_equal(skb_tail_pointer(skb), skb->data + 100);
	p = skb_push(skb, 14);
	assert_ptr_equal(p, skb->data);
	assert_int_equal(skb->len, 114);
	assert_int_equal(skb_headroom(skb), 18);
	assert_non_null(skb_pull(skb, 14));
	assert_int_equal(skb->len, 100);
	assert_int_equal(skb->data[0], 0xab);
	assert_null(skb_pull(skb, 101));
	skb_trim(skb, 60);
	assert_int_equal(skb->len, 60);
	assert_int_equal(skb_tailroom(skb), (int)(skb->end - skb->tail));
	kfree_skb(skb);
	/* Everything went back to the arena. */
	assert_int_equal(nook_arena_in_use(), before);
}

static void test_build_skb_on_a_fragment(void **state)
{
	unsigned int fragsz =
		SKB_DATA_ALIGN(2048 + NET_SKB_PAD) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	size_t before = nook_arena_in_use();
	u8 *data = netdev_alloc_frag(fragsz);
	struct sk_buff *skb;

	assert_non_null(data);
	memcpy(data + NET_SKB_PAD, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	skb = napi_build_skb(data, fragsz);
	assert_non_null(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put(skb, 60);
	assert_ptr_equal(skb->data, data + NET_SKB_PAD);
	/* The shared info sits right after the usable buffer, inside the fragment. */
	assert_true((u8 *)skb_shinfo(skb) + sizeof(struct skb_shared_info) <= data + fragsz);
	skb->protocol = eth_type_trans(skb, NULL);
	assert_int_equal(skb->protocol, htons(ETH_P_IP));
	assert_int_equal(skb->len, 46);
	assert_int_equal(skb->pkt_type, PACKET_BROADCAST);
	kfree_skb(skb);
	assert_int_equal(nook_arena_in_use(), before);
}

static void test_page_fragments_and_pull_tail(void **state)
{
	size_t before = nook_arena_in_use();
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL);
	u8 *pd, out[300];

	assert_non_null(pg);
	pd = page_address(pg);
	for (int i = 0; i < 300; i++)
		pd[i] = (u8)i;
	skb_put(skb, 20);
	memset(skb->data, 0x11, 20);
	skb_add_rx_frag(skb, 0, pg, 0, 300, PAGE_SIZE);
	assert_int_equal(skb->len, 320);
	assert_int_equal(skb_headlen(skb), 20);
	assert_true(skb_is_nonlinear(skb));
	assert_int_equal(skb_copy_bits(skb, 15, out, 10), 0);
	assert_int_equal(out[4], 0x11);
	assert_int_equal(out[5], 0);
	assert_int_equal(out[9], 4);

	/* Pull 50 bytes of the fragment into the head; the rest stays a fragment. */
	assert_non_null(__pskb_pull_tail(skb, 50));
	assert_int_equal(skb_headlen(skb), 70);
	assert_int_equal(skb->len, 320);
	assert_int_equal(skb->data[20], 0);
	assert_int_equal(skb->data[69], 49);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 1);
	assert_int_equal(skb_frag_size(&skb_shinfo(skb)->frags[0]), 250);
	assert_int_equal(skb_copy_bits(skb, 70, out, 250), 0);
	assert_int_equal(out[0], 50);

	/* Trimming into the head drops the fragment (and its page). */
	assert_int_equal(pskb_trim(skb, 40), 0);
	assert_int_equal(skb->len, 40);
	assert_int_equal(skb_shinfo(skb)->nr_frags, 0);
	kfree_skb(skb);
	assert_int_equal(nook_arena_in_use(), before);
}

static void test_pad_and_cow(void **state)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	u8 *old_head;

	skb_put_data(skb, "short", 5);
	assert_int_equal(eth_skb_pad(skb), 0);
	assert_int_equal(skb->len, ETH_ZLEN);
	assert_int_equal(skb->data[59], 0);

	/* Asking for more headroom than there is moves the head, keeping the data. */
	old_head = skb->head;
	skb_reset_network_header(skb);
	assert_int_equal(skb_cow_head(skb, 200), 0);
	assert_ptr_not_equal(skb->head, old_head);
	assert_true(skb_headroom(skb) >= 200);
	assert_memory_equal(skb->data, "short", 5);
	assert_ptr_equal(skb_network_header(skb), skb->data);
	kfree_skb(skb);
}

static void test_dma_mapping_translates(void **state)
{
	struct device dev = { 0 };
	dma_addr_t coh, m;
	u8 *buf = dma_alloc_coherent(&dev, 3000, &coh, GFP_KERNEL);
	u8 stack_buf[16];
	struct page *pg;

	assert_non_null(buf);
	assert_true(coh >= FAKE_ARENA_IOVA && coh < FAKE_ARENA_IOVA + FAKE_ARENA_SIZE);
	assert_int_equal(buf[2999], 0);
	m = dma_map_single(&dev, buf + 100, 64, DMA_TO_DEVICE);
	assert_int_equal(dma_mapping_error(&dev, m), 0);
	assert_true(m == coh + 100);
	dma_unmap_single(&dev, m, 64, DMA_TO_DEVICE);

	/* Memory the device cannot reach is refused, not silently mapped. */
	m = dma_map_single(&dev, stack_buf, sizeof(stack_buf), DMA_TO_DEVICE);
	assert_int_not_equal(dma_mapping_error(&dev, m), 0);

	pg = alloc_page(GFP_KERNEL);
	m = dma_map_page(&dev, pg, 128, 256, DMA_FROM_DEVICE);
	/* The arena is mapped linearly: an address's IOVA is coh plus its distance from buf. */
	assert_true(m == coh + (u64)((u8 *)page_address(pg) + 128 - buf));
	assert_int_equal((uintptr_t)page_address(pg) % PAGE_SIZE, 0);
	put_page(pg);
	dma_free_coherent(&dev, 3000, buf, coh);

	/* The arena at 0x40000000 + 8 MiB fits a 32-bit mask, not a 30-bit one. */
	dev.dma_mask = &dev.coherent_dma_mask;
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(32)), 0);
	assert_int_not_equal(dma_set_mask(&dev, DMA_BIT_MASK(30)), 0);
}

/* dev_addr_mod changes part of the address, as dev_addr_set does the whole. */
static void test_dev_addr_mod_changes_part_of_the_address(void **state)
{
	static const u8 mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const u8 want[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x56 };
	struct net_device *dev = alloc_etherdev(0);

	eth_hw_addr_set(dev, mac);
	dev_addr_mod(dev, 3, "\xab\xcd", 2);
	assert_memory_equal(dev->dev_addr, want, ETH_ALEN);
	free_netdev(dev);
}

/* cp_start_xmit with its head length computed wrong: the head mapped past its buffer. */
static void map_past_the_head(void *arg)
{
	struct device dev = { 0 };
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL);

	skb_put(skb, 66);
	dma_map_single(&dev, skb->data, 66 | 0x4000, DMA_TO_DEVICE);
}

static void map_freed_buffer(void *arg)
{
	struct device dev = { 0 };
	struct page *pg = alloc_page(GFP_KERNEL);
	void *p = page_address(pg);

	put_page(pg);
	dma_map_single(&dev, p, 64, DMA_FROM_DEVICE);
}

/* A mapping runs inside one buffer; past its end, or of a freed one, the driver stops. */
static void test_dma_mapping_past_its_buffer_stops_the_driver(void **state)
{
	struct device dev = { 0 };
	struct sk_buff *skb = alloc_skb(1500, GFP_KERNEL);
	char why[256];
	dma_addr_t m;

	/* the whole buffer, headroom and tailroom too, is the driver's to map */
	m = dma_map_single(&dev, skb->head, skb_end_pointer(skb) - skb->head, DMA_FROM_DEVICE);
	assert_int_equal(dma_mapping_error(&dev, m), 0);
	dma_unmap_single(&dev, m, skb_end_pointer(skb) - skb->head, DMA_FROM_DEVICE);
	kfree_skb(skb);

	assert_int_equal(fake_host_expect_fatal(map_past_the_head, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "DMA mapping of 16450 bytes at offset"));
	assert_non_null(strstr(why, "past its end"));
	assert_int_equal(fake_host_expect_fatal(map_freed_buffer, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "no buffer of the driver's holds that address"));
}

/* The Internet checksum of @len bytes, a byte at a time: what csum_partial must agree with. */
static u16 slow_csum(const u8 *p, int len, u32 sum)
{
	for (int i = 0; i + 1 < len; i += 2)
		sum += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

static void test_csum_partial_agrees_with_rfc1071(void **state)
{
	static u8 buf[2000];

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 131 + 7);
	/* Every length and start alignment near the word sizes the sum works in. */
	for (int start = 0; start < 9; start++)
		for (int len = 0; len < 80; len++) {
			u16 want = slow_csum(buf + start, len, 0);
			u16 got = ntohs((__force u16)csum_fold(csum_partial(buf + start, len, 0)));

			assert_int_equal(got, want);
		}
	assert_int_equal(ntohs((__force u16)csum_fold(csum_partial(buf + 3, 1997, 0))),
			 slow_csum(buf + 3, 1997, 0));
}

/* --- transmit with offloads: nook_netdev_xmit() into a driver that records the skb */

static struct {
	int calls;
	u8 ip_summed;
	int csum_start, csum_offset, network, transport;
	unsigned int gso_size, gso_type, gso_segs, len, headlen, frag_len;
	bool frag_intact; /* the fragment holds tcp4_frame()'s payload pattern */
	u8 data[2048];
} seen;

static netdev_tx_t record_xmit(struct sk_buff *skb, struct net_device *dev)
{
	seen.calls++;
	seen.ip_summed = skb->ip_summed;
	seen.csum_start = skb->ip_summed == CHECKSUM_PARTIAL ? skb_checksum_start_offset(skb) : -1;
	seen.csum_offset = skb->ip_summed == CHECKSUM_PARTIAL ? skb->csum_offset : -1;
	seen.network = skb_network_offset(skb);
	seen.transport = skb->transport_header == (u16)~0U ? -1 : skb_transport_offset(skb);
	seen.gso_size = skb_shinfo(skb)->gso_size;
	seen.gso_type = skb_shinfo(skb)->gso_type;
	seen.gso_segs = skb_shinfo(skb)->gso_segs;
	seen.len = skb->len;
	seen.headlen = skb_headlen(skb);
	seen.frag_len = skb_shinfo(skb)->nr_frags ? skb_frag_size(&skb_shinfo(skb)->frags[0]) : 0;
	seen.frag_intact = seen.frag_len > 0;
	for (unsigned int i = 0; i < seen.frag_len; i++)
		if (((const u8 *)skb_frag_address(&skb_shinfo(skb)->frags[0]))[i] != (u8)i)
			seen.frag_intact = false;
	memcpy(seen.data, skb->data, min(skb_headlen(skb), (unsigned int)sizeof(seen.data)));
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops record_ops = { .ndo_start_xmit = record_xmit };

static struct net_device *running_dev(netdev_features_t features)
{
	struct net_device *dev = alloc_etherdev(0);

	assert_non_null(dev);
	dev->netdev_ops = &record_ops;
	dev->features = features;
	dev->nook_features_told = features;
	set_bit(__LINK_STATE_START, &dev->state);
	memset(&seen, 0, sizeof(seen));
	return dev;
}

/* A TSO frame of tcp4_frame()'s layout: checksum from the TCP header (34), MSS 1448. */
static const struct nook_netdev_offload tcp4_tso = {
	.csum_partial = true,
	.csum_start = 34,
	.csum_offset = 16,
	.gso_type = NOOK_NETDEV_GSO_TCPV4,
	.gso_size = 1448,
};

/* Ethernet + IPv4 (no options) + TCP (20 bytes) + @payload bytes, into @f. */
static size_t tcp4_frame(u8 *f, unsigned int payload)
{
	struct iphdr *ip = (struct iphdr *)(f + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(ip + 1);

	memset(f, 0, ETH_HLEN + sizeof(*ip) + sizeof(*th));
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", ETH_HLEN);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->tot_len = htons((u16)(sizeof(*ip) + sizeof(*th) + payload));
	ip->saddr = htonl(0xc0000201);
	ip->daddr = htonl(0xc0000202);
	th->doff = 5;
	th->ack = 1;
	for (unsigned int i = 0; i < payload; i++)
		f[ETH_HLEN + 40 + i] = (u8)i;
	return ETH_HLEN + 40 + payload;
}

static void test_xmit_offload_reaches_the_skb(void **state)
{
	static u8 f[65536];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO);
	size_t before = nook_arena_in_use(), len = tcp4_frame(f, 60000);
	struct nook_netdev_offload off = tcp4_tso;

	/* A TSO super-frame: the driver sees Linux's CHECKSUM_PARTIAL + GSO skb. */
	assert_int_equal(nook_netdev_xmit(dev, f, len, &off), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.len, len);
	assert_int_equal(seen.ip_summed, CHECKSUM_PARTIAL);
	assert_int_equal(seen.network, ETH_HLEN);
	assert_int_equal(seen.transport, 34);
	assert_int_equal(seen.csum_start, 34);
	assert_int_equal(seen.csum_offset, 16);
	assert_int_equal(seen.gso_size, 1448);
	assert_int_equal(seen.gso_type, SKB_GSO_TCPV4);
	assert_int_equal(seen.gso_segs, (60000 + 1447) / 1448);
	/* As the stack builds it: headers in the head, the payload in a fragment (drivers
	 * count a TSO skb's bytes by its head's length per segment). */
	assert_int_equal(seen.headlen, 54);
	assert_int_equal(seen.frag_len, 60000);
	assert_true(seen.frag_intact);

	/* A checksum alone, and then nothing at all. */
	off.gso_type = NOOK_NETDEV_GSO_NONE;
	off.gso_size = 0;
	len = tcp4_frame(f, 100);
	assert_int_equal(nook_netdev_xmit(dev, f, len, &off), 0);
	assert_int_equal(seen.ip_summed, CHECKSUM_PARTIAL);
	assert_int_equal(seen.gso_size, 0);
	assert_int_equal(seen.headlen, len); /* a frame to send as it is stays linear */
	assert_int_equal(nook_netdev_xmit(dev, f, len, NULL), 0);
	assert_int_equal(seen.ip_summed, CHECKSUM_NONE);
	assert_int_equal(seen.calls, 3);
	assert_int_equal(nook_arena_in_use(), before);
	free_netdev(dev);
}

/* Read @f (@len bytes) into the transmit buffers, as the host's readv does. */
static void read_into_tx_buffers(struct net_device *dev, const u8 *f, size_t len)
{
	void *buf[2];
	size_t blen[2], first;

	assert_int_equal(nook_netdev_tx_buffers(dev, buf, blen), 0);
	assert_true(blen[0] + blen[1] >= 65535 + ETH_HLEN);
	first = min(len, blen[0]);
	memcpy(buf[0], f, first);
	memcpy(buf[1], f + first, len - first);
}

static int busy_once;

static netdev_tx_t busy_then_record(struct sk_buff *skb, struct net_device *dev)
{
	if (busy_once) {
		busy_once--;
		return NETDEV_TX_BUSY;
	}
	return record_xmit(skb, dev);
}

static const struct net_device_ops busy_ops = { .ndo_start_xmit = busy_then_record };

/*
 * A driver maps a frame's head for its NIC to read: the frame itself (or ETH_ZLEN of a short
 * one, padded by skb_padto()), not the bytes after it in the buffer (8139cp with a length
 * gone wrong sent them: another frame's bytes, checksummed right by the NIC).
 */
static size_t map_extra; /* what the driver adds to the length it maps */

static netdev_tx_t map_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct device d = { 0 };
	size_t len = max(skb_headlen(skb), (unsigned int)ETH_ZLEN) + map_extra;
	dma_addr_t m = dma_map_single(&d, skb->data, len, DMA_TO_DEVICE);

	assert_int_equal(dma_mapping_error(&d, m), 0);
	dma_unmap_single(&d, m, len, DMA_TO_DEVICE);
	seen.calls++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops map_ops = { .ndo_start_xmit = map_xmit };

static void xmit_mapping_past_the_frame(void *arg)
{
	static u8 f[200];
	struct net_device *dev = running_dev(0);

	dev->netdev_ops = &map_ops;
	map_extra = 0x40; /* past the frame, inside its 512-byte buffer */
	nook_netdev_xmit(dev, f, tcp4_frame(f, 46), NULL);
}

static void test_xmit_mapping_ends_with_the_frame(void **state)
{
	static u8 f[200];
	struct net_device *dev = running_dev(0);
	char why[256];

	dev->netdev_ops = &map_ops;
	map_extra = 0;
	/* the frame, 100 bytes; a short one, 42, mapped padded to 60 */
	assert_int_equal(nook_netdev_xmit(dev, f, tcp4_frame(f, 46), NULL), 0);
	assert_int_equal(nook_netdev_xmit(dev, f, ETH_HLEN + 28, NULL), 0);
	assert_int_equal(seen.calls, 2);
	/* the buffer an skb of the driver's own holds is not a frame: all of it may be mapped */
	{
		struct device d = { 0 };
		struct sk_buff *skb = alloc_skb(1500, GFP_KERNEL);
		dma_addr_t m;

		skb_put(skb, 10);
		m = dma_map_single(&d, skb->data, 1000, DMA_TO_DEVICE);
		assert_int_equal(dma_mapping_error(&d, m), 0);
		dma_unmap_single(&d, m, 1000, DMA_TO_DEVICE);
		kfree_skb(skb);
	}
	free_netdev(dev);

	assert_int_equal(fake_host_expect_fatal(xmit_mapping_past_the_frame, NULL, why,
						sizeof(why)),
			 0);
	assert_non_null(strstr(why, "DMA mapping of 164 bytes at byte 0 of a frame runs 64 bytes "
				    "past its end (100 bytes, 100 of them in its head)"));
}

static void test_xmit_read_hands_over_without_a_copy(void **state)
{
	static u8 f[65536];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO);
	size_t before = nook_arena_in_use(), len = tcp4_frame(f, 60000);
	struct nook_netdev_offload off = tcp4_tso;
	void *buf[2];
	size_t blen[2];

	/* A TSO super-frame: headers in the head, the payload one fragment, as from a copy. */
	read_into_tx_buffers(dev, f, len);
	assert_int_equal(nook_netdev_xmit_read(dev, len, &off), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.len, len);
	assert_int_equal(seen.headlen, 54);
	assert_int_equal(seen.frag_len, 60000);
	assert_true(seen.frag_intact);
	assert_int_equal(seen.gso_size, 1448);
	assert_int_equal(seen.csum_start, 34);
	assert_memory_equal(seen.data, f, 54);

	/* A frame of a usual size stays linear. */
	len = tcp4_frame(f, 1400);
	off.gso_type = NOOK_NETDEV_GSO_NONE;
	off.gso_size = 0;
	read_into_tx_buffers(dev, f, len);
	assert_int_equal(nook_netdev_xmit_read(dev, len, &off), 0);
	assert_int_equal(seen.headlen, len);
	assert_memory_equal(seen.data, f, len);

	/* Refused header: dropped, and the buffers are the host's again. */
	read_into_tx_buffers(dev, f, len);
	off.csum_start = 2;
	assert_int_equal(nook_netdev_xmit_read(dev, len, &off), -EINVAL);
	off.csum_start = 34;
	assert_int_equal(seen.calls, 2);

	/* Busy: the driver keeps the frame, offered again as it was, however long. */
	dev->netdev_ops = &busy_ops;
	busy_once = 2;
	len = tcp4_frame(f, 3000);
	read_into_tx_buffers(dev, f, len);
	assert_int_equal(nook_netdev_xmit_read(dev, len, &off), -EBUSY);
	assert_int_equal(nook_netdev_xmit_read(dev, 0, &off), -EBUSY);
	assert_int_equal(nook_netdev_xmit_read(dev, 0, &off), 0);
	assert_int_equal(seen.calls, 3);
	assert_int_equal(seen.len, len);
	assert_int_equal(seen.headlen + seen.frag_len, len);

	/* Past the head on a NIC without scatter-gather: one linear piece, copied. */
	dev->features = NETIF_F_HW_CSUM;
	dev->nook_features_told = dev->features;
	len = tcp4_frame(f, 3000);
	read_into_tx_buffers(dev, f, len);
	assert_int_equal(nook_netdev_xmit_read(dev, len, &off), 0);
	assert_int_equal(seen.calls, 4);
	assert_int_equal(seen.headlen, len);
	assert_int_equal(seen.frag_len, 0);
	assert_memory_equal(seen.data, f, min(len, sizeof(seen.data)));

	/* What waits for the next frame goes with the device. */
	assert_int_equal(nook_netdev_tx_buffers(dev, buf, blen), 0);
	free_netdev(dev);
	assert_int_equal(nook_arena_in_use(), before);
}

static void test_xmit_checksums_what_the_nic_cannot(void **state)
{
	struct net_device *dev = running_dev(NETIF_F_SG);
	struct nook_netdev_offload off = { .csum_partial = true,
					   .csum_start = 34,
					   .csum_offset = 16 };
	static u8 f[2048];
	size_t len = tcp4_frame(f, 333);
	const struct iphdr *ip = (const struct iphdr *)(f + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(f + 34);

	/* As the stack leaves it: the pseudo-header's sum in the checksum field. */
	th->check = ~csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 333, IPPROTO_TCP, 0);
	assert_int_equal(nook_netdev_xmit(dev, f, len, &off), 0);
	assert_int_equal(seen.ip_summed, CHECKSUM_NONE);
	/* The checksum is now complete: over pseudo-header and segment it sums to zero. */
	assert_int_equal(csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 333, IPPROTO_TCP,
					   csum_partial(seen.data + 34, 20 + 333, 0)),
			 0);
	free_netdev(dev);
}

/*
 * A driver that narrows its offloads per frame, as 8139cp does for an MSS its descriptor
 * cannot hold: no segmentation above MSS 1000, no checksum for frames over 1000 bytes.
 */
static netdev_features_t narrow_features(struct sk_buff *skb, struct net_device *dev,
					 netdev_features_t features)
{
	if (skb_shinfo(skb)->gso_size > 1000)
		features &= ~NETIF_F_TSO;
	if (!skb_is_gso(skb) && skb->len > 1000)
		features &= ~(NETIF_F_IP_CSUM | NETIF_F_HW_CSUM);
	return features;
}

static const struct net_device_ops narrow_ops = {
	.ndo_start_xmit = record_xmit,
	.ndo_features_check = narrow_features,
};

static void test_xmit_asks_the_driver_per_frame(void **state)
{
	static u8 f[65536];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_TSO);
	struct nook_netdev_offload tso = tcp4_tso;
	struct nook_netdev_offload csum = { .csum_partial = true,
					    .csum_start = 34,
					    .csum_offset = 16 };
	size_t before = nook_arena_in_use(), len;
	const struct iphdr *ip = (const struct iphdr *)(f + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(f + 34);

	dev->netdev_ops = &narrow_ops;
	/* The MSS the driver takes: segmentation is the NIC's. */
	len = tcp4_frame(f, 20000);
	tso.gso_size = 1000;
	assert_int_equal(nook_netdev_xmit(dev, f, len, &tso), 0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.gso_size, 1000);
	/* One it refuses: dropped, never handed to the driver whole. */
	tso.gso_size = 1448;
	assert_int_equal(nook_netdev_xmit(dev, f, len, &tso), -EOPNOTSUPP);
	assert_int_equal(seen.calls, 1);
	/* A short frame keeps its checksum offload... */
	len = tcp4_frame(f, 333);
	assert_int_equal(nook_netdev_xmit(dev, f, len, &csum), 0);
	assert_int_equal(seen.calls, 2);
	assert_int_equal(seen.ip_summed, CHECKSUM_PARTIAL);
	/* ...a long one, refused it, is checksummed here before the driver sees it. */
	len = tcp4_frame(f, 1200);
	th->check = ~csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 1200, IPPROTO_TCP, 0);
	assert_int_equal(nook_netdev_xmit(dev, f, len, &csum), 0);
	assert_int_equal(seen.calls, 3);
	assert_int_equal(seen.ip_summed, CHECKSUM_NONE);
	assert_int_equal(csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 1200, IPPROTO_TCP,
					   csum_partial(seen.data + 34, 20 + 1200, 0)),
			 0);
	free_netdev(dev);
	assert_int_equal(nook_arena_in_use(), before);
}

/* A NIC that copies each frame into a bounce buffer, checksumming as it copies (8139cp). */
static u8 copied[65536];
static unsigned int copied_len;

static netdev_tx_t copy_xmit(struct sk_buff *skb, struct net_device *dev)
{
	copied_len = skb->len;
	skb_copy_and_csum_dev(skb, copied);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void test_copy_and_csum_dev(void **state)
{
	static const struct net_device_ops ops = { .ndo_start_xmit = copy_xmit };
	static u8 f[65536];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO);
	struct nook_netdev_offload off = tcp4_tso;
	size_t len = tcp4_frame(f, 5000);
	const struct iphdr *ip = (const struct iphdr *)(f + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(f + 34);

	dev->netdev_ops = &ops;
	th->check = ~csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 5000, IPPROTO_TCP, 0);
	/* Head and page fragment alike land in the copy, the checksum completed there. */
	assert_int_equal(nook_netdev_xmit(dev, f, len, &off), 0);
	assert_int_equal(copied_len, len);
	assert_memory_equal(copied, f, 34 + 16);
	assert_memory_equal(copied + 34 + 18, f + 34 + 18, len - 34 - 18);
	assert_int_equal(csum_tcpudp_magic(ip->saddr, ip->daddr, 20 + 5000, IPPROTO_TCP,
					   csum_partial(copied + 34, 20 + 5000, 0)),
			 0);
	/* Without CHECKSUM_PARTIAL it is a plain copy. */
	memset(copied, 0, sizeof(copied));
	off = (struct nook_netdev_offload){ 0 };
	len = tcp4_frame(f, 300);
	assert_int_equal(nook_netdev_xmit(dev, f, len, &off), 0);
	assert_memory_equal(copied, f, len);
	free_netdev(dev);
}

static void test_xmit_refuses_garbage_headers(void **state)
{
	static u8 f[4096];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO);
	size_t before = nook_arena_in_use(), len = tcp4_frame(f, 3000);
	const struct nook_netdev_offload good = tcp4_tso;
	struct nook_netdev_offload bad[16];
	int n = 0;

	for (int i = 0; i < 16; i++)
		bad[i] = good;
	bad[n++].csum_start = (u16)len;		   /* past the frame */
	bad[n++].csum_offset = 60000;		   /* checksum past the frame */
	bad[n++].csum_start = 4;		   /* inside the MAC header */
	bad[n++].csum_partial = false;		   /* GSO without a checksum */
	bad[n++].gso_size = 0;			   /* GSO of nothing */
	bad[n++].gso_type = NOOK_NETDEV_GSO_TCPV6; /* v6 on a v4 frame */
	bad[n++].gso_type = 5;			   /* no such kind */
	bad[n++].csum_start = 38;		   /* TCP not after IP */
	bad[n++].csum_offset = 6;		   /* not TCP's checksum */
	bad[n++].gso_size = 1461;		   /* segments above the MTU */
	bad[n].gso_type = NOOK_NETDEV_GSO_NONE;	   /* a size without a kind */
	bad[n].gso_size = 100;
	n++;
	for (int i = 0; i < n; i++)
		assert_int_equal(nook_netdev_xmit(dev, f, len, &bad[i]), -EINVAL);
	/* A bad TCP header length, and a header with no payload after it. */
	f[34 + 12] = 0x40;
	assert_int_equal(nook_netdev_xmit(dev, f, len, &good), -EINVAL);
	f[34 + 12] = 0x50;
	assert_int_equal(nook_netdev_xmit(dev, f, 54, &good), -EINVAL);
	/* Segmentation the NIC does not do. */
	dev->features &= ~NETIF_F_TSO;
	dev->nook_features_told = dev->features;
	assert_int_equal(nook_netdev_xmit(dev, f, len, &good), -EOPNOTSUPP);
	assert_int_equal(seen.calls, 0);
	assert_int_equal(nook_arena_in_use(), before);
	free_netdev(dev);
}

/* Random headers on a real frame: refused or handed on, never a crash (run it under ASan). */
static void test_xmit_survives_random_headers(void **state)
{
	static u8 f[8192];
	struct net_device *dev = running_dev(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO);
	size_t before = nook_arena_in_use();
	u32 x = 12345;

	for (int i = 0; i < 20000; i++) {
		struct nook_netdev_offload off;
		size_t len;

		x = x * 1103515245 + 12345;
		len = tcp4_frame(f, (x >> 8) % 5000);
		x = x * 1103515245 + 12345;
		off = (struct nook_netdev_offload){
			.csum_partial = x & 1,
			.csum_start = (u16)((x >> 1) % 80),
			.csum_offset = (u16)((x >> 8) % 40),
			.gso_type = (u8)((x >> 16) % 4 | (x & 0x80000000 ? 0x80 : 0)),
			.gso_size = (u16)((x >> 20) % 3000),
		};
		if (nook_netdev_xmit(dev, f, len, &off) == 0 && seen.ip_summed == CHECKSUM_PARTIAL)
			assert_true(seen.csum_start + seen.csum_offset + 2 <= (int)seen.len);
	}
	assert_int_equal(nook_arena_in_use(), before);
	free_netdev(dev);
}

static void test_offloads_follow_features(void **state)
{
	struct net_device *dev = running_dev(0);

	assert_int_equal(nook_netdev_offloads(dev), 0);
	dev->features = NETIF_F_HW_CSUM;
	assert_int_equal(nook_netdev_offloads(dev), NOOK_NETDEV_OFF_CSUM);
	/* Segmentation needs scatter-gather and checksums, as in Linux. */
	dev->features = NETIF_F_HW_CSUM | NETIF_F_TSO;
	assert_int_equal(nook_netdev_offloads(dev), NOOK_NETDEV_OFF_CSUM);
	dev->features = NETIF_F_SG | NETIF_F_TSO;
	assert_int_equal(nook_netdev_offloads(dev), 0);
	dev->features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN;
	assert_int_equal(nook_netdev_offloads(dev), NOOK_NETDEV_OFF_CSUM | NOOK_NETDEV_OFF_TSO4 |
							    NOOK_NETDEV_OFF_TSO6 |
							    NOOK_NETDEV_OFF_TSO_ECN);
	free_netdev(dev);
}

/* --- what the driver hands up crosses a boundary: nonsense stops it */

static unsigned int rx_frames;

static void count_rx(void *ctx, struct net_device *dev, const void *frame, size_t len,
		     const struct nook_netdev_offload *off)
{
	rx_frames++;
}

static const struct nook_netdev_host rx_host = { .rx = count_rx };

/* A 60-byte frame received on @dev, as a driver hands it up. */
static struct sk_buff *rx_skb(struct net_device *dev)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 128);
	u8 *f;

	assert_non_null(skb);
	f = skb_put(skb, 60);
	memset(f, 0, 60);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", ETH_HLEN);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static void hand_up_overlong(void *arg)
{
	struct sk_buff *skb = rx_skb(arg);

	skb->len += 4096; /* past its buffer's end */
	netif_receive_skb(skb);
}

static void hand_up_with_injected_fault(void *arg)
{
	assert_int_equal(nook_fault_arm(NOOK_FAULT_BAD_SKB), 0);
	netif_receive_skb(rx_skb(arg));
}

static void flip_carrier(void *arg)
{
	for (int i = 0; i < 30; i++) {
		netif_carrier_on(arg);
		netif_carrier_off(arg);
	}
}

static void test_rx_nonsense_stops_the_driver(void **state)
{
	struct net_device *dev = alloc_etherdev(0);
	char why[512];

	assert_non_null(dev);
	nook_netdev_set_host(&rx_host, NULL);
	/* a sound frame goes out */
	rx_frames = 0;
	netif_receive_skb(rx_skb(dev));
	assert_int_equal(rx_frames, 1);
	/* a runt (as e100 hands up from a descriptor read too early) is dropped, said once */
	{
		struct sk_buff *runt = netdev_alloc_skb(dev, 128);

		assert_non_null(runt);
		skb_put(runt, 0);
		skb_reset_mac_header(runt);
		assert_int_equal(netif_receive_skb(runt), NET_RX_DROP);
		assert_int_equal(rx_frames, 1);
		assert_non_null(strstr(fake_host_last_log(),
				       "shorter than an Ethernet header: dropped"));
	}
	/* a length past the buffer stops the driver, saying so */
	assert_int_equal(fake_host_expect_fatal(hand_up_overlong, dev, why, sizeof(why)), 0);
	assert_non_null(strstr(why,
			       "the driver handed up a received skb whose length (4142 bytes"));
	/* so does the injected bad-skb fault */
	assert_int_equal(fake_host_expect_fatal(hand_up_with_injected_fault, dev, why, sizeof(why)),
			 0);
	assert_non_null(strstr(why, "does not fit its buffer"));
	/* and a carrier that flips like no cable does */
	assert_int_equal(fake_host_expect_fatal(flip_carrier, dev, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "carrier storm"));
	nook_netdev_set_host(NULL, NULL);
	free_netdev(dev);
}

/* --- received frames are the host's to gather until the burst ends */

static struct {
	const u8 *frame[8];
	u8 copy[8][60];
	int n, flushes;
	bool intact_at_flush;
	struct sk_buff *refill[8];
} held;

static void hold_rx(void *ctx, struct net_device *dev, const void *frame, size_t len,
		    const struct nook_netdev_offload *off)
{
	assert_true(held.n < 8);
	assert_int_equal(len, 60);
	held.frame[held.n] = frame;
	memcpy(held.copy[held.n++], frame, 60);
}

static void check_rx_flush(void *ctx, struct net_device *dev)
{
	held.flushes++;
	held.intact_at_flush = true;
	for (int i = 0; i < held.n; i++)
		if (memcmp(held.frame[i], held.copy[i], 60) != 0)
			held.intact_at_flush = false;
}

static const struct nook_netdev_host hold_host = { .rx = hold_rx, .rx_flush = check_rx_flush };

/* A poll that hands up three frames, each allocated after the last went up. */
static int poll_three(struct napi_struct *napi, int budget)
{
	for (int i = 0; i < 3; i++) {
		struct sk_buff *skb = rx_skb(napi->dev);

		skb->data[20] = (u8)i;
		netif_receive_skb(skb);
		/* The next receive buffer must not take the memory of one still held. */
		held.refill[i] = rx_skb(napi->dev);
		memset(held.refill[i]->data, 0xee, 60);
	}
	napi_complete_done(napi, 3);
	return 3;
}

static void test_rx_frames_stay_until_the_burst_ends(void **state)
{
	struct net_device *dev = alloc_etherdev(0);
	struct napi_struct napi;
	size_t before;

	assert_non_null(dev);
	nook_netdev_set_host(&hold_host, NULL);
	memset(&held, 0, sizeof(held));
	before = nook_arena_in_use();
	netif_napi_add_weight(dev, &napi, poll_three, 64);
	napi_enable(&napi);
	napi_schedule(&napi);
	assert_true(nook_napi_run());
	assert_int_equal(held.n, 3);
	/* One flush at the end of the poll, with every frame still as it came. */
	assert_int_equal(held.flushes, 1);
	assert_true(held.intact_at_flush);
	/* Outside a poll a frame is its own burst. */
	netif_receive_skb(rx_skb(dev));
	assert_int_equal(held.flushes, 2);
	assert_true(held.intact_at_flush);
	netif_napi_del(&napi);
	for (int i = 0; i < 3; i++)
		kfree_skb(held.refill[i]);
	/* And every skb handed up was freed once the host was done with it. */
	assert_int_equal(nook_arena_in_use(), before);
	nook_netdev_set_host(NULL, NULL);
	free_netdev(dev);
}

/* --- what the stack answers to a poll's frames is offered to the driver before the next poll */

static char events[16];
static int nevents;

static void note_event(char c)
{
	assert_true(nevents < (int)sizeof(events) - 1);
	events[nevents++] = c;
}

static void order_rx(void *ctx, struct net_device *dev, const void *frame, size_t len,
		     const struct nook_netdev_offload *off)
{
	note_event('r');
}

static void order_flush(void *ctx, struct net_device *dev)
{
	note_event('f');
}

static void order_poll_done(void *ctx, struct net_device *dev)
{
	note_event('d');
}

static const struct nook_netdev_host order_host = {
	.rx = order_rx,
	.rx_flush = order_flush,
	.poll_done = order_poll_done,
};

static int poll_two(struct napi_struct *napi, int budget)
{
	for (int i = 0; i < 2; i++)
		netif_receive_skb(rx_skb(napi->dev));
	napi_complete_done(napi, 2);
	return 2;
}

static int poll_nothing(struct napi_struct *napi, int budget)
{
	napi_complete_done(napi, 0);
	return 0;
}

static void test_poll_done_follows_a_poll_that_received(void **state)
{
	struct net_device *dev = alloc_etherdev(0);
	struct napi_struct napi;

	assert_non_null(dev);
	nook_netdev_set_host(&order_host, NULL);
	memset(events, 0, sizeof(events));
	nevents = 0;
	netif_napi_add_weight(dev, &napi, poll_two, 64);
	napi_enable(&napi);
	napi_schedule(&napi);
	assert_true(nook_napi_run());
	/* The frames, the end of their burst, then the moment to send the answers. */
	assert_string_equal(events, "rrfd");

	/* A poll that found nothing gave the stack nothing to answer. */
	napi.poll = poll_nothing;
	napi_schedule(&napi);
	assert_true(nook_napi_run());
	assert_string_equal(events, "rrfdf");

	/* Outside a poll (netif_rx from an interrupt handler) the driver may hold its locks:
	 * the frame is its own burst, but nothing is sent from there. */
	netif_receive_skb(rx_skb(dev));
	assert_string_equal(events, "rrfdfrf");
	netif_napi_del(&napi);
	nook_netdev_set_host(NULL, NULL);
	free_netdev(dev);
}

static void stats64_more(struct net_device *dev, struct rtnl_link_stats64 *st)
{
	netdev_stats_to_stats64(st, &dev->stats);
	st->rx_missed_errors += 100;
	st->tx_window_errors += 100;
}

static struct net_device_stats fixed_stats = { .rx_packets = 7, .rx_fifo_errors = 2 };

static struct net_device_stats *get_fixed_stats(struct net_device *dev)
{
	return &fixed_stats;
}

/* The counters the host reports, the frames the NIC missed and the kinds of errors among
 * them, come from wherever the driver keeps its counters. */
static void test_counters_come_from_the_driver(void **state)
{
	static const struct net_device_ops ops64 = { .ndo_get_stats64 = stats64_more };
	static const struct net_device_ops ops = { .ndo_get_stats = get_fixed_stats };
	struct net_device *dev = alloc_etherdev(0);
	struct nook_netdev_counters c;

	assert_non_null(dev);
	/* in dev->stats (e1000 keeps its counters there) */
	dev->stats.rx_packets = 10;
	dev->stats.rx_missed_errors = 3;
	dev->stats.rx_crc_errors = 4;
	dev->stats.tx_window_errors = 5;
	nook_netdev_counters(dev, &c);
	assert_int_equal(c.rx_packets, 10);
	assert_int_equal(c.rx_missed, 3);
	assert_int_equal(c.rx_crc_errors, 4);
	assert_int_equal(c.tx_window_errors, 5);
	assert_int_equal(c.rx_fifo_errors, 0);
	/* from ndo_get_stats64 */
	dev->netdev_ops = &ops64;
	nook_netdev_counters(dev, &c);
	assert_int_equal(c.rx_packets, 10);
	assert_int_equal(c.rx_missed, 103);
	assert_int_equal(c.rx_crc_errors, 4);
	assert_int_equal(c.tx_window_errors, 105);
	/* from ndo_get_stats */
	dev->netdev_ops = &ops;
	nook_netdev_counters(dev, &c);
	assert_int_equal(c.rx_packets, 7);
	assert_int_equal(c.rx_fifo_errors, 2);
	assert_int_equal(c.rx_crc_errors, 0);
	free_netdev(dev);
}

/*
 * A new MAC from ip link reaches the driver as Linux hands it over: a driver using Linux's
 * eth_mac_addr takes it only while down (unless it says it can live), a bad address never,
 * and a driver without the callback cannot change its address.
 */
static void test_mac_change_follows_linux(void **state)
{
	static const struct net_device_ops ops = { .ndo_set_mac_address = eth_mac_addr };
	static const struct net_device_ops none = { 0 };
	static const unsigned char mac[6] = { 0x52, 0x54, 0, 0, 0, 0x99 };
	static const unsigned char old[6] = { 0x52, 0x54, 0, 0, 0, 0x10 };
	static const unsigned char group[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	struct net_device *dev = alloc_etherdev(0);

	assert_non_null(dev);
	dev->netdev_ops = &ops;
	eth_hw_addr_set(dev, old);
	set_bit(__LINK_STATE_START, &dev->state); /* running */
	assert_int_equal(nook_netdev_ndo_set_mac(dev, mac), -EBUSY);
	assert_memory_equal(dev->dev_addr, old, 6);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	assert_int_equal(nook_netdev_ndo_set_mac(dev, mac), 0);
	assert_memory_equal(dev->dev_addr, mac, 6);
	dev->priv_flags &= ~IFF_LIVE_ADDR_CHANGE;
	clear_bit(__LINK_STATE_START, &dev->state); /* down */
	assert_int_equal(nook_netdev_ndo_set_mac(dev, old), 0);
	assert_memory_equal(dev->dev_addr, old, 6);
	assert_int_equal(nook_netdev_ndo_set_mac(dev, group), -EADDRNOTAVAIL);
	dev->netdev_ops = &none;
	assert_int_equal(nook_netdev_ndo_set_mac(dev, mac), -EOPNOTSUPP);
	assert_memory_equal(dev->dev_addr, old, 6);
	free_netdev(dev);
}

/* DMA pools hand out blocks of the arena with the alignment asked for, within a boundary,
 * and refuse what no block could satisfy. */
static void test_dma_pool(void **state)
{
	struct dma_pool *pool = dma_pool_create("cbs", NULL, 24 * 64, 4, 0);
	struct dma_pool *small = dma_pool_create("small", NULL, 48, 64, 4096);
	dma_addr_t a, b, c;
	u8 *pa, *pb, *pc;

	assert_non_null(pool);
	assert_non_null(small);
	pa = dma_pool_zalloc(pool, GFP_KERNEL, &a);
	assert_non_null(pa);
	for (int i = 0; i < 24 * 64; i++)
		assert_int_equal(pa[i], 0);
	assert_true(a >= FAKE_ARENA_IOVA && a + 24 * 64 <= FAKE_ARENA_IOVA + FAKE_ARENA_SIZE);
	assert_int_equal(a & 3, 0);
	memset(pa, 0xa5, 24 * 64);
	pb = dma_pool_alloc(small, GFP_KERNEL, &b);
	pc = dma_pool_alloc(small, GFP_KERNEL, &c);
	assert_non_null(pb);
	assert_non_null(pc);
	assert_int_equal(b & 63, 0);
	assert_int_equal(b / 4096, (b + 47) / 4096);
	assert_true(c >= b + 64 || b >= c + 64); /* distinct blocks */
	dma_pool_free(small, pb, b);
	dma_pool_free(small, pc, c);
	dma_pool_destroy(small);

	/* a block larger than its boundary, an alignment no power of two: no pool */
	assert_null(dma_pool_create("big", NULL, 8192, 4, 4096));
	assert_null(dma_pool_create("odd", NULL, 64, 12, 0));

	/* destroyed with a block still out: said, as Linux says it */
	dma_pool_destroy(pool);
	assert_non_null(strstr(fake_host_last_log(),
			       "destroyed while 1 of its blocks are still handed out"));
	nook_arena_free(pa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_operations),
		cmocka_unit_test(test_build_skb_on_a_fragment),
		cmocka_unit_test(test_page_fragments_and_pull_tail),
		cmocka_unit_test(test_pad_and_cow),
		cmocka_unit_test(test_dma_mapping_translates),
		cmocka_unit_test(test_dev_addr_mod_changes_part_of_the_address),
		cmocka_unit_test(test_dma_mapping_past_its_buffer_stops_the_driver),
		cmocka_unit_test(test_xmit_mapping_ends_with_the_frame),
		cmocka_unit_test(test_csum_partial_agrees_with_rfc1071),
		cmocka_unit_test(test_xmit_offload_reaches_the_skb),
		cmocka_unit_test(test_xmit_read_hands_over_without_a_copy),
		cmocka_unit_test(test_xmit_checksums_what_the_nic_cannot),
		cmocka_unit_test(test_xmit_asks_the_driver_per_frame),
		cmocka_unit_test(test_copy_and_csum_dev),
		cmocka_unit_test(test_xmit_refuses_garbage_headers),
		cmocka_unit_test(test_xmit_survives_random_headers),
		cmocka_unit_test(test_offloads_follow_features),
		cmocka_unit_test(test_rx_nonsense_stops_the_driver),
		cmocka_unit_test(test_rx_frames_stay_until_the_burst_ends),
		cmocka_unit_test(test_poll_done_follows_a_poll_that_received),
		cmocka_unit_test(test_counters_come_from_the_driver),
		cmocka_unit_test(test_mac_change_follows_linux),
		cmocka_unit_test(test_dma_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
