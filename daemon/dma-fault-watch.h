/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU's reports of refused DMA, from the kernel log. VFIO tells user space nothing
 * when the IOMMU blocks a device's access to an address nobody mapped; the IOMMU driver
 * logs it (Intel: "DMAR: [DMA Write NO_PASID] Request device [01:00.0] fault addr ...",
 * AMD: "... IO_PAGE_FAULT device=0000:01:00.0 ..."). nookd reads /dev/kmsg and takes such a
 * line as the failure of the driver that owns the device: a driver that points its device
 * at memory it does not own is broken or hostile.
 */
#ifndef NOOK_DAEMON_DMA_FAULT_WATCH_H
#define NOOK_DAEMON_DMA_FAULT_WATCH_H

#include <stddef.h>

#include "common/base/pci-addr.h"

/*
 * Open /dev/kmsg positioned at its end (older lines are not ours to act on). Returns the
 * fd (O_NONBLOCK) or a negative errno.
 */
int nook_dma_fault_watch_open(void);

/*
 * If the kernel log message @msg (the text after the record's ';') reports a refused DMA,
 * the device's address ("0000:01:00.0") goes to @bdf and a short description ("DMA write
 * to 0xc0123000 refused (fault reason 0x05 ...)") to @what; returns 1. Else 0.
 */
int nook_dma_fault_parse(const char *msg, char bdf[NOOK_PCI_ADDR_LEN], char *what, size_t what_len);

/*
 * Read what the log holds now; call @fn for each refused DMA. -EAGAIN is the normal end;
 * records lost to the log's overrun are skipped.
 */
typedef void (*nook_dma_fault_fn)(void *ctx, const char *bdf, const char *what);
int nook_dma_fault_watch_read(int fd, nook_dma_fault_fn fn, void *ctx);

#endif
