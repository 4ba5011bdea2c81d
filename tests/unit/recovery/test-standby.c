// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/standby: nookd's side of a device's standby incarnation. The real
 * standby.c runs on libev's default loop (child watchers need it); nookd_dev_spawn() is
 * stubbed with a forked child that plays the standby (waits for ADOPT and reports the fds
 * it got, or says something on its stderr and dies), and nookd's clock is the
 * test's.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ipc/control.h"
#include "common/vfio/vfio.h"
#include "daemon/supervised.h"
#include "recovery/standby.h"

enum child_mode { WAITS_FOR_ADOPT, COMPLAINS_AND_DIES };

static struct {
	struct ev_loop *loop;
	struct nookd d;
	struct nook_device dev;
	struct nookd_dev nd;
	uint64_t now_ms;
	enum child_mode mode;
	unsigned int spawns, changes;
	unsigned int upgrade_told; /* standby deaths told to nookd_upgrade_standby_died() */
	int spawn_error;	   /* 0, or what the next spawn fails with */
	char log[4096];
} T;

/* ---- the rest of nookd, stubbed ---- */

uint64_t nookd_now_ms(void)
{
	return T.now_ms;
}

void nookd_dev_log(struct nookd_dev *nd, const char *fmt, ...)
{
	size_t len = strlen(T.log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(T.log + len, sizeof(T.log) - len, fmt, ap);
	va_end(ap);
	len = strlen(T.log);
	snprintf(T.log + len, sizeof(T.log) - len, "\n");
}

/* Every line within budget (driver-channel.c's, tested in test-driver-channel). */
bool driver_channel_log_admit(struct nookd_dev *nd)
{
	return true;
}

/* A standby's death, told to a live upgrade (upgrade.c's, tested in test-supervisor). */
void nookd_upgrade_standby_died(struct nookd_dev *nd)
{
	T.upgrade_told++;
}

static void changed(struct nookd *d, struct nook_device *dev)
{
	T.changes++;
}

/* The standby, played by a child: what it does is T.mode's. */
static void child(int ctl, int log)
{
	struct nook_ctl_msg m;
	int fds[8];
	unsigned int n = 0;

	/* As a driver program: cmocka's handlers are the test's, not the standby's. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	switch (T.mode) {
	case COMPLAINS_AND_DIES:
		dprintf(log, "cannot lock down: Operation not permitted\n");
		_exit(4);
	case WAITS_FOR_ADOPT:
		break;
	}
	/* Exit status: 10 + the fds ADOPT brought, or 1 if none came. */
	struct pollfd p = { .fd = ctl, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1 || nook_ctl_recv_fds(ctl, &m, fds, 8, &n) < 0 ||
	    m.type != NOOK_CTL_ADOPT)
		_exit(1);
	_exit(10 + (int)n);
}

int nookd_dev_spawn(struct nookd_dev *nd, struct nook_vfio_dev *vdev, int class_fd, pid_t *ret_pid,
		    int *ret_ctl, int *ret_log, struct nook_err *err)
{
	int sp[2], lp[2];
	pid_t pid;

	assert_null(vdev); /* a standby takes no device */
	assert_int_equal(class_fd, -1);
	T.spawns++;
	if (T.spawn_error) {
		snprintf(err->msg, sizeof(err->msg), "no driver program");
		return T.spawn_error;
	}
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
	assert_int_equal(pipe2(lp, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(sp[0]);
		close(lp[0]);
		child(sp[1], lp[1]);
	}
	close(sp[1]);
	close(lp[1]);
	fcntl(lp[0], F_SETFL, O_NONBLOCK);
	*ret_pid = pid;
	*ret_ctl = sp[0];
	*ret_log = lp[0];
	return 0;
}

/* ---- the fixture ---- */

static int setup(void **state)
{
	memset(&T, 0, sizeof(T));
	T.loop = ev_default_loop(0);
	T.d.loop = T.loop;
	T.d.changed = changed;
	T.now_ms = 100000;
	snprintf(T.dev.addr, sizeof(T.dev.addr), "0000:00:03.0");
	T.dev.priv = &T.nd;
	T.nd.d = &T.d;
	T.nd.dev = &T.dev;
	nookd_standby_init(&T.nd);
	return 0;
}

static int teardown(void **state)
{
	nookd_standby_stop(&T.nd);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

/* Run the loop until @pred holds, for at most @ms of wall time. */
static bool run_until(bool (*pred)(void), int ms)
{
	for (int i = 0; i < ms / 5 && !pred(); i++)
		ev_run(T.loop, EVRUN_NOWAIT), usleep(5000);
	return pred();
}

static bool started(void)
{
	return T.dev.standby_pid > 0;
}

static bool gone(void)
{
	return T.dev.standby_pid == 0;
}

/* ---- the tests ---- */

static void test_starts_after_its_delay(void **state)
{
	nookd_standby_later(&T.nd, 50);
	ev_run(T.loop, EVRUN_NOWAIT);
	assert_false(started());
	assert_true(run_until(started, 2000));
	assert_int_equal(T.spawns, 1);
	assert_true(T.changes >= 1); /* StandbyPid is a property that changed */
	assert_non_null(strstr(T.log, "standby started (pid "));
	/* One is enough: asking again starts no second one. */
	nookd_standby_later(&T.nd, 0);
	run_until(gone, 100);
	assert_int_equal(T.spawns, 1);
}

/* A restart hands it the device: it gets ADOPT with the four fds, and becomes the driver. */
static void test_adopt_hands_over_the_device(void **state)
{
	int fds[4][2];
	struct nook_vfio_dev vdev;
	pid_t pid = 0;
	int ctl = -1, log = -1, status;

	nookd_standby_later(&T.nd, 0);
	assert_true(run_until(started, 2000));
	for (int i = 0; i < 4; i++)
		assert_int_equal(pipe(fds[i]), 0);
	vdev.container_fd = fds[0][0];
	vdev.group_fd = fds[1][0];
	vdev.device_fd = fds[2][0];
	assert_true(nookd_standby_adopt(&T.nd, &vdev, fds[3][0], &pid, &ctl, &log));
	assert_true(pid > 0);
	assert_true(ctl >= 0 && log >= 0);
	assert_int_equal(T.dev.standby_pid, 0); /* it is the incarnation now, not a standby */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 10 + NOOK_CTL_ADOPT_FDS);
	close(ctl);
	close(log);
	for (int i = 0; i < 4; i++)
		close(fds[i][0]), close(fds[i][1]);
}

static void test_no_standby_no_adopt(void **state)
{
	struct nook_vfio_dev vdev = { .container_fd = -1, .group_fd = -1, .device_fd = -1 };
	pid_t pid = 0;
	int ctl = -1, log = -1;

	assert_false(nookd_standby_adopt(&T.nd, &vdev, -1, &pid, &ctl, &log));
	assert_int_equal(pid, 0);
	assert_int_equal(T.spawns, 0);
}

/* One that dies soon after its start is said, and the next waits out the backoff. */
static void test_one_that_dies_soon_backs_off(void **state)
{
	T.mode = COMPLAINS_AND_DIES;
	nookd_standby_later(&T.nd, 0);
	assert_true(run_until(started, 2000));
	assert_true(run_until(gone, 2000));
	assert_non_null(strstr(T.log, "standby: cannot lock down: Operation not permitted"));
	assert_non_null(strstr(T.log,
			       "exited with status 4: cannot lock down: Operation not permitted; "
			       "the next restart starts a driver from scratch; it died 0 ms after "
			       "its start, so no new standby starts for 1 s"));
	/* how it ended is kept, and told to an upgrade that may wait for it */
	assert_string_equal(T.nd.standby_end,
			    "exited with status 4: cannot lock down: Operation not permitted");
	assert_int_equal(T.upgrade_told, 1);
	/* Asked again at once: not before the backoff's second is over (nookd's clock). */
	T.mode = WAITS_FOR_ADOPT;
	nookd_standby_later(&T.nd, 0);
	run_until(started, 300);
	assert_false(started());
	assert_int_equal(T.spawns, 1);
	assert_true(run_until(started, 3000)); /* libev's timer: a second of real time */
	assert_int_equal(T.spawns, 2);
}

static void test_killed_one_is_said(void **state)
{
	pid_t pid;

	nookd_standby_later(&T.nd, 0);
	assert_true(run_until(started, 2000));
	pid = T.dev.standby_pid;
	kill(pid, SIGSEGV);
	assert_true(run_until(gone, 2000));
	assert_non_null(strstr(T.log, "was killed by signal 11 (Segmentation fault)"));
	assert_string_equal(T.nd.standby_end, "killed by signal 11 (Segmentation fault)");
}

/* stop: it is killed and forgotten, and a pending start is called off. */
static void test_stop_kills_it_and_calls_off_a_start(void **state)
{
	pid_t pid;
	int status;

	nookd_standby_later(&T.nd, 0);
	assert_true(run_until(started, 2000));
	pid = T.dev.standby_pid;
	nookd_standby_stop(&T.nd);
	assert_int_equal(T.dev.standby_pid, 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	nookd_standby_later(&T.nd, 30);
	nookd_standby_stop(&T.nd);
	run_until(started, 200);
	assert_int_equal(T.spawns, 1);
}

/* --no-standby, a detached device, a spawn that fails: no standby, and the last is said. */
static void detaching(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
}

static void test_none_when_not_wanted_or_not_possible(void **state)
{
	T.d.cfg.no_standby = true;
	nookd_standby_later(&T.nd, 0);
	run_until(started, 100);
	assert_int_equal(T.spawns, 0);
	T.d.cfg.no_standby = false;

	T.nd.done = detaching; /* the device is being detached */
	nookd_standby_later(&T.nd, 0);
	run_until(started, 100);
	assert_int_equal(T.spawns, 0);
	T.nd.done = NULL;

	T.spawn_error = -ENOENT;
	nookd_standby_later(&T.nd, 0);
	run_until(started, 200);
	assert_int_equal(T.spawns, 1);
	assert_false(started());
	assert_non_null(strstr(T.log, "cannot start a standby: no driver program; the next "
				      "restart starts a driver from scratch"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_starts_after_its_delay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_hands_over_the_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_standby_no_adopt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_that_dies_soon_backs_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_one_is_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_kills_it_and_calls_off_a_start, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_none_when_not_wanted_or_not_possible, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
