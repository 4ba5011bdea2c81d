// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/driver-channel: what nookd takes from a running driver's control
 * channel and its stderr. The real driver-channel.c runs against a socketpair and a pipe that
 * stand for the driver's; the rest of nookd (supervisor.c, silent-watch.c, the sound server)
 * is stubbed here, and nookd's clock is the test's.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "shims/control/control-driver.h"
#include "daemon/run-state.h"
#include "daemon/supervised.h"
#include "daemon/sound-server.h"
#include "recovery/net-replay.h"
#include "recovery/standby.h"
#include "recovery/silent-watch.h"

/* ---- the rest of nookd, stubbed ---- */

static struct {
	struct ev_loop *loop;
	struct nookd d;
	struct nook_device dev;
	struct nookd_dev nd;
	int drv_ctl;	 /* the driver's end of the control channel */
	int drv_log;	 /* the driver's end of its stderr */
	uint64_t now_ms; /* nookd's clock */
	unsigned int beats, kills;
	unsigned int resets_asked; /* requests that may reset the link (silent_watch_reset_asked) */
	int kill_sig;
	uint64_t killed_at_ms;
} T;

uint64_t nookd_now_ms(void)
{
	return T.now_ms;
}

void nookd_dev_set_state(struct nookd_dev *nd, enum nook_dev_state state)
{
	nd->dev->state = state;
}

void nookd_dev_log(struct nookd_dev *nd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", nd->dev->addr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void nookd_dev_logp(struct nookd_dev *nd, int priority, const char *message_id, const char *fmt,
		    ...)
{
	va_list ap;

	fprintf(stderr, "<%d>%s: ", priority, nd->dev->addr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void nookd_dev_kill(struct nookd_dev *nd, int sig)
{
	if (!T.kills++)
		T.killed_at_ms = T.now_ms;
	T.kill_sig = sig;
}

void nookd_standby_later(struct nookd_dev *nd, unsigned int delay_ms)
{
}

void silent_watch_carrier(struct nookd_dev *nd, bool up)
{
}

void silent_watch_stats(struct nookd_dev *nd, const struct nook_ctl_stats *s)
{
}

void silent_watch_beat(struct nookd_dev *nd)
{
	T.beats++;
}

void silent_watch_reset_asked(struct nookd_dev *nd)
{
	T.resets_asked++;
}

void nookd_sound_driver_ready(struct nookd_sound *s)
{
}

/* the record for the nookd after this one (run-state.h): nothing to keep here */
void nookd_run_state_save(struct nookd *d, const struct nook_device *dev)
{
}

int nookd_restart(struct nookd *d, struct nook_device *dev, struct nook_err *err)
{
	return 0;
}

/* ---- the fixture: one running incarnation ---- */

static int setup(void **state)
{
	int sp[2], lp[2];

	memset(&T, 0, sizeof(T));
	T.loop = ev_loop_new(EVFLAG_AUTO);
	if (!T.loop || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0 ||
	    pipe2(lp, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	T.d.loop = T.loop;
	snprintf(T.dev.addr, sizeof(T.dev.addr), "0000:00:03.0");
	snprintf(T.dev.driver, sizeof(T.dev.driver), "e1000");
	T.dev.state = NOOK_DEV_RUNNING;
	T.dev.pid = 4242;
	T.dev.priv = &T.nd;
	T.nd.d = &T.d;
	T.nd.dev = &T.dev;
	T.nd.tap_fd = -1;
	T.nd.verdict_kind = -1;
	T.nd.ctl_fd = sp[0];
	T.nd.log_fd = lp[0];
	T.drv_ctl = sp[1];
	T.drv_log = lp[1];
	/* nookd's end is non-blocking, as spawn.c makes it; the driver's blocks no test */
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	ev_io_init(&T.nd.ctl_io, driver_channel_on_control, sp[0], EV_READ);
	ev_io_init(&T.nd.log_io, driver_channel_on_log, lp[0], EV_READ);
	ev_init(&T.nd.ethtool_timer, driver_channel_on_ethtool_timeout);
	T.nd.ctl_io.data = T.nd.log_io.data = T.nd.ethtool_timer.data = &T.nd;
	nookd_net_replay_init(&T.nd);
	ev_io_start(T.loop, &T.nd.ctl_io);
	T.now_ms = 1000000;
	return 0;
}

static int teardown(void **state)
{
	ev_io_stop(T.loop, &T.nd.ctl_io);
	close(T.nd.ctl_fd);
	close(T.nd.log_fd);
	close(T.drv_ctl);
	close(T.drv_log);
	ev_loop_destroy(T.loop);
	return 0;
}

/* The driver sends heartbeats until the channel is full: how many. */
static unsigned int fill_with_beats(void)
{
	unsigned int n = 0;

	while (nook_ctl_driver_heartbeat(T.drv_ctl) == 0)
		n++;
	return n;
}

static void send_beats(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(nook_ctl_driver_heartbeat(T.drv_ctl), 0);
}

/* nookd's loop wakes for the channel: one callback. */
static void wake(void)
{
	driver_channel_on_control(T.loop, &T.nd.ctl_io, EV_READ);
}

/* nookd reads until the channel is empty (or nookd stops reading it). */
static void wake_until_empty(void)
{
	struct nook_ctl_msg m;

	for (int i = 0; i < 100000 && ev_is_active(&T.nd.ctl_io); i++) {
		wake();
		if (recv(T.nd.ctl_fd, &m, 1, MSG_PEEK | MSG_DONTWAIT) < 0)
			return;
	}
}

/* ---- 1. a flood ---- */

/* One wake-up of nookd's loop reads a bounded number of messages, whatever is waiting. */
static void test_one_wakeup_reads_a_budget(void **state)
{
	unsigned int sent = 200, first; /* within a second's rate */

	send_beats(sent);
	wake();
	first = T.beats;
	assert_true(first > 0);
	assert_true(first <= 64);
	/* the rest waits for the loop's next turn, and is read then */
	wake_until_empty();
	assert_int_equal(T.beats, sent);
	assert_int_equal(T.kills, 0);
}

/*
 * A driver that sends far more heartbeats than any beat needs, on and on: what is over the
 * rate is dropped, and after a few seconds of it the driver is stopped as a failure.
 */
static void test_sustained_flood_is_a_failure(void **state)
{
	unsigned int sent = 0;

	for (int round = 0; round < 200 && !T.kills; round++) {
		sent += fill_with_beats();
		wake_until_empty();
		T.now_ms += 50;
	}
	assert_int_equal(T.kills, 1);
	assert_int_equal(T.kill_sig, SIGKILL);
	assert_int_equal(T.nd.verdict_kind, NOOK_FAILURE_PROTOCOL);
	assert_non_null(strstr(T.nd.verdict, "flooded its control channel: "));
	assert_non_null(strstr(T.nd.verdict, "heartbeat: more than 256 a second"));
	/* after two whole windows over the rate, in the third */
	assert_true(T.killed_at_ms - 1000000 >= 2000);
	assert_true(T.killed_at_ms - 1000000 < 3100);
	/* no more than the rate was taken in, and nothing once it was stopped */
	assert_true(T.beats <= 3 * 256);
	assert_true(sent > 3 * 256);
	assert_false(ev_is_active(&T.nd.ctl_io));
}

/* A burst (a driver's probe logging, a loop that fell behind) is not a flood. */
static void test_burst_is_not_a_flood(void **state)
{
	for (int second = 0; second < 10; second++) {
		/* a full channel at once, then the usual beat */
		if (second == 2) {
			assert_true(fill_with_beats() > 256);
			wake_until_empty();
		}
		for (int beat = 0; beat < 4; beat++) {
			send_beats(1);
			wake_until_empty();
			T.now_ms += 250;
		}
	}
	assert_int_equal(T.kills, 0);
	assert_string_equal(T.nd.verdict, "");
	assert_true(ev_is_active(&T.nd.ctl_io));
}

/* ---- 2. a driver's text ---- */

/* Whether @s is valid UTF-8, as the C library's decoder has it (not nookd's). */
static bool utf8_valid(const char *s)
{
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	return mbstowcs(NULL, s, 0) != (size_t)-1;
}

static int saved_stderr = -1, captured = -1;

/* nookd's stderr (journald's input), into a file the test reads. */
static void capture_begin(void)
{
	fflush(stderr);
	captured = memfd_create("stderr", MFD_CLOEXEC);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(captured >= 0 && saved_stderr >= 0);
	dup2(captured, STDERR_FILENO);
}

static void capture_end(char *buf, size_t size)
{
	ssize_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	n = pread(captured, buf, size - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(captured);
}

/* The driver writes @text to its stderr and nookd reads it: what nookd wrote to its own. */
static void driver_stderr(const char *text, char *out, size_t size)
{
	assert_int_equal(write(T.drv_log, text, strlen(text)), (ssize_t)strlen(text));
	capture_begin();
	driver_channel_on_log(T.loop, &T.nd.log_io, EV_READ);
	capture_end(out, size);
}

/*
 * A driver's stderr line with invalid UTF-8, terminal controls and an emergency priority,
 * posing as another device: nookd's line is valid UTF-8, err at most, and names the driver.
 */
static void test_stderr_line_is_cleaned_and_attributed(void **state)
{
	char out[1024];

	driver_stderr(
		"<0>e1000 0000:00:05.0: \xff\xfe link \x1b[31mdown\xc2\x9b\xed\xa0\x80 \xc3\xa9\n",
		out, sizeof(out));
	assert_string_equal(
		out, "<3>e1000 0000:00:03.0: e1000 0000:00:05.0: ?? link [31mdown??? \xc3\xa9\n");
	assert_true(utf8_valid(T.nd.last_line));

	/* its own lines keep their priority, under one head */
	driver_stderr("<6>e1000 0000:00:03.0: running\n", out, sizeof(out));
	assert_string_equal(out, "<6>e1000 0000:00:03.0: running\n");
	/* a line without a priority is named too, and gets none */
	driver_stderr("<9>loader: \x01"
		      "cannot\n",
		      out, sizeof(out));
	assert_string_equal(out, "e1000 0000:00:03.0: <9>loader: cannot\n");
}

/* A last line cut to size is cut where a character begins. */
static void test_long_line_is_cut_between_characters(void **state)
{
	char line[700], out[2048];

	for (size_t i = 0; i + 2 < sizeof(line); i += 2)
		memcpy(line + i, "\xc3\xa9", 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	line[0] = 'x'; /* every character now begins at an odd offset */
	line[1] = 'y';
	driver_stderr(line, out, sizeof(out));
	assert_true(utf8_valid(out));
	assert_true(strlen(T.nd.last_line) > 200);
	assert_true(utf8_valid(T.nd.last_line));
	assert_null(strchr(T.nd.last_line, '?'));
}

/* LOG and FATAL on the control channel: the same rules. */
static void test_channel_text_is_cleaned(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_LOG };
	char out[1024];

	m.log.level = 0;
	m.log.text = "tx hang \xf8\x88\x80\x80\x80 queue 0";
	m.log.len = (uint32_t)strlen(m.log.text);
	assert_int_equal(nook_ctl_send(T.drv_ctl, &m), 0);
	m = (struct nook_ctl_msg){ .type = NOOK_CTL_FATAL };
	m.fatal.signo = 11;
	m.fatal.text = "FATAL: e1000: \xc3( segfault at \xff\n#0 e1000_xmit";
	m.fatal.len = (uint32_t)strlen(m.fatal.text);
	assert_int_equal(nook_ctl_send(T.drv_ctl, &m), 0);
	capture_begin();
	wake();
	capture_end(out, sizeof(out));
	assert_string_equal(out, "<3>e1000 0000:00:03.0: tx hang ????? queue 0\n");
	assert_string_equal(T.nd.fatal, "?( segfault at ?");
	assert_true(utf8_valid(T.nd.fatal));
}

/* The driver writes @lines numbered lines from @first; nookd reads them all. */
static void driver_lines(int first, int lines)
{
	for (int i = first; i < first + lines; i++) {
		char line[32];
		int n = snprintf(line, sizeof(line), "<6>line %d\n", i);

		assert_int_equal(write(T.drv_log, line, (size_t)n), n);
		if (i % 50 == 49 || i == first + lines - 1)
			for (int k = 0; k < 20; k++)
				driver_channel_on_log(T.loop, &T.nd.log_io, EV_READ);
	}
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/*
 * A driver that floods its stderr: a burst of 500 lines passes, the rest are dropped (its
 * last line kept all the same), 50 a second pass on, and the count dropped is said.
 */
static void test_stderr_flood_is_cut_and_counted(void **state)
{
	static char out[1 << 16];

	T.now_ms = 1000;
	capture_begin();
	driver_lines(0, 800);
	capture_end(out, sizeof(out));
	assert_int_equal(count_of(out, ": line "), 500);
	assert_non_null(strstr(out, ": line 499\n"));
	assert_null(strstr(out, ": line 500\n"));
	assert_null(strstr(out, "dropped"));
	assert_string_equal(T.nd.last_line, "<6>line 799");

	/* A second on: 50 more lines fit, after the count of those dropped. */
	T.now_ms += 1000;
	capture_begin();
	driver_lines(800, 60);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "<4>0000:00:03.0: 300 lines of the driver's log dropped: it "
				    "wrote more than 50 a second\n"
				    "<6>e1000 0000:00:03.0: line 800\n"));
	assert_int_equal(count_of(out, ": line "), 50);

	/* The incarnation ends: what was dropped since is said too. */
	capture_begin();
	driver_channel_log_flush(&T.nd);
	capture_end(out, sizeof(out));
	assert_string_equal(out, "<4>0000:00:03.0: 10 lines of the driver's log dropped: it wrote "
				 "more than 50 a second\n");

	/* Quiet for 10 s: the whole burst again. */
	T.now_ms += 10000;
	capture_begin();
	driver_lines(900, 500);
	capture_end(out, sizeof(out));
	assert_int_equal(count_of(out, ": line "), 500);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(test_one_wakeup_reads_a_budget),
		T_(test_sustained_flood_is_a_failure),
		T_(test_burst_is_not_a_flood),
		T_(test_stderr_line_is_cleaned_and_attributed),
		T_(test_long_line_is_cut_between_characters),
		T_(test_channel_text_is_cleaned),
		T_(test_stderr_flood_is_cut_and_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
