// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of alsa-plugin/pcm-nook: the build's pcm.nook loaded by the real alsa-lib
 * (snd_pcm_open_lconf on the build's nook-alsa.conf) against the fake card server.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <alsa/asoundlib.h>

#include "fake-server.h"
#include "plugin-env.h"

#define RATE 48000
#define CHANNELS 2
#define PERIOD 256
#define BUFFER 1024

static char dir[64];
static snd_config_t *lconf;
static struct fake_server *fs;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_pcm(const char *name, snd_pcm_stream_t stream, snd_pcm_t **ret)
{
	return snd_pcm_open_lconf(ret, name, stream, 0, lconf);
}

static void set_params(snd_pcm_t *pcm, snd_pcm_access_t access)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_uframes_t period = PERIOD, buffer = BUFFER;
	unsigned int rate = RATE;

	snd_pcm_hw_params_alloca(&hw);
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	assert_int_equal(snd_pcm_hw_params_set_access(pcm, hw, access), 0);
	assert_int_equal(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), 0);
	assert_int_equal(snd_pcm_hw_params_set_channels(pcm, hw, CHANNELS), 0);
	assert_int_equal(snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, NULL), 0);
	assert_int_equal(rate, RATE);
	assert_int_equal(snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, NULL), 0);
	assert_int_equal(snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer), 0);
	assert_int_equal(snd_pcm_hw_params(pcm, hw), 0);
	assert_int_equal(period, PERIOD);
	assert_int_equal(buffer, BUFFER);
}

static int16_t pattern(size_t frame, unsigned int ch)
{
	return (int16_t)(uint16_t)(frame * 7 + ch * 13 + 1);
}

static int16_t *make_pattern(size_t frames)
{
	int16_t *p = malloc(frames * CHANNELS * sizeof(*p));

	assert_non_null(p);
	for (size_t f = 0; f < frames; f++) {
		for (unsigned int ch = 0; ch < CHANNELS; ch++)
			p[f * CHANNELS + ch] = pattern(f, ch);
	}
	return p;
}

static void check_played(const int16_t *want, size_t frames)
{
	size_t bytes = frames * CHANNELS * sizeof(int16_t);
	int16_t *got = malloc(bytes + 4096);

	assert_non_null(got);
	assert_int_equal(fake_server_played(fs, got, bytes + 4096), bytes);
	assert_memory_equal(got, want, bytes);
	free(got);
}

static void test_playback(void **state)
{
	const size_t frames = 12000; /* 250 ms: several buffers, wrapping the ring */
	int16_t *buf = make_pattern(frames);
	snd_pcm_t *pcm;

	assert_int_equal(open_pcm("nook:DEV=" FAKE_BDF, SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	/* Odd-sized writes, so that copies straddle the ring's end. */
	for (size_t done = 0; done < frames;) {
		size_t n = frames - done < 333 ? frames - done : 333;

		assert_int_equal(snd_pcm_writei(pcm, buf + done * CHANNELS, n),
				 (snd_pcm_sframes_t)n);
		done += n;
	}
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_SETUP);
	check_played(buf, frames);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(buf);
}

/* Fewer frames than the start threshold: drain still plays them. */
static void test_playback_short_drain(void **state)
{
	const size_t frames = 100;
	int16_t *buf = make_pattern(frames);
	snd_pcm_sw_params_t *sw;
	snd_pcm_t *pcm;

	assert_int_equal(open_pcm("nook:" FAKE_BDF, SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	snd_pcm_sw_params_alloca(&sw);
	assert_int_equal(snd_pcm_sw_params_current(pcm, sw), 0);
	assert_int_equal(snd_pcm_sw_params_set_start_threshold(pcm, sw, BUFFER), 0);
	assert_int_equal(snd_pcm_sw_params(pcm, sw), 0);
	assert_int_equal(snd_pcm_writei(pcm, buf, frames), (snd_pcm_sframes_t)frames);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_PREPARED);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	check_played(buf, frames);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(buf);
}

/*
 * A full buffer written, which starts the stream, then drained at once, while the ring still
 * reads PREPARED (nookd copies the driver's state a moment after START is answered): the
 * drain must not start the stream a second time (the card refuses that with EBADFD).
 */
static void test_playback_drain_lagging_state(void **state)
{
	const size_t frames = BUFFER;
	int16_t *buf = make_pattern(frames);
	snd_pcm_t *pcm;

	fake_server_lag_state(fs, 1);
	assert_int_equal(open_pcm("nook:" FAKE_BDF, SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	assert_int_equal(snd_pcm_writei(pcm, buf, frames), (snd_pcm_sframes_t)frames);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_SETUP);
	check_played(buf, frames);
	assert_int_equal(snd_pcm_close(pcm), 0);
	fake_server_lag_state(fs, 0);
	free(buf);
}

static void test_playback_mmap(void **state)
{
	const size_t frames = 4000;
	int16_t *buf = make_pattern(frames);
	snd_pcm_t *pcm;

	assert_int_equal(open_pcm("nook:DEV=00:04.0", SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_MMAP_INTERLEAVED);
	assert_int_equal(snd_pcm_mmap_writei(pcm, buf, frames), (snd_pcm_sframes_t)frames);
	assert_int_equal(snd_pcm_drain(pcm), 0);
	check_played(buf, frames);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(buf);
}

static void test_capture(void **state)
{
	const size_t frames = 4000;
	int16_t *buf = malloc(frames * CHANNELS * sizeof(int16_t));
	snd_pcm_t *pcm;

	assert_non_null(buf);
	assert_int_equal(open_pcm("nook", SND_PCM_STREAM_CAPTURE, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	for (size_t done = 0; done < frames;) {
		size_t n = frames - done < 500 ? frames - done : 500;

		assert_int_equal(snd_pcm_readi(pcm, buf + done * CHANNELS, n),
				 (snd_pcm_sframes_t)n);
		done += n;
	}
	for (size_t f = 0; f < frames; f++) {
		for (unsigned int ch = 0; ch < CHANNELS; ch++)
			assert_int_equal(buf[f * CHANNELS + ch], fake_capture_sample(f, ch));
	}
	assert_int_equal(snd_pcm_drop(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(buf);
}

static void test_refuses_what_the_card_cannot_do(void **state)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_t *pcm;

	assert_int_equal(open_pcm("nook:DEV=" FAKE_BDF, SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	snd_pcm_hw_params_alloca(&hw);
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	assert_int_equal(snd_pcm_hw_params_set_rate(pcm, hw, 96000, 0), -EINVAL);
	assert_int_equal(snd_pcm_hw_params_set_rate(pcm, hw, 12345, 0), -EINVAL);
	assert_int_equal(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S32_LE), -EINVAL);
	assert_int_equal(snd_pcm_hw_params_set_channels(pcm, hw, 6), -EINVAL);
	assert_int_equal(snd_pcm_hw_params_test_rate(pcm, hw, 44100, 0), 0);
	assert_int_equal(snd_pcm_hw_params_test_format(pcm, hw, SND_PCM_FORMAT_S16_LE), 0);
	/* Fixing the refused values by hand: snd_pcm_hw_params refuses the whole. */
	assert_true(snd_pcm_hw_params_any(pcm, hw) >= 0);
	assert_true(snd_pcm_hw_params_set_rate(pcm, hw, 96000, 0) < 0 ||
		    snd_pcm_hw_params(pcm, hw) == -EINVAL);
	assert_int_equal(snd_pcm_close(pcm), 0);
}

static void test_unknown_device(void **state)
{
	snd_pcm_t *pcm = NULL;

	assert_int_equal(open_pcm("nook:DEV=0000:00:09.0", SND_PCM_STREAM_PLAYBACK, &pcm), -ENOENT);
	assert_int_equal(open_pcm("nook:DEV=hw0", SND_PCM_STREAM_PLAYBACK, &pcm), -EINVAL);
	assert_int_equal(open_pcm("nook:DEV=" FAKE_BDF ",DEVICE=3", SND_PCM_STREAM_PLAYBACK, &pcm),
			 -ENODEV);
	assert_null(pcm);
}

static void test_xrun(void **state)
{
	int16_t *buf = make_pattern(BUFFER);
	snd_pcm_t *pcm;

	assert_int_equal(open_pcm("nook", SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	assert_int_equal(snd_pcm_writei(pcm, buf, BUFFER), BUFFER);
	usleep(100 * 1000); /* 4 buffers' time: the card runs dry */
	assert_int_equal(snd_pcm_writei(pcm, buf, PERIOD), -EPIPE);
	assert_int_equal(snd_pcm_state(pcm), SND_PCM_STATE_XRUN);
	assert_int_equal(snd_pcm_prepare(pcm), 0);
	assert_int_equal(snd_pcm_writei(pcm, buf, PERIOD), PERIOD);
	assert_int_equal(snd_pcm_drop(pcm), 0);
	assert_int_equal(snd_pcm_close(pcm), 0);
	free(buf);
}

static void test_server_gone(void **state)
{
	int16_t *buf = make_pattern(BUFFER);
	snd_pcm_sframes_t r = 0;
	snd_pcm_t *pcm;
	int64_t t0;

	assert_int_equal(open_pcm("nook", SND_PCM_STREAM_PLAYBACK, &pcm), 0);
	set_params(pcm, SND_PCM_ACCESS_RW_INTERLEAVED);
	assert_int_equal(snd_pcm_writei(pcm, buf, BUFFER), BUFFER);
	fake_server_stop(fs);
	t0 = now_ms();
	/* Blocking writes into a ring nobody empties: an error, soon, not a hang. */
	for (int i = 0; i < 10 && r >= 0; i++)
		r = snd_pcm_writei(pcm, buf, BUFFER);
	assert_true(r == -ENODEV || r == -EIO);
	assert_true(now_ms() - t0 < 2000);
	assert_true(snd_pcm_drain(pcm) < 0);
	snd_pcm_close(pcm);
	free(buf);
}

static int setup(void **state)
{
	return plugin_env_setup("pcm-plugin", &lconf, dir, sizeof(dir));
}

static int teardown(void **state)
{
	return plugin_env_teardown(lconf, dir);
}

static int start_server(void **state)
{
	fs = fake_server_start(dir);
	return fs ? 0 : -1;
}

static int stop_server(void **state)
{
	fake_server_free(fs);
	fs = NULL;
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, start_server, stop_server)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_playback),
		T(test_playback_short_drain),
		T(test_playback_drain_lagging_state),
		T(test_playback_mmap),
		T(test_capture),
		T(test_refuses_what_the_card_cannot_do),
		T(test_unknown_device),
		T(test_xrun),
		T(test_server_gone),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
