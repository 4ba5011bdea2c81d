/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA mixer controls: a card's list of kcontrols, each with info/get/put callbacks and an
 * optional TLV. The sound shim lists, reads and writes them for nook's control plugin.
 */
#ifndef NOOK_SOUND_CONTROL_H
#define NOOK_SOUND_CONTROL_H

#include <linux/list.h>
#include <linux/wait.h>
#include <sound/asound.h>

struct snd_card;

#define snd_kcontrol_chip(kcontrol) ((kcontrol)->private_data)

struct snd_kcontrol;
typedef int(snd_kcontrol_info_t)(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo);
typedef int(snd_kcontrol_get_t)(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_value *ucontrol);
typedef int(snd_kcontrol_put_t)(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_value *ucontrol);
typedef int(snd_kcontrol_tlv_rw_t)(struct snd_kcontrol *kcontrol, int op_flag, unsigned int size,
				   unsigned int __user *tlv);

#define SNDRV_CTL_ELEM_ACCESS_SKIP_CHECK 0
#define SNDRV_CTL_ELEM_ACCESS_LED_SHIFT 25
#define SNDRV_CTL_ELEM_ACCESS_LED_MASK (7 << 25)
#define SNDRV_CTL_ELEM_ACCESS_SPK_LED (1 << 25)
#define SNDRV_CTL_ELEM_ACCESS_MIC_LED (2 << 25)

enum {
	SNDRV_CTL_TLV_OP_READ = 0,
	SNDRV_CTL_TLV_OP_WRITE = 1,
	SNDRV_CTL_TLV_OP_CMD = -1,
};

struct snd_kcontrol_new {
	snd_ctl_elem_iface_t iface;
	unsigned int device;
	unsigned int subdevice;
	const char *name;
	unsigned int index;
	unsigned int access;
	unsigned int count;
	snd_kcontrol_info_t *info;
	snd_kcontrol_get_t *get;
	snd_kcontrol_put_t *put;
	union {
		snd_kcontrol_tlv_rw_t *c;
		const unsigned int *p;
	} tlv;
	unsigned long private_value;
};

struct snd_kcontrol_volatile {
	void *owner;
	unsigned int access;
};

struct snd_kcontrol {
	struct list_head list;
	struct snd_ctl_elem_id id;
	unsigned int count;
	snd_kcontrol_info_t *info;
	snd_kcontrol_get_t *get;
	snd_kcontrol_put_t *put;
	union {
		snd_kcontrol_tlv_rw_t *c;
		const unsigned int *p;
	} tlv;
	unsigned long private_value;
	void *private_data;
	void (*private_free)(struct snd_kcontrol *kcontrol);
	struct snd_kcontrol_volatile vd[];
};

#define snd_kcontrol(n) list_entry(n, struct snd_kcontrol, list)

void snd_ctl_notify(struct snd_card *card, unsigned int mask, struct snd_ctl_elem_id *id);
void snd_ctl_notify_one(struct snd_card *card, unsigned int mask, struct snd_kcontrol *kctl,
			unsigned int ioff);

struct snd_kcontrol *snd_ctl_new1(const struct snd_kcontrol_new *kcontrolnew, void *private_data);
void snd_ctl_free_one(struct snd_kcontrol *kcontrol);
int snd_ctl_add(struct snd_card *card, struct snd_kcontrol *kcontrol);
int snd_ctl_remove(struct snd_card *card, struct snd_kcontrol *kcontrol);
int snd_ctl_replace(struct snd_card *card, struct snd_kcontrol *kcontrol, bool add_on_replace);
int snd_ctl_remove_id(struct snd_card *card, struct snd_ctl_elem_id *id);
int snd_ctl_rename_id(struct snd_card *card, struct snd_ctl_elem_id *src_id,
		      struct snd_ctl_elem_id *dst_id);
void snd_ctl_rename(struct snd_card *card, struct snd_kcontrol *kctl, const char *name);
int snd_ctl_activate_id(struct snd_card *card, struct snd_ctl_elem_id *id, int active);
struct snd_kcontrol *snd_ctl_find_numid(struct snd_card *card, unsigned int numid);
struct snd_kcontrol *snd_ctl_find_id(struct snd_card *card, const struct snd_ctl_elem_id *id);
#define snd_ctl_find_numid_locked snd_ctl_find_numid
#define snd_ctl_find_id_locked snd_ctl_find_id

static inline unsigned int snd_ctl_get_ioffnum(struct snd_kcontrol *kctl,
					       struct snd_ctl_elem_id *id)
{
	return id->numid - kctl->id.numid;
}
static inline unsigned int snd_ctl_get_ioffidx(struct snd_kcontrol *kctl,
					       struct snd_ctl_elem_id *id)
{
	return id->index - kctl->id.index;
}
static inline unsigned int snd_ctl_get_ioff(struct snd_kcontrol *kctl, struct snd_ctl_elem_id *id)
{
	return id->numid ? snd_ctl_get_ioffnum(kctl, id) : snd_ctl_get_ioffidx(kctl, id);
}
static inline struct snd_ctl_elem_id *snd_ctl_build_ioff(struct snd_ctl_elem_id *dst_id,
							 struct snd_kcontrol *src_kctl,
							 unsigned int offset)
{
	dst_id->index += offset;
	dst_id->numid += offset;
	return dst_id;
}

int snd_ctl_boolean_mono_info(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo);
int snd_ctl_boolean_stereo_info(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo);
int snd_ctl_enum_info(struct snd_ctl_elem_info *info, unsigned int channels, unsigned int items,
		      const char *const names[]);

/* Virtual master controls (vmaster): not implemented yet; the calls are loud stubs. */
struct snd_kcontrol *snd_ctl_make_virtual_master(char *name, const unsigned int *tlv);
int _snd_ctl_add_follower(struct snd_kcontrol *master, struct snd_kcontrol *follower,
			  unsigned int flags);
#define SND_CTL_FOLLOWER_NEED_UPDATE (1 << 0)
static inline int snd_ctl_add_follower(struct snd_kcontrol *master, struct snd_kcontrol *follower)
{
	return _snd_ctl_add_follower(master, follower, 0);
}
static inline int snd_ctl_add_follower_uncached(struct snd_kcontrol *master,
						struct snd_kcontrol *follower)
{
	return _snd_ctl_add_follower(master, follower, SND_CTL_FOLLOWER_NEED_UPDATE);
}
int snd_ctl_add_vmaster_hook(struct snd_kcontrol *kctl, void (*hook)(void *private_data, int),
			     void *private_data);
void snd_ctl_sync_vmaster(struct snd_kcontrol *kctl, bool hook_only);
#define snd_ctl_sync_vmaster_hook(kctl) snd_ctl_sync_vmaster(kctl, true)
int snd_ctl_apply_vmaster_followers(struct snd_kcontrol *kctl,
				    int (*func)(struct snd_kcontrol *vfollower,
						struct snd_kcontrol *follower, void *arg),
				    void *arg);

static inline int snd_ctl_led_request(void)
{
	return 0;
}

/* nook: the card's controls for the sound shim. */
struct snd_kcontrol *nook_snd_ctl_nth(struct snd_card *card, unsigned int n,
				      unsigned int *ret_ioff);
unsigned int nook_snd_ctl_count(struct snd_card *card);

#endif
