// SPDX-License-Identifier: GPL-2.0-only
/* PCI enumeration (see pci-scan.h). */
#include "pci-scan.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pciaccess.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base/sysfs.h"

static const char *rootdir(const char *root)
{
	return root ? root : "";
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The interfaces under the device's net/ directory, sorted (none for non-NICs). */
static void read_ifs(const char *root, struct nook_pci_info *info)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	info->n_ifs = 0;
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/net", rootdir(root), info->addr);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && info->n_ifs < NOOK_PCI_MAX_IFS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= NOOK_IFNAME_LEN)
			continue;
		strcpy(info->ifs[info->n_ifs++], de->d_name);
	}
	closedir(d);
	qsort(info->ifs, info->n_ifs, sizeof(info->ifs[0]), cmp_name);
}

/* What only sysfs tells: driver, IOMMU group, interfaces. */
static void read_sysfs_extras(const char *root, struct nook_pci_info *info)
{
	if (nook_sysfs_pci_driver(root, info->addr, info->driver, sizeof(info->driver)) < 0)
		info->driver[0] = '\0';
	if (nook_sysfs_pci_iommu_group(root, info->addr, &info->iommu_group) < 0)
		info->iommu_group = -1;
	read_ifs(root, info);
}

void nook_pci_names(struct nook_pci_info *info)
{
	struct pci_id_match m = {
		.vendor_id = info->vendor,
		.device_id = info->device,
		.subvendor_id = info->subvendor,
		.subdevice_id = info->subdevice,
	};
	const char *dev = NULL, *ven = NULL, *sdev = NULL, *sven = NULL;

	pci_get_strings(&m, &dev, &ven, &sdev, &sven);
	snprintf(info->vendor_name, sizeof(info->vendor_name), "%s", ven ? ven : "");
	snprintf(info->device_name, sizeof(info->device_name), "%s", dev ? dev : "");
}

int nook_pci_lookup(const char *root, const char *addr, struct nook_pci_info *ret_info,
		    struct nook_err *err)
{
	struct nook_pci_info info = { .iommu_group = -1 };
	struct nook_pci_addr pa;
	unsigned int v, d, sv = 0, sd = 0, cls;

	if (nook_pci_addr_parse(addr, &pa) < 0)
		return nook_err_set(err, -EINVAL,
				    "'%s' is not a PCI address (expected the form "
				    "0000:00:04.0)",
				    addr);
	nook_pci_addr_format(&pa, info.addr);
	if (nook_sysfs_pci_exists(root, info.addr) < 0)
		return nook_err_set(err, -ENODEV,
				    "%s: no such PCI device (nookctl scan lists "
				    "them)",
				    info.addr);
	if (nook_sysfs_pci_read_hex(root, info.addr, "vendor", &v) < 0 ||
	    nook_sysfs_pci_read_hex(root, info.addr, "device", &d) < 0 ||
	    nook_sysfs_pci_read_hex(root, info.addr, "class", &cls) < 0)
		return nook_err_set(err, -EIO, "%s: cannot read its IDs from sysfs", info.addr);
	nook_sysfs_pci_read_hex(root, info.addr, "subsystem_vendor", &sv);
	nook_sysfs_pci_read_hex(root, info.addr, "subsystem_device", &sd);
	info.vendor = (uint16_t)v;
	info.device = (uint16_t)d;
	info.subvendor = (uint16_t)sv;
	info.subdevice = (uint16_t)sd;
	info.class = cls & 0xffffff;
	nook_pci_names(&info);
	read_sysfs_extras(root, &info);
	*ret_info = info;
	return 0;
}

static int cmp_info(const void *a, const void *b)
{
	const struct nook_pci_info *x = a, *y = b;

	return strcmp(x->addr, y->addr);
}

/* Append one more entry, growing the array. */
static struct nook_pci_info *grow(struct nook_pci_info **list, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct nook_pci_info *nl = realloc(*list, ncap * sizeof(**list));

		if (!nl)
			return NULL;
		*list = nl;
		*cap = ncap;
	}
	memset(&(*list)[*n], 0, sizeof(**list));
	return &(*list)[(*n)++];
}

static int scan_sysfs(const char *root, struct nook_pci_info **list, size_t *n, size_t *cap,
		      struct nook_err *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int r = 0;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices", root);
	d = opendir(path);
	if (!d)
		return nook_err_set(err, -errno, "cannot list PCI devices in %s: %m", path);
	while ((de = readdir(d))) {
		struct nook_pci_info *info;

		if (de->d_name[0] == '.')
			continue;
		info = grow(list, n, cap);
		if (!info) {
			r = nook_err_set(err, -ENOMEM, "out of memory listing PCI devices");
			break;
		}
		if (nook_pci_lookup(root, de->d_name, info, NULL) < 0)
			(*n)--; /* vanished or unreadable: not a device to show */
	}
	closedir(d);
	return r;
}

static int scan_pciaccess(struct nook_pci_info **list, size_t *n, size_t *cap, struct nook_err *err)
{
	struct pci_device_iterator *it;
	struct pci_device *pd;
	int r = pci_system_init();

	if (r)
		return nook_err_set(err, -r, "cannot enumerate PCI devices (libpciaccess): %s",
				    strerror(r));
	it = pci_slot_match_iterator_create(NULL);
	r = it ? 0 : nook_err_set(err, -ENOMEM, "out of memory listing PCI devices");
	while (it && (pd = pci_device_next(it))) {
		struct nook_pci_info *info = grow(list, n, cap);
		struct nook_pci_addr pa = {
			.domain = (uint16_t)pd->domain,
			.bus = pd->bus,
			.dev = pd->dev,
			.fn = pd->func,
		};
		const char *s;

		if (!info) {
			r = nook_err_set(err, -ENOMEM, "out of memory listing PCI devices");
			break;
		}
		nook_pci_addr_format(&pa, info->addr);
		info->vendor = pd->vendor_id;
		info->device = pd->device_id;
		info->subvendor = pd->subvendor_id;
		info->subdevice = pd->subdevice_id;
		info->class = pd->device_class & 0xffffff;
		s = pci_device_get_vendor_name(pd);
		snprintf(info->vendor_name, sizeof(info->vendor_name), "%s", s ? s : "");
		s = pci_device_get_device_name(pd);
		snprintf(info->device_name, sizeof(info->device_name), "%s", s ? s : "");
		read_sysfs_extras(NULL, info);
	}
	pci_iterator_destroy(it);
	pci_system_cleanup();
	return r;
}

int nook_pci_scan(const char *root, struct nook_pci_info **ret_list, size_t *ret_n,
		  struct nook_err *err)
{
	struct nook_pci_info *list = NULL;
	size_t n = 0, cap = 0;
	int r;

	if (root && *root)
		r = scan_sysfs(root, &list, &n, &cap, err);
	else
		r = scan_pciaccess(&list, &n, &cap, err);
	if (r < 0) {
		free(list);
		return r;
	}
	qsort(list, n, sizeof(*list), cmp_info);
	*ret_list = list;
	*ret_n = n;
	return 0;
}
