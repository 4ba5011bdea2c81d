// SPDX-License-Identifier: GPL-2.0-only
/* driver_override binding (see bind.h). */
#include "common/base/clock.h"
#include "bind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pci-scan.h"
#include "common/base/sysfs.h"

#define BIND_SETTLE_MS 3000 /* how long a probe may take before we call it failed */

static int real_write_attr(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		r = -errno;
	else if ((size_t)n != strlen(value))
		r = -EIO;
	close(fd);
	return r;
}

static int real_if_has_addr(const char *ifname)
{
	struct ifaddrs *ifa, *i;
	int found = 0;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname))
			continue;
		if (i->ifa_addr->sa_family == AF_INET || i->ifa_addr->sa_family == AF_INET6)
			found = 1;
	}
	freeifaddrs(ifa);
	return found;
}

static const struct nook_bind_ops real_ops = {
	.write_attr = real_write_attr,
	.if_has_addr = real_if_has_addr,
};
static const struct nook_bind_ops *ops = &real_ops;

void nook_bind_set_ops(const struct nook_bind_ops *o)
{
	ops = o ? o : &real_ops;
}

static const char *rootdir(const char *root)
{
	return root ? root : "";
}

/* Drivers that may share an IOMMU group with a device given to a user process. */
static bool harmless_driver(const char *drv)
{
	return !*drv || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub") ||
	       !strcmp(drv, "pcieport");
}

static int check_group(const char *root, const struct nook_pci_info *info, struct nook_err *err)
{
	char path[PATH_MAX], busy[384] = "";
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/sys/kernel/iommu_groups/%d/devices", rootdir(root),
		 info->iommu_group);
	d = opendir(path);
	if (!d)
		return nook_err_set(err, -errno, "%s: cannot list IOMMU group %d: %m", info->addr,
				    info->iommu_group);
	while ((de = readdir(d))) {
		char drv[NOOK_DRIVER_NAME_LEN];
		size_t used = strlen(busy);

		if (de->d_name[0] == '.' || !strcmp(de->d_name, info->addr))
			continue;
		if (nook_sysfs_pci_driver(root, de->d_name, drv, sizeof(drv)) < 0 ||
		    harmless_driver(drv))
			continue;
		snprintf(busy + used, sizeof(busy) - used, "%s%s (%s)", used ? ", " : "",
			 de->d_name, drv);
	}
	closedir(d);
	if (*busy)
		return nook_err_set(err, -EBUSY,
				    "%s: IOMMU group %d also holds %s: VFIO hands "
				    "out a group whole, so unbind those from their kernel drivers "
				    "first, or move the device to a slot of its own",
				    info->addr, info->iommu_group, busy);
	return 0;
}

/* A NIC that is up and addressed is in use: taking it would cut someone off. */
static int check_ifs(const char *root, const struct nook_pci_info *info, struct nook_err *err)
{
	for (unsigned int i = 0; i < info->n_ifs; i++) {
		char path[PATH_MAX], buf[32] = "";
		unsigned long flags;
		FILE *f;

		snprintf(path, sizeof(path), "%s/sys/class/net/%s/flags", rootdir(root),
			 info->ifs[i]);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		flags = strtoul(buf, NULL, 16);
		if ((flags & 0x1) && ops->if_has_addr(info->ifs[i]) > 0)
			return nook_err_set(err, -EBUSY,
					    "%s: its interface %s is up and has an "
					    "address; take it down first or use --force",
					    info->addr, info->ifs[i]);
	}
	return 0;
}

int nook_bind_check(const char *root, const char *addr, bool force, struct nook_err *err)
{
	struct nook_pci_info info;
	int r;

	r = nook_pci_lookup(root, addr, &info, err);
	if (r < 0)
		return r;
	if (info.iommu_group < 0)
		return nook_err_set(err, -ENODEV,
				    "%s: not in an IOMMU group: boot with the IOMMU "
				    "on (intel_iommu=on or amd_iommu=on)",
				    info.addr);
	r = check_group(root, &info, err);
	if (r < 0 || force)
		return r;
	return check_ifs(root, &info, err);
}

/* Wait (bounded) until @addr is bound to @want ("" for: to any driver). */
static int wait_bound(const char *root, const char *addr, const char *want)
{
	long long deadline = nook_now_ms() + BIND_SETTLE_MS;
	char drv[NOOK_DRIVER_NAME_LEN];

	for (;;) {
		if (nook_sysfs_pci_driver(root, addr, drv, sizeof(drv)) == 0 && *drv &&
		    (!*want || !strcmp(drv, want)))
			return 0;
		if (nook_now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

static int write_dev_attr(const char *root, const char *addr, const char *attr, const char *value)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/%s", rootdir(root), addr, attr);
	return ops->write_attr(path, value);
}

static int probe(const char *root, const char *addr)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/drivers_probe", rootdir(root));
	return ops->write_attr(path, addr);
}

int nook_bind_vfio(const char *root, const char *addr, bool force, char *ret_orig, size_t len,
		   struct nook_err *err)
{
	struct nook_pci_info info;
	int r;

	r = nook_bind_check(root, addr, force, err);
	if (r < 0)
		return r;
	nook_pci_lookup(root, addr, &info, NULL);
	if (!strcmp(info.driver, "vfio-pci")) {
		snprintf(ret_orig, len, "%s", info.driver);
		return 0;
	}
	r = write_dev_attr(root, info.addr, "driver_override", "vfio-pci");
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot set driver_override: %s", info.addr,
				    strerror(-r));
	if (*info.driver) {
		r = write_dev_attr(root, info.addr, "driver/unbind", info.addr);
		if (r < 0) {
			write_dev_attr(root, info.addr, "driver_override", "\n");
			return nook_err_set(err, r, "%s: cannot unbind it from %s: %s", info.addr,
					    info.driver, strerror(-r));
		}
	}
	r = probe(root, info.addr);
	if (r >= 0)
		r = wait_bound(root, info.addr, "vfio-pci");
	if (r < 0) {
		/* leave the device as we found it, as far as the kernel lets us */
		write_dev_attr(root, info.addr, "driver_override", "\n");
		probe(root, info.addr);
		return nook_err_set(err, r,
				    "%s: vfio-pci did not take it (%s); is vfio-pci "
				    "loaded? (modprobe vfio-pci)",
				    info.addr, strerror(-r));
	}
	snprintf(ret_orig, len, "%s", info.driver);
	return 0;
}

int nook_bind_release(const char *root, const char *addr, const char *orig, struct nook_err *err)
{
	struct nook_pci_info info;
	int r;

	r = nook_pci_lookup(root, addr, &info, err);
	if (r < 0)
		return r;
	if (orig && !strcmp(orig, "vfio-pci"))
		return 0; /* it was vfio-pci's before nook came: leave it there */
	r = write_dev_attr(root, info.addr, "driver_override", "\n");
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot clear driver_override: %s", info.addr,
				    strerror(-r));
	if (!strcmp(info.driver, "vfio-pci")) {
		r = write_dev_attr(root, info.addr, "driver/unbind", info.addr);
		if (r < 0)
			return nook_err_set(err, r, "%s: cannot unbind it from vfio-pci: %s",
					    info.addr, strerror(-r));
	}
	r = probe(root, info.addr);
	if (r < 0)
		return nook_err_set(err, r, "%s: drivers_probe failed: %s", info.addr,
				    strerror(-r));
	if (orig && *orig && wait_bound(root, info.addr, orig) < 0)
		return nook_err_set(err, -ENODEV,
				    "%s: given back to the kernel, but %s did not "
				    "take it (is its module loaded? modprobe %s)",
				    info.addr, orig, orig);
	return 0;
}
