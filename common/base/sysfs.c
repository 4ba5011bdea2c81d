// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs and /dev facts about a PCI device (see sysfs.h).
 */
#include "sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *rootdir(const char *root)
{
	return root ? root : "";
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		r = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return r;
}

int nook_sysfs_pci_exists(const char *root, const char *addr)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s", rootdir(root), addr);
	return access(path, F_OK) == 0 ? 0 : -ENODEV;
}

int nook_sysfs_pci_read_hex(const char *root, const char *addr, const char *attr,
			    unsigned int *ret_value)
{
	char path[PATH_MAX], line[64], *end;
	unsigned long v;
	int r;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/%s", rootdir(root), addr, attr);
	r = read_line(path, line, sizeof(line));
	if (r < 0)
		return r;
	errno = 0;
	v = strtoul(line, &end, 16);
	if (errno || end == line || *end != '\0' || v > UINT_MAX)
		return -EINVAL;
	*ret_value = (unsigned int)v;
	return 0;
}

/* The last component of the symlink at @path, or "" when there is no link. */
static int link_basename(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0) {
		if (errno != ENOENT)
			return -errno;
		buf[0] = '\0';
		return 0;
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, len, "%s", base ? base + 1 : target);
	return 0;
}

int nook_sysfs_pci_driver(const char *root, const char *addr, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver", rootdir(root), addr);
	return link_basename(path, buf, len);
}

int nook_sysfs_pci_iommu_group(const char *root, const char *addr, int *ret_group)
{
	char path[PATH_MAX], name[64], *end;
	long g;
	int r;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/iommu_group", rootdir(root), addr);
	r = link_basename(path, name, sizeof(name));
	if (r < 0)
		return r;
	if (!name[0])
		return -ENOENT;
	g = strtol(name, &end, 10);
	if (end == name || *end != '\0' || g < 0 || g > INT_MAX)
		return -EINVAL;
	*ret_group = (int)g;
	return 0;
}

static int driver_allowed_in_group(const char *driver)
{
	return !driver[0] || strcmp(driver, "vfio-pci") == 0 || strcmp(driver, "pci-stub") == 0 ||
	       strcmp(driver, "pcieport") == 0;
}

/* -EBUSY naming the first device of @group whose kernel driver keeps it from VFIO. */
static int group_check(const char *root, int group, const char *addr, struct nook_err *err)
{
	char path[PATH_MAX], driver[128];
	struct dirent *de;
	DIR *d;
	int r = 0;

	snprintf(path, sizeof(path), "%s/sys/kernel/iommu_groups/%d/devices", rootdir(root), group);
	d = opendir(path);
	if (!d) {
		r = -errno;
		return nook_err_set(err, r, "%s: cannot list IOMMU group %d (%s): %s", addr, group,
				    path, strerror(-r));
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, addr) == 0)
			continue;
		if (nook_sysfs_pci_driver(root, de->d_name, driver, sizeof(driver)) < 0)
			continue;
		if (!driver_allowed_in_group(driver)) {
			r = nook_err_set(
				err, -EBUSY,
				"%s: IOMMU group %d is not viable: %s in the same group is "
				"bound to %s; unbind it or bind it to vfio-pci too",
				addr, group, de->d_name, driver);
			break;
		}
	}
	closedir(d);
	return r;
}

int nook_sysfs_vfio_check(const char *root, const char *addr, int *ret_group, struct nook_err *err)
{
	char path[PATH_MAX], driver[128];
	int group, r;

	if (nook_sysfs_pci_exists(root, addr) < 0)
		return nook_err_set(err, -ENODEV,
				    "no PCI device %s on this machine (lspci -D lists them)", addr);
	snprintf(path, sizeof(path), "%s/dev/vfio/vfio", rootdir(root));
	if (access(path, F_OK) < 0 && (errno == EPERM || errno == EACCES))
		return nook_err_set(err, -EPERM,
				    "%s: /dev/vfio/vfio may not be used here: a device policy "
				    "forbids it (systemd: DeviceAllow=/dev/vfio/vfio rw)",
				    addr);
	if (access(path, F_OK) < 0)
		return nook_err_set(err, -ENOENT,
				    "%s: /dev/vfio/vfio is missing: VFIO is not loaded; run "
				    "modprobe vfio-pci",
				    addr);
	r = nook_sysfs_pci_iommu_group(root, addr, &group);
	if (r == -ENOENT)
		return nook_err_set(err, -ENOENT,
				    "%s has no IOMMU group: the IOMMU is off; boot with "
				    "intel_iommu=on (or amd_iommu=on)",
				    addr);
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot read its IOMMU group: %s", addr,
				    strerror(-r));
	r = nook_sysfs_pci_driver(root, addr, driver, sizeof(driver));
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot read its driver: %s", addr, strerror(-r));
	if (!driver[0])
		return nook_err_set(err, -EPERM,
				    "%s is bound to no driver, not vfio-pci; bind it with: "
				    "echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
				    "echo %s > /sys/bus/pci/drivers_probe",
				    addr, addr, addr);
	if (strcmp(driver, "vfio-pci") != 0)
		return nook_err_set(err, -EBUSY,
				    "%s is bound to %s, not vfio-pci; hand it over with: "
				    "echo %s > /sys/bus/pci/devices/%s/driver/unbind; "
				    "echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; "
				    "echo %s > /sys/bus/pci/drivers_probe",
				    addr, driver, addr, addr, addr, addr);
	r = group_check(root, group, addr, err);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/dev/vfio/%d", rootdir(root), group);
	if (access(path, F_OK) < 0)
		return nook_err_set(err, -ENOENT,
				    "%s: %s is missing although the device is bound "
				    "to vfio-pci",
				    addr, path);
	*ret_group = group;
	return 0;
}
