/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every PCI device of the machine: its address, IDs and their names from pci.ids, class,
 * the kernel driver bound to it now, its IOMMU group and its network interfaces.
 * Enumeration goes through libpciaccess on the real system; with a @root (tests) it reads
 * @root/sys/bus/pci/devices instead, since libpciaccess cannot be pointed elsewhere.
 */
#ifndef NOOK_DAEMON_PCI_SCAN_H
#define NOOK_DAEMON_PCI_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"
#include "common/base/pci-addr.h"

#define NOOK_PCI_NAME_LEN 128
#define NOOK_PCI_MAX_IFS 4
#define NOOK_IFNAME_LEN 16

struct nook_pci_info {
	char addr[NOOK_PCI_ADDR_LEN];
	uint16_t vendor, device, subvendor, subdevice;
	uint32_t class;			     /* 24 bits: class, subclass, prog-if */
	char vendor_name[NOOK_PCI_NAME_LEN]; /* "" when pci.ids does not know it */
	char device_name[NOOK_PCI_NAME_LEN];
	char driver[64]; /* kernel driver bound now, "" for none */
	int iommu_group; /* -1 for none */
	unsigned int n_ifs;
	char ifs[NOOK_PCI_MAX_IFS][NOOK_IFNAME_LEN]; /* network interfaces, sorted */
};

/* All devices sorted by address; free *ret_list with free(). */
int nook_pci_scan(const char *root, struct nook_pci_info **ret_list, size_t *ret_n,
		  struct nook_err *err);

/*
 * One device, from sysfs only (@root "" or NULL: the real system). -ENODEV with a message
 * naming the address when there is no such device.
 */
int nook_pci_lookup(const char *root, const char *addr, struct nook_pci_info *ret_info,
		    struct nook_err *err);

/* Vendor and device names from pci.ids for these IDs ("" when unknown). */
void nook_pci_names(struct nook_pci_info *info);

#endif
