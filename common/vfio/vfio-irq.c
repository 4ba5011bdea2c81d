// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts and reset of a VFIO device (see vfio.h). VFIO_DEVICE_SET_IRQS with
 * DATA_EVENTFD|ACTION_TRIGGER makes each vector signal an eventfd; for INTx, VFIO masks the
 * line when it fires and ACTION_UNMASK lets it fire again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vfio.h"

static const char *irq_name(unsigned int index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return "INTx";
	case VFIO_PCI_MSI_IRQ_INDEX:
		return "MSI";
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return "MSI-X";
	default:
		return "interrupt";
	}
}

int nook_vfio_irq_count(struct nook_vfio_dev *dev, unsigned int index, uint32_t *ret_count,
			uint32_t *ret_flags)
{
	struct vfio_irq_info info = { .argsz = sizeof(info), .index = index };

	if (index >= dev->num_irqs)
		return -ENOENT;
	if (ioctl(dev->device_fd, VFIO_DEVICE_GET_IRQ_INFO, &info) < 0)
		return -errno;
	*ret_count = info.count;
	if (ret_flags)
		*ret_flags = info.flags;
	return 0;
}

/* SET_IRQS for @count vectors of @index with @fds (NULL: DATA_NONE), @action. */
static int set_irqs(struct nook_vfio_dev *dev, unsigned int index, unsigned int count,
		    const int *fds, uint32_t action)
{
	size_t sz = sizeof(struct vfio_irq_set) + (fds ? count * sizeof(int32_t) : 0);
	struct vfio_irq_set *set = calloc(1, sz);
	int r = 0;

	if (!set)
		return -ENOMEM;
	set->argsz = (uint32_t)sz;
	set->flags = (fds ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) | action;
	set->index = index;
	set->start = 0;
	set->count = count;
	if (fds)
		memcpy(set->data, fds, count * sizeof(int32_t));
	if (ioctl(dev->device_fd, VFIO_DEVICE_SET_IRQS, set) < 0)
		r = -errno;
	free(set);
	return r;
}

int nook_vfio_irq_enable(struct nook_vfio_dev *dev, unsigned int index, unsigned int count,
			 const int **ret_fds, struct nook_err *err)
{
	uint32_t avail = 0;
	int *fds, r;

	if (dev->irq_index >= 0)
		return nook_err_set(err, -EBUSY, "%s: %s is enabled already; disable it first",
				    dev->addr, irq_name((unsigned int)dev->irq_index));
	r = nook_vfio_irq_count(dev, index, &avail, NULL);
	if (r < 0 || count == 0 || count > avail)
		return nook_err_set(err, r < 0 ? r : -EINVAL,
				    "%s: the device has %u %s "
				    "vector(s), %u asked for",
				    dev->addr, r < 0 ? 0 : avail, irq_name(index), count);
	fds = calloc(count, sizeof(*fds));
	if (!fds)
		return nook_err_set(err, -ENOMEM, "%s: out of memory", dev->addr);
	for (unsigned int i = 0; i < count; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fds[i] < 0) {
			r = nook_err_set(err, -errno, "%s: cannot create an eventfd: %s", dev->addr,
					 strerror(errno));
			count = i;
			goto fail;
		}
	}
	r = set_irqs(dev, index, count, fds, VFIO_IRQ_SET_ACTION_TRIGGER);
	if (r < 0) {
		nook_err_set(err, r, "%s: cannot route %s to eventfds: %s", dev->addr,
			     irq_name(index), strerror(-r));
		goto fail;
	}
	dev->irq_index = (int)index;
	dev->irq_count = count;
	dev->irq_fds = fds;
	*ret_fds = fds;
	return 0;
fail:
	for (unsigned int i = 0; i < count; i++)
		close(fds[i]);
	free(fds);
	return r;
}

int nook_vfio_irq_disable(struct nook_vfio_dev *dev)
{
	int r;

	if (dev->irq_index < 0)
		return 0;
	r = set_irqs(dev, (unsigned int)dev->irq_index, 0, NULL, VFIO_IRQ_SET_ACTION_TRIGGER);
	for (unsigned int i = 0; i < dev->irq_count; i++)
		close(dev->irq_fds[i]);
	free(dev->irq_fds);
	dev->irq_fds = NULL;
	dev->irq_count = 0;
	dev->irq_index = -1;
	return r;
}

int nook_vfio_irq_unmask(struct nook_vfio_dev *dev)
{
	if (dev->irq_index != VFIO_PCI_INTX_IRQ_INDEX)
		return -EINVAL;
	return set_irqs(dev, VFIO_PCI_INTX_IRQ_INDEX, 1, NULL, VFIO_IRQ_SET_ACTION_UNMASK);
}

int nook_vfio_reset(struct nook_vfio_dev *dev, struct nook_err *err)
{
	if (!(dev->flags & VFIO_DEVICE_FLAGS_RESET))
		return nook_err_set(err, -ENOTTY,
				    "%s: VFIO cannot reset this device (it has no "
				    "function-level, power-management or bus reset)",
				    dev->addr);
	if (ioctl(dev->device_fd, VFIO_DEVICE_RESET) < 0)
		return nook_err_set(err, -errno, "%s: reset failed: %s", dev->addr,
				    strerror(errno));
	return 0;
}
