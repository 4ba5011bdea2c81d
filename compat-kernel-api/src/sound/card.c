// SPDX-License-Identifier: GPL-2.0-only
/*
 * ALSA cards and their devices. A driver process holds at most one card: the one its
 * driver creates for the process's PCI device. Devices register in the order ALSA's core
 * gives them (by type, then creation) and are freed in reverse.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/control.h>
#include <sound/core.h>
#include <sound/pcm.h>

#include "sound.h"

static struct snd_card *the_card;

struct snd_card *nook_snd_the_card(void)
{
	return the_card;
}

static void default_id(struct snd_card *card, const char *xid)
{
	strscpy(card->id, xid && *xid ? xid : "nook", sizeof(card->id));
}

static int card_init(struct device *parent, int idx, const char *xid, size_t extra_size,
		     struct snd_card *card)
{
	if (the_card)
		return -EBUSY;
	card->number = idx < 0 ? 0 : idx;
	card->dev = parent;
	default_id(card, xid);
	INIT_LIST_HEAD(&card->devices);
	INIT_LIST_HEAD(&card->controls);
	INIT_LIST_HEAD(&card->nook_pcms);
	card->power_state = SNDRV_CTL_POWER_D0;
	if (extra_size)
		card->private_data = (char *)card + ALIGN(sizeof(*card), sizeof(long));
	the_card = card;
	return 0;
}

int snd_card_new(struct device *parent, int idx, const char *xid, struct module *module,
		 int extra_size, struct snd_card **card_ret)
{
	struct snd_card *card;
	int r;

	if (extra_size < 0)
		extra_size = 0;
	card = kzalloc(ALIGN(sizeof(*card), sizeof(long)) + extra_size, GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	r = card_init(parent, idx, xid, extra_size, card);
	if (r) {
		kfree(card);
		return r;
	}
	*card_ret = card;
	return 0;
}

static void card_release(void *data)
{
	struct snd_card *card = data;

	card->managed = false; /* freeing through devres: no second release */
	snd_card_free(card);
}

int snd_devm_card_new(struct device *parent, int idx, const char *xid, struct module *module,
		      size_t extra_size, struct snd_card **card_ret)
{
	struct snd_card *card;
	int r;

	r = snd_card_new(parent, idx, xid, module, (int)extra_size, &card);
	if (r)
		return r;
	card->managed = true;
	r = devm_add_action(parent, card_release, card);
	if (r) {
		card->managed = false;
		snd_card_free(card);
		return r;
	}
	*card_ret = card;
	return 0;
}

int snd_card_free_on_error(struct device *dev, int ret)
{
	struct snd_card *card;

	if (!ret)
		return 0;
	card = dev_get_drvdata(dev);
	if (card && card == the_card && !card->managed)
		snd_card_free(card);
	/* A managed card goes with the device's other managed resources (devres). */
	return ret;
}

int snd_component_add(struct snd_card *card, const char *component)
{
	size_t len = strlen(card->components);

	if (strstr(card->components, component))
		return 1;
	if (len + strlen(component) + 2 > sizeof(card->components))
		return -ENOMEM;
	if (len)
		card->components[len++] = ' ';
	strcpy(card->components + len, component);
	return 0;
}

void snd_card_set_id(struct snd_card *card, const char *id)
{
	default_id(card, id);
}

/* --- devices */

int snd_device_new(struct snd_card *card, enum snd_device_type type, void *device_data,
		   const struct snd_device_ops *ops)
{
	struct snd_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	struct snd_device *pos;

	if (!dev)
		return -ENOMEM;
	dev->card = card;
	dev->type = type;
	dev->state = SNDRV_DEV_BUILD;
	dev->device_data = device_data;
	dev->ops = ops;
	/* Sorted by type, creation order within one type. */
	list_for_each_entry_reverse(pos, &card->devices, list) if (pos->type <= type) break;
	list_add(&dev->list, &pos->list);
	return 0;
}

static struct snd_device *find_device(struct snd_card *card, void *device_data)
{
	struct snd_device *dev;

	list_for_each_entry(dev, &card->devices, list)
		if (dev->device_data == device_data)
			return dev;
	return NULL;
}

static int register_one(struct snd_device *dev)
{
	int r = 0;

	if (dev->state != SNDRV_DEV_BUILD)
		return 0;
	if (dev->ops->dev_register)
		r = dev->ops->dev_register(dev);
	if (!r)
		dev->state = SNDRV_DEV_REGISTERED;
	return r;
}

int snd_device_register(struct snd_card *card, void *device_data)
{
	struct snd_device *dev = find_device(card, device_data);

	return dev ? register_one(dev) : -ENXIO;
}

static void disconnect_one(struct snd_device *dev)
{
	if (dev->state == SNDRV_DEV_REGISTERED && dev->ops->dev_disconnect)
		dev->ops->dev_disconnect(dev);
	dev->state = SNDRV_DEV_DISCONNECTED;
}

static void free_one(struct snd_device *dev)
{
	list_del(&dev->list);
	disconnect_one(dev);
	if (dev->ops->dev_free)
		dev->ops->dev_free(dev);
	kfree(dev);
}

void snd_device_disconnect(struct snd_card *card, void *device_data)
{
	struct snd_device *dev = find_device(card, device_data);

	if (dev)
		disconnect_one(dev);
}

void snd_device_free(struct snd_card *card, void *device_data)
{
	struct snd_device *dev = find_device(card, device_data);

	if (dev)
		free_one(dev);
}

int snd_card_register(struct snd_card *card)
{
	struct snd_device *dev;
	int r;

	list_for_each_entry(dev, &card->devices, list) {
		r = register_one(dev);
		if (r)
			return r;
	}
	if (!card->id[0] || !strcmp(card->id, "nook"))
		strscpy(card->id, card->shortname[0] ? card->shortname : card->driver,
			sizeof(card->id));
	card->registered = true;
	nook_snd_card_registered(card);
	return 0;
}

int snd_card_disconnect(struct snd_card *card)
{
	struct snd_device *dev;

	if (card->shutdown)
		return 0;
	card->shutdown = 1;
	list_for_each_entry_reverse(dev, &card->devices, list) disconnect_one(dev);
	nook_snd_card_gone(card);
	return 0;
}

int snd_card_free(struct snd_card *card)
{
	if (card->releasing)
		return 0;
	card->releasing = true;
	snd_card_disconnect(card);
	while (!list_empty(&card->devices))
		free_one(list_last_entry(&card->devices, struct snd_device, list));
	nook_snd_ctl_free_all(card);
	if (card->private_free)
		card->private_free(card);
	if (the_card == card)
		the_card = NULL;
	kfree(card);
	return 0;
}

void snd_card_free_when_closed(struct snd_card *card)
{
	snd_card_free(card);
}

/* --- PCI quirk tables */

const struct snd_pci_quirk *snd_pci_quirk_lookup_id(u16 vendor, u16 device,
						    const struct snd_pci_quirk *q)
{
	for (; q->subvendor || q->subdevice; q++) {
		if (q->subvendor != vendor)
			continue;
		if (!q->subdevice_mask || (device & q->subdevice_mask) == q->subdevice)
			return q;
	}
	return NULL;
}

const struct snd_pci_quirk *snd_pci_quirk_lookup(struct pci_dev *pci,
						 const struct snd_pci_quirk *list)
{
	return snd_pci_quirk_lookup_id(pci->subsystem_vendor, pci->subsystem_device, list);
}
