/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DMA arena: the only memory a device driven by nook can reach. One memfd, mapped into
 * the driver process and into the device's IOMMU domain at an IOVA range the arena owns
 * (VFIO_IOMMU_MAP_DMA), carved up by a range allocator. Every DMA address a driver hands its
 * device is an IOVA inside the arena; anything else the IOMMU refuses.
 */
#ifndef NOOK_COMMON_DMA_H
#define NOOK_COMMON_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"

/* Low enough for devices with narrow DMA masks (QEMU's edu reaches only below 2^28). */
#define NOOK_DMA_DEFAULT_IOVA (16ULL << 20)
#define NOOK_DMA_DEFAULT_SIZE (32ULL << 20)

struct nook_dma_arena;

/*
 * Create an arena of @size bytes (a multiple of the page size) and, when @container_fd is
 * not negative, map it for DMA at @iova in that VFIO container.
 */
int nook_dma_arena_new(int container_fd, uint64_t iova, size_t size,
		       struct nook_dma_arena **ret_arena, struct nook_err *err);
/*
 * Map an arena created without a container for DMA at its IOVA in @container_fd's IOMMU:
 * its memory is there already, so this only pins it (a standby driver creates its arena
 * before it has a device).
 */
int nook_dma_arena_map(struct nook_dma_arena *a, int container_fd, struct nook_err *err);
/* Unmap from the IOMMU first, then from the process. */
void nook_dma_arena_free(struct nook_dma_arena *a);

/* Zeroed memory for DMA, aligned to @align; its IOVA in @ret_iova. NULL when exhausted. */
void *nook_dma_alloc(struct nook_dma_arena *a, size_t size, size_t align, uint64_t *ret_iova);
int nook_dma_release(struct nook_dma_arena *a, void *p);

/* Translation; -EFAULT / NULL for addresses outside the arena. */
int nook_dma_virt_to_iova(const struct nook_dma_arena *a, const void *p, uint64_t *ret_iova);
void *nook_dma_iova_to_virt(const struct nook_dma_arena *a, uint64_t iova);

void *nook_dma_base(const struct nook_dma_arena *a);
uint64_t nook_dma_iova_base(const struct nook_dma_arena *a);
size_t nook_dma_size(const struct nook_dma_arena *a);
size_t nook_dma_in_use(const struct nook_dma_arena *a);
/* The memfd behind the arena (to share it with nookd). */
int nook_dma_memfd(const struct nook_dma_arena *a);

#endif
