/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA's /proc/asound entries. A nook driver process has no procfs to publish them in: as
 * in a kernel built without CONFIG_SND_PROC_FS, entries are not created and their text is
 * not produced. The card's state is reported through the sound shim instead.
 */
#ifndef NOOK_SOUND_INFO_H
#define NOOK_SOUND_INFO_H

#include <linux/types.h>

struct snd_card;

struct snd_info_buffer {
	char *buffer;
	unsigned int curr, size, len;
	int stop, error;
};

struct snd_info_entry {
	const char *name;
	unsigned short mode;
	long size;
	void *private_data;
	void (*private_free)(struct snd_info_entry *entry);
	struct snd_card *card;
};

static inline int snd_card_ro_proc_new(struct snd_card *card, const char *name, void *private_data,
				       void (*read)(struct snd_info_entry *,
						    struct snd_info_buffer *))
{
	return 0;
}
static inline int
snd_card_rw_proc_new(struct snd_card *card, const char *name, void *private_data,
		     void (*read)(struct snd_info_entry *, struct snd_info_buffer *),
		     void (*write)(struct snd_info_entry *, struct snd_info_buffer *))
{
	return 0;
}
static inline int snd_card_proc_new(struct snd_card *card, const char *name,
				    struct snd_info_entry **entryp)
{
	return -EINVAL;
}
static inline struct snd_info_entry *
snd_info_create_card_entry(struct snd_card *card, const char *name, struct snd_info_entry *parent)
{
	return NULL;
}
static inline void snd_info_free_entry(struct snd_info_entry *entry)
{
}
static inline int snd_info_register(struct snd_info_entry *entry)
{
	return 0;
}
#define snd_iprintf(buffer, fmt, ...) 0
#define snd_info_get_line(buffer, line, len) 1
#define snd_info_get_str(dest, src, len) NULL

#endif
