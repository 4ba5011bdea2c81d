/* SPDX-License-Identifier: GPL-2.0-only */
/* kmalloc and friends: the driver process's heap, counted against its memory quota. */
#ifndef NOOK_LINUX_SLAB_H
#define NOOK_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/overflow.h>

void *nook_kmalloc(size_t size, gfp_t flags);
void *nook_krealloc(const void *p, size_t size, gfp_t flags);
void nook_kfree(const void *p);
size_t nook_ksize(const void *p);
#define kmalloc(size, flags) nook_kmalloc((size), (flags))
#define kzalloc(size, flags) nook_kmalloc((size), (flags) | __GFP_ZERO)
#define kmalloc_array(n, size, flags) nook_kmalloc(size_mul((n), (size)), (flags))
#define kcalloc(n, size, flags) nook_kmalloc(size_mul((n), (size)), (flags) | __GFP_ZERO)
#define krealloc(p, size, flags) nook_krealloc((p), (size), (flags))
#define kfree(p) nook_kfree(p)
#define kfree_sensitive(p) nook_kfree(p)
#define kvfree(p) nook_kfree(p)
#define ksize(p) nook_ksize(p)
#define kmalloc_node(size, flags, node) kmalloc((size), (flags))
#define kzalloc_node(size, flags, node) kzalloc((size), (flags))
#define kvmalloc(size, flags) kmalloc((size), (flags))
#define kvzalloc(size, flags) kzalloc((size), (flags))
#define kvcalloc(n, size, flags) kcalloc((n), (size), (flags))

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#endif
