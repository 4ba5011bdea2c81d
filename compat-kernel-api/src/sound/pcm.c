// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCM devices: creation with their substreams, the driver's ops, managed DMA buffers, and
 * the position bookkeeping behind snd_pcm_period_elapsed. Opening and running a substream
 * is driven by the sound host (host.c).
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/control.h>
#include <sound/core.h>
#include <sound/pcm.h>

#include "pcm-internal.h"

static void free_stream(struct snd_pcm_str *pstr)
{
	struct snd_pcm_substream *s = pstr->substream, *next;

	for (; s; s = next) {
		next = s->next;
		if (s->dma_buffer.area)
			snd_dma_free_pages(&s->dma_buffer);
		kfree(s);
	}
	pstr->substream = NULL;
}

static int pcm_dev_free(struct snd_device *device)
{
	struct snd_pcm *pcm = device->device_data;

	list_del(&pcm->nook_node);
	if (pcm->private_free)
		pcm->private_free(pcm);
	free_stream(&pcm->streams[0]);
	free_stream(&pcm->streams[1]);
	kfree(pcm);
	return 0;
}

static int new_stream(struct snd_pcm *pcm, int stream, int count)
{
	struct snd_pcm_str *pstr = &pcm->streams[stream];
	struct snd_pcm_substream **link = &pstr->substream;

	pstr->stream = stream;
	pstr->pcm = pcm;
	pstr->substream_count = count;
	for (int k = 0; k < count; k++) {
		struct snd_pcm_substream *s = kzalloc(sizeof(*s), GFP_KERNEL);

		if (!s)
			return -ENOMEM;
		s->pcm = pcm;
		s->pstr = pstr;
		s->number = k;
		s->stream = stream;
		snprintf(s->name, sizeof(s->name), "subdevice #%d", k);
		s->buffer_bytes_max = UINT_MAX;
		spin_lock_init(&s->self_group.lock);
		mutex_init(&s->self_group.mutex);
		INIT_LIST_HEAD(&s->self_group.substreams);
		INIT_LIST_HEAD(&s->link_list);
		s->group = &s->self_group;
		*link = s;
		link = &s->next;
	}
	return 0;
}

static int pcm_new(struct snd_card *card, const char *id, int device, int playback_count,
		   int capture_count, bool internal, struct snd_pcm **rpcm)
{
	static const struct snd_device_ops ops = { .dev_free = pcm_dev_free };
	struct snd_pcm *pcm;
	int r;

	pcm = kzalloc(sizeof(*pcm), GFP_KERNEL);
	if (!pcm)
		return -ENOMEM;
	pcm->card = card;
	pcm->device = device;
	pcm->internal = internal;
	mutex_init(&pcm->open_mutex);
	if (id)
		strscpy(pcm->id, id, sizeof(pcm->id));
	INIT_LIST_HEAD(&pcm->nook_node);
	r = new_stream(pcm, SNDRV_PCM_STREAM_PLAYBACK, playback_count);
	if (!r)
		r = new_stream(pcm, SNDRV_PCM_STREAM_CAPTURE, capture_count);
	if (!r)
		r = snd_device_new(card, SNDRV_DEV_PCM, pcm, &ops);
	if (r) {
		free_stream(&pcm->streams[0]);
		free_stream(&pcm->streams[1]);
		kfree(pcm);
		return r;
	}
	list_add_tail(&pcm->nook_node, &card->nook_pcms);
	if (rpcm)
		*rpcm = pcm;
	return 0;
}

int snd_pcm_new(struct snd_card *card, const char *id, int device, int playback_count,
		int capture_count, struct snd_pcm **rpcm)
{
	return pcm_new(card, id, device, playback_count, capture_count, false, rpcm);
}

int snd_pcm_new_internal(struct snd_card *card, const char *id, int device, int playback_count,
			 int capture_count, struct snd_pcm **rpcm)
{
	return pcm_new(card, id, device, playback_count, capture_count, true, rpcm);
}

void snd_pcm_set_ops(struct snd_pcm *pcm, int direction, const struct snd_pcm_ops *ops)
{
	for (struct snd_pcm_substream *s = pcm->streams[direction].substream; s; s = s->next)
		s->ops = ops;
}

void snd_pcm_set_sync(struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	runtime->sync.id32[0] = substream->pcm->card->number;
	runtime->sync.id32[1] = -1;
	runtime->sync.id32[2] = -1;
	runtime->sync.id32[3] = -1;
}

int snd_pcm_lib_ioctl(struct snd_pcm_substream *substream, unsigned int cmd, void *arg)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	switch (cmd) {
	case SNDRV_PCM_IOCTL1_RESET:
		runtime->nook_hw_pos = 0;
		runtime->nook_last_ptr = 0;
		return 0;
	case SNDRV_PCM_IOCTL1_CHANNEL_INFO: {
		struct snd_pcm_channel_info *info = arg;
		unsigned int width = snd_pcm_format_physical_width(runtime->format);

		info->offset = 0;
		info->first = info->channel * width;
		info->step = runtime->channels * width;
		return 0;
	}
	case SNDRV_PCM_IOCTL1_FIFO_SIZE: {
		struct snd_pcm_hw_params *params = arg;

		params->fifo_size = substream->runtime->hw.fifo_size;
		return 0;
	}
	}
	return -ENXIO;
}

/* --- buffers */

void snd_pcm_set_managed_buffer(struct snd_pcm_substream *substream, int type, struct device *data,
				size_t size, size_t max)
{
	substream->managed_buffer_alloc = 1;
	substream->dma_max = max;
	/* As ALSA: preallocate now if it can, else allocate at hw_params. */
	if (size && snd_dma_alloc_pages(type, data, size, &substream->dma_buffer) < 0)
		substream->dma_buffer.area = NULL;
	/* Set after the attempt too: hw_params allocates with them when preallocation failed. */
	substream->dma_buffer.dev.type = type;
	substream->dma_buffer.dev.dev = data;
	/* max 0: the buffer is the preallocated one and cannot grow. */
	substream->buffer_bytes_max = max ? max : size;
}

void snd_pcm_set_managed_buffer_all(struct snd_pcm *pcm, int type, struct device *data, size_t size,
				    size_t max)
{
	for (int d = 0; d < 2; d++)
		for (struct snd_pcm_substream *s = pcm->streams[d].substream; s; s = s->next)
			snd_pcm_set_managed_buffer(s, type, data, size, max);
}

void snd_pcm_lib_preallocate_pages(struct snd_pcm_substream *substream, int type,
				   struct device *data, size_t size, size_t max)
{
	snd_pcm_set_managed_buffer(substream, type, data, size, max);
	substream->managed_buffer_alloc = 0;
}

void snd_pcm_lib_preallocate_pages_for_all(struct snd_pcm *pcm, int type, void *data, size_t size,
					   size_t max)
{
	for (int d = 0; d < 2; d++)
		for (struct snd_pcm_substream *s = pcm->streams[d].substream; s; s = s->next)
			snd_pcm_lib_preallocate_pages(s, type, data, size, max);
}

int snd_pcm_lib_malloc_pages(struct snd_pcm_substream *substream, size_t size)
{
	struct snd_pcm_runtime *runtime = substream->runtime;
	struct snd_dma_buffer *db = &substream->dma_buffer;

	if (db->area && db->bytes < size) {
		snd_dma_free_pages(db);
		db->area = NULL;
	}
	if (!db->area) {
		if (size > substream->buffer_bytes_max && substream->buffer_bytes_max)
			return -ENOMEM;
		if (snd_dma_alloc_pages(db->dev.type ? db->dev.type : SNDRV_DMA_TYPE_DEV,
					db->dev.dev, size, db) < 0)
			return -ENOMEM;
	}
	runtime->dma_buffer_p = db;
	runtime->dma_area = db->area;
	runtime->dma_addr = db->addr;
	runtime->dma_bytes = size;
	return 1;
}

int snd_pcm_lib_free_pages(struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	/* The buffer stays with the substream (preallocated) for the next open. */
	runtime->dma_buffer_p = NULL;
	runtime->dma_area = NULL;
	runtime->dma_addr = 0;
	runtime->dma_bytes = 0;
	return 0;
}

/* --- position */

/*
 * The card finished a period: read its position and advance the stream's frame count by
 * the distance moved (modulo the buffer), then let the sound host move data.
 */
void snd_pcm_period_elapsed_under_stream_lock(struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;
	snd_pcm_uframes_t pos;

	if (!runtime || !snd_pcm_running(substream))
		return;
	pos = substream->ops->pointer(substream);
	if (pos == SNDRV_PCM_POS_XRUN || pos >= runtime->buffer_size) {
		pr_err("ALSA: %s: the driver's position %lu is outside its buffer of %lu frames\n",
		       substream->pcm->name, (unsigned long)pos,
		       (unsigned long)runtime->buffer_size);
		snd_pcm_stop(substream, SNDRV_PCM_STATE_XRUN);
		return;
	}
	runtime->nook_hw_pos +=
		(pos + runtime->buffer_size - runtime->nook_last_ptr) % runtime->buffer_size;
	runtime->nook_last_ptr = pos;
	if (substream->nook_notify)
		substream->nook_notify(substream->nook_notify_arg);
}

void snd_pcm_period_elapsed(struct snd_pcm_substream *substream)
{
	unsigned long flags;

	snd_pcm_stream_lock_irqsave(substream, flags);
	snd_pcm_period_elapsed_under_stream_lock(substream);
	snd_pcm_stream_unlock_irqrestore(substream, flags);
}

/* Stop the stream in state @status (XRUN, SETUP, ...), as the core does on an xrun. */
int snd_pcm_stop(struct snd_pcm_substream *substream, snd_pcm_state_t status)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	if (!runtime || runtime->state == SNDRV_PCM_STATE_OPEN)
		return -EBADFD;
	if (snd_pcm_running(substream))
		substream->ops->trigger(substream, SNDRV_PCM_TRIGGER_STOP);
	runtime->state = status;
	if (substream->nook_notify)
		substream->nook_notify(substream->nook_notify_arg);
	return 0;
}

int snd_pcm_stop_xrun(struct snd_pcm_substream *substream)
{
	return snd_pcm_stop(substream, SNDRV_PCM_STATE_XRUN);
}

int snd_pcm_suspend_all(struct snd_pcm *pcm)
{
	for (int d = 0; d < 2; d++)
		for (struct snd_pcm_substream *s = pcm->streams[d].substream; s; s = s->next)
			if (s->runtime && snd_pcm_running(s))
				snd_pcm_stop(s, SNDRV_PCM_STATE_SUSPENDED);
	return 0;
}

/* --- rates */

unsigned int snd_pcm_rate_to_rate_bit(unsigned int rate)
{
	for (unsigned int k = 0; nook_pcm_std_rate(k); k++)
		if (nook_pcm_std_rate(k) == rate)
			return 1U << k;
	return SNDRV_PCM_RATE_KNOT;
}

unsigned int snd_pcm_rate_bit_to_rate(unsigned int rate_bit)
{
	for (unsigned int k = 0; nook_pcm_std_rate(k); k++)
		if ((1U << k) == rate_bit)
			return nook_pcm_std_rate(k);
	return 0;
}

/* rate_min and rate_max from the rates bitmask. */
int snd_pcm_limit_hw_rates(struct snd_pcm_runtime *runtime)
{
	unsigned int k, lo = 0, hi = 0;

	for (k = 0; nook_pcm_std_rate(k); k++) {
		if (!(runtime->hw.rates & (1U << k)))
			continue;
		if (!lo)
			lo = nook_pcm_std_rate(k);
		hi = nook_pcm_std_rate(k);
	}
	if (lo)
		runtime->hw.rate_min = lo;
	if (hi)
		runtime->hw.rate_max = hi;
	return 0;
}
