/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Allocation flags. A driver process's memory comes from its own heap (kmalloc) or its DMA
 * arena (pages, coherent and skb memory); no allocation sleeps or reclaims, so the flags
 * only say whether memory must be zeroed and whether the caller may wait.
 */
#ifndef NOOK_LINUX_GFP_H
#define NOOK_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_ATOMIC 0x08u
#define __GFP_IO 0x10u
#define __GFP_FS 0x20u
#define __GFP_ZERO 0x40u
#define __GFP_NOWARN 0x80u
#define __GFP_RETRY_MAYFAIL 0x100u
#define __GFP_NOFAIL 0x200u
#define __GFP_NORETRY 0x400u
#define __GFP_COMP 0x800u
#define __GFP_DIRECT_RECLAIM 0x1000u
#define __GFP_KSWAPD_RECLAIM 0x2000u
#define __GFP_MEMALLOC 0x4000u
#define __GFP_HIGH 0x8000u
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_USER GFP_KERNEL
#define GFP_HIGHUSER GFP_KERNEL

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

struct page;
struct page *nook_alloc_pages(gfp_t gfp, unsigned int order);
void nook_free_pages(struct page *page, unsigned int order);
unsigned long nook_get_free_pages(gfp_t gfp, unsigned int order);
void nook_free_pages_addr(unsigned long addr, unsigned int order);
#define alloc_pages(gfp, order) nook_alloc_pages((gfp), (order))
#define alloc_page(gfp) nook_alloc_pages((gfp), 0)
#define dev_alloc_pages(order) nook_alloc_pages(GFP_ATOMIC, (order))
#define dev_alloc_page() nook_alloc_pages(GFP_ATOMIC, 0)
#define __free_pages(page, order) nook_free_pages((page), (order))
#define __free_page(page) nook_free_pages((page), 0)
#define __get_free_pages(gfp, order) nook_get_free_pages((gfp), (order))
#define __get_free_page(gfp) nook_get_free_pages((gfp), 0)
#define free_pages(addr, order) nook_free_pages_addr((addr), (order))
#define free_page(addr) nook_free_pages_addr((addr), 0)

#endif
