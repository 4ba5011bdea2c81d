// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw MIDI ports: created as a card device with their substreams and ops, never opened
 * (nook does not serve MIDI yet). The data calls are in stubs.list: reaching one would
 * mean a port was opened, which nothing here does.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/rawmidi.h>

static void free_substreams(struct snd_rawmidi_str *str)
{
	while (!list_empty(&str->substreams)) {
		struct snd_rawmidi_substream *s =
			list_first_entry(&str->substreams, struct snd_rawmidi_substream, list);

		list_del(&s->list);
		kfree(s);
	}
}

static int rawmidi_dev_free(struct snd_device *device)
{
	struct snd_rawmidi *rmidi = device->device_data;

	if (rmidi->private_free)
		rmidi->private_free(rmidi);
	free_substreams(&rmidi->streams[SNDRV_RAWMIDI_STREAM_OUTPUT]);
	free_substreams(&rmidi->streams[SNDRV_RAWMIDI_STREAM_INPUT]);
	kfree(rmidi);
	return 0;
}

static int new_substreams(struct snd_rawmidi *rmidi, int stream, int count)
{
	struct snd_rawmidi_str *str = &rmidi->streams[stream];

	INIT_LIST_HEAD(&str->substreams);
	str->substream_count = count;
	for (int k = 0; k < count; k++) {
		struct snd_rawmidi_substream *s = kzalloc(sizeof(*s), GFP_KERNEL);

		if (!s)
			return -ENOMEM;
		s->stream = stream;
		s->number = k;
		s->rmidi = rmidi;
		list_add_tail(&s->list, &str->substreams);
	}
	return 0;
}

int snd_rawmidi_new(struct snd_card *card, char *id, int device, int output_count, int input_count,
		    struct snd_rawmidi **rrawmidi)
{
	static const struct snd_device_ops ops = { .dev_free = rawmidi_dev_free };
	struct snd_rawmidi *rmidi = kzalloc(sizeof(*rmidi), GFP_KERNEL);
	int r;

	if (!rmidi)
		return -ENOMEM;
	rmidi->card = card;
	rmidi->device = device;
	if (id)
		strscpy(rmidi->id, id, sizeof(rmidi->id));
	INIT_LIST_HEAD(&rmidi->streams[0].substreams);
	INIT_LIST_HEAD(&rmidi->streams[1].substreams);
	r = new_substreams(rmidi, SNDRV_RAWMIDI_STREAM_OUTPUT, output_count);
	if (!r)
		r = new_substreams(rmidi, SNDRV_RAWMIDI_STREAM_INPUT, input_count);
	if (!r)
		r = snd_device_new(card, SNDRV_DEV_RAWMIDI, rmidi, &ops);
	if (r) {
		free_substreams(&rmidi->streams[0]);
		free_substreams(&rmidi->streams[1]);
		kfree(rmidi);
		return r;
	}
	if (rrawmidi)
		*rrawmidi = rmidi;
	return 0;
}

void snd_rawmidi_set_ops(struct snd_rawmidi *rmidi, int stream, const struct snd_rawmidi_ops *ops)
{
	struct snd_rawmidi_substream *s;

	list_for_each_entry(s, &rmidi->streams[stream].substreams, list)
		s->ops = ops;
}
