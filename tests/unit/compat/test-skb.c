// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of sk_buff operations and of DMA mapping on the arena, on the fake host. */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/etherdevice.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <nook/dma.h>
#include <nook/kernel.h>

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
	unsigned int fragsz = SKB_DATA_ALIGN(2048 + NET_SKB_PAD) +
			      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear_operations),
		cmocka_unit_test(test_build_skb_on_a_fragment),
		cmocka_unit_test(test_page_fragments_and_pull_tail),
		cmocka_unit_test(test_pad_and_cow),
		cmocka_unit_test(test_dma_mapping_translates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
