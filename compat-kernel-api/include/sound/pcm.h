/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA PCM devices: a card's PCMs, their substreams, the runtime of an open substream, the
 * hardware description and constraint rules a driver gives, and the buffer bookkeeping
 * behind snd_pcm_period_elapsed. In nook one client at a time opens a substream through
 * the sound shim, which drives these operations in the order ALSA's core would.
 */
#ifndef NOOK_SOUND_PCM_H
#define NOOK_SOUND_PCM_H

#include <linux/bitops.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <sound/asound.h>
#include <sound/core.h>
#include <sound/memalloc.h>

#define snd_pcm_substream_chip(substream) ((substream)->private_data)
#define snd_pcm_chip(pcm) ((pcm)->private_data)

struct snd_pcm_hardware {
	unsigned int info;
	u64 formats;
	unsigned int rates;
	unsigned int rate_min;
	unsigned int rate_max;
	unsigned int channels_min;
	unsigned int channels_max;
	size_t buffer_bytes_max;
	size_t period_bytes_min;
	size_t period_bytes_max;
	unsigned int periods_min;
	unsigned int periods_max;
	size_t fifo_size;
};

struct snd_pcm_substream;
struct snd_kcontrol;

struct snd_pcm_ops {
	int (*open)(struct snd_pcm_substream *substream);
	int (*close)(struct snd_pcm_substream *substream);
	int (*ioctl)(struct snd_pcm_substream *substream, unsigned int cmd, void *arg);
	int (*hw_params)(struct snd_pcm_substream *substream, struct snd_pcm_hw_params *params);
	int (*hw_free)(struct snd_pcm_substream *substream);
	int (*prepare)(struct snd_pcm_substream *substream);
	int (*trigger)(struct snd_pcm_substream *substream, int cmd);
	int (*sync_stop)(struct snd_pcm_substream *substream);
	snd_pcm_uframes_t (*pointer)(struct snd_pcm_substream *substream);
	int (*get_time_info)(struct snd_pcm_substream *substream, void *system_ts, void *audio_ts,
			     void *audio_tstamp_config, void *audio_tstamp_report);
	int (*fill_silence)(struct snd_pcm_substream *substream, int channel, unsigned long pos,
			    unsigned long bytes);
	int (*copy_user)(struct snd_pcm_substream *substream, int channel, unsigned long pos,
			 void __user *buf, unsigned long bytes);
	int (*copy_kernel)(struct snd_pcm_substream *substream, int channel, unsigned long pos,
			   void *buf, unsigned long bytes);
	struct page *(*page)(struct snd_pcm_substream *substream, unsigned long offset);
	int (*mmap)(struct snd_pcm_substream *substream, void *vma);
	int (*ack)(struct snd_pcm_substream *substream);
};

#define SNDRV_PCM_DEVICES 8

#define SNDRV_PCM_IOCTL1_RESET 0
#define SNDRV_PCM_IOCTL1_CHANNEL_INFO 2
#define SNDRV_PCM_IOCTL1_FIFO_SIZE 4

#define SNDRV_PCM_TRIGGER_STOP 0
#define SNDRV_PCM_TRIGGER_START 1
#define SNDRV_PCM_TRIGGER_PAUSE_PUSH 3
#define SNDRV_PCM_TRIGGER_PAUSE_RELEASE 4
#define SNDRV_PCM_TRIGGER_SUSPEND 5
#define SNDRV_PCM_TRIGGER_RESUME 6
#define SNDRV_PCM_TRIGGER_DRAIN 7

#define SNDRV_PCM_POS_XRUN ((snd_pcm_uframes_t)-1)

/* Rates as bits of snd_pcm_hardware.rates: 5512, 8000, 11025, ... 384000 Hz. */
#define SNDRV_PCM_RATE_5512 (1U << 0)
#define SNDRV_PCM_RATE_8000 (1U << 1)
#define SNDRV_PCM_RATE_11025 (1U << 2)
#define SNDRV_PCM_RATE_16000 (1U << 3)
#define SNDRV_PCM_RATE_22050 (1U << 4)
#define SNDRV_PCM_RATE_32000 (1U << 5)
#define SNDRV_PCM_RATE_44100 (1U << 6)
#define SNDRV_PCM_RATE_48000 (1U << 7)
#define SNDRV_PCM_RATE_64000 (1U << 8)
#define SNDRV_PCM_RATE_88200 (1U << 9)
#define SNDRV_PCM_RATE_96000 (1U << 10)
#define SNDRV_PCM_RATE_176400 (1U << 11)
#define SNDRV_PCM_RATE_192000 (1U << 12)
#define SNDRV_PCM_RATE_352800 (1U << 13)
#define SNDRV_PCM_RATE_384000 (1U << 14)
#define SNDRV_PCM_RATE_CONTINUOUS (1U << 30)
#define SNDRV_PCM_RATE_KNOT (1U << 31)
#define SNDRV_PCM_RATE_8000_44100                                            \
	(SNDRV_PCM_RATE_8000 | SNDRV_PCM_RATE_11025 | SNDRV_PCM_RATE_16000 | \
	 SNDRV_PCM_RATE_22050 | SNDRV_PCM_RATE_32000 | SNDRV_PCM_RATE_44100)
#define SNDRV_PCM_RATE_8000_48000 (SNDRV_PCM_RATE_8000_44100 | SNDRV_PCM_RATE_48000)
#define SNDRV_PCM_RATE_8000_96000                                                  \
	(SNDRV_PCM_RATE_8000_48000 | SNDRV_PCM_RATE_64000 | SNDRV_PCM_RATE_88200 | \
	 SNDRV_PCM_RATE_96000)
#define SNDRV_PCM_RATE_8000_192000 \
	(SNDRV_PCM_RATE_8000_96000 | SNDRV_PCM_RATE_176400 | SNDRV_PCM_RATE_192000)
#define SNDRV_PCM_RATE_8000_384000 \
	(SNDRV_PCM_RATE_8000_192000 | SNDRV_PCM_RATE_352800 | SNDRV_PCM_RATE_384000)

#define _SNDRV_PCM_FMTBIT(fmt) (1ULL << (__force int)SNDRV_PCM_FORMAT_##fmt)
#define SNDRV_PCM_FMTBIT_S8 _SNDRV_PCM_FMTBIT(S8)
#define SNDRV_PCM_FMTBIT_U8 _SNDRV_PCM_FMTBIT(U8)
#define SNDRV_PCM_FMTBIT_S16_LE _SNDRV_PCM_FMTBIT(S16_LE)
#define SNDRV_PCM_FMTBIT_S16_BE _SNDRV_PCM_FMTBIT(S16_BE)
#define SNDRV_PCM_FMTBIT_U16_LE _SNDRV_PCM_FMTBIT(U16_LE)
#define SNDRV_PCM_FMTBIT_U16_BE _SNDRV_PCM_FMTBIT(U16_BE)
#define SNDRV_PCM_FMTBIT_S24_LE _SNDRV_PCM_FMTBIT(S24_LE)
#define SNDRV_PCM_FMTBIT_S24_BE _SNDRV_PCM_FMTBIT(S24_BE)
#define SNDRV_PCM_FMTBIT_S32_LE _SNDRV_PCM_FMTBIT(S32_LE)
#define SNDRV_PCM_FMTBIT_S32_BE _SNDRV_PCM_FMTBIT(S32_BE)
#define SNDRV_PCM_FMTBIT_FLOAT_LE _SNDRV_PCM_FMTBIT(FLOAT_LE)
#define SNDRV_PCM_FMTBIT_IEC958_SUBFRAME_LE _SNDRV_PCM_FMTBIT(IEC958_SUBFRAME_LE)
#define SNDRV_PCM_FMTBIT_S16 SNDRV_PCM_FMTBIT_S16_LE
#define SNDRV_PCM_FMTBIT_S32 SNDRV_PCM_FMTBIT_S32_LE

#define SNDRV_PCM_INFO_MMAP_IOMEM 0

/* IEC958 consumer status a card starts with: no emphasis, original, PCM coder, 48 kHz. */
#define SNDRV_PCM_DEFAULT_CON_SPDIF                                        \
	(IEC958_AES0_CON_EMPHASIS_NONE | (IEC958_AES1_CON_ORIGINAL << 8) | \
	 (IEC958_AES1_CON_PCM_CODER << 8) | (IEC958_AES3_CON_FS_48000 << 24))

struct snd_pcm_hw_rule;
typedef int (*snd_pcm_hw_rule_func_t)(struct snd_pcm_hw_params *params,
				      struct snd_pcm_hw_rule *rule);

struct snd_pcm_hw_rule {
	unsigned int cond;
	int var;
	int deps[5];
	snd_pcm_hw_rule_func_t func;
	void *private;
};

struct snd_pcm_hw_constraints {
	struct snd_mask masks[SNDRV_PCM_HW_PARAM_LAST_MASK - SNDRV_PCM_HW_PARAM_FIRST_MASK + 1];
	struct snd_interval
		intervals[SNDRV_PCM_HW_PARAM_LAST_INTERVAL - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL + 1];
	unsigned int rules_num;
	unsigned int rules_all;
	struct snd_pcm_hw_rule *rules;
};

static inline struct snd_mask *constrs_mask(struct snd_pcm_hw_constraints *constrs,
					    snd_pcm_hw_param_t var)
{
	return &constrs->masks[var - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}
static inline struct snd_interval *constrs_interval(struct snd_pcm_hw_constraints *constrs,
						    snd_pcm_hw_param_t var)
{
	return &constrs->intervals[var - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

struct snd_ratnum {
	unsigned int num;
	unsigned int den_min, den_max, den_step;
};
struct snd_ratden {
	unsigned int num_min, num_max, num_step;
	unsigned int den;
};
struct snd_pcm_hw_constraint_ratnums {
	int nrats;
	const struct snd_ratnum *rats;
};
struct snd_pcm_hw_constraint_ratdens {
	int nrats;
	const struct snd_ratden *rats;
};
struct snd_pcm_hw_constraint_list {
	const unsigned int *list;
	unsigned int count;
	unsigned int mask;
};
struct snd_pcm_hw_constraint_ranges {
	unsigned int count;
	const struct snd_interval *ranges;
	unsigned int mask;
};

/* The runtime of an open substream (the fields drivers read and the core keeps). */
struct snd_pcm_runtime {
	snd_pcm_state_t state;
	snd_pcm_uframes_t hw_ptr_base; /* frames before the current buffer lap */
	snd_pcm_uframes_t hw_ptr_interrupt;
	snd_pcm_sframes_t delay;
	snd_pcm_access_t access;
	snd_pcm_format_t format;
	snd_pcm_subformat_t subformat;
	unsigned int rate;
	unsigned int channels;
	snd_pcm_uframes_t period_size;
	unsigned int periods;
	snd_pcm_uframes_t buffer_size;
	snd_pcm_uframes_t min_align;
	size_t byte_align;
	unsigned int frame_bits;
	unsigned int sample_bits;
	unsigned int info;
	unsigned int rate_num;
	unsigned int rate_den;
	unsigned int no_period_wakeup : 1;
	snd_pcm_uframes_t start_threshold;
	snd_pcm_uframes_t stop_threshold;
	snd_pcm_uframes_t boundary;
	union snd_pcm_sync_id sync;
	wait_queue_head_t sleep;
	wait_queue_head_t tsleep;
	void *private_data;
	void (*private_free)(struct snd_pcm_runtime *runtime);
	struct snd_pcm_hardware hw;
	struct snd_pcm_hw_constraints hw_constraints;
	unsigned char *dma_area;
	dma_addr_t dma_addr;
	size_t dma_bytes;
	struct snd_dma_buffer *dma_buffer_p;
	/* nook: the hardware position, frames since prepare; see nook/sound.h. */
	u64 nook_hw_pos;
	snd_pcm_uframes_t nook_last_ptr;
	unsigned int nook_msbits;
};

struct snd_pcm_group {
	spinlock_t lock;
	struct mutex mutex;
	struct list_head substreams;
	int refs;
};

struct snd_pcm_substream {
	struct snd_pcm *pcm;
	struct snd_pcm_str *pstr;
	void *private_data;
	int number;
	char name[32];
	int stream;
	size_t buffer_bytes_max;
	struct snd_dma_buffer dma_buffer;
	size_t dma_max;
	const struct snd_pcm_ops *ops;
	struct snd_pcm_runtime *runtime;
	struct snd_pcm_substream *next;
	struct list_head link_list;
	struct snd_pcm_group self_group;
	struct snd_pcm_group *group;
	int ref_count;
	unsigned int hw_opened : 1;
	unsigned int managed_buffer_alloc : 1;
	/* nook: the sound host's hook, called on every period and when the stream stops. */
	void (*nook_notify)(void *arg);
	void *nook_notify_arg;
};

#define SUBSTREAM_BUSY(substream) ((substream)->ref_count > 0)

struct snd_pcm_str {
	int stream;
	struct snd_pcm *pcm;
	unsigned int substream_count;
	unsigned int substream_opened;
	struct snd_pcm_substream *substream;
	struct snd_kcontrol *chmap_kctl;
};

struct snd_pcm {
	struct snd_card *card;
	struct list_head list;
	int device;
	unsigned int info_flags;
	unsigned short dev_class;
	unsigned short dev_subclass;
	char id[64];
	char name[80];
	struct snd_pcm_str streams[2];
	struct mutex open_mutex;
	void *private_data;
	void (*private_free)(struct snd_pcm *pcm);
	bool internal;
	bool nonatomic;
	bool no_device_suspend;
	/* nook: in the card's list of PCMs. */
	struct list_head nook_node;
};

int snd_pcm_new(struct snd_card *card, const char *id, int device, int playback_count,
		int capture_count, struct snd_pcm **rpcm);
int snd_pcm_new_internal(struct snd_card *card, const char *id, int device, int playback_count,
			 int capture_count, struct snd_pcm **rpcm);
void snd_pcm_set_ops(struct snd_pcm *pcm, int direction, const struct snd_pcm_ops *ops);
void snd_pcm_set_sync(struct snd_pcm_substream *substream);
int snd_pcm_lib_ioctl(struct snd_pcm_substream *substream, unsigned int cmd, void *arg);
void snd_pcm_period_elapsed(struct snd_pcm_substream *substream);
void snd_pcm_period_elapsed_under_stream_lock(struct snd_pcm_substream *substream);
int snd_pcm_stop(struct snd_pcm_substream *substream, snd_pcm_state_t status);
int snd_pcm_stop_xrun(struct snd_pcm_substream *substream);
int snd_pcm_suspend_all(struct snd_pcm *pcm);

void snd_pcm_set_managed_buffer(struct snd_pcm_substream *substream, int type, struct device *data,
				size_t size, size_t max);
void snd_pcm_set_managed_buffer_all(struct snd_pcm *pcm, int type, struct device *data, size_t size,
				    size_t max);
void snd_pcm_lib_preallocate_pages(struct snd_pcm_substream *substream, int type,
				   struct device *data, size_t size, size_t max);
void snd_pcm_lib_preallocate_pages_for_all(struct snd_pcm *pcm, int type, void *data, size_t size,
					   size_t max);
int snd_pcm_lib_malloc_pages(struct snd_pcm_substream *substream, size_t size);
int snd_pcm_lib_free_pages(struct snd_pcm_substream *substream);

/* The substreams linked with @substream: in nook a substream is never linked. */
#define snd_pcm_group_for_each_entry(s, substream) for ((s) = (substream); (s); (s) = NULL)
static inline void snd_pcm_trigger_done(struct snd_pcm_substream *substream,
					struct snd_pcm_substream *master)
{
}
static inline int snd_pcm_stream_linked(struct snd_pcm_substream *substream)
{
	return 0;
}
#define snd_pcm_stream_lock(s) spin_lock(&(s)->self_group.lock)
#define snd_pcm_stream_unlock(s) spin_unlock(&(s)->self_group.lock)
#define snd_pcm_stream_lock_irq(s) spin_lock_irq(&(s)->self_group.lock)
#define snd_pcm_stream_unlock_irq(s) spin_unlock_irq(&(s)->self_group.lock)
#define snd_pcm_stream_lock_irqsave(s, flags) spin_lock_irqsave(&(s)->self_group.lock, flags)
#define snd_pcm_stream_unlock_irqrestore(s, flags) \
	spin_unlock_irqrestore(&(s)->self_group.lock, flags)

static inline int snd_pcm_running(struct snd_pcm_substream *substream)
{
	return substream->runtime->state == SNDRV_PCM_STATE_RUNNING ||
	       (substream->runtime->state == SNDRV_PCM_STATE_DRAINING &&
		substream->stream == SNDRV_PCM_STREAM_PLAYBACK);
}

static inline ssize_t bytes_to_samples(struct snd_pcm_runtime *runtime, ssize_t size)
{
	return size * 8 / runtime->sample_bits;
}
static inline snd_pcm_sframes_t bytes_to_frames(struct snd_pcm_runtime *runtime, ssize_t size)
{
	return size * 8 / runtime->frame_bits;
}
static inline ssize_t samples_to_bytes(struct snd_pcm_runtime *runtime, ssize_t size)
{
	return size * runtime->sample_bits / 8;
}
static inline ssize_t frames_to_bytes(struct snd_pcm_runtime *runtime, snd_pcm_sframes_t size)
{
	return size * runtime->frame_bits / 8;
}
static inline int frame_aligned(struct snd_pcm_runtime *runtime, ssize_t bytes)
{
	return bytes % runtime->byte_align == 0;
}
static inline size_t snd_pcm_lib_buffer_bytes(struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	return frames_to_bytes(runtime, runtime->buffer_size);
}
static inline size_t snd_pcm_lib_period_bytes(struct snd_pcm_substream *substream)
{
	struct snd_pcm_runtime *runtime = substream->runtime;

	return frames_to_bytes(runtime, runtime->period_size);
}

/* hw_params: one mask or interval per parameter. */
static inline int hw_is_mask(int var)
{
	return var >= SNDRV_PCM_HW_PARAM_FIRST_MASK && var <= SNDRV_PCM_HW_PARAM_LAST_MASK;
}
static inline int hw_is_interval(int var)
{
	return var >= SNDRV_PCM_HW_PARAM_FIRST_INTERVAL && var <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL;
}
static inline struct snd_mask *hw_param_mask(struct snd_pcm_hw_params *params,
					     snd_pcm_hw_param_t var)
{
	return &params->masks[var - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}
static inline struct snd_interval *hw_param_interval(struct snd_pcm_hw_params *params,
						     snd_pcm_hw_param_t var)
{
	return &params->intervals[var - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}
static inline const struct snd_mask *hw_param_mask_c(const struct snd_pcm_hw_params *params,
						     snd_pcm_hw_param_t var)
{
	return &params->masks[var - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}
static inline const struct snd_interval *hw_param_interval_c(const struct snd_pcm_hw_params *params,
							     snd_pcm_hw_param_t var)
{
	return &params->intervals[var - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

#define params_access(p) \
	((__force snd_pcm_access_t)snd_mask_min(hw_param_mask_c((p), SNDRV_PCM_HW_PARAM_ACCESS)))
#define params_format(p) \
	((__force snd_pcm_format_t)snd_mask_min(hw_param_mask_c((p), SNDRV_PCM_HW_PARAM_FORMAT)))
#define params_subformat(p) snd_mask_min(hw_param_mask_c((p), SNDRV_PCM_HW_PARAM_SUBFORMAT))
static inline unsigned int params_channels(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_CHANNELS)->min;
}
static inline unsigned int params_rate(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_RATE)->min;
}
static inline unsigned int params_period_size(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE)->min;
}
static inline unsigned int params_periods(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_PERIODS)->min;
}
static inline unsigned int params_buffer_size(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE)->min;
}
static inline unsigned int params_buffer_bytes(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_BUFFER_BYTES)->min;
}
static inline unsigned int params_period_bytes(const struct snd_pcm_hw_params *p)
{
	return hw_param_interval_c(p, SNDRV_PCM_HW_PARAM_PERIOD_BYTES)->min;
}

int snd_interval_refine(struct snd_interval *i, const struct snd_interval *v);
int snd_interval_list(struct snd_interval *i, unsigned int count, const unsigned int *list,
		      unsigned int mask);
int snd_interval_ranges(struct snd_interval *i, unsigned int count, const struct snd_interval *list,
			unsigned int mask);
int snd_interval_ratnum(struct snd_interval *i, unsigned int rats_count,
			const struct snd_ratnum *rats, unsigned int *nump, unsigned int *denp);

int snd_pcm_hw_constraint_mask64(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var, u64 mask);
int snd_pcm_hw_constraint_minmax(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var,
				 unsigned int min, unsigned int max);
int snd_pcm_hw_constraint_integer(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var);
int snd_pcm_hw_constraint_list(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var, const struct snd_pcm_hw_constraint_list *l);
int snd_pcm_hw_constraint_ranges(struct snd_pcm_runtime *runtime, unsigned int cond,
				 snd_pcm_hw_param_t var,
				 const struct snd_pcm_hw_constraint_ranges *r);
int snd_pcm_hw_constraint_ratnums(struct snd_pcm_runtime *runtime, unsigned int cond,
				  snd_pcm_hw_param_t var,
				  const struct snd_pcm_hw_constraint_ratnums *r);
int snd_pcm_hw_constraint_ratdens(struct snd_pcm_runtime *runtime, unsigned int cond,
				  snd_pcm_hw_param_t var,
				  const struct snd_pcm_hw_constraint_ratdens *r);
int snd_pcm_hw_constraint_msbits(struct snd_pcm_runtime *runtime, unsigned int cond,
				 unsigned int width, unsigned int msbits);
int snd_pcm_hw_constraint_step(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var, unsigned long step);
int snd_pcm_hw_constraint_pow2(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var);
int snd_pcm_hw_rule_add(struct snd_pcm_runtime *runtime, unsigned int cond, int var,
			snd_pcm_hw_rule_func_t func, void *private, int dep, ...);
static inline int snd_pcm_hw_constraint_single(struct snd_pcm_runtime *runtime,
					       snd_pcm_hw_param_t var, unsigned int val)
{
	return snd_pcm_hw_constraint_minmax(runtime, var, val, val);
}
int snd_pcm_limit_hw_rates(struct snd_pcm_runtime *runtime);
unsigned int snd_pcm_rate_to_rate_bit(unsigned int rate);
unsigned int snd_pcm_rate_bit_to_rate(unsigned int rate_bit);

int snd_pcm_format_signed(snd_pcm_format_t format);
int snd_pcm_format_unsigned(snd_pcm_format_t format);
int snd_pcm_format_linear(snd_pcm_format_t format);
int snd_pcm_format_little_endian(snd_pcm_format_t format);
int snd_pcm_format_big_endian(snd_pcm_format_t format);
int snd_pcm_format_width(snd_pcm_format_t format);
int snd_pcm_format_physical_width(snd_pcm_format_t format);
ssize_t snd_pcm_format_size(snd_pcm_format_t format, size_t samples);
int snd_pcm_format_set_silence(snd_pcm_format_t format, void *buf, unsigned int frames);

/* Channel maps, offered as a read-only control per stream. */
struct snd_pcm_chmap_elem {
	unsigned char channels;
	unsigned char map[15];
};
struct snd_pcm_chmap {
	struct snd_pcm *pcm;
	int stream;
	struct snd_kcontrol *kctl;
	const struct snd_pcm_chmap_elem *chmap;
	unsigned int max_channels;
	unsigned int channel_mask;
	void *private_data;
};
extern const struct snd_pcm_chmap_elem snd_pcm_std_chmaps[];
extern const struct snd_pcm_chmap_elem snd_pcm_alt_chmaps[];
#define SND_PCM_CHMAP_MASK_24 ((1U << 2) | (1U << 4))
#define SND_PCM_CHMAP_MASK_246 (SND_PCM_CHMAP_MASK_24 | (1U << 6))
#define SND_PCM_CHMAP_MASK_2468 (SND_PCM_CHMAP_MASK_246 | (1U << 8))
int snd_pcm_add_chmap_ctls(struct snd_pcm *pcm, int stream, const struct snd_pcm_chmap_elem *chmap,
			   int max_channels, unsigned long private_value,
			   struct snd_pcm_chmap **info_ret);

#include <sound/pcm_params.h>

#endif
