/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A range allocator for the DMA arena: hands out aligned, non-overlapping pieces of
 * [0, size) and takes them back. It knows nothing of memory or VFIO, so it is tested natively.
 */
#ifndef NOOK_COMMON_DMA_ALLOC_H
#define NOOK_COMMON_DMA_ALLOC_H

#include <stddef.h>
#include <stdint.h>

struct nook_range_alloc;

int nook_range_alloc_new(uint64_t size, struct nook_range_alloc **ret);
void nook_range_alloc_free_all(struct nook_range_alloc *ra);

/* An offset aligned to @align (a power of two), or -ENOMEM / -EINVAL. */
int nook_range_alloc(struct nook_range_alloc *ra, uint64_t size, uint64_t align,
		     uint64_t *ret_offset);

/* Give back what nook_range_alloc() returned at @offset; -EINVAL for anything else. */
int nook_range_release(struct nook_range_alloc *ra, uint64_t offset);

/* The size of the allocation at @offset, -EINVAL when there is none. */
int nook_range_size(const struct nook_range_alloc *ra, uint64_t offset, uint64_t *ret_size);

/* Bytes handed out and not yet given back. */
uint64_t nook_range_in_use(const struct nook_range_alloc *ra);

#endif
