/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake /sys for the daemon's unit tests: PCI devices with IDs, drivers, IOMMU groups and
 * network interfaces in a temporary directory, and a model of the kernel's answers to
 * driver_override, unbind and drivers_probe writes.
 */
#ifndef NOOK_TEST_FAKE_SYSFS_H
#define NOOK_TEST_FAKE_SYSFS_H

#include <limits.h>

extern char fake_root[PATH_MAX];
/* every attribute written, "ATTR=VALUE" per line, in order */
extern char fake_writes[4096];

void fake_sysfs_create(void);
void fake_sysfs_destroy(void);

/* A device with IDs, class, IOMMU group (-1: none) and kernel driver ("" for none). */
void fake_pci_add(const char *addr, unsigned int vendor, unsigned int device, unsigned int class,
		  int group, const char *driver);
/* A network interface of @addr with its flags (0x1: up, 0x1003: up/broadcast/multicast). */
void fake_net_add(const char *addr, const char *ifname, unsigned int flags);
/* Make a driver known to the model (its module "loaded"); vfio-pci is not by default. */
void fake_driver_load(const char *driver);
/* The driver bound now ("" for none). */
const char *fake_bound(const char *addr);
/* The content of the device's driver_override ("" when cleared). */
const char *fake_override(const char *addr);

#endif
