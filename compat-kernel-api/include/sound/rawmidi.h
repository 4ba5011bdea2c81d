/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA raw MIDI ports. A card's MIDI port is created and its ops recorded, but nook does
 * not offer it to clients yet, so no substream is ever opened: the data calls, reached only
 * from an open port, are loud stubs (stubs.list).
 */
#ifndef NOOK_SOUND_RAWMIDI_H
#define NOOK_SOUND_RAWMIDI_H

#include <linux/list.h>
#include <sound/asound.h>
#include <sound/core.h>

#define SNDRV_RAWMIDI_DEVICES 8

struct snd_rawmidi;
struct snd_rawmidi_substream;

struct snd_rawmidi_ops {
	int (*open)(struct snd_rawmidi_substream *substream);
	int (*close)(struct snd_rawmidi_substream *substream);
	void (*trigger)(struct snd_rawmidi_substream *substream, int up);
	void (*drain)(struct snd_rawmidi_substream *substream);
};

struct snd_rawmidi_substream {
	struct list_head list;
	int stream;
	int number;
	bool opened;
	bool append;
	bool active_sensing;
	unsigned int framing;
	unsigned int clock_type;
	int use_count;
	size_t bytes;
	struct snd_rawmidi *rmidi;
	const struct snd_rawmidi_ops *ops;
};

struct snd_rawmidi_str {
	unsigned int substream_count;
	unsigned int substream_opened;
	struct list_head substreams;
};

struct snd_rawmidi {
	struct snd_card *card;
	struct list_head list;
	unsigned int device;
	unsigned int info_flags;
	char id[64];
	char name[80];
	void *private_data;
	void (*private_free)(struct snd_rawmidi *rmidi);
	struct snd_rawmidi_str streams[2];
};

int snd_rawmidi_new(struct snd_card *card, char *id, int device, int output_count, int input_count,
		    struct snd_rawmidi **rmidi);
void snd_rawmidi_set_ops(struct snd_rawmidi *rmidi, int stream, const struct snd_rawmidi_ops *ops);
int snd_rawmidi_receive(struct snd_rawmidi_substream *substream, const unsigned char *buffer,
			int count);
int snd_rawmidi_transmit_empty(struct snd_rawmidi_substream *substream);
int snd_rawmidi_transmit_peek(struct snd_rawmidi_substream *substream, unsigned char *buffer,
			      int count);
int snd_rawmidi_transmit_ack(struct snd_rawmidi_substream *substream, int count);
int snd_rawmidi_transmit(struct snd_rawmidi_substream *substream, unsigned char *buffer, int count);

#endif
