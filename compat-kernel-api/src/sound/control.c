// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mixer controls: kcontrols on their card's list, numbered as ALSA numbers them (numid
 * from 1, one per element of a control), found by id, renamed, removed. Access from
 * outside goes through the sound host API (host.c).
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/control.h>
#include <sound/core.h>

#include "sound.h"

struct snd_kcontrol *snd_ctl_new1(const struct snd_kcontrol_new *ncontrol, void *private_data)
{
	unsigned int count = ncontrol->count ? ncontrol->count : 1;
	unsigned int access = ncontrol->access ? ncontrol->access : SNDRV_CTL_ELEM_ACCESS_READWRITE;
	struct snd_kcontrol *kctl;

	kctl = kzalloc(struct_size(kctl, vd, count), GFP_KERNEL);
	if (!kctl)
		return NULL;
	kctl->id.iface = ncontrol->iface;
	kctl->id.device = ncontrol->device;
	kctl->id.subdevice = ncontrol->subdevice;
	kctl->id.index = ncontrol->index;
	if (ncontrol->name)
		strscpy((char *)kctl->id.name, ncontrol->name, sizeof(kctl->id.name));
	kctl->count = count;
	kctl->info = ncontrol->info;
	kctl->get = ncontrol->get;
	kctl->put = ncontrol->put;
	kctl->tlv.p = ncontrol->tlv.p;
	kctl->private_value = ncontrol->private_value;
	kctl->private_data = private_data;
	access &= SNDRV_CTL_ELEM_ACCESS_READWRITE | SNDRV_CTL_ELEM_ACCESS_VOLATILE |
		  SNDRV_CTL_ELEM_ACCESS_INACTIVE | SNDRV_CTL_ELEM_ACCESS_TLV_READWRITE |
		  SNDRV_CTL_ELEM_ACCESS_TLV_COMMAND | SNDRV_CTL_ELEM_ACCESS_TLV_CALLBACK |
		  SNDRV_CTL_ELEM_ACCESS_LOCK | SNDRV_CTL_ELEM_ACCESS_OWNER |
		  SNDRV_CTL_ELEM_ACCESS_LED_MASK;
	for (unsigned int i = 0; i < count; i++)
		kctl->vd[i].access = access;
	return kctl;
}

void snd_ctl_free_one(struct snd_kcontrol *kcontrol)
{
	if (!kcontrol)
		return;
	if (kcontrol->private_free)
		kcontrol->private_free(kcontrol);
	kfree(kcontrol);
}

static bool id_match(const struct snd_kcontrol *kctl, const struct snd_ctl_elem_id *id)
{
	return kctl->id.iface == id->iface && kctl->id.device == id->device &&
	       kctl->id.subdevice == id->subdevice &&
	       !strncmp((const char *)kctl->id.name, (const char *)id->name,
			sizeof(kctl->id.name)) &&
	       id->index >= kctl->id.index && id->index < kctl->id.index + kctl->count;
}

struct snd_kcontrol *snd_ctl_find_id(struct snd_card *card, const struct snd_ctl_elem_id *id)
{
	struct snd_kcontrol *kctl;

	if (id->numid)
		return snd_ctl_find_numid(card, id->numid);
	list_for_each_entry(kctl, &card->controls, list)
		if (id_match(kctl, id))
			return kctl;
	return NULL;
}

struct snd_kcontrol *snd_ctl_find_numid(struct snd_card *card, unsigned int numid)
{
	struct snd_kcontrol *kctl;

	list_for_each_entry(kctl, &card->controls, list)
		if (numid >= kctl->id.numid && numid < kctl->id.numid + kctl->count)
			return kctl;
	return NULL;
}

int snd_ctl_add(struct snd_card *card, struct snd_kcontrol *kcontrol)
{
	struct snd_ctl_elem_id id;
	int r = -EINVAL;

	if (!kcontrol)
		return -EINVAL;
	if (!card || !kcontrol->info)
		goto fail;
	id = kcontrol->id;
	id.numid = 0;
	r = -EBUSY;
	if (snd_ctl_find_id(card, &id)) {
		pr_err("ALSA: control %d:%d:%d:%s:%d is already present\n", id.iface, id.device,
		       id.subdevice, id.name, id.index);
		goto fail;
	}
	kcontrol->id.numid = card->last_numid + 1;
	card->last_numid += kcontrol->count;
	card->controls_count += kcontrol->count;
	list_add_tail(&kcontrol->list, &card->controls);
	return 0;
fail:
	snd_ctl_free_one(kcontrol);
	return r;
}

int snd_ctl_replace(struct snd_card *card, struct snd_kcontrol *kcontrol, bool add_on_replace)
{
	struct snd_kcontrol *old = snd_ctl_find_id(card, &kcontrol->id);

	if (old)
		snd_ctl_remove(card, old);
	else if (!add_on_replace) {
		snd_ctl_free_one(kcontrol);
		return -EINVAL;
	}
	return snd_ctl_add(card, kcontrol);
}

int snd_ctl_remove(struct snd_card *card, struct snd_kcontrol *kcontrol)
{
	if (!kcontrol)
		return -EINVAL;
	list_del(&kcontrol->list);
	card->controls_count -= kcontrol->count;
	snd_ctl_free_one(kcontrol);
	return 0;
}

int snd_ctl_remove_id(struct snd_card *card, struct snd_ctl_elem_id *id)
{
	struct snd_kcontrol *kctl = snd_ctl_find_id(card, id);

	return kctl ? snd_ctl_remove(card, kctl) : -ENOENT;
}

int snd_ctl_rename_id(struct snd_card *card, struct snd_ctl_elem_id *src_id,
		      struct snd_ctl_elem_id *dst_id)
{
	struct snd_kcontrol *kctl = snd_ctl_find_id(card, src_id);

	if (!kctl)
		return -ENOENT;
	kctl->id = *dst_id;
	kctl->id.numid = src_id->numid ? src_id->numid : kctl->id.numid;
	return 0;
}

void snd_ctl_rename(struct snd_card *card, struct snd_kcontrol *kctl, const char *name)
{
	strscpy((char *)kctl->id.name, name, sizeof(kctl->id.name));
}

int snd_ctl_activate_id(struct snd_card *card, struct snd_ctl_elem_id *id, int active)
{
	struct snd_kcontrol *kctl = snd_ctl_find_id(card, id);
	unsigned int ioff;

	if (!kctl)
		return -ENOENT;
	ioff = snd_ctl_get_ioff(kctl, id);
	if (active == !(kctl->vd[ioff].access & SNDRV_CTL_ELEM_ACCESS_INACTIVE))
		return 0;
	if (active)
		kctl->vd[ioff].access &= ~SNDRV_CTL_ELEM_ACCESS_INACTIVE;
	else
		kctl->vd[ioff].access |= SNDRV_CTL_ELEM_ACCESS_INACTIVE;
	return 1;
}

/* Change notifications go to clients that subscribed: nook's clients poll instead. */
void snd_ctl_notify(struct snd_card *card, unsigned int mask, struct snd_ctl_elem_id *id)
{
}

void snd_ctl_notify_one(struct snd_card *card, unsigned int mask, struct snd_kcontrol *kctl,
			unsigned int ioff)
{
}

int snd_ctl_boolean_mono_info(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo)
{
	uinfo->type = SNDRV_CTL_ELEM_TYPE_BOOLEAN;
	uinfo->count = 1;
	uinfo->value.integer.min = 0;
	uinfo->value.integer.max = 1;
	return 0;
}

int snd_ctl_boolean_stereo_info(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo)
{
	snd_ctl_boolean_mono_info(kcontrol, uinfo);
	uinfo->count = 2;
	return 0;
}

int snd_ctl_enum_info(struct snd_ctl_elem_info *info, unsigned int channels, unsigned int items,
		      const char *const names[])
{
	info->type = SNDRV_CTL_ELEM_TYPE_ENUMERATED;
	info->count = channels;
	info->value.enumerated.items = items;
	if (!items)
		return 0;
	if (info->value.enumerated.item >= items)
		info->value.enumerated.item = items - 1;
	strscpy(info->value.enumerated.name, names[info->value.enumerated.item],
		sizeof(info->value.enumerated.name));
	return 0;
}

unsigned int nook_snd_ctl_count(struct snd_card *card)
{
	return card->controls_count;
}

struct snd_kcontrol *nook_snd_ctl_nth(struct snd_card *card, unsigned int n, unsigned int *ret_ioff)
{
	struct snd_kcontrol *kctl;

	list_for_each_entry(kctl, &card->controls, list) {
		if (n < kctl->count) {
			*ret_ioff = n;
			return kctl;
		}
		n -= kctl->count;
	}
	return NULL;
}

void nook_snd_ctl_free_all(struct snd_card *card)
{
	while (!list_empty(&card->controls))
		snd_ctl_remove(card, list_first_entry(&card->controls, struct snd_kcontrol, list));
}
