// SPDX-License-Identifier: GPL-2.0-only
/*
 * First-fit range allocator over a list of blocks sorted by offset; neighbouring free
 * blocks are merged on release. A driver allocates rings and buffers at probe time and
 * a few per packet at most, so a list is enough.
 */
#include "dma-alloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

struct block {
	uint64_t offset, size;
	bool used;
	struct block *next;
};

struct nook_range_alloc {
	struct block *head;
	uint64_t in_use;
};

int nook_range_alloc_new(uint64_t size, struct nook_range_alloc **ret)
{
	struct nook_range_alloc *ra;

	if (!size)
		return -EINVAL;
	ra = calloc(1, sizeof(*ra));
	if (!ra)
		return -ENOMEM;
	ra->head = calloc(1, sizeof(*ra->head));
	if (!ra->head) {
		free(ra);
		return -ENOMEM;
	}
	ra->head->size = size;
	*ret = ra;
	return 0;
}

void nook_range_alloc_free_all(struct nook_range_alloc *ra)
{
	if (!ra)
		return;
	for (struct block *b = ra->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(ra);
}

/* Split @b so that a block starting at @at (inside @b) begins there; returns it. */
static struct block *split_at(struct block *b, uint64_t at)
{
	struct block *tail;

	if (at == b->offset)
		return b;
	tail = malloc(sizeof(*tail));
	if (!tail)
		return NULL;
	*tail = (struct block){ .offset = at, .size = b->offset + b->size - at, .next = b->next };
	b->size = at - b->offset;
	b->next = tail;
	return tail;
}

int nook_range_alloc(struct nook_range_alloc *ra, uint64_t size, uint64_t align,
		     uint64_t *ret_offset)
{
	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	for (struct block *b = ra->head; b; b = b->next) {
		uint64_t start = (b->offset + align - 1) & ~(align - 1), end = b->offset + b->size;
		struct block *blk;

		if (b->used || start < b->offset || start >= end || end - start < size)
			continue;
		blk = split_at(b, start);
		if (!blk || (blk->size > size && !split_at(blk, start + size)))
			return -ENOMEM;
		blk->used = true;
		ra->in_use += size;
		*ret_offset = start;
		return 0;
	}
	return -ENOMEM;
}

int nook_range_release(struct nook_range_alloc *ra, uint64_t offset)
{
	struct block *prev = NULL, *b;

	for (b = ra->head; b && b->offset != offset; b = b->next)
		prev = b;
	if (!b || !b->used)
		return -EINVAL;
	b->used = false;
	ra->in_use -= b->size;
	if (b->next && !b->next->used) {
		struct block *n = b->next;

		b->size += n->size;
		b->next = n->next;
		free(n);
	}
	if (prev && !prev->used) {
		prev->size += b->size;
		prev->next = b->next;
		free(b);
	}
	return 0;
}

int nook_range_size(const struct nook_range_alloc *ra, uint64_t offset, uint64_t *ret_size)
{
	for (const struct block *b = ra->head; b; b = b->next)
		if (b->offset == offset && b->used) {
			*ret_size = b->size;
			return 0;
		}
	return -EINVAL;
}

uint64_t nook_range_in_use(const struct nook_range_alloc *ra)
{
	return ra->in_use;
}
