/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hw_params masks (access, format, subformat: one bit per value) and intervals (every other
 * parameter: [min, max] with open ends and an integer flag), as the constraint rules of
 * drivers and of the core see them. The rules engine is in src/sound/pcm-constraints.c.
 */
#ifndef NOOK_SOUND_PCM_PARAMS_H
#define NOOK_SOUND_PCM_PARAMS_H

#include <linux/bitops.h>
#include <sound/asound.h>

#define NOOK_SND_MASK_WORDS (SNDRV_MASK_MAX / 32)

static inline void snd_mask_none(struct snd_mask *mask)
{
	for (int w = 0; w < NOOK_SND_MASK_WORDS; w++)
		mask->bits[w] = 0;
}
static inline void snd_mask_any(struct snd_mask *mask)
{
	for (int w = 0; w < NOOK_SND_MASK_WORDS; w++)
		mask->bits[w] = ~0U;
}
static inline int snd_mask_empty(const struct snd_mask *mask)
{
	for (int w = 0; w < NOOK_SND_MASK_WORDS; w++)
		if (mask->bits[w])
			return 0;
	return 1;
}
static inline unsigned int snd_mask_min(const struct snd_mask *mask)
{
	for (int w = 0; w < NOOK_SND_MASK_WORDS; w++)
		if (mask->bits[w])
			return w * 32 + __builtin_ctz(mask->bits[w]);
	return 0;
}
static inline unsigned int snd_mask_max(const struct snd_mask *mask)
{
	for (int w = NOOK_SND_MASK_WORDS - 1; w >= 0; w--)
		if (mask->bits[w])
			return w * 32 + 31 - __builtin_clz(mask->bits[w]);
	return 0;
}
static inline void snd_mask_set(struct snd_mask *mask, unsigned int val)
{
	mask->bits[val / 32] |= 1U << (val % 32);
}
static inline void snd_mask_set_format(struct snd_mask *mask, snd_pcm_format_t format)
{
	snd_mask_set(mask, (__force unsigned int)format);
}
static inline void snd_mask_reset(struct snd_mask *mask, unsigned int val)
{
	mask->bits[val / 32] &= ~(1U << (val % 32));
}
static inline int snd_mask_test(const struct snd_mask *mask, unsigned int val)
{
	return (mask->bits[val / 32] >> (val % 32)) & 1;
}
static inline int snd_mask_test_format(const struct snd_mask *mask, snd_pcm_format_t format)
{
	return snd_mask_test(mask, (__force unsigned int)format);
}
static inline int snd_mask_single(const struct snd_mask *mask)
{
	return !snd_mask_empty(mask) && snd_mask_min(mask) == snd_mask_max(mask);
}
/* Keeps only bits also in @v: 1 if the mask changed, -EINVAL if it became empty. */
static inline int snd_mask_refine(struct snd_mask *mask, const struct snd_mask *v)
{
	int changed = 0;

	for (int w = 0; w < NOOK_SND_MASK_WORDS; w++) {
		u32 bits = mask->bits[w] & v->bits[w];

		changed |= bits != mask->bits[w];
		mask->bits[w] = bits;
	}
	return snd_mask_empty(mask) ? -EINVAL : changed;
}
static inline int snd_mask_value(const struct snd_mask *mask)
{
	return snd_mask_min(mask);
}

static inline void snd_interval_any(struct snd_interval *i)
{
	i->min = 0;
	i->openmin = 0;
	i->max = UINT_MAX;
	i->openmax = 0;
	i->integer = 0;
	i->empty = 0;
}
static inline void snd_interval_none(struct snd_interval *i)
{
	i->empty = 1;
}
static inline int snd_interval_checkempty(const struct snd_interval *i)
{
	return i->min > i->max || (i->min == i->max && (i->openmin || i->openmax));
}
static inline int snd_interval_empty(const struct snd_interval *i)
{
	return i->empty;
}
static inline int snd_interval_single(const struct snd_interval *i)
{
	return i->min == i->max || (i->min + 1 == i->max && (i->openmin || i->openmax));
}
static inline int snd_interval_value(const struct snd_interval *i)
{
	return i->openmin && !i->openmax ? i->max : i->min;
}
static inline int snd_interval_min(const struct snd_interval *i)
{
	return i->min;
}
static inline int snd_interval_max(const struct snd_interval *i)
{
	return i->openmax ? i->max - 1 : i->max;
}
static inline int snd_interval_test(const struct snd_interval *i, unsigned int val)
{
	return !((i->min > val || (i->min == val && i->openmin) || i->max < val ||
		  (i->max == val && i->openmax)));
}
static inline void snd_interval_copy(struct snd_interval *d, const struct snd_interval *s)
{
	*d = *s;
}
static inline int snd_interval_setinteger(struct snd_interval *i)
{
	if (i->integer)
		return 0;
	if (i->openmin && i->openmax && i->min == i->max)
		return -EINVAL;
	i->integer = 1;
	return 1;
}
static inline int snd_interval_eq(const struct snd_interval *a, const struct snd_interval *b)
{
	if (a->empty)
		return b->empty;
	if (b->empty)
		return a->empty;
	return a->min == b->min && a->openmin == b->openmin && a->max == b->max &&
	       a->openmax == b->openmax;
}

static inline int params_width(const struct snd_pcm_hw_params *p);
static inline int params_physical_width(const struct snd_pcm_hw_params *p);
int snd_pcm_format_width(snd_pcm_format_t format);
int snd_pcm_format_physical_width(snd_pcm_format_t format);
static inline int params_width(const struct snd_pcm_hw_params *p)
{
	return snd_pcm_format_width(params_format(p));
}
static inline int params_physical_width(const struct snd_pcm_hw_params *p)
{
	return snd_pcm_format_physical_width(params_format(p));
}

#endif
