// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sound host interface (nook/sound.h): the sound shim's way to the card. It opens and
 * runs substreams in the order ALSA's core calls a driver (open, constraints, hw_params,
 * prepare, trigger, hw_free, close) and reads and writes mixer elements through their
 * kcontrols' callbacks.
 */
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <nook/sound.h>
#include <sound/control.h>
#include <sound/core.h>
#include <sound/pcm.h>

#include "pcm-internal.h"
#include "sound.h"

struct task_struct *nook_task_create(int (*fn)(void *data), void *data, const char *name);

static const struct nook_snd_host *host;
static void *host_ctx;

void nook_snd_set_host(const struct nook_snd_host *h, void *ctx)
{
	host = h;
	host_ctx = ctx;
}

void nook_snd_card_registered(struct snd_card *card)
{
	if (host && host->card_registered)
		host->card_registered(host_ctx);
}

void nook_snd_card_gone(struct snd_card *card)
{
	if (host && host->card_gone)
		host->card_gone(host_ctx);
}

int nook_snd_run(int (*fn)(void *arg), void *arg, const char *name)
{
	return nook_task_create(fn, arg, name) ? 0 : -ENOMEM;
}

static struct snd_card *registered_card(void)
{
	struct snd_card *card = nook_snd_the_card();

	return card && card->registered && !card->shutdown ? card : NULL;
}

int nook_snd_card_describe(struct nook_snd_card_desc *d)
{
	struct snd_card *card = registered_card();
	struct snd_pcm *pcm;

	if (!card)
		return -ENODEV;
	memset(d, 0, sizeof(*d));
	strscpy(d->id, card->id, sizeof(d->id));
	strscpy(d->driver, card->driver, sizeof(d->driver));
	strscpy(d->name, card->shortname, sizeof(d->name));
	strscpy(d->longname, card->longname, sizeof(d->longname));
	strscpy(d->mixername, card->mixername, sizeof(d->mixername));
	list_for_each_entry(pcm, &card->nook_pcms, nook_node) {
		if (pcm->internal || d->n_pcms == NOOK_SND_DESC_PCMS)
			continue;
		d->pcms[d->n_pcms].device = pcm->device;
		d->pcms[d->n_pcms].playback = pcm->streams[0].substream_count;
		d->pcms[d->n_pcms].capture = pcm->streams[1].substream_count;
		strscpy(d->pcms[d->n_pcms].name, pcm->name, sizeof(d->pcms[0].name));
		d->n_pcms++;
	}
	return 0;
}

/* --- streams */

static struct snd_pcm_substream *as_sub(struct nook_snd_substream *s)
{
	return (struct snd_pcm_substream *)s;
}

int nook_snd_pcm_open(unsigned int device, bool capture, struct nook_snd_substream **ret)
{
	struct snd_card *card = registered_card();
	struct snd_pcm_substream *sub = NULL;
	struct snd_pcm_runtime *runtime;
	struct snd_pcm *pcm;
	int dir = capture ? SNDRV_PCM_STREAM_CAPTURE : SNDRV_PCM_STREAM_PLAYBACK;
	int r;

	if (!card)
		return -ENODEV;
	list_for_each_entry(pcm, &card->nook_pcms, nook_node)
		if (!pcm->internal && pcm->device == (int)device)
			break;
	if (&pcm->nook_node == &card->nook_pcms)
		return -ENOENT;
	if (!pcm->streams[dir].substream_count)
		return -ENOENT;
	for (sub = pcm->streams[dir].substream; sub && sub->runtime; sub = sub->next)
		;
	if (!sub)
		return -EBUSY;
	runtime = kzalloc(sizeof(*runtime), GFP_KERNEL);
	if (!runtime)
		return -ENOMEM;
	init_waitqueue_head(&runtime->sleep);
	init_waitqueue_head(&runtime->tsleep);
	runtime->state = SNDRV_PCM_STATE_OPEN;
	nook_pcm_constraints_init(runtime);
	sub->runtime = runtime;
	sub->private_data = pcm->private_data;
	sub->ref_count = 1;
	mutex_lock(&pcm->open_mutex);
	r = sub->ops->open(sub);
	mutex_unlock(&pcm->open_mutex);
	if (!r) {
		r = nook_pcm_constraints_complete(runtime);
		/* The driver opened it: it closes it again, as ALSA's core does. */
		if (r && sub->ops->close)
			sub->ops->close(sub);
	}
	if (r) {
		nook_pcm_constraints_free(runtime);
		kfree(runtime);
		sub->runtime = NULL;
		sub->ref_count = 0;
		return r;
	}
	sub->hw_opened = 1;
	pcm->streams[dir].substream_opened++;
	*ret = (struct nook_snd_substream *)sub;
	return 0;
}

static void params_any(struct snd_pcm_hw_params *p)
{
	memset(p, 0, sizeof(*p));
	for (int k = 0; k < (int)ARRAY_SIZE(p->masks); k++)
		snd_mask_any(&p->masks[k]);
	for (int k = 0; k < (int)ARRAY_SIZE(p->intervals); k++)
		snd_interval_any(&p->intervals[k]);
	p->rmask = ~0U;
	p->info = ~0U;
}

static void set_single(struct snd_pcm_hw_params *p, int var, unsigned int v)
{
	struct snd_interval *i = hw_param_interval(p, var);

	i->min = i->max = v;
	i->openmin = i->openmax = 0;
	i->integer = 1;
	i->empty = 0;
}

void nook_snd_pcm_caps(struct nook_snd_substream *s, struct nook_snd_stream_caps *caps)
{
	struct snd_pcm_runtime *rt = as_sub(s)->runtime;
	struct snd_pcm_hardware *hw = &rt->hw;
	struct snd_pcm_hw_constraints *c = &rt->hw_constraints;
	const struct snd_mask *fm = constrs_mask(c, SNDRV_PCM_HW_PARAM_FORMAT);
	const struct snd_interval *ch = constrs_interval(c, SNDRV_PCM_HW_PARAM_CHANNELS);
	const struct snd_interval *rate = constrs_interval(c, SNDRV_PCM_HW_PARAM_RATE);

	memset(caps, 0, sizeof(*caps));
	caps->formats = fm->bits[0] | (u64)fm->bits[1] << 32;
	caps->channels_min = snd_interval_min(ch);
	caps->channels_max = snd_interval_max(ch);
	caps->rate_min = snd_interval_min(rate);
	caps->rate_max = snd_interval_max(rate);
	caps->period_bytes_min = hw->period_bytes_min;
	caps->period_bytes_max = hw->period_bytes_max;
	caps->periods_min = hw->periods_min;
	caps->periods_max = hw->periods_max;
	caps->buffer_bytes_max = min_t(size_t, hw->buffer_bytes_max, as_sub(s)->buffer_bytes_max);
	/* Each standard rate the constraints and the driver's rules let through. */
	for (unsigned int k = 0; nook_pcm_std_rate(k) && caps->n_rates < 16; k++) {
		unsigned int r = nook_pcm_std_rate(k);
		struct snd_pcm_hw_params p;

		if (r < caps->rate_min || r > caps->rate_max)
			continue;
		params_any(&p);
		set_single(&p, SNDRV_PCM_HW_PARAM_RATE, r);
		if (nook_pcm_refine(rt, &p) == 0)
			caps->rates[caps->n_rates++] = r;
	}
}

int nook_snd_pcm_hw_params(struct nook_snd_substream *s, unsigned int format, unsigned int channels,
			   unsigned int rate, unsigned int *period_frames, unsigned int *periods)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;
	snd_pcm_format_t fmt = (__force snd_pcm_format_t)format;
	int phys = snd_pcm_format_physical_width(fmt);
	int width = snd_pcm_format_width(fmt);
	struct snd_pcm_hw_params p;
	unsigned int frame_bits, period_bytes, buffer_bytes;
	int r;

	if (phys <= 0 || width <= 0 || !channels || !rate || !*period_frames || !*periods)
		return -EINVAL;
	if (rt->state == SNDRV_PCM_STATE_RUNNING)
		return -EBADFD;
	frame_bits = phys * channels;
	period_bytes = *period_frames * frame_bits / 8;
	buffer_bytes = period_bytes * *periods;
	params_any(&p);
	snd_mask_none(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_ACCESS));
	snd_mask_set(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_ACCESS),
		     (__force unsigned int)SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	snd_mask_none(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_FORMAT));
	snd_mask_set(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_FORMAT), format);
	snd_mask_none(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_SUBFORMAT));
	snd_mask_set(hw_param_mask(&p, SNDRV_PCM_HW_PARAM_SUBFORMAT), SNDRV_PCM_SUBFORMAT_STD);
	set_single(&p, SNDRV_PCM_HW_PARAM_SAMPLE_BITS, phys);
	set_single(&p, SNDRV_PCM_HW_PARAM_FRAME_BITS, frame_bits);
	set_single(&p, SNDRV_PCM_HW_PARAM_CHANNELS, channels);
	set_single(&p, SNDRV_PCM_HW_PARAM_RATE, rate);
	set_single(&p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, *period_frames);
	set_single(&p, SNDRV_PCM_HW_PARAM_PERIOD_BYTES, period_bytes);
	set_single(&p, SNDRV_PCM_HW_PARAM_PERIODS, *periods);
	set_single(&p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, *period_frames * *periods);
	set_single(&p, SNDRV_PCM_HW_PARAM_BUFFER_BYTES, buffer_bytes);
	set_single(&p, SNDRV_PCM_HW_PARAM_PERIOD_TIME,
		   (unsigned int)((u64)*period_frames * 1000000 / rate));
	set_single(&p, SNDRV_PCM_HW_PARAM_BUFFER_TIME,
		   (unsigned int)((u64)*period_frames * *periods * 1000000 / rate));
	/* Times are derived, not chosen: let rounding through. */
	hw_param_interval(&p, SNDRV_PCM_HW_PARAM_PERIOD_TIME)->integer = 0;
	hw_param_interval(&p, SNDRV_PCM_HW_PARAM_BUFFER_TIME)->integer = 0;
	p.msbits = width;
	r = nook_pcm_refine(rt, &p);
	if (r < 0)
		return r;
	if (buffer_bytes > sub->buffer_bytes_max)
		return -EINVAL;
	if (rt->dma_area && sub->ops->hw_free)
		sub->ops->hw_free(sub);
	if (sub->managed_buffer_alloc) {
		r = snd_pcm_lib_malloc_pages(sub, buffer_bytes);
		if (r < 0)
			return r;
	}
	if (sub->ops->hw_params) {
		r = sub->ops->hw_params(sub, &p);
		if (r < 0) {
			if (sub->managed_buffer_alloc)
				snd_pcm_lib_free_pages(sub);
			return r;
		}
	}
	rt->access = SNDRV_PCM_ACCESS_RW_INTERLEAVED;
	rt->format = fmt;
	rt->subformat = SNDRV_PCM_SUBFORMAT_STD;
	rt->channels = channels;
	rt->rate = rate;
	rt->period_size = *period_frames;
	rt->periods = *periods;
	rt->buffer_size = *period_frames * *periods;
	rt->sample_bits = phys;
	rt->frame_bits = frame_bits;
	rt->byte_align = frame_bits / 8;
	rt->min_align = 1;
	rt->info = rt->hw.info;
	rt->rate_num = p.rate_num ? p.rate_num : rate;
	rt->rate_den = p.rate_den ? p.rate_den : 1;
	rt->nook_msbits = p.msbits;
	rt->start_threshold = 1;
	rt->stop_threshold = rt->buffer_size;
	rt->boundary = rt->buffer_size;
	while (rt->boundary * 2 <= LONG_MAX - rt->buffer_size)
		rt->boundary *= 2;
	rt->state = SNDRV_PCM_STATE_SETUP;
	return 0;
}

int nook_snd_pcm_hw_free(struct nook_snd_substream *s)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;
	int r = 0;

	if (snd_pcm_running(sub))
		nook_snd_pcm_stop(s);
	if (rt->state == SNDRV_PCM_STATE_OPEN)
		return 0;
	if (sub->ops->hw_free)
		r = sub->ops->hw_free(sub);
	if (sub->managed_buffer_alloc)
		snd_pcm_lib_free_pages(sub);
	rt->state = SNDRV_PCM_STATE_OPEN;
	return r;
}

int nook_snd_pcm_prepare(struct nook_snd_substream *s)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;
	int r;

	if (rt->state == SNDRV_PCM_STATE_OPEN)
		return -EBADFD;
	if (snd_pcm_running(sub))
		nook_snd_pcm_stop(s);
	if (sub->ops->sync_stop)
		sub->ops->sync_stop(sub);
	r = sub->ops->prepare(sub);
	if (r < 0)
		return r;
	rt->nook_hw_pos = 0;
	rt->nook_last_ptr = 0;
	rt->state = SNDRV_PCM_STATE_PREPARED;
	return 0;
}

int nook_snd_pcm_start(struct nook_snd_substream *s)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;
	unsigned long flags;
	int r;

	if (rt->state != SNDRV_PCM_STATE_PREPARED)
		return -EBADFD;
	snd_pcm_stream_lock_irqsave(sub, flags);
	r = sub->ops->trigger(sub, SNDRV_PCM_TRIGGER_START);
	if (!r) {
		rt->state = SNDRV_PCM_STATE_RUNNING;
		rt->nook_last_ptr = sub->ops->pointer(sub) % rt->buffer_size;
	}
	snd_pcm_stream_unlock_irqrestore(sub, flags);
	return r;
}

int nook_snd_pcm_stop(struct nook_snd_substream *s)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;
	unsigned long flags;
	int r = 0;

	snd_pcm_stream_lock_irqsave(sub, flags);
	if (snd_pcm_running(sub))
		r = sub->ops->trigger(sub, SNDRV_PCM_TRIGGER_STOP);
	if (rt->state != SNDRV_PCM_STATE_OPEN)
		rt->state = SNDRV_PCM_STATE_SETUP;
	snd_pcm_stream_unlock_irqrestore(sub, flags);
	return r;
}

void nook_snd_pcm_close(struct nook_snd_substream *s)
{
	struct snd_pcm_substream *sub = as_sub(s);
	struct snd_pcm_runtime *rt = sub->runtime;

	if (!rt)
		return;
	nook_snd_pcm_hw_free(s);
	if (sub->ops->close)
		sub->ops->close(sub);
	if (rt->private_free)
		rt->private_free(rt);
	nook_pcm_constraints_free(rt);
	sub->nook_notify = NULL;
	sub->runtime = NULL;
	sub->ref_count = 0;
	sub->hw_opened = 0;
	sub->pstr->substream_opened--;
	kfree(rt);
}

void *nook_snd_pcm_buffer(struct nook_snd_substream *s)
{
	return as_sub(s)->runtime->dma_area;
}

unsigned int nook_snd_pcm_buffer_frames(struct nook_snd_substream *s)
{
	return as_sub(s)->runtime->buffer_size;
}

unsigned int nook_snd_pcm_frame_bytes(struct nook_snd_substream *s)
{
	return as_sub(s)->runtime->frame_bits / 8;
}

void nook_snd_pcm_silence(struct nook_snd_substream *s, unsigned int offset, unsigned int frames)
{
	struct snd_pcm_runtime *rt = as_sub(s)->runtime;

	snd_pcm_format_set_silence(rt->format, rt->dma_area + frames_to_bytes(rt, offset),
				   frames * rt->channels);
}

uint64_t nook_snd_pcm_position(struct nook_snd_substream *s)
{
	return as_sub(s)->runtime->nook_hw_pos;
}

bool nook_snd_pcm_running(struct nook_snd_substream *s)
{
	return snd_pcm_running(as_sub(s));
}

void nook_snd_pcm_set_notify(struct nook_snd_substream *s, void (*fn)(void *arg), void *arg)
{
	as_sub(s)->nook_notify = fn;
	as_sub(s)->nook_notify_arg = arg;
}

/* --- mixer elements */

unsigned int nook_snd_ctl_elems(void)
{
	struct snd_card *card = registered_card();

	return card ? nook_snd_ctl_count(card) : 0;
}

/* The n-th element: its kcontrol, and an id naming that one element. */
static struct snd_kcontrol *elem(unsigned int n, struct snd_ctl_elem_id *id)
{
	struct snd_card *card = registered_card();
	struct snd_kcontrol *kctl;
	unsigned int ioff;

	if (!card)
		return NULL;
	kctl = nook_snd_ctl_nth(card, n, &ioff);
	if (!kctl)
		return NULL;
	*id = kctl->id;
	snd_ctl_build_ioff(id, kctl, ioff);
	return kctl;
}

static int elem_info(struct snd_kcontrol *kctl, const struct snd_ctl_elem_id *id,
		     struct snd_ctl_elem_info *info, unsigned int item)
{
	int r;

	memset(info, 0, sizeof(*info));
	info->id = *id;
	info->value.enumerated.item = item;
	r = kctl->info(kctl, info);
	if (r < 0)
		return r;
	if (info->count > 128)
		return -EINVAL;
	info->access = kctl->vd[snd_ctl_get_ioff(kctl, &info->id)].access;
	if (kctl->tlv.p && !(info->access & SNDRV_CTL_ELEM_ACCESS_TLV_CALLBACK))
		info->access |= SNDRV_CTL_ELEM_ACCESS_TLV_READ;
	return 0;
}

/* What every control entry point starts from: the control, its id and its info. */
struct elem_io {
	struct snd_kcontrol *kctl;
	struct snd_ctl_elem_id id;
	struct snd_ctl_elem_info info;
	struct snd_ctl_elem_value value;
};

/* The @n-th control with its info (enumerated @item's name in it); kfree() it after. */
static int elem_open(unsigned int n, unsigned int item, struct elem_io **ret)
{
	struct elem_io *io;
	int r;

	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	io->kctl = elem(n, &io->id);
	r = io->kctl ? elem_info(io->kctl, &io->id, &io->info, item) : -ENOENT;
	if (r < 0) {
		kfree(io);
		return r;
	}
	*ret = io;
	return 0;
}

int nook_snd_ctl_describe(unsigned int n, struct nook_snd_ctl_desc *d)
{
	const struct snd_ctl_elem_info *info;
	struct elem_io *io;
	int r = elem_open(n, 0, &io);

	if (r < 0)
		return r;
	info = &io->info;
	memset(d, 0, sizeof(*d));
	d->iface = io->id.iface;
	d->device = io->id.device;
	d->subdevice = io->id.subdevice;
	d->index = io->id.index;
	strscpy(d->name, (const char *)io->id.name, sizeof(d->name));
	d->type = info->type;
	d->access = info->access;
	d->count = info->count;
	if (info->type == SNDRV_CTL_ELEM_TYPE_INTEGER64) {
		d->min = info->value.integer64.min;
		d->max = info->value.integer64.max;
		d->step = info->value.integer64.step;
	} else if (info->type == SNDRV_CTL_ELEM_TYPE_ENUMERATED) {
		d->items = info->value.enumerated.items;
	} else {
		d->min = info->value.integer.min;
		d->max = info->value.integer.max;
		d->step = info->value.integer.step;
	}
	kfree(io);
	return 0;
}

int nook_snd_ctl_item_name(unsigned int n, unsigned int item, char *name, size_t size)
{
	struct elem_io *io;
	int r = elem_open(n, item, &io);

	if (r < 0)
		return r;
	if (io->info.type != SNDRV_CTL_ELEM_TYPE_ENUMERATED ||
	    item >= io->info.value.enumerated.items)
		r = -EINVAL;
	else
		strscpy(name, io->info.value.enumerated.name, size);
	kfree(io);
	return r;
}

static size_t value_bytes(unsigned int type, unsigned int count)
{
	return type == SNDRV_CTL_ELEM_TYPE_IEC958 ? sizeof(struct snd_aes_iec958) : count;
}

static void value_out(unsigned int type, unsigned int count, const struct snd_ctl_elem_value *v,
		      int64_t *values, uint8_t *bytes, size_t size)
{
	for (unsigned int k = 0; k < count && values; k++) {
		switch (type) {
		case SNDRV_CTL_ELEM_TYPE_ENUMERATED:
			values[k] = v->value.enumerated.item[k];
			break;
		case SNDRV_CTL_ELEM_TYPE_INTEGER64:
			values[k] = v->value.integer64.value[k];
			break;
		case SNDRV_CTL_ELEM_TYPE_BOOLEAN:
		case SNDRV_CTL_ELEM_TYPE_INTEGER:
			values[k] = v->value.integer.value[k];
			break;
		}
	}
	if (bytes && type == SNDRV_CTL_ELEM_TYPE_BYTES)
		memcpy(bytes, v->value.bytes.data, min(size, value_bytes(type, count)));
	if (bytes && type == SNDRV_CTL_ELEM_TYPE_IEC958)
		memcpy(bytes, &v->value.iec958, min(size, value_bytes(type, count)));
}

static void value_in(unsigned int type, unsigned int count, struct snd_ctl_elem_value *v,
		     const int64_t *values, const uint8_t *bytes, size_t size)
{
	for (unsigned int k = 0; k < count && values; k++) {
		switch (type) {
		case SNDRV_CTL_ELEM_TYPE_ENUMERATED:
			v->value.enumerated.item[k] = (unsigned int)values[k];
			break;
		case SNDRV_CTL_ELEM_TYPE_INTEGER64:
			v->value.integer64.value[k] = values[k];
			break;
		case SNDRV_CTL_ELEM_TYPE_BOOLEAN:
		case SNDRV_CTL_ELEM_TYPE_INTEGER:
			v->value.integer.value[k] = (long)values[k];
			break;
		}
	}
	if (bytes && type == SNDRV_CTL_ELEM_TYPE_BYTES)
		memcpy(v->value.bytes.data, bytes, min(size, value_bytes(type, count)));
	if (bytes && type == SNDRV_CTL_ELEM_TYPE_IEC958)
		memcpy(&v->value.iec958, bytes, min(size, value_bytes(type, count)));
}

/* Refuse what the control's info says it cannot hold, as ALSA's core checks a write. */
static int value_check(const struct snd_ctl_elem_info *info, const int64_t *values)
{
	for (unsigned int k = 0; k < info->count && values; k++) {
		int64_t v = values[k];

		switch (info->type) {
		case SNDRV_CTL_ELEM_TYPE_BOOLEAN:
			if (v < 0 || v > 1)
				return -EINVAL;
			break;
		case SNDRV_CTL_ELEM_TYPE_INTEGER:
			if (v < info->value.integer.min || v > info->value.integer.max)
				return -EINVAL;
			break;
		case SNDRV_CTL_ELEM_TYPE_ENUMERATED:
			if (v < 0 || v >= info->value.enumerated.items)
				return -EINVAL;
			break;
		}
	}
	return 0;
}

int nook_snd_ctl_read(unsigned int n, int64_t *values, uint8_t *bytes, size_t size)
{
	struct elem_io *io;
	int r = elem_open(n, 0, &io);

	if (r < 0)
		return r;
	if (!io->kctl->get || !(io->info.access & SNDRV_CTL_ELEM_ACCESS_READ))
		r = -EPERM;
	if (r == 0) {
		io->value.id = io->id;
		r = io->kctl->get(io->kctl, &io->value);
	}
	if (r >= 0) {
		value_out(io->info.type, io->info.count, &io->value, values, bytes, size);
		r = 0;
	}
	kfree(io);
	return r;
}

int nook_snd_ctl_write(unsigned int n, const int64_t *values, const uint8_t *bytes, size_t size)
{
	struct elem_io *io;
	int r = elem_open(n, 0, &io);

	if (r < 0)
		return r;
	if (!io->kctl->put || !(io->info.access & SNDRV_CTL_ELEM_ACCESS_WRITE) ||
	    (io->info.access & SNDRV_CTL_ELEM_ACCESS_INACTIVE))
		r = -EPERM;
	if (r == 0)
		r = value_check(&io->info, values);
	if (r == 0) {
		io->value.id = io->id;
		value_in(io->info.type, io->info.count, &io->value, values, bytes, size);
		r = io->kctl->put(io->kctl, &io->value);
	}
	kfree(io);
	return r < 0 ? r : r > 0;
}

int nook_snd_ctl_tlv(unsigned int n, uint32_t *tlv, unsigned int max)
{
	struct snd_ctl_elem_id id;
	struct snd_kcontrol *kctl = elem(n, &id);
	unsigned int words;

	if (!kctl)
		return -ENOENT;
	if (!kctl->tlv.p || (kctl->vd[0].access & SNDRV_CTL_ELEM_ACCESS_TLV_CALLBACK))
		return 0; /* TLV callbacks (dynamic dB ranges) are not served yet */
	words = 2 + kctl->tlv.p[1] / 4;
	if (words > max)
		return -ENOSPC;
	memcpy(tlv, kctl->tlv.p, words * 4);
	return words;
}
