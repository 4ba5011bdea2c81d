/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pages. Every page a driver gets comes from its DMA arena, so any page can be mapped for
 * DMA; struct page describes one arena page (see src/page.c).
 */
#ifndef NOOK_LINUX_MM_H
#define NOOK_LINUX_MM_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/kernel.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN((x), PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define get_order(size) \
	((size) <= PAGE_SIZE ? 0 : order_base_2(((size) + PAGE_SIZE - 1) >> PAGE_SHIFT))

void *nook_page_address(const struct page *page);
struct page *nook_virt_to_page(const void *addr);
void nook_get_page(struct page *page);
void nook_put_page(struct page *page);
#define page_address(page) nook_page_address(page)
#define virt_to_page(addr) nook_virt_to_page(addr)
#define virt_to_head_page(addr) nook_virt_to_page(addr)
#define get_page(page) nook_get_page(page)
#define put_page(page) nook_put_page(page)
#define page_to_virt(page) page_address(page)
#define page_ref_count(page) ((page)->_refcount)
#define page_count(page) ((page)->_refcount)
#define page_is_pfmemalloc(page) false
#define dev_page_is_reusable(page) true
#define compound_head(page) (page)
#define page_to_nid(page) 0
#define numa_mem_id() 0
#define numa_node_id() 0
#define NUMA_NO_NODE (-1)

/* The arena has no high memory: a page is always mapped. */
#define kmap(page) page_address(page)
#define kunmap(page) NOOK_NOOP_ARG("no high memory: a page is always mapped", page)
#define kmap_atomic(page) page_address(page)
#define kunmap_atomic(addr) NOOK_NOOP_ARG("no high memory: a page is always mapped", addr)
#define kmap_local_page(page) page_address(page)
#define kunmap_local(addr) NOOK_NOOP_ARG("no high memory: a page is always mapped", addr)

/*
 * A page's "physical" address is the address its device sees: its IOVA in the arena (there
 * is no other). Drivers use it for the address's low bits (e1000 checks a buffer's dword
 * alignment for an 82544 erratum); page-aligned either way, those bits are the same.
 */
uint64_t nook_arena_iova(const void *p);
#define page_to_phys(page) ((phys_addr_t)nook_arena_iova(page_address(page)))

#endif
