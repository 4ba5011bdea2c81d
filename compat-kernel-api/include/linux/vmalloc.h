/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_VMALLOC_H
#define NOOK_LINUX_VMALLOC_H
#include <linux/slab.h>
#define vmalloc(size) nook_kmalloc((size), GFP_KERNEL)
#define vzalloc(size) nook_kmalloc((size), GFP_KERNEL | __GFP_ZERO)
#define vmalloc_array(n, size) nook_kmalloc(size_mul((n), (size)), GFP_KERNEL)
#define vfree(p) nook_kfree(p)
#endif
