// SPDX-License-Identifier: GPL-2.0-only
/* Sample formats (widths, signedness, silence) and channel maps. */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/control.h>
#include <sound/pcm.h>

struct format_desc {
	unsigned char width, phys; /* bits */
	signed char le;		   /* 1 little, 0 big, -1 n/a */
	signed char sign;	   /* 1 signed, 0 unsigned, -1 n/a */
	unsigned char silence;	   /* byte pattern of silence (0 or 0x80 at the top) */
};

static const struct format_desc formats[] = {
	[SNDRV_PCM_FORMAT_S8] = { 8, 8, -1, 1 },
	[SNDRV_PCM_FORMAT_U8] = { 8, 8, -1, 0 },
	[SNDRV_PCM_FORMAT_S16_LE] = { 16, 16, 1, 1 },
	[SNDRV_PCM_FORMAT_S16_BE] = { 16, 16, 0, 1 },
	[SNDRV_PCM_FORMAT_U16_LE] = { 16, 16, 1, 0 },
	[SNDRV_PCM_FORMAT_U16_BE] = { 16, 16, 0, 0 },
	[SNDRV_PCM_FORMAT_S24_LE] = { 24, 32, 1, 1 },
	[SNDRV_PCM_FORMAT_S24_BE] = { 24, 32, 0, 1 },
	[SNDRV_PCM_FORMAT_U24_LE] = { 24, 32, 1, 0 },
	[SNDRV_PCM_FORMAT_U24_BE] = { 24, 32, 0, 0 },
	[SNDRV_PCM_FORMAT_S32_LE] = { 32, 32, 1, 1 },
	[SNDRV_PCM_FORMAT_S32_BE] = { 32, 32, 0, 1 },
	[SNDRV_PCM_FORMAT_U32_LE] = { 32, 32, 1, 0 },
	[SNDRV_PCM_FORMAT_U32_BE] = { 32, 32, 0, 0 },
	[SNDRV_PCM_FORMAT_FLOAT_LE] = { 32, 32, 1, -1 },
	[SNDRV_PCM_FORMAT_FLOAT_BE] = { 32, 32, 0, -1 },
	[SNDRV_PCM_FORMAT_IEC958_SUBFRAME_LE] = { 32, 32, 1, -1 },
	[SNDRV_PCM_FORMAT_S24_3LE] = { 24, 24, 1, 1 },
	[SNDRV_PCM_FORMAT_S24_3BE] = { 24, 24, 0, 1 },
};

static const struct format_desc *desc(snd_pcm_format_t format)
{
	int f = (__force int)format;

	if (f < 0 || f >= (int)ARRAY_SIZE(formats) || !formats[f].width)
		return NULL;
	return &formats[f];
}

int snd_pcm_format_width(snd_pcm_format_t format)
{
	const struct format_desc *d = desc(format);

	return d ? d->width : -EINVAL;
}

int snd_pcm_format_physical_width(snd_pcm_format_t format)
{
	const struct format_desc *d = desc(format);

	return d ? d->phys : -EINVAL;
}

ssize_t snd_pcm_format_size(snd_pcm_format_t format, size_t samples)
{
	int phys = snd_pcm_format_physical_width(format);

	return phys < 0 ? phys : (ssize_t)(samples * phys / 8);
}

int snd_pcm_format_signed(snd_pcm_format_t format)
{
	const struct format_desc *d = desc(format);

	return d && d->sign >= 0 ? d->sign : -EINVAL;
}

int snd_pcm_format_unsigned(snd_pcm_format_t format)
{
	int s = snd_pcm_format_signed(format);

	return s < 0 ? s : !s;
}

int snd_pcm_format_linear(snd_pcm_format_t format)
{
	return snd_pcm_format_signed(format) >= 0;
}

int snd_pcm_format_little_endian(snd_pcm_format_t format)
{
	const struct format_desc *d = desc(format);

	return d && d->le >= 0 ? d->le : -EINVAL;
}

int snd_pcm_format_big_endian(snd_pcm_format_t format)
{
	int le = snd_pcm_format_little_endian(format);

	return le < 0 ? le : !le;
}

/* Silence: zero for signed and float formats, the mid value for unsigned ones. */
int snd_pcm_format_set_silence(snd_pcm_format_t format, void *buf, unsigned int samples)
{
	const struct format_desc *d = desc(format);
	unsigned int bytes = d ? d->phys / 8 : 0;
	unsigned char *p = buf;

	if (!d)
		return -EINVAL;
	if (d->sign != 0) {
		memset(buf, 0, (size_t)samples * bytes);
		return 0;
	}
	for (unsigned int s = 0; s < samples; s++, p += bytes) {
		memset(p, 0, bytes);
		/* The top bit of the sample's most significant byte. */
		p[d->le ? (d->width / 8) - 1 : 0] = 0x80;
	}
	return 0;
}

/* --- channel maps */

const struct snd_pcm_chmap_elem snd_pcm_std_chmaps[] = {
	{ .channels = 1, .map = { SNDRV_CHMAP_MONO } },
	{ .channels = 2, .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR } },
	{ .channels = 4,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_RL, SNDRV_CHMAP_RR } },
	{ .channels = 6,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_RL, SNDRV_CHMAP_RR, SNDRV_CHMAP_FC,
		   SNDRV_CHMAP_LFE } },
	{ .channels = 8,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_RL, SNDRV_CHMAP_RR, SNDRV_CHMAP_FC,
		   SNDRV_CHMAP_LFE, SNDRV_CHMAP_SL, SNDRV_CHMAP_SR } },
	{}
};

const struct snd_pcm_chmap_elem snd_pcm_alt_chmaps[] = {
	{ .channels = 1, .map = { SNDRV_CHMAP_MONO } },
	{ .channels = 2, .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR } },
	{ .channels = 4,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_RL, SNDRV_CHMAP_RR } },
	{ .channels = 6,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_FC, SNDRV_CHMAP_LFE, SNDRV_CHMAP_RL,
		   SNDRV_CHMAP_RR } },
	{ .channels = 8,
	  .map = { SNDRV_CHMAP_FL, SNDRV_CHMAP_FR, SNDRV_CHMAP_FC, SNDRV_CHMAP_LFE, SNDRV_CHMAP_RL,
		   SNDRV_CHMAP_RR, SNDRV_CHMAP_SL, SNDRV_CHMAP_SR } },
	{}
};

static int chmap_info(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_info *uinfo)
{
	struct snd_pcm_chmap *info = snd_kcontrol_chip(kcontrol);

	uinfo->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
	uinfo->count = info->max_channels;
	uinfo->value.integer.min = 0;
	uinfo->value.integer.max = SNDRV_CHMAP_LAST;
	return 0;
}

/* The map of the substream's current channel count; zeros while it is not set up. */
static int chmap_get(struct snd_kcontrol *kcontrol, struct snd_ctl_elem_value *ucontrol)
{
	struct snd_pcm_chmap *info = snd_kcontrol_chip(kcontrol);
	unsigned int idx = snd_ctl_get_ioffidx(kcontrol, &ucontrol->id);
	struct snd_pcm_substream *s = info->pcm->streams[info->stream].substream;
	const struct snd_pcm_chmap_elem *map;

	while (s && s->number != (int)idx)
		s = s->next;
	memset(ucontrol->value.integer.value, 0, sizeof(long) * info->max_channels);
	if (!s || !s->runtime)
		return 0;
	for (map = info->chmap; map->channels; map++) {
		if (map->channels != s->runtime->channels)
			continue;
		if (info->channel_mask && !(info->channel_mask & (1U << map->channels)))
			continue;
		for (unsigned int c = 0; c < map->channels && c < info->max_channels; c++)
			ucontrol->value.integer.value[c] = map->map[c];
		break;
	}
	return 0;
}

static void chmap_free(struct snd_kcontrol *kcontrol)
{
	struct snd_pcm_chmap *info = snd_kcontrol_chip(kcontrol);

	info->pcm->streams[info->stream].chmap_kctl = NULL;
	kfree(info);
}

int snd_pcm_add_chmap_ctls(struct snd_pcm *pcm, int stream, const struct snd_pcm_chmap_elem *chmap,
			   int max_channels, unsigned long private_value,
			   struct snd_pcm_chmap **info_ret)
{
	struct snd_kcontrol_new knew = {
		.iface = SNDRV_CTL_ELEM_IFACE_PCM,
		.access = SNDRV_CTL_ELEM_ACCESS_READ | SNDRV_CTL_ELEM_ACCESS_VOLATILE,
		.info = chmap_info,
		.get = chmap_get,
	};
	struct snd_pcm_chmap *info;
	int r;

	if (pcm->streams[stream].chmap_kctl)
		return -EBUSY;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->pcm = pcm;
	info->stream = stream;
	info->chmap = chmap;
	info->max_channels = max_channels;
	knew.name = stream == SNDRV_PCM_STREAM_PLAYBACK ? "Playback Channel Map" :
							  "Capture Channel Map";
	knew.device = pcm->device;
	knew.count = pcm->streams[stream].substream_count;
	knew.private_value = private_value;
	info->kctl = snd_ctl_new1(&knew, info);
	if (!info->kctl) {
		kfree(info);
		return -ENOMEM;
	}
	info->kctl->private_free = chmap_free;
	r = snd_ctl_add(pcm->card, info->kctl);
	if (r < 0)
		return r;
	pcm->streams[stream].chmap_kctl = info->kctl;
	if (info_ret)
		*info_ret = info;
	return 0;
}
