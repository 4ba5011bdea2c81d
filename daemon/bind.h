/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Handing a PCI device to vfio-pci and back through driver_override (never new_id, which
 * would grab every device with the same IDs): remember the kernel driver, unbind it, write
 * "vfio-pci" to driver_override, ask drivers_probe, verify. Releasing clears the override,
 * unbinds vfio-pci and probes again, so the kernel driver takes the device back.
 * Paths are taken under @root ("" or NULL: the real system).
 */
#ifndef NOOK_DAEMON_BIND_H
#define NOOK_DAEMON_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "common/base/err.h"

#define NOOK_DRIVER_NAME_LEN 64

/* How bind reaches the kernel; tests replace it with a model of sysfs. */
struct nook_bind_ops {
	/* write @value to the sysfs attribute at @path; negative errno */
	int (*write_attr)(const char *path, const char *value);
	/* 1 when the interface has an IPv4/IPv6 address, 0 when not */
	int (*if_has_addr)(const char *ifname);
};

/* NULL restores the real ones. */
void nook_bind_set_ops(const struct nook_bind_ops *ops);

/*
 * Would binding @addr to vfio-pci be safe? -ENODEV: no such device; -EBUSY: another device
 * of its IOMMU group is bound to a kernel driver (named in the message), or (without
 * @force) one of its network interfaces is up and has an address.
 */
int nook_bind_check(const char *root, const char *addr, bool force, struct nook_err *err);

/*
 * Check, then bind @addr to vfio-pci. @ret_orig gets the kernel driver that had it ("" for
 * none, "vfio-pci" if it was already bound there) for nook_bind_release().
 */
int nook_bind_vfio(const char *root, const char *addr, bool force, char *ret_orig, size_t len,
		   struct nook_err *err);

/* Give @addr back to the kernel: @orig is the driver expected to take it ("" for any). */
int nook_bind_release(const char *root, const char *addr, const char *orig, struct nook_err *err);

#endif
