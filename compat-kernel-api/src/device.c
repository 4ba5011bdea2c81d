// SPDX-License-Identifier: GPL-2.0-only
/* Devices besides the PCI device: reference counts, names and release (see device.h). */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sprintf.h>
#include <linux/string.h>

void device_initialize(struct device *dev)
{
	dev->nook_refs = 1;
}

int device_add(struct device *dev)
{
	return 0;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

void device_del(struct device *dev)
{
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

struct device *get_device(struct device *dev)
{
	if (dev)
		dev->nook_refs++;
	return dev;
}

void put_device(struct device *dev)
{
	if (!dev || --dev->nook_refs > 0)
		return;
	if (dev->release)
		dev->release(dev);
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->nook_name, sizeof(dev->nook_name), fmt, ap);
	va_end(ap);
	dev->init_name = NULL;
	return 0;
}
