// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/sound-shadow: a card's control values recorded, a stream's progress
 * followed through its requests and replayed as the requests that bring a new driver
 * incarnation to the same point.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "recovery/sound-shadow.h"

#define FORMAT_S16_LE 2
#define FORMAT_S32_LE 10

/* ---- controls ---- */

static struct nook_snd_ctl_value ctl(uint32_t index, int64_t v0, int64_t v1)
{
	struct nook_snd_ctl_value v;

	memset(&v, 0, sizeof(v));
	v.index = index;
	v.changed = 1; /* as a WRITE's reply would say; the shadow keeps 0 */
	v.values[0] = v0;
	v.values[1] = v1;
	return v;
}

static void assert_ctl(const struct nook_snd_ctl_value *got, uint32_t index, int64_t v0, int64_t v1)
{
	struct nook_snd_ctl_value want = ctl(index, v0, v1);

	want.changed = 0;
	assert_non_null(got);
	assert_int_equal(got->index, index);
	assert_int_equal(got->changed, 0);
	assert_int_equal(got->values[0], v0);
	assert_int_equal(got->values[1], v1);
	assert_memory_equal(got, &want, sizeof(want));
}

static void test_no_controls(void **state)
{
	struct nook_sound_shadow s;

	nook_sound_shadow_init(&s);
	assert_null(nook_sound_shadow_ctl(&s, 0));
	nook_sound_shadow_free(&s);
	assert_null(nook_sound_shadow_ctl(&s, 0));
}

static void test_control_write_replaces_keeps_order(void **state)
{
	struct nook_sound_shadow s;
	struct nook_snd_ctl_value v;

	nook_sound_shadow_init(&s);
	v = ctl(5, 10, 11);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	v = ctl(2, 20, 21);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	v = ctl(0, -3, 0);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	/* control 5 again: its value is replaced, in its first place */
	v = ctl(5, 30, 31);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	/* the shadow keeps a copy, not the caller's buffer */
	v.values[0] = 99;

	assert_ctl(nook_sound_shadow_ctl(&s, 0), 5, 30, 31);
	assert_ctl(nook_sound_shadow_ctl(&s, 1), 2, 20, 21);
	assert_ctl(nook_sound_shadow_ctl(&s, 2), 0, -3, 0);
	assert_null(nook_sound_shadow_ctl(&s, 3));
	assert_int_equal(s.n, 3);

	/* the bytes of a BYTES control are kept whole */
	memset(&v, 0, sizeof(v));
	v.index = 2;
	for (size_t i = 0; i < sizeof(v.bytes); i++)
		v.bytes[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	assert_memory_equal(nook_sound_shadow_ctl(&s, 1), &v, sizeof(v));
	assert_ctl(nook_sound_shadow_ctl(&s, 0), 5, 30, 31);
	assert_ctl(nook_sound_shadow_ctl(&s, 2), 0, -3, 0);
	assert_null(nook_sound_shadow_ctl(&s, 3));

	nook_sound_shadow_free(&s);
	assert_null(nook_sound_shadow_ctl(&s, 0));
	assert_int_equal(s.n, 0);
	/* and it can be used again */
	v = ctl(7, 1, 2);
	assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	assert_ctl(nook_sound_shadow_ctl(&s, 0), 7, 1, 2);
	assert_null(nook_sound_shadow_ctl(&s, 1));
	nook_sound_shadow_free(&s);
}

/* More controls than the first allocation (16) holds, and than the second (32). */
#define MANY 45

static uint32_t many_index(size_t i)
{
	return (uint32_t)((i * 17) % MANY); /* every index once, not in order */
}

static void test_many_controls(void **state)
{
	struct nook_sound_shadow s;
	struct nook_snd_ctl_value v;

	nook_sound_shadow_init(&s);
	for (size_t i = 0; i < MANY; i++) {
		v = ctl(many_index(i), (int64_t)i, -(int64_t)i);
		assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	}
	assert_true(s.cap >= MANY);
	/* every other control written again, the last ones first */
	for (size_t i = MANY; i-- > 0;) {
		if (i % 2)
			continue;
		v = ctl(many_index(i), 1000 + (int64_t)i, 0);
		assert_int_equal(nook_sound_shadow_record_ctl(&s, &v), 0);
	}
	for (size_t i = 0; i < MANY; i++) {
		if (i % 2)
			assert_ctl(nook_sound_shadow_ctl(&s, i), many_index(i), (int64_t)i,
				   -(int64_t)i);
		else
			assert_ctl(nook_sound_shadow_ctl(&s, i), many_index(i), 1000 + (int64_t)i,
				   0);
	}
	assert_null(nook_sound_shadow_ctl(&s, MANY));
	assert_int_equal(s.n, MANY);
	nook_sound_shadow_free(&s);
	assert_null(nook_sound_shadow_ctl(&s, 0));
}

/* ---- streams ---- */

/* A request of @op done by the driver with @err. */
static void record(struct nook_sound_stream_shadow *s, uint32_t op, int err)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	q.op = a.op = op;
	q.seq = a.seq = 41;
	a.err = err;
	if (op == NOOK_SND_PCM_PREPARE)
		q.prepare.position = 777; /* what the client asked; replay's position wins */
	nook_sound_stream_record(s, &q, &a);
}

static void record_open(struct nook_sound_stream_shadow *s, uint32_t device, uint32_t stream,
			int err)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	q.op = a.op = NOOK_SND_PCM_OPEN;
	q.seq = a.seq = 3;
	q.pcm_open.device = device;
	q.pcm_open.stream = stream;
	a.err = err;
	a.pcm_caps.rate_min = 8000; /* whatever the reply says, the request names the PCM */
	a.pcm_caps.rate_max = 48000;
	nook_sound_stream_record(s, &q, &a);
}

/* What the client asked for, and what the driver granted. */
static const struct nook_snd_hw_params asked = {
	.format = FORMAT_S16_LE,
	.channels = 2,
	.rate = 44100,
	.period_frames = 1000,
	.periods = 3,
};
static const struct nook_snd_hw_params granted = {
	.format = FORMAT_S16_LE,
	.channels = 2,
	.rate = 48000,
	.period_frames = 1024,
	.periods = 4,
	.frame_bytes = 4,
	.buffer_frames = 4096,
};

static void record_hw_params(struct nook_sound_stream_shadow *s,
			     const struct nook_snd_hw_params *ask,
			     const struct nook_snd_hw_params *grant, int err)
{
	struct nook_snd_req q;
	struct nook_snd_reply a;

	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	q.op = a.op = NOOK_SND_PCM_HW_PARAMS;
	q.seq = a.seq = 4;
	q.hw_params = *ask;
	a.err = err;
	if (grant)
		a.hw_params = *grant;
	nook_sound_stream_record(s, &q, &a);
}

/* A stream on PCM 1, playback, with the params above granted, brought to @stage. */
static void bring_to(struct nook_sound_stream_shadow *s, enum nook_sound_stage stage)
{
	memset(s, 0, sizeof(*s));
	if (stage == NOOK_SOUND_CLOSED)
		return;
	record_open(s, 1, NOOK_SND_PLAYBACK, 0);
	assert_int_equal(s->stage, NOOK_SOUND_OPEN);
	if (stage == NOOK_SOUND_OPEN)
		return;
	record_hw_params(s, &asked, &granted, 0);
	assert_int_equal(s->stage, NOOK_SOUND_SETUP);
	if (stage == NOOK_SOUND_SETUP)
		return;
	record(s, NOOK_SND_PCM_PREPARE, 0);
	assert_int_equal(s->stage, NOOK_SOUND_PREPARED);
	if (stage == NOOK_SOUND_PREPARED)
		return;
	record(s, NOOK_SND_PCM_START, 0);
	assert_int_equal(s->stage, NOOK_SOUND_RUNNING);
	if (stage == NOOK_SOUND_RUNNING)
		return;
	record(s, NOOK_SND_PCM_DRAIN, 0);
	assert_int_equal(s->stage, NOOK_SOUND_DRAINING);
}

/* The expected replay requests, built whole so that every byte is compared. */
static struct nook_snd_req want_op(uint32_t op)
{
	struct nook_snd_req q;

	memset(&q, 0, sizeof(q));
	q.op = op;
	return q;
}

static struct nook_snd_req want_open(uint32_t device, uint32_t stream)
{
	struct nook_snd_req q = want_op(NOOK_SND_PCM_OPEN);

	q.pcm_open.device = device;
	q.pcm_open.stream = stream;
	return q;
}

static struct nook_snd_req want_hw_params(const struct nook_snd_hw_params *p)
{
	struct nook_snd_req q = want_op(NOOK_SND_PCM_HW_PARAMS);

	q.hw_params = *p;
	/* what only a reply says is not asked again */
	q.hw_params.frame_bytes = 0;
	q.hw_params.buffer_frames = 0;
	return q;
}

static struct nook_snd_req want_prepare(uint64_t position)
{
	struct nook_snd_req q = want_op(NOOK_SND_PCM_PREPARE);

	q.prepare.position = position;
	return q;
}

/* Replay @s at @position and compare with want[0..n-1]. */
static void assert_replay(const struct nook_sound_stream_shadow *s, uint64_t position,
			  const struct nook_snd_req *want, size_t n)
{
	struct nook_snd_req got[NOOK_SOUND_REPLAY_MAX + 1];

	memset(got, 0xa5, sizeof(got)); /* stale bytes must not leak into the requests */
	assert_int_equal(nook_sound_stream_replay(s, position, got), n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].op, want[i].op);
		assert_memory_equal(&got[i], &want[i], sizeof(want[i]));
	}
	/* nothing written past the room the caller must have */
	for (size_t i = 0; i < sizeof(got[0]); i++)
		assert_int_equal(((const uint8_t *)&got[NOOK_SOUND_REPLAY_MAX])[i], 0xa5);
}

#define POSITION 0x100000005ull /* more than 32 bits of frames */

static void test_closed_replays_nothing(void **state)
{
	struct nook_sound_stream_shadow s;

	bring_to(&s, NOOK_SOUND_CLOSED);
	assert_replay(&s, POSITION, NULL, 0);
}

static void test_open_replays_open(void **state)
{
	struct nook_sound_stream_shadow s;
	const struct nook_snd_req want[] = { want_open(3, NOOK_SND_CAPTURE) };

	memset(&s, 0, sizeof(s));
	record_open(&s, 3, NOOK_SND_CAPTURE, 0);
	assert_int_equal(s.stage, NOOK_SOUND_OPEN);
	assert_int_equal(s.pcm.device, 3);
	assert_int_equal(s.pcm.stream, NOOK_SND_CAPTURE);
	assert_replay(&s, POSITION, want, 1);
}

static void test_setup_replays_granted_params(void **state)
{
	struct nook_sound_stream_shadow s;
	const struct nook_snd_req want[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
	};

	bring_to(&s, NOOK_SOUND_SETUP);
	/* the driver's grant is kept, not the client's ask */
	assert_memory_equal(&s.params, &granted, sizeof(granted));
	assert_replay(&s, POSITION, want, 3);
	assert_int_equal(want[1].hw_params.rate, 48000);
	assert_int_equal(want[1].hw_params.period_frames, 1024);
	assert_int_equal(want[1].hw_params.periods, 4);
}

static void test_prepared_replays_prepare_at_position(void **state)
{
	struct nook_sound_stream_shadow s;
	const struct nook_snd_req want[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
		want_prepare(POSITION),
	};
	const struct nook_snd_req want0[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
		want_prepare(0),
	};

	bring_to(&s, NOOK_SOUND_PREPARED);
	assert_replay(&s, POSITION, want, 4);
	assert_replay(&s, 0, want0, 4);
}

static void test_running_replays_start(void **state)
{
	struct nook_sound_stream_shadow s;
	const struct nook_snd_req want[] = {
		want_open(1, NOOK_SND_PLAYBACK), want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),	 want_prepare(POSITION),
		want_op(NOOK_SND_PCM_START),
	};

	bring_to(&s, NOOK_SOUND_RUNNING);
	assert_replay(&s, POSITION, want, 5);
}

static void test_draining_replays_start_drain(void **state)
{
	struct nook_sound_stream_shadow s;
	const struct nook_snd_req want[] = {
		want_open(1, NOOK_SND_PLAYBACK), want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),	 want_prepare(POSITION),
		want_op(NOOK_SND_PCM_START),	 want_op(NOOK_SND_PCM_DRAIN),
	};

	bring_to(&s, NOOK_SOUND_DRAINING);
	assert_replay(&s, POSITION, want, NOOK_SOUND_REPLAY_MAX);
}

/* A request the driver refused leaves the shadow exactly as it was, at every stage. */
static void test_refused_changes_nothing(void **state)
{
	static const uint32_t ops[] = {
		NOOK_SND_PCM_OPEN,    NOOK_SND_PCM_HW_PARAMS, NOOK_SND_PCM_HW_FREE,
		NOOK_SND_PCM_PREPARE, NOOK_SND_PCM_START,     NOOK_SND_PCM_STOP,
		NOOK_SND_PCM_DRAIN,   NOOK_SND_PCM_CLOSE,
	};
	static const struct nook_snd_hw_params other = {
		.format = FORMAT_S32_LE,
		.channels = 6,
		.rate = 96000,
		.period_frames = 64,
		.periods = 2,
		.frame_bytes = 24,
		.buffer_frames = 128,
	};
	static const int errs[] = { -EBADFD, -EINVAL, -EIO, -1 };

	for (int stage = NOOK_SOUND_CLOSED; stage <= NOOK_SOUND_DRAINING; stage++) {
		for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
			for (size_t e = 0; e < sizeof(errs) / sizeof(errs[0]); e++) {
				struct nook_sound_stream_shadow s, before;

				bring_to(&s, (enum nook_sound_stage)stage);
				before = s;
				if (ops[o] == NOOK_SND_PCM_OPEN)
					record_open(&s, 5, NOOK_SND_CAPTURE, errs[e]);
				else if (ops[o] == NOOK_SND_PCM_HW_PARAMS)
					record_hw_params(&s, &other, &other, errs[e]);
				else
					record(&s, ops[o], errs[e]);
				assert_int_equal(s.stage, stage);
				assert_memory_equal(&s, &before, sizeof(s));
			}
		}
	}
}

/* Requests that are not a stream's (the card's, the controls') change nothing. */
static void test_other_requests_change_nothing(void **state)
{
	static const uint32_t ops[] = {
		NOOK_SND_HELLO,
		NOOK_SND_CTL_COUNT,
		NOOK_SND_CTL_INFO,
		NOOK_SND_CTL_ENUM_ITEM,
		NOOK_SND_CTL_READ,
		NOOK_SND_CTL_WRITE,
		NOOK_SND_CTL_TLV,
		NOOK_SND_SV_CONNECT,
		NOOK_SND_SV_RING,
		0,
		1000,
	};

	for (int stage = NOOK_SOUND_CLOSED; stage <= NOOK_SOUND_DRAINING; stage++) {
		for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
			struct nook_sound_stream_shadow s, before;

			bring_to(&s, (enum nook_sound_stage)stage);
			before = s;
			record(&s, ops[o], 0);
			assert_memory_equal(&s, &before, sizeof(s));
		}
	}
}

static void test_hw_free_back_to_open(void **state)
{
	static const struct nook_snd_hw_params again = {
		.format = FORMAT_S32_LE,
		.channels = 1,
		.rate = 22050,
		.period_frames = 256,
		.periods = 8,
		.frame_bytes = 4,
		.buffer_frames = 2048,
	};
	const struct nook_snd_req want_open_only[] = { want_open(1, NOOK_SND_PLAYBACK) };
	const struct nook_snd_req want_again[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&again),
		want_op(NOOK_SND_SV_RING),
	};
	struct nook_sound_stream_shadow s;

	/* from every stage with hw_params, HW_FREE leaves the stream open */
	for (int stage = NOOK_SOUND_SETUP; stage <= NOOK_SOUND_DRAINING; stage++) {
		bring_to(&s, (enum nook_sound_stage)stage);
		record(&s, NOOK_SND_PCM_HW_FREE, 0);
		assert_int_equal(s.stage, NOOK_SOUND_OPEN);
		assert_replay(&s, POSITION, want_open_only, 1);
	}
	/* on an open stream it changes nothing, on a closed one it opens nothing */
	bring_to(&s, NOOK_SOUND_OPEN);
	record(&s, NOOK_SND_PCM_HW_FREE, 0);
	assert_int_equal(s.stage, NOOK_SOUND_OPEN);
	assert_replay(&s, POSITION, want_open_only, 1);
	bring_to(&s, NOOK_SOUND_CLOSED);
	record(&s, NOOK_SND_PCM_HW_FREE, 0);
	assert_int_equal(s.stage, NOOK_SOUND_CLOSED);
	assert_replay(&s, POSITION, NULL, 0);

	/* new params after HW_FREE are the ones replayed */
	bring_to(&s, NOOK_SOUND_RUNNING);
	record(&s, NOOK_SND_PCM_HW_FREE, 0);
	record_hw_params(&s, &again, &again, 0);
	assert_int_equal(s.stage, NOOK_SOUND_SETUP);
	assert_replay(&s, POSITION, want_again, 3);
}

static void test_hw_params_again_replaces(void **state)
{
	static const struct nook_snd_hw_params again = {
		.format = FORMAT_S32_LE,
		.channels = 4,
		.rate = 32000,
		.period_frames = 512,
		.periods = 2,
		.frame_bytes = 16,
		.buffer_frames = 1024,
	};
	const struct nook_snd_req want[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&again),
		want_op(NOOK_SND_SV_RING),
	};
	struct nook_sound_stream_shadow s;

	/* hw_params on a prepared stream sets it up anew, with the new grant */
	bring_to(&s, NOOK_SOUND_PREPARED);
	record_hw_params(&s, &asked, &again, 0);
	assert_int_equal(s.stage, NOOK_SOUND_SETUP);
	assert_memory_equal(&s.params, &again, sizeof(again));
	assert_replay(&s, POSITION, want, 3);
}

static void test_close(void **state)
{
	struct nook_sound_stream_shadow s, zero;
	const struct nook_snd_req want[] = { want_open(2, NOOK_SND_CAPTURE) };

	memset(&zero, 0, sizeof(zero));
	for (int stage = NOOK_SOUND_CLOSED; stage <= NOOK_SOUND_DRAINING; stage++) {
		bring_to(&s, (enum nook_sound_stage)stage);
		record(&s, NOOK_SND_PCM_CLOSE, 0);
		assert_int_equal(s.stage, NOOK_SOUND_CLOSED);
		/* nothing of the old stream is kept */
		assert_memory_equal(&s, &zero, sizeof(s));
		assert_replay(&s, POSITION, NULL, 0);
	}
	/* the same connection may open another PCM */
	record_open(&s, 2, NOOK_SND_CAPTURE, 0);
	assert_replay(&s, POSITION, want, 1);
}

static void test_stop_back_to_setup(void **state)
{
	const struct nook_snd_req want_setup[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
	};
	const struct nook_snd_req want_open_only[] = { want_open(1, NOOK_SND_PLAYBACK) };
	struct nook_sound_stream_shadow s;

	for (int stage = NOOK_SOUND_SETUP; stage <= NOOK_SOUND_DRAINING; stage++) {
		/* a client's STOP */
		bring_to(&s, (enum nook_sound_stage)stage);
		record(&s, NOOK_SND_PCM_STOP, 0);
		assert_int_equal(s.stage, NOOK_SOUND_SETUP);
		assert_memory_equal(&s.params, &granted, sizeof(granted));
		assert_replay(&s, POSITION, want_setup, 3);

		/* the stream stopping on its own: an underrun, or a drain played out */
		bring_to(&s, (enum nook_sound_stage)stage);
		nook_sound_stream_stopped(&s);
		assert_int_equal(s.stage, NOOK_SOUND_SETUP);
		assert_memory_equal(&s.params, &granted, sizeof(granted));
		assert_replay(&s, POSITION, want_setup, 3);
	}

	/* a stream without hw_params has nothing to stop */
	bring_to(&s, NOOK_SOUND_OPEN);
	nook_sound_stream_stopped(&s);
	assert_int_equal(s.stage, NOOK_SOUND_OPEN);
	assert_replay(&s, POSITION, want_open_only, 1);
	record(&s, NOOK_SND_PCM_STOP, 0);
	assert_int_equal(s.stage, NOOK_SOUND_OPEN);
	bring_to(&s, NOOK_SOUND_CLOSED);
	nook_sound_stream_stopped(&s);
	assert_int_equal(s.stage, NOOK_SOUND_CLOSED);
	record(&s, NOOK_SND_PCM_STOP, 0);
	assert_int_equal(s.stage, NOOK_SOUND_CLOSED);
	assert_replay(&s, POSITION, NULL, 0);

	/* stopped, it can be prepared and started again */
	bring_to(&s, NOOK_SOUND_RUNNING);
	nook_sound_stream_stopped(&s);
	record(&s, NOOK_SND_PCM_PREPARE, 0);
	assert_int_equal(s.stage, NOOK_SOUND_PREPARED);
	record(&s, NOOK_SND_PCM_START, 0);
	assert_int_equal(s.stage, NOOK_SOUND_RUNNING);
}

static void test_drain_not_running_stops(void **state)
{
	const struct nook_snd_req want_setup[] = {
		want_open(1, NOOK_SND_PLAYBACK),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
	};
	struct nook_sound_stream_shadow s;

	/* set up or prepared but never started: it stops at once */
	for (int stage = NOOK_SOUND_SETUP; stage <= NOOK_SOUND_PREPARED; stage++) {
		bring_to(&s, (enum nook_sound_stage)stage);
		record(&s, NOOK_SND_PCM_DRAIN, 0);
		assert_int_equal(s.stage, NOOK_SOUND_SETUP);
		assert_replay(&s, POSITION, want_setup, 3);
	}
	/* draining already: a second DRAIN is a stop (as the driver does it) */
	bring_to(&s, NOOK_SOUND_DRAINING);
	record(&s, NOOK_SND_PCM_DRAIN, 0);
	assert_int_equal(s.stage, NOOK_SOUND_SETUP);
	assert_replay(&s, POSITION, want_setup, 3);
}

/* Only playback drains: a running capture stream's DRAIN stops it, as the driver does. */
static void test_capture_drain_stops(void **state)
{
	const struct nook_snd_req want_setup[] = {
		want_open(0, NOOK_SND_CAPTURE),
		want_hw_params(&granted),
		want_op(NOOK_SND_SV_RING),
	};
	struct nook_sound_stream_shadow s;

	memset(&s, 0, sizeof(s));
	record_open(&s, 0, NOOK_SND_CAPTURE, 0);
	record_hw_params(&s, &asked, &granted, 0);
	record(&s, NOOK_SND_PCM_PREPARE, 0);
	record(&s, NOOK_SND_PCM_START, 0);
	assert_int_equal(s.stage, NOOK_SOUND_RUNNING);
	record(&s, NOOK_SND_PCM_DRAIN, 0);
	assert_int_equal(s.stage, NOOK_SOUND_SETUP);
	assert_replay(&s, POSITION, want_setup, 3);
}

/* A DRAIN on a stream without hw_params does not make up a setup to replay. */
static void test_drain_without_params(void **state)
{
	const struct nook_snd_req want_open_only[] = { want_open(1, NOOK_SND_PLAYBACK) };
	struct nook_sound_stream_shadow s;

	bring_to(&s, NOOK_SOUND_OPEN);
	record(&s, NOOK_SND_PCM_DRAIN, 0);
	assert_int_equal(s.stage, NOOK_SOUND_OPEN);
	assert_replay(&s, POSITION, want_open_only, 1);
	bring_to(&s, NOOK_SOUND_CLOSED);
	record(&s, NOOK_SND_PCM_DRAIN, 0);
	assert_int_equal(s.stage, NOOK_SOUND_CLOSED);
	assert_replay(&s, POSITION, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_controls),
		cmocka_unit_test(test_control_write_replaces_keeps_order),
		cmocka_unit_test(test_many_controls),
		cmocka_unit_test(test_closed_replays_nothing),
		cmocka_unit_test(test_open_replays_open),
		cmocka_unit_test(test_setup_replays_granted_params),
		cmocka_unit_test(test_prepared_replays_prepare_at_position),
		cmocka_unit_test(test_running_replays_start),
		cmocka_unit_test(test_draining_replays_start_drain),
		cmocka_unit_test(test_refused_changes_nothing),
		cmocka_unit_test(test_other_requests_change_nothing),
		cmocka_unit_test(test_hw_free_back_to_open),
		cmocka_unit_test(test_hw_params_again_replaces),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_stop_back_to_setup),
		cmocka_unit_test(test_drain_not_running_stops),
		cmocka_unit_test(test_capture_drain_stops),
		cmocka_unit_test(test_drain_without_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
