/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_MM_TYPES_H
#define NOOK_LINUX_MM_TYPES_H
#include <linux/types.h>
struct page {
	unsigned long flags;
	int _refcount;
	/* allocation order of the block this page heads (arena pages only) */
	unsigned int nook_order;
	void *nook_virt;
};
struct page_frag {
	struct page *page;
	u32 offset;
	u32 size;
};
#endif
