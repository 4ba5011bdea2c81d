// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA arena as kernel memory: pages (alloc_pages), small buffers (netdev_alloc_frag,
 * skb heads) and coherent buffers all come from it, so mapping anything for DMA is a
 * translation to the arena's IOVA. Blocks are power-of-two multiples of a 256-byte unit
 * with a free list per size; a freed block is kept for reuse at its size.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <nook/host.h>
#include <nook/dma.h>
#include <nook/fault.h>

#include "internal.h"

#define UNIT_SHIFT 8
#define UNIT (1UL << UNIT_SHIFT)
#define MAX_ORDER_BLOCKS 12 /* 256 B .. 512 KiB */

struct free_block {
	struct free_block *next;
};

static struct nook_host_arena arena;
static uint8_t *bump; /* first never-used byte */
static struct free_block *free_lists[MAX_ORDER_BLOCKS];
/* Per 256-byte unit: the order of the block starting there, +1 while it is allocated. */
static uint8_t *unit_state;
static struct page *pages;
static size_t in_use;

static int arena_init(void)
{
	size_t units;

	if (arena.base)
		return 0;
	if (nook_host_dma_arena(&arena) < 0 || !arena.base || arena.size < PAGE_SIZE)
		return -ENOMEM;
	units = arena.size >> UNIT_SHIFT;
	unit_state = kzalloc(units, GFP_KERNEL);
	pages = kcalloc(arena.size >> PAGE_SHIFT, sizeof(*pages), GFP_KERNEL);
	if (!unit_state || !pages)
		return -ENOMEM;
	for (size_t i = 0; i < (arena.size >> PAGE_SHIFT); i++)
		pages[i].nook_virt = (uint8_t *)arena.base + (i << PAGE_SHIFT);
	bump = arena.base;
	return 0;
}

static unsigned int order_for(size_t size)
{
	unsigned int order = 0;

	while ((UNIT << order) < size)
		order++;
	return order;
}

/*
 * The arena is the driver's DMA quota. Running out of it while most of it is still held is
 * a driver that leaks DMA memory: stop it. Running out with most of it free (blocks kept at
 * other sizes) is an allocation failure the driver handles, as with Linux's page allocator.
 */
static void arena_exhausted(size_t bytes)
{
	char msg[160];

	if (in_use < arena.size / 2)
		return;
	snprintf(msg, sizeof(msg),
		 "DMA arena quota exceeded: the driver holds %zu KiB of its "
		 "%zu KiB arena and asks for %zu KiB more: it leaks DMA memory",
		 in_use >> 10, arena.size >> 10, bytes >> 10);
	nook_fatal(msg);
}

void *nook_arena_alloc(size_t size)
{
	unsigned int order = order_for(size ? size : 1);
	size_t bytes = UNIT << order;
	uint8_t *p;

	if (nook_fault_fails(NOOK_FAULT_SITE_ALLOC))
		return NULL;
	if (order >= MAX_ORDER_BLOCKS || arena_init() < 0)
		return NULL;
	if (free_lists[order]) {
		p = (uint8_t *)free_lists[order];
		free_lists[order] = free_lists[order]->next;
	} else {
		/* Blocks are aligned to their size (pages to pages, for DMA and page_address). */
		uintptr_t at = ALIGN((uintptr_t)bump, (uintptr_t)min(bytes, (size_t)PAGE_SIZE));

		if (at + bytes > (uintptr_t)arena.base + arena.size) {
			arena_exhausted(bytes);
			return NULL;
		}
		p = (uint8_t *)at;
		bump = p + bytes;
	}
	unit_state[(size_t)(p - (uint8_t *)arena.base) >> UNIT_SHIFT] = (uint8_t)(order + 1);
	in_use += bytes;
	return p;
}

bool nook_arena_contains(const void *p)
{
	return arena.base && (const uint8_t *)p >= (const uint8_t *)arena.base &&
	       (const uint8_t *)p < (const uint8_t *)arena.base + arena.size;
}

/* The unit that starts the live block holding @p (in the arena), or -1 when no block holds it. */
static long arena_block_of(const void *p)
{
	size_t unit, first;

	first = unit = (size_t)((const uint8_t *)p - (uint8_t *)arena.base) >> UNIT_SHIFT;
	while (!unit_state[unit] && unit > 0 && first - unit < (1U << (MAX_ORDER_BLOCKS - 1)))
		unit--;
	if (!unit_state[unit] || first - unit >= (1UL << (unit_state[unit] - 1U)))
		return -1;
	return (long)unit;
}

/*
 * Free the block holding @p. As with Linux's page fragments, any address inside the block
 * will do (drivers free a receive buffer by the address they gave the device).
 */
void nook_arena_free(const void *p)
{
	long unit;
	unsigned int order;

	if (!p)
		return;
	if (!nook_arena_contains(p))
		nook_fatal("freeing DMA memory that the arena never handed out");
	unit = arena_block_of(p);
	if (unit < 0)
		nook_fatal("freeing DMA memory twice, or memory no block holds");
	order = unit_state[unit] - 1U;
	p = (uint8_t *)arena.base + ((size_t)unit << UNIT_SHIFT);
	unit_state[unit] = 0;
	in_use -= UNIT << order;
	((struct free_block *)p)->next = free_lists[order];
	free_lists[order] = (struct free_block *)p;
}

size_t nook_arena_in_use(void)
{
	return in_use;
}

uint64_t nook_arena_iova(const void *p)
{
	return arena.iova + (uint64_t)((const uint8_t *)p - (uint8_t *)arena.base);
}

/* --- pages */

struct page *nook_alloc_pages(gfp_t gfp, unsigned int order)
{
	void *p = nook_arena_alloc(PAGE_SIZE << order);
	struct page *pg;

	if (!p)
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, PAGE_SIZE << order);
	pg = nook_virt_to_page(p);
	pg->_refcount = 1;
	pg->nook_order = order;
	return pg;
}

void nook_free_pages(struct page *page, unsigned int order)
{
	nook_put_page(page);
}

unsigned long nook_get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *pg = nook_alloc_pages(gfp, order);

	return pg ? (unsigned long)page_address(pg) : 0;
}

void nook_free_pages_addr(unsigned long addr, unsigned int order)
{
	if (addr)
		nook_put_page(nook_virt_to_page((void *)addr));
}

void *nook_page_address(const struct page *page)
{
	return page->nook_virt;
}

struct page *nook_virt_to_page(const void *addr)
{
	if (!nook_arena_contains(addr))
		nook_fatal("virt_to_page() of memory outside the DMA arena");
	return &pages[(size_t)((const uint8_t *)addr - (uint8_t *)arena.base) >> PAGE_SHIFT];
}

void nook_get_page(struct page *page)
{
	page->_refcount++;
}

void nook_put_page(struct page *page)
{
	if (page->_refcount <= 0)
		nook_fatal("put_page() of a page nobody holds");
	if (--page->_refcount == 0)
		nook_arena_free(page->nook_virt);
}

/* --- the DMA API */

/*
 * The coherent buffers the driver holds: its descriptor rings, in which a planned device
 * fault (desc-corrupt, nook/fault-plan.h) corrupts a word as a misbehaving device would.
 */
#define MAX_COHERENT 32
static struct {
	uint32_t *p;
	size_t words;
} coherent[MAX_COHERENT];

static void coherent_track(void *p, size_t size)
{
	for (int i = 0; i < MAX_COHERENT; i++) {
		if (!coherent[i].p) {
			coherent[i].p = p;
			coherent[i].words = size / 4;
			return;
		}
	}
}

static void coherent_untrack(const void *p)
{
	for (int i = 0; i < MAX_COHERENT; i++)
		if (coherent[i].p == p)
			coherent[i].p = NULL;
}

void nook_dma_corrupt_coherent(uint64_t seed)
{
	size_t words = 0, at;

	for (int i = 0; i < MAX_COHERENT; i++)
		words += coherent[i].p ? coherent[i].words : 0;
	if (!words)
		return;
	at = (size_t)(seed % words);
	for (int i = 0; i < MAX_COHERENT; i++) {
		if (!coherent[i].p)
			continue;
		if (at < coherent[i].words) {
			/* at least one bit changes: the word is corrupted, not rewritten alike */
			coherent[i].p[at] ^= (uint32_t)(seed >> 32) | 1u << (seed & 31);
			return;
		}
		at -= coherent[i].words;
	}
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	void *p = nook_arena_alloc(size);

	if (!p)
		return NULL;
	memset(p, 0, size);
	*dma_handle = nook_arena_iova(p);
	coherent_track(p, size);
	return p;
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle)
{
	coherent_untrack(cpu_addr);
	nook_arena_free(cpu_addr);
}

/*
 * A streaming mapping lies inside one buffer the driver was given (an skb's data, a page, a
 * fragment). One that runs past its buffer's end hands the device the memory after it: to
 * read (what it sends carries whatever lies there: a length the driver computed wrong sends
 * corrupted frames whose checksums the NIC makes right) or to write over (the next buffer,
 * silently). The driver's state is wrong; it stops, and nookd restarts it. Linux's
 * CONFIG_DMA_API_DEBUG checks the same against the mapped page.
 */
static void map_check_bounds(struct device *dev, const void *ptr, size_t size,
			     enum dma_data_direction dir)
{
	long unit = arena_block_of(ptr);
	const uint8_t *start, *end;
	char msg[200];

	if (unit < 0) {
		snprintf(msg, sizeof(msg),
			 "%s: DMA mapping of %zu bytes at %p: no buffer of the "
			 "driver's holds that address",
			 nook_dev_name(dev), size, ptr);
		nook_fatal(msg);
	}
	start = (uint8_t *)arena.base + ((size_t)unit << UNIT_SHIFT);
	end = start + (UNIT << (unit_state[unit] - 1U));
	if ((const uint8_t *)ptr + size > end) {
		snprintf(msg, sizeof(msg),
			 "%s: DMA mapping of %zu bytes at offset %zu of a %zu-byte "
			 "buffer runs %zu bytes past its end",
			 nook_dev_name(dev), size, (size_t)((const uint8_t *)ptr - start),
			 (size_t)(end - start), (size_t)((const uint8_t *)ptr + size - end));
		nook_fatal(msg);
	}
	if (dir == DMA_TO_DEVICE)
		nook_xmit_map_check(dev, start, ptr, size);
}

dma_addr_t nook_dma_map(struct device *dev, const void *ptr, size_t size,
			enum dma_data_direction dir)
{
	if (!size || !nook_arena_contains(ptr) ||
	    !nook_arena_contains((const uint8_t *)ptr + size - 1)) {
		printk(KERN_ERR
		       "%s: DMA mapping of %zu bytes at %p outside the DMA arena refused\n",
		       nook_dev_name(dev), size, ptr);
		return DMA_MAPPING_ERROR;
	}
	map_check_bounds(dev, ptr, size, dir);
	if (nook_fault_fails(NOOK_FAULT_SITE_DMA_MAP))
		return DMA_MAPPING_ERROR;
	return nook_fault_dma_point(nook_arena_iova(ptr), size);
}

void nook_dma_unmap(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	if (nook_fault_wild_iova(addr))
		return;
	if (addr < arena.iova || addr + size > arena.iova + arena.size)
		nook_fatal("dma_unmap of an address the arena never mapped");
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	return nook_dma_map(dev, (uint8_t *)page_address(page) + offset, size, dir);
}

int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* The arena sits low in IOVA space: any mask a driver asks for covers it. */
int dma_set_mask(struct device *dev, u64 mask)
{
	if (arena_init() < 0)
		return -EIO;
	if (arena.iova + arena.size - 1 > mask)
		return -EIO;
	if (dev->dma_mask)
		*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (arena_init() < 0 || arena.iova + arena.size - 1 > mask)
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int r = dma_set_mask(dev, mask);

	return r ? r : dma_set_coherent_mask(dev, mask);
}

/* --- page fragments for receive buffers and skb heads */

void *netdev_alloc_frag(unsigned int fragsz)
{
	return nook_arena_alloc(fragsz);
}

void skb_free_frag(void *addr)
{
	nook_arena_free(addr);
}

/* --- DMA pools: a block is an arena block of a power of two at least as large as the size
 * and the alignment, which the arena aligns to its size up to a page. */

struct dma_pool {
	struct device *dev;
	size_t size, align, boundary;
	unsigned long blocks; /* handed out, not freed */
	char name[32];
};

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align,
				 size_t boundary)
{
	struct dma_pool *pool;

	if (!align)
		align = 1;
	if (!size || !is_power_of_2(align) || align > PAGE_SIZE ||
	    (boundary && (!is_power_of_2(boundary) || boundary < max(size, align))))
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->dev = dev;
	pool->size = max(size, align);
	pool->align = align;
	pool->boundary = boundary;
	strscpy(pool->name, name ? name : "dma_pool", sizeof(pool->name));
	return pool;
}

void *dma_pool_alloc(struct dma_pool *pool, gfp_t flags, dma_addr_t *handle)
{
	void *p = nook_arena_alloc(pool->size);
	dma_addr_t iova;

	if (!p)
		return NULL;
	iova = nook_arena_iova(p);
	/* Above a page the arena aligns blocks to pages only: a boundary may fall inside. */
	if ((iova & (pool->align - 1)) ||
	    (pool->boundary && iova / pool->boundary != (iova + pool->size - 1) / pool->boundary)) {
		nook_arena_free(p);
		printk(KERN_ERR
		       "%s: DMA pool %s: no block of %zu bytes within a %zu-byte boundary\n",
		       nook_dev_name(pool->dev), pool->name, pool->size, pool->boundary);
		return NULL;
	}
	pool->blocks++;
	*handle = iova;
	return p;
}

void *dma_pool_zalloc(struct dma_pool *pool, gfp_t flags, dma_addr_t *handle)
{
	void *p = dma_pool_alloc(pool, flags, handle);

	if (p)
		memset(p, 0, pool->size);
	return p;
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr)
{
	if (!vaddr)
		return;
	nook_arena_free(vaddr);
	pool->blocks--;
}

/* As in Linux, a pool destroyed with blocks still out keeps them (the device may still use
 * them), and says so. */
void dma_pool_destroy(struct dma_pool *pool)
{
	if (!pool)
		return;
	if (pool->blocks)
		printk(KERN_ERR "%s: DMA pool %s destroyed while %lu of its blocks are still "
				"handed out\n",
		       nook_dev_name(pool->dev), pool->name, pool->blocks);
	kfree(pool);
}
