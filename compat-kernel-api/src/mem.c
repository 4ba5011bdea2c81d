// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmalloc and friends over the host's heap. Each block carries its size in front, so
 * ksize() and krealloc() work and the host can count the driver's memory against a quota.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <nook/fault-plan.h>
#include <nook/host.h>

#include "internal.h"

struct kblock {
	size_t size;
	size_t pad; /* keeps the payload 16-byte aligned */
};

void *nook_kmalloc(size_t size, gfp_t flags)
{
	struct kblock *b;

	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > (1UL << 30) || nook_fault_fails(NOOK_FAULT_SITE_ALLOC))
		return NULL;
	b = nook_host_alloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	if (flags & __GFP_ZERO)
		memset(b + 1, 0, size);
	return b + 1;
}

void nook_kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	nook_host_free((struct kblock *)p - 1);
}

size_t nook_ksize(const void *p)
{
	return ZERO_OR_NULL_PTR(p) ? 0 : ((const struct kblock *)p - 1)->size;
}

void *nook_krealloc(const void *p, size_t size, gfp_t flags)
{
	size_t old = nook_ksize(p);
	void *n;

	if (!size) {
		nook_kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (size <= old)
		return (void *)p;
	n = nook_kmalloc(size, flags);
	if (!n)
		return NULL;
	if (old)
		memcpy(n, p, old);
	nook_kfree(p);
	return n;
}

char *nook_kstrdup(const char *s, gfp_t gfp)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = kmalloc(n, gfp);
	if (d)
		memcpy(d, s, n);
	return d;
}

void *nook_kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *d = kmalloc(len, gfp);

	if (d)
		memcpy(d, src, len);
	return d;
}

/* Device-managed memory lives as long as the driver process: freed with it. */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

void devm_kfree(struct device *dev, const void *p)
{
	kfree(p);
}
