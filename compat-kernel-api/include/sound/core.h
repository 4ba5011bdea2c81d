/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA's card and device core, as a nook driver process presents it: one card per process,
 * its devices (PCMs, codecs, MIDI ports, ...) kept in a list and registered in order; the
 * card is reached from outside through the sound shim, not through /dev/snd.
 */
#ifndef NOOK_SOUND_CORE_H
#define NOOK_SOUND_CORE_H

#include <nook/noop.h>

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <sound/asound.h>

#define SNDRV_CARDS 8
#define SNDRV_OS_MINORS 256
#define CONFIG_SND_MAX_CARDS SNDRV_CARDS

struct snd_card;
struct snd_info_entry;
struct module;

enum snd_device_type {
	SNDRV_DEV_LOWLEVEL,
	SNDRV_DEV_INFO,
	SNDRV_DEV_BUS,
	SNDRV_DEV_CODEC,
	SNDRV_DEV_PCM,
	SNDRV_DEV_COMPRESS,
	SNDRV_DEV_RAWMIDI,
	SNDRV_DEV_TIMER,
	SNDRV_DEV_SEQUENCER,
	SNDRV_DEV_HWDEP,
	SNDRV_DEV_JACK,
	SNDRV_DEV_CONTROL,
};

enum snd_device_state {
	SNDRV_DEV_BUILD,
	SNDRV_DEV_REGISTERED,
	SNDRV_DEV_DISCONNECTED,
};

struct snd_device;
struct snd_device_ops {
	int (*dev_free)(struct snd_device *dev);
	int (*dev_register)(struct snd_device *dev);
	int (*dev_disconnect)(struct snd_device *dev);
};

struct snd_device {
	struct list_head list;
	struct snd_card *card;
	enum snd_device_state state;
	enum snd_device_type type;
	void *device_data;
	const struct snd_device_ops *ops;
};

#define snd_device(n) list_entry(n, struct snd_device, list)

struct snd_card {
	int number;
	char id[16];
	char driver[16];
	char shortname[32];
	char longname[80];
	char irq_descr[32];
	char mixername[80];
	char components[128];
	struct module *module;
	void *private_data;
	void (*private_free)(struct snd_card *card);
	struct list_head devices;
	unsigned int last_numid;
	int controls_count;
	struct list_head controls;
	struct snd_info_entry *proc_root;
	int shutdown;
	struct device *dev;
	struct device card_dev;
	bool registered;
	bool managed;
	bool releasing;
	int sync_irq;
	unsigned int power_state;
	/* nook: the card's PCMs, in creation order (sound shim). */
	struct list_head nook_pcms;
};

#define dev_to_snd_card(p) container_of(p, struct snd_card, card_dev)

static inline unsigned int snd_power_get_state(struct snd_card *card)
{
	return card->power_state;
}
static inline void snd_power_change_state(struct snd_card *card, unsigned int state)
{
	card->power_state = state;
}
static inline int snd_power_wait(struct snd_card *card)
{
	return 0;
}
static inline void snd_power_ref(struct snd_card *card)
{
}
static inline void snd_power_unref(struct snd_card *card)
{
}

int snd_card_new(struct device *parent, int idx, const char *xid, struct module *module,
		 int extra_size, struct snd_card **card_ret);
int snd_devm_card_new(struct device *parent, int idx, const char *xid, struct module *module,
		      size_t extra_size, struct snd_card **card_ret);
int snd_card_register(struct snd_card *card);
int snd_card_free(struct snd_card *card);
void snd_card_free_when_closed(struct snd_card *card);
int snd_card_free_on_error(struct device *dev, int ret);
int snd_card_disconnect(struct snd_card *card);
void snd_card_set_id(struct snd_card *card, const char *id);
int snd_component_add(struct snd_card *card, const char *component);
#define snd_card_set_dev(card, devptr) ((card)->dev = (devptr))

int snd_device_new(struct snd_card *card, enum snd_device_type type, void *device_data,
		   const struct snd_device_ops *ops);
int snd_device_register(struct snd_card *card, void *device_data);
void snd_device_disconnect(struct snd_card *card, void *device_data);
void snd_device_free(struct snd_card *card, void *device_data);

/* nook: the process's card (the one its driver created), or NULL. */
struct snd_card *nook_snd_the_card(void);

#define snd_printk(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define snd_printd(fmt, ...) pr_debug(fmt, ##__VA_ARGS__)
#define snd_printdd(fmt, ...) \
	NOOK_NOOP("debug messages, as a kernel built without CONFIG_SND_DEBUG_VERBOSE")
#define snd_BUG() WARN_ON(1)
#define snd_BUG_ON(cond) WARN_ON((cond))

/* PCI quirk tables: subsystem vendor/device (and mask) to a value. */
struct snd_pci_quirk {
	unsigned short subvendor;
	unsigned short subdevice;
	unsigned short subdevice_mask;
	int value;
	const char *name;
};

#define _SND_PCI_QUIRK_ID_MASK(vend, mask, dev) \
	.subvendor = (vend), .subdevice = (dev), .subdevice_mask = (mask)
#define _SND_PCI_QUIRK_ID(vend, dev) _SND_PCI_QUIRK_ID_MASK(vend, 0xffff, dev)
#define SND_PCI_QUIRK_ID(vend, dev)          \
	{                                    \
		_SND_PCI_QUIRK_ID(vend, dev) \
	}
#define SND_PCI_QUIRK(vend, dev, xname, val)                                  \
	{                                                                     \
		_SND_PCI_QUIRK_ID(vend, dev), .value = (val), .name = (xname) \
	}
#define SND_PCI_QUIRK_VENDOR(vend, xname, val)                                      \
	{                                                                           \
		_SND_PCI_QUIRK_ID_MASK(vend, 0, 0), .value = (val), .name = (xname) \
	}
#define SND_PCI_QUIRK_MASK(vend, mask, dev, xname, val)                                  \
	{                                                                                \
		_SND_PCI_QUIRK_ID_MASK(vend, mask, dev), .value = (val), .name = (xname) \
	}
#define snd_pci_quirk_name(q) ((q)->name)

const struct snd_pci_quirk *snd_pci_quirk_lookup(struct pci_dev *pci,
						 const struct snd_pci_quirk *list);
const struct snd_pci_quirk *snd_pci_quirk_lookup_id(u16 vendor, u16 device,
						    const struct snd_pci_quirk *list);

#endif
