/* SPDX-License-Identifier: GPL-2.0-only */
/* Vendor and device IDs, from the PCI SIG's registry (pci.ids), as drivers name them. */
#ifndef NOOK_LINUX_PCI_IDS_H
#define NOOK_LINUX_PCI_IDS_H
#define PCI_VENDOR_ID_INTEL 0x8086
#define PCI_VENDOR_ID_VMWARE 0x15ad
#define PCI_VENDOR_ID_AMD 0x1022
#define PCI_VENDOR_ID_REALTEK 0x10ec
#define PCI_VENDOR_ID_ENSONIQ 0x1274
#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PCI_CLASS_MULTIMEDIA_AUDIO 0x0401
#endif
