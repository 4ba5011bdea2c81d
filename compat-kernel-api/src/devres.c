// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-managed resources: actions a driver (or the core on its behalf) ties to its device,
 * run in reverse order when the driver lets go of it: after remove(), or when probe() fails.
 * Managed memory (devm_kmalloc) lives with the process and is not tracked here.
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/slab.h>

struct devres_action {
	struct list_head node;
	struct device *dev;
	void (*fn)(void *data);
	void *data;
};

static LIST_HEAD(actions);

int devm_add_action(struct device *dev, void (*fn)(void *data), void *data)
{
	struct devres_action *a = kzalloc(sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	a->dev = dev;
	a->fn = fn;
	a->data = data;
	list_add(&a->node, &actions);
	return 0;
}

int devm_add_action_or_reset(struct device *dev, void (*fn)(void *data), void *data)
{
	int r = devm_add_action(dev, fn, data);

	if (r)
		fn(data);
	return r;
}

void devm_remove_action(struct device *dev, void (*fn)(void *data), void *data)
{
	struct devres_action *a, *tmp;

	list_for_each_entry_safe(a, tmp, &actions, node) {
		if (a->dev == dev && a->fn == fn && a->data == data) {
			list_del(&a->node);
			kfree(a);
			return;
		}
	}
}

void devm_release_action(struct device *dev, void (*fn)(void *data), void *data)
{
	devm_remove_action(dev, fn, data);
	fn(data);
}

/* Newest first, as Linux's devres_release_all. */
void nook_devres_release_all(struct device *dev)
{
	struct devres_action *a;

	while (!list_empty(&actions)) {
		a = NULL;
		list_for_each_entry(a, &actions, node)
			if (a->dev == dev)
				break;
		if (!a || &a->node == &actions)
			return;
		list_del(&a->node);
		a->fn(a->data);
		kfree(a);
	}
}

struct devm_irq {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *data)
{
	struct devm_irq *d = data;

	free_irq(d->irq, d->dev_id);
	kfree(d);
}

int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
		     unsigned long flags, const char *name, void *dev_id)
{
	struct devm_irq *d = kzalloc(sizeof(*d), GFP_KERNEL);
	int r;

	if (!d)
		return -ENOMEM;
	r = request_irq(irq, handler, flags, name, dev_id);
	if (r) {
		kfree(d);
		return r;
	}
	d->irq = irq;
	d->dev_id = dev_id;
	return devm_add_action_or_reset(dev, devm_irq_release, d);
}

static void pcim_disable(void *data)
{
	pci_disable_device(data);
}

int pcim_enable_device(struct pci_dev *pdev)
{
	int r = pci_enable_device(pdev);

	return r ? r : devm_add_action_or_reset(&pdev->dev, pcim_disable, pdev);
}

void __iomem *pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen)
{
	/* Mappings are the driver process's BAR windows: nothing to undo per mapping. */
	return pci_iomap(pdev, bar, maxlen);
}
