/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake nook sound card server for the plugins' tests: the protocol of sound-proto.h served
 * from a thread, with a card clock that plays one period at a time on a timer.
 *
 * The card: PCM device 0 with a playback and a capture stream, S16_LE only, 1-2 channels,
 * rates 8000..48000 (the standard ones). Playback frames are kept for the test to compare;
 * capture produces fake_capture_sample(). Mixer: 0 "Master Playback Volume" (INTEGER, 2
 * values, 0..31, TLV DB_SCALE -46.5 dB step 1.5 dB), 1 "Master Playback Switch" (BOOLEAN),
 * 2 "Capture Source" (ENUMERATED: Mic, Line, CD).
 */
#ifndef NOOK_TEST_FAKE_SERVER_H
#define NOOK_TEST_FAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#define FAKE_BDF "0000:00:04.0"
#define FAKE_TLV_DB_MIN (-4650)
#define FAKE_TLV_DB_STEP 150

struct fake_server;

/* Serve the card at @dir/FAKE_BDF; NULL on failure (errno set). */
struct fake_server *fake_server_start(const char *dir);

/* The server goes away at once, as a crashed one would: connections and socket closed. */
void fake_server_stop(struct fake_server *fs);

/* Stop if still running, and free. */
void fake_server_free(struct fake_server *fs);

/*
 * @on: the ring's state lags the answers, as nookd's copy of a driver's ring does: a stream
 * answered START still reads PREPARED until the card's first period.
 */
void fake_server_lag_state(struct fake_server *fs, int on);

/* The bytes the card has played so far (all playback streams, in order), into @buf. */
size_t fake_server_played(struct fake_server *fs, void *buf, size_t max);

/* What the card captures: sample @ch of frame @frame since PREPARE. */
int16_t fake_capture_sample(uint64_t frame, unsigned int ch);

#endif
