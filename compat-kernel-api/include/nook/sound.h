/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sound host interface: how the driver program's sound shim reaches the card a driver
 * created. Plain C types only. Functions marked (task) may sleep in the driver and must run
 * in a kernel task (nook_snd_run); the others may be called from any compat context.
 */
#ifndef NOOK_SOUND_H
#define NOOK_SOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nook_snd_host {
	/* The driver registered its card: it can be served now. */
	void (*card_registered)(void *ctx);
	/* The card is going away (disconnect or free). */
	void (*card_gone)(void *ctx);
};
void nook_snd_set_host(const struct nook_snd_host *host, void *ctx);

/* Run @fn(@arg) in a new kernel task. */
int nook_snd_run(int (*fn)(void *arg), void *arg, const char *name);

#define NOOK_SND_DESC_PCMS 8
struct nook_snd_card_desc {
	char id[16], driver[16];
	char name[32], longname[80], mixername[80];
	unsigned int n_pcms;
	struct {
		unsigned int device;
		unsigned int playback, capture; /* substreams */
		char name[80];
	} pcms[NOOK_SND_DESC_PCMS];
};
/* -ENODEV when no card is registered. */
int nook_snd_card_describe(struct nook_snd_card_desc *d);

struct nook_snd_substream; /* an open substream */

struct nook_snd_stream_caps {
	uint64_t formats; /* 1 << SNDRV_PCM_FORMAT_* */
	unsigned int channels_min, channels_max;
	unsigned int rate_min, rate_max;
	unsigned int n_rates;
	unsigned int rates[16]; /* standard rates the driver accepts, ascending */
	unsigned int period_bytes_min, period_bytes_max;
	unsigned int periods_min, periods_max;
	unsigned int buffer_bytes_max;
};

/* (task) Open a free substream of PCM @device, direction @capture; -EBUSY if none is free. */
int nook_snd_pcm_open(unsigned int device, bool capture, struct nook_snd_substream **ret);
void nook_snd_pcm_caps(struct nook_snd_substream *s, struct nook_snd_stream_caps *caps);
/*
 * (task) Set the stream up: -EINVAL when the driver refuses the combination. The period
 * size and count may be adjusted to what the buffer holds; the granted values are stored
 * back.
 */
int nook_snd_pcm_hw_params(struct nook_snd_substream *s, unsigned int format, unsigned int channels,
			   unsigned int rate, unsigned int *period_frames, unsigned int *periods);
int nook_snd_pcm_hw_free(struct nook_snd_substream *s); /* (task) */
int nook_snd_pcm_prepare(struct nook_snd_substream *s); /* (task) */
int nook_snd_pcm_start(struct nook_snd_substream *s);
int nook_snd_pcm_stop(struct nook_snd_substream *s);
void nook_snd_pcm_close(struct nook_snd_substream *s); /* (task) */

/* The DMA buffer the card plays from or records into, and its geometry. */
void *nook_snd_pcm_buffer(struct nook_snd_substream *s);
unsigned int nook_snd_pcm_buffer_frames(struct nook_snd_substream *s);
unsigned int nook_snd_pcm_frame_bytes(struct nook_snd_substream *s);
/* Fill @frames frames at @offset (frames into the buffer) with the format's silence. */
void nook_snd_pcm_silence(struct nook_snd_substream *s, unsigned int offset, unsigned int frames);
/* Frames the card has played or captured since prepare. */
uint64_t nook_snd_pcm_position(struct nook_snd_substream *s);
/* Running (false: stopped, or stopped by the driver or an xrun). */
bool nook_snd_pcm_running(struct nook_snd_substream *s);
/* @fn(@arg) after each period the card completes and when the stream stops. */
void nook_snd_pcm_set_notify(struct nook_snd_substream *s, void (*fn)(void *arg), void *arg);

/* Mixer elements, 0..count-1 in the card's order. */
struct nook_snd_ctl_desc {
	unsigned int iface, device, subdevice, index;
	char name[44];
	unsigned int type, access, count;
	int64_t min, max, step;
	unsigned int items;
};
unsigned int nook_snd_ctl_elems(void);
int nook_snd_ctl_describe(unsigned int n, struct nook_snd_ctl_desc *d);			/* (task) */
int nook_snd_ctl_item_name(unsigned int n, unsigned int item, char *name, size_t size); /* (task) */
/* Values: integers (count of them) or bytes (count bytes; IEC958: 24+... raw). */
int nook_snd_ctl_read(unsigned int n, int64_t *values, uint8_t *bytes,
		      size_t bytes_size); /* (task) */
/* 1 if the value changed, 0 if not, or -errno. */
int nook_snd_ctl_write(unsigned int n, const int64_t *values, const uint8_t *bytes,
		       size_t bytes_size); /* (task) */
/* The control's TLV words into @tlv (at most @max): the count, 0 if none. */
int nook_snd_ctl_tlv(unsigned int n, uint32_t *tlv, unsigned int max); /* (task) */

#endif
