/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA pools: coherent blocks of one size and alignment, none crossing a boundary, from the
 * driver's DMA arena (src/dma.c).
 */
#ifndef NOOK_LINUX_DMAPOOL_H
#define NOOK_LINUX_DMAPOOL_H

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/types.h>

struct dma_pool;

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				 size_t boundary);
void dma_pool_destroy(struct dma_pool *pool);
void *dma_pool_alloc(struct dma_pool *pool, gfp_t flags, dma_addr_t *handle);
void *dma_pool_zalloc(struct dma_pool *pool, gfp_t flags, dma_addr_t *handle);
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);

#endif
