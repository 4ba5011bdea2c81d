/* SPDX-License-Identifier: GPL-2.0-only */
/* What the ALSA core's files share; not part of the kernel interface. */
#ifndef NOOK_COMPAT_SOUND_H
#define NOOK_COMPAT_SOUND_H

struct snd_card;

/* The card is registered, or going: tell the sound host (nook/sound.h). */
void nook_snd_card_registered(struct snd_card *card);
void nook_snd_card_gone(struct snd_card *card);
/* Free every control left on the card (snd_card_free). */
void nook_snd_ctl_free_all(struct snd_card *card);

#endif
