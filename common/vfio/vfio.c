// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO container, group and device (see vfio.h). Linux's Documentation/driver-api/vfio.rst
 * describes the sequence: container, API version and IOMMU type checks, group viability,
 * attach the group, set the IOMMU, then ask the group for the device fd.
 */
#include "vfio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/base/sysfs.h"

static int vfio_read_regions(struct nook_vfio_dev *dev, struct nook_err *err)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	if (ioctl(dev->device_fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		return nook_err_set(err, -errno, "%s: VFIO_DEVICE_GET_INFO failed: %s", dev->addr,
				    strerror(errno));
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI))
		return nook_err_set(err, -ENODEV, "%s: VFIO says this is not a PCI device",
				    dev->addr);
	dev->flags = info.flags;
	dev->num_regions = info.num_regions;
	dev->num_irqs = info.num_irqs;
	for (unsigned int i = 0; i < VFIO_PCI_NUM_REGIONS && i < info.num_regions; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		/* VGA and absent BARs answer EINVAL: they stay at size 0. */
		if (ioctl(dev->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0)
			continue;
		dev->regions[i] = (struct nook_vfio_region){ .flags = ri.flags,
							     .size = ri.size,
							     .offset = ri.offset };
	}
	return 0;
}

static struct nook_vfio_dev *vfio_dev_new(const char *addr)
{
	struct nook_vfio_dev *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	snprintf(dev->addr, sizeof(dev->addr), "%s", addr);
	dev->group = -1;
	dev->container_fd = dev->group_fd = dev->device_fd = -1;
	dev->irq_index = -1;
	return dev;
}

/* Open the container and check what nook needs of it; sets dev->container_fd. */
static int vfio_open_container(struct nook_vfio_dev *dev, const char *root, struct nook_err *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/dev/vfio/vfio", root);
	dev->container_fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->container_fd < 0)
		return nook_err_set(err, -errno, "%s: cannot open %s: %s%s", dev->addr, path,
				    strerror(errno),
				    errno == EACCES ? " (run as root or get access to it)" : "");
	if (ioctl(dev->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return nook_err_set(err, -EPROTONOSUPPORT,
				    "%s: the kernel's VFIO API version is not %d", dev->addr,
				    VFIO_API_VERSION);
	if (ioctl(dev->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0 &&
	    ioctl(dev->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0)
		return nook_err_set(err, -EPROTONOSUPPORT,
				    "%s: VFIO has no type1 IOMMU backend: modprobe "
				    "vfio_iommu_type1",
				    dev->addr);
	return 0;
}

static int vfio_open_group(struct nook_vfio_dev *dev, const char *root, struct nook_err *err)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];
	int type;

	snprintf(path, sizeof(path), "%s/dev/vfio/%d", root, dev->group);
	dev->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->group_fd < 0) {
		int r = -errno;

		if (r == -EBUSY)
			return nook_err_set(err, r,
					    "%s: IOMMU group %d is in use by another "
					    "process (another nook driver, or a VM?)",
					    dev->addr, dev->group);
		return nook_err_set(err, r, "%s: cannot open %s: %s", dev->addr, path,
				    strerror(-r));
	}
	if (ioctl(dev->group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		return nook_err_set(err, -errno, "%s: VFIO_GROUP_GET_STATUS failed: %s", dev->addr,
				    strerror(errno));
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return nook_err_set(err, -EBUSY,
				    "%s: IOMMU group %d is not viable: bind every "
				    "device in /sys/kernel/iommu_groups/%d/devices to vfio-pci",
				    dev->addr, dev->group, dev->group);
	if (ioctl(dev->group_fd, VFIO_GROUP_SET_CONTAINER, &dev->container_fd) < 0)
		return nook_err_set(err, -errno,
				    "%s: cannot attach IOMMU group %d to a container: "
				    "%s",
				    dev->addr, dev->group, strerror(errno));
	type = ioctl(dev->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0 ?
		       VFIO_TYPE1v2_IOMMU :
		       VFIO_TYPE1_IOMMU;
	if (ioctl(dev->container_fd, VFIO_SET_IOMMU, type) < 0)
		return nook_err_set(err, -errno, "%s: cannot set the container's IOMMU: %s",
				    dev->addr, strerror(errno));
	return 0;
}

int nook_vfio_open(const char *root, const char *addr, struct nook_vfio_dev **ret_dev,
		   struct nook_err *err)
{
	struct nook_pci_addr pa;
	struct nook_vfio_dev *dev;
	char canon[NOOK_PCI_ADDR_LEN];
	int r;

	root = root ? root : "";
	if (nook_pci_addr_parse(addr, &pa) < 0)
		return nook_err_set(err, -EINVAL,
				    "'%s' is not a PCI address (expected the form "
				    "0000:00:04.0)",
				    addr);
	nook_pci_addr_format(&pa, canon);
	dev = vfio_dev_new(canon);
	if (!dev)
		return nook_err_set(err, -ENOMEM, "%s: out of memory", canon);

	r = nook_sysfs_vfio_check(root, canon, &dev->group, err);
	if (r < 0)
		goto fail;
	r = vfio_open_container(dev, root, err);
	if (r < 0)
		goto fail;
	r = vfio_open_group(dev, root, err);
	if (r < 0)
		goto fail;
	dev->device_fd = ioctl(dev->group_fd, VFIO_GROUP_GET_DEVICE_FD, canon);
	if (dev->device_fd < 0) {
		r = nook_err_set(err, -errno, "%s: VFIO will not hand out the device: %s", canon,
				 strerror(errno));
		goto fail;
	}
	r = vfio_read_regions(dev, err);
	if (r < 0)
		goto fail;
	*ret_dev = dev;
	return 0;
fail:
	nook_vfio_close(dev);
	return r;
}

int nook_vfio_adopt(int container_fd, int group_fd, int device_fd, const char *addr,
		    struct nook_vfio_dev **ret_dev, struct nook_err *err)
{
	struct nook_vfio_dev *dev = vfio_dev_new(addr);
	int r;

	if (!dev)
		return nook_err_set(err, -ENOMEM, "%s: out of memory", addr);
	dev->container_fd = container_fd;
	dev->group_fd = group_fd;
	dev->device_fd = device_fd;
	r = vfio_read_regions(dev, err);
	if (r < 0) {
		nook_vfio_close(dev);
		return r;
	}
	*ret_dev = dev;
	return 0;
}

void nook_vfio_close(struct nook_vfio_dev *dev)
{
	if (!dev)
		return;
	nook_vfio_irq_disable(dev);
	for (unsigned int i = 0; i < VFIO_PCI_NUM_REGIONS; i++)
		if (dev->regions[i].map)
			munmap(dev->regions[i].map, dev->regions[i].size);
	if (dev->device_fd >= 0)
		close(dev->device_fd);
	if (dev->group_fd >= 0)
		close(dev->group_fd);
	if (dev->container_fd >= 0)
		close(dev->container_fd);
	free(dev);
}

int nook_vfio_map_bar(struct nook_vfio_dev *dev, unsigned int bar, void **ret_map,
		      struct nook_err *err)
{
	struct nook_vfio_region *rg;
	void *p;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX)
		return nook_err_set(err, -EINVAL, "%s: there is no BAR %u", dev->addr, bar);
	rg = &dev->regions[bar];
	if (rg->map) {
		*ret_map = rg->map;
		return 0;
	}
	if (!rg->size)
		return nook_err_set(err, -ENOENT, "%s: BAR %u is not implemented", dev->addr, bar);
	if (!(rg->flags & VFIO_REGION_INFO_FLAG_MMAP))
		return nook_err_set(err, -ENOTSUP,
				    "%s: BAR %u cannot be mmapped (an I/O-port "
				    "BAR?); use region reads and writes",
				    dev->addr, bar);
	p = mmap(NULL, rg->size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->device_fd,
		 (off_t)rg->offset);
	if (p == MAP_FAILED)
		return nook_err_set(err, -errno, "%s: cannot mmap BAR %u: %s", dev->addr, bar,
				    strerror(errno));
	rg->map = p;
	*ret_map = p;
	return 0;
}

static int region_check(struct nook_vfio_dev *dev, unsigned int index, uint64_t off,
			unsigned int width)
{
	if (index >= VFIO_PCI_NUM_REGIONS || !dev->regions[index].size)
		return -ENOENT;
	if ((width != 1 && width != 2 && width != 4 && width != 8) || off % width)
		return -EINVAL;
	if (off >= dev->regions[index].size || dev->regions[index].size - off < width)
		return -ERANGE;
	return 0;
}

int nook_vfio_region_read(struct nook_vfio_dev *dev, unsigned int index, uint64_t off,
			  unsigned int width, uint64_t *ret_value)
{
	uint64_t v = 0;
	ssize_t n;
	int r = region_check(dev, index, off, width);

	if (r < 0)
		return r;
	/* Little-endian host: the low bytes of v are the register. */
	n = pread(dev->device_fd, &v, width, (off_t)(dev->regions[index].offset + off));
	if (n != (ssize_t)width)
		return n < 0 ? -errno : -EIO;
	*ret_value = v;
	return 0;
}

int nook_vfio_region_write(struct nook_vfio_dev *dev, unsigned int index, uint64_t off,
			   unsigned int width, uint64_t value)
{
	ssize_t n;
	int r = region_check(dev, index, off, width);

	if (r < 0)
		return r;
	n = pwrite(dev->device_fd, &value, width, (off_t)(dev->regions[index].offset + off));
	if (n != (ssize_t)width)
		return n < 0 ? -errno : -EIO;
	return 0;
}

int nook_vfio_config_read(struct nook_vfio_dev *dev, uint64_t off, unsigned int width,
			  uint32_t *ret_value)
{
	uint64_t v;
	int r;

	if (width > 4)
		return -EINVAL;
	r = nook_vfio_region_read(dev, VFIO_PCI_CONFIG_REGION_INDEX, off, width, &v);
	if (r == 0)
		*ret_value = (uint32_t)v;
	return r;
}

int nook_vfio_config_write(struct nook_vfio_dev *dev, uint64_t off, unsigned int width,
			   uint32_t value)
{
	if (width > 4)
		return -EINVAL;
	return nook_vfio_region_write(dev, VFIO_PCI_CONFIG_REGION_INDEX, off, width, value);
}
