/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What sysfs and /dev say about a PCI device and its IOMMU group, before VFIO is asked.
 * Every path is taken under @root ("" or NULL: the real system), so tests build a fake tree.
 */
#ifndef NOOK_COMMON_SYSFS_H
#define NOOK_COMMON_SYSFS_H

#include <stddef.h>

#include "err.h"

/* 0 when the device exists, -ENODEV when it does not. */
int nook_sysfs_pci_exists(const char *root, const char *addr);

/* A hex attribute of the device (vendor, device, class, ...). */
int nook_sysfs_pci_read_hex(const char *root, const char *addr, const char *attr,
			    unsigned int *ret_value);

/* The kernel driver bound to the device now; "" when none. */
int nook_sysfs_pci_driver(const char *root, const char *addr, char *buf, size_t len);

/* The device's IOMMU group; -ENOENT when it has none (no IOMMU). */
int nook_sysfs_pci_iommu_group(const char *root, const char *addr, int *ret_group);

/*
 * Everything VFIO needs of @addr before it is opened: the device exists, VFIO is loaded,
 * the device is in an IOMMU group, bound to vfio-pci, and every other device of its group
 * is bound to vfio-pci, pci-stub, pcieport or nothing. Each failure says what to do.
 */
int nook_sysfs_vfio_check(const char *root, const char *addr, int *ret_group, struct nook_err *err);

#endif
