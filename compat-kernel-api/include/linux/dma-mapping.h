/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA. A driver process's device reaches only its DMA arena (through the IOMMU), and every
 * page, skb and coherent buffer the compat layer hands out lives there: mapping is a
 * translation from process address to IOVA, never a copy. Memory outside the arena
 * (kmalloc, the stack) cannot be mapped; such a mapping fails with DMA_MAPPING_ERROR.
 */
#ifndef NOOK_LINUX_DMA_MAPPING_H
#define NOOK_LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/dma-direction.h>

struct device;

#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
#define DMA_ATTR_SKIP_CPU_SYNC (1UL << 5)
#define DMA_ATTR_WEAK_ORDERING (1UL << 1)

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle);
#define dma_zalloc_coherent dma_alloc_coherent
#define dmam_alloc_coherent dma_alloc_coherent

dma_addr_t nook_dma_map(struct device *dev, const void *ptr, size_t size,
			enum dma_data_direction dir);
void nook_dma_unmap(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir);
#define dma_map_single(d, p, s, dir) nook_dma_map((d), (p), (s), (dir))
#define dma_map_single_attrs(d, p, s, dir, attrs) nook_dma_map((d), (p), (s), (dir))
#define dma_unmap_single(d, a, s, dir) nook_dma_unmap((d), (a), (s), (dir))
#define dma_unmap_single_attrs(d, a, s, dir, attrs) nook_dma_unmap((d), (a), (s), (dir))
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs);
#define dma_map_page(d, page, off, s, dir) dma_map_page_attrs((d), (page), (off), (s), (dir), 0)
#define dma_unmap_page(d, a, s, dir) nook_dma_unmap((d), (a), (s), (dir))
#define dma_unmap_page_attrs(d, a, s, dir, attrs) nook_dma_unmap((d), (a), (s), (dir))
int dma_mapping_error(struct device *dev, dma_addr_t addr);

/* The arena is coherent (x86): syncs only order the compiler. */
#define dma_sync_single_for_cpu(d, a, s, dir) __asm__ __volatile__("" ::: "memory")
#define dma_sync_single_for_device(d, a, s, dir) __asm__ __volatile__("" ::: "memory")
#define dma_sync_single_range_for_cpu(d, a, o, s, dir) __asm__ __volatile__("" ::: "memory")
#define dma_sync_single_range_for_device(d, a, o, s, dir) __asm__ __volatile__("" ::: "memory")

int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
#define dma_get_mask(dev) (*(dev)->dma_mask)

#define DEFINE_DMA_UNMAP_ADDR(name) dma_addr_t name
#define DEFINE_DMA_UNMAP_LEN(name) u32 name
#define dma_unmap_addr(p, name) ((p)->name)
#define dma_unmap_addr_set(p, name, v) (((p)->name) = (v))
#define dma_unmap_len(p, name) ((p)->name)
#define dma_unmap_len_set(p, name, v) (((p)->name) = (v))

#endif
