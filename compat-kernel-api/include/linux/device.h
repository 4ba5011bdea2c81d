/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_DEVICE_H
#define NOOK_LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/dev_printk.h>

struct device;
struct dev_pm_ops {
	int (*suspend)(struct device *dev);
	int (*resume)(struct device *dev);
	int (*freeze)(struct device *dev);
	int (*thaw)(struct device *dev);
	int (*poweroff)(struct device *dev);
	int (*restore)(struct device *dev);
	int (*runtime_suspend)(struct device *dev);
	int (*runtime_resume)(struct device *dev);
	int (*runtime_idle)(struct device *dev);
};
#define SET_SYSTEM_SLEEP_PM_OPS(s, r) \
	.suspend = (s), .resume = (r), .freeze = (s), .thaw = (r), .poweroff = (s), .restore = (r),
#define SET_RUNTIME_PM_OPS(s, r, i) \
	.runtime_suspend = (s), .runtime_resume = (r), .runtime_idle = (i),
#define SIMPLE_DEV_PM_OPS(name, s, r) \
	const struct dev_pm_ops name = { SET_SYSTEM_SLEEP_PM_OPS(s, r) }
#define DEFINE_SIMPLE_DEV_PM_OPS SIMPLE_DEV_PM_OPS
#define pm_sleep_ptr(p) (p)
#define pm_ptr(p) (p)

struct device_driver {
	const char *name;
	const struct dev_pm_ops *pm;
};

struct bus_type {
	const char *name;
	const char *dev_name;
	int (*match)(struct device *dev, struct device_driver *drv);
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
};

struct device {
	struct device *parent;
	struct bus_type *bus;
	void (*release)(struct device *dev);
	void *platform_data;
	int nook_refs;
	const char *init_name;
	char nook_name[32];
	void *driver_data;
	struct device_driver *driver;
	u64 *dma_mask;
	u64 coherent_dma_mask;
	bool nook_can_wakeup;
	bool nook_wakeup_enabled;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->init_name ? dev->init_name : dev->nook_name;
}
static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}
static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}
#define device_can_wakeup(dev) ((dev)->nook_can_wakeup)
#define device_may_wakeup(dev) ((dev)->nook_can_wakeup && (dev)->nook_wakeup_enabled)
static inline int device_set_wakeup_enable(struct device *dev, bool enable)
{
	dev->nook_wakeup_enabled = enable;
	return 0;
}
static inline void device_set_wakeup_capable(struct device *dev, bool capable)
{
	dev->nook_can_wakeup = capable;
}
static inline int device_init_wakeup(struct device *dev, bool enable)
{
	dev->nook_can_wakeup = enable;
	dev->nook_wakeup_enabled = enable;
	return 0;
}
#define dev_to_node(dev) 0

/*
 * Devices beyond the PCI device (a codec on its bus, ...): counted references, released
 * through their release() when the last goes. nook has no sysfs: registering a device
 * only takes its reference; there is no driver core to bind it.
 */
void device_initialize(struct device *dev);
int device_add(struct device *dev);
int device_register(struct device *dev);
void device_del(struct device *dev);
void device_unregister(struct device *dev);
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
int dev_set_name(struct device *dev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);
#define devm_kzalloc(dev, size, gfp) devm_kmalloc((dev), (size), (gfp) | __GFP_ZERO)
#define devm_kcalloc(dev, n, size, gfp) \
	devm_kmalloc((dev), size_mul((n), (size)), (gfp) | __GFP_ZERO)
void devm_kfree(struct device *dev, const void *p);
int devm_add_action(struct device *dev, void (*action)(void *data), void *data);
int devm_add_action_or_reset(struct device *dev, void (*action)(void *data), void *data);
void devm_remove_action(struct device *dev, void (*action)(void *data), void *data);
void devm_release_action(struct device *dev, void (*action)(void *data), void *data);
/* nook: run @dev's managed actions, newest first (after remove(), or a failed probe()). */
void nook_devres_release_all(struct device *dev);

#endif
