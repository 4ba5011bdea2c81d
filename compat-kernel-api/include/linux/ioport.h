/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IOPORT_H
#define NOOK_LINUX_IOPORT_H
#include <linux/types.h>
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
};
#define IORESOURCE_IO 0x00000100
#define IORESOURCE_MEM 0x00000200
#define IORESOURCE_PREFETCH 0x00002000
#define IORESOURCE_MEM_64 0x00100000
#define IORESOURCE_UNSET 0x20000000
#define IORESOURCE_BUSY 0x80000000
static inline resource_size_t resource_size(const struct resource *r)
{
	return r->end - r->start + 1;
}

/*
 * I/O port ranges a driver claims. Only the device's own I/O BARs exist in a driver
 * process: a range within one of them is granted once (the BAR's resource comes back) until
 * released; anything else (an ISA probe's fixed ports) is busy, NULL.
 */
struct resource *nook_request_region(resource_size_t start, resource_size_t n, const char *name);
void nook_release_region(resource_size_t start, resource_size_t n);
#define request_region(start, n, name) nook_request_region((start), (n), (name))
#define release_region(start, n) nook_release_region((start), (n))
#endif
