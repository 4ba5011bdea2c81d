/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_MOD_DEVICETABLE_H
#define NOOK_LINUX_MOD_DEVICETABLE_H
#include <linux/types.h>
typedef unsigned long kernel_ulong_t;
struct pci_device_id {
	__u32 vendor, device;
	__u32 subvendor, subdevice;
	__u32 class, class_mask;
	kernel_ulong_t driver_data;
	__u32 override_only;
};
#endif
