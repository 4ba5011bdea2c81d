/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCI device through VFIO: container (type1 IOMMU), group, device fd; its regions (BARs,
 * config space), interrupts delivered on eventfds, and reset. The device's DMA goes through
 * the IOMMU to the DMA arena (dma.h) and nowhere else.
 */
#ifndef NOOK_COMMON_VFIO_H
#define NOOK_COMMON_VFIO_H

#include <linux/vfio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"
#include "common/base/pci-addr.h"

struct nook_vfio_region {
	uint32_t flags; /* VFIO_REGION_INFO_FLAG_* */
	uint64_t size;
	uint64_t offset; /* of the region in the device fd */
	void *map;	 /* where mmapped, else NULL */
};

struct nook_vfio_dev {
	char addr[NOOK_PCI_ADDR_LEN];
	int group;
	int container_fd, group_fd, device_fd;
	uint32_t flags; /* VFIO_DEVICE_FLAGS_* */
	uint32_t num_regions, num_irqs;
	struct nook_vfio_region regions[VFIO_PCI_NUM_REGIONS];
	/* eventfds of the enabled interrupt index, if any */
	int irq_index;
	unsigned int irq_count;
	int *irq_fds;
};

/*
 * Open the device at @addr (checked first, see sysfs.h) in a container of its own.
 * @root prefixes /sys and /dev ("" or NULL: the real system).
 */
int nook_vfio_open(const char *root, const char *addr, struct nook_vfio_dev **ret_dev,
		   struct nook_err *err);

/*
 * Take over fds someone else opened (nookd): the container already has its IOMMU set and the
 * group attached. @group_fd may be -1. They are closed by nook_vfio_close().
 */
int nook_vfio_adopt(int container_fd, int group_fd, int device_fd, const char *addr,
		    struct nook_vfio_dev **ret_dev, struct nook_err *err);

void nook_vfio_close(struct nook_vfio_dev *dev);

/* mmap a memory BAR (index 0..5); -ENOTSUP for I/O-port BARs and unmappable regions. */
int nook_vfio_map_bar(struct nook_vfio_dev *dev, unsigned int bar, void **ret_map,
		      struct nook_err *err);

/* 1, 2, 4 or 8 bytes at @off of region @index (any BAR, the ROM or config space). */
int nook_vfio_region_read(struct nook_vfio_dev *dev, unsigned int index, uint64_t off,
			  unsigned int width, uint64_t *ret_value);
int nook_vfio_region_write(struct nook_vfio_dev *dev, unsigned int index, uint64_t off,
			   unsigned int width, uint64_t value);

int nook_vfio_config_read(struct nook_vfio_dev *dev, uint64_t off, unsigned int width,
			  uint32_t *ret_value);
int nook_vfio_config_write(struct nook_vfio_dev *dev, uint64_t off, unsigned int width,
			   uint32_t value);

/* How many vectors interrupt @index (VFIO_PCI_INTX/MSI/MSIX_IRQ_INDEX) has; 0: none. */
int nook_vfio_irq_count(struct nook_vfio_dev *dev, unsigned int index, uint32_t *ret_count,
			uint32_t *ret_flags);

/*
 * Route @count vectors of @index to new eventfds (non-blocking, close-on-exec), returned in
 * @ret_fds (owned by the device). One index at a time, as PCI allows.
 */
int nook_vfio_irq_enable(struct nook_vfio_dev *dev, unsigned int index, unsigned int count,
			 const int **ret_fds, struct nook_err *err);
int nook_vfio_irq_disable(struct nook_vfio_dev *dev);
/* INTx is masked by VFIO when it fires; unmask once the device's cause is cleared. */
int nook_vfio_irq_unmask(struct nook_vfio_dev *dev);

/* Reset the device (FLR, PM or bus reset, as VFIO can). */
int nook_vfio_reset(struct nook_vfio_dev *dev, struct nook_err *err);

/*
 * MMIO on a mapped BAR. x86 keeps stores in order, so a compiler barrier before a doorbell
 * write is what makes descriptor writes to DMA memory visible to the device first.
 */
static inline uint32_t nook_mmio_read32(const void *base, size_t off)
{
	uint32_t v = *(const volatile uint32_t *)((const uint8_t *)base + off);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static inline uint64_t nook_mmio_read64(const void *base, size_t off)
{
	uint64_t v = *(const volatile uint64_t *)((const uint8_t *)base + off);

	__asm__ __volatile__("" ::: "memory");
	return v;
}

static inline void nook_mmio_write32(void *base, size_t off, uint32_t v)
{
	__asm__ __volatile__("" ::: "memory");
	*(volatile uint32_t *)((uint8_t *)base + off) = v;
}

static inline void nook_mmio_write64(void *base, size_t off, uint64_t v)
{
	__asm__ __volatile__("" ::: "memory");
	*(volatile uint64_t *)((uint8_t *)base + off) = v;
}

#endif
