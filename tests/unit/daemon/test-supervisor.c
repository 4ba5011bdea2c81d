// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of nookd's supervision (libnookd-supervisor: supervisor.c, driver-channel.c, the
 * standby and the silent-failure watch): a device's driver incarnations started, watched,
 * ended and restarted, on nookd's real loop and clock, with real child processes.
 *
 * What needs hardware or privilege is replaced (fake-nookd.h): the VFIO device, the TAP, and
 * the confined spawn, which forks a fake driver that speaks the control protocol as a driver
 * program does, or, as each test scripts it, crashes, hangs, never starts, or will not stop.
 * The PCI device and its binding are a fake sysfs (fake-sysfs.h).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/supervised.h"
#include "daemon/supervisor.h"
#include "fake-nookd.h"
#include "fake-sysfs.h"

/* What one test saw of its device's detach. */
static struct {
	bool detached;
	int detach_r;
} T;

static bool is_running(const void *arg)
{
	const struct nook_device *dev = arg;

	return dev->state == NOOK_DEV_RUNNING;
}

static bool is_failed(const void *arg)
{
	const struct nook_device *dev = arg;

	return dev->state == NOOK_DEV_FAILED;
}

static bool has_restarted(const void *arg)
{
	const struct nook_device *dev = arg;

	return dev->restarts > 0 && dev->state == NOOK_DEV_RUNNING;
}

static bool has_standby(const void *arg)
{
	const struct nook_device *dev = arg;

	return dev->standby_pid > 0;
}

static bool detached(const void *arg)
{
	return T.detached;
}

static bool never(const void *arg)
{
	return false;
}

static void on_detached(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	T.detached = true;
	T.detach_r = r;
}

static struct nook_device *attach(void)
{
	struct nook_attach_opts o = { 0 };
	struct nook_device *dev = NULL;
	struct nook_err err = { 0 };

	assert_int_equal(nookd_supervisor_init(&fake.d), 0);
	assert_int_equal(nookd_attach(&fake.d, FAKE_ADDR, &o, &dev, &err), 0);
	assert_non_null(dev);
	return dev;
}

/* Detach, and check the device went back to its kernel driver and the process is gone. */
static void detach(struct nook_device *dev)
{
	pid_t pid = dev->pid;

	assert_int_equal(nookd_detach(&fake.d, dev, on_detached, NULL), 0);
	assert_true(fake_run_until(detached, NULL, 3000));
	assert_int_equal(T.detach_r, 0);
	assert_string_equal(fake_bound(FAKE_ADDR), "e1000");
	assert_null(nook_registry_find(&fake.d.reg, FAKE_ADDR));
	if (pid > 0)
		assert_int_equal(kill(pid, 0), -1); /* reaped */
	nookd_supervisor_fini(&fake.d);
}

static int setup(void **state)
{
	memset(&T, 0, sizeof(T));
	fake_nookd_setup();
	return 0;
}

static int teardown(void **state)
{
	fake_nookd_teardown();
	return 0;
}

/* ---- the tests ---- */

/* Attach binds the device to vfio-pci and starts a driver; it runs; detach gives it back. */
static void test_attach_runs_and_detaches(void **state)
{
	struct nook_device *dev;

	fake_script(1, FAKE_RUN);
	dev = attach();
	assert_string_equal(fake_bound(FAKE_ADDR), "vfio-pci");
	assert_int_equal(dev->state, NOOK_DEV_STARTING);
	assert_true(dev->pid > 0);
	assert_true(fake_run_until(is_running, dev, 2000));
	assert_string_equal(dev->interfaces, "nooktest0");
	detach(dev);
	assert_int_equal(fake.spawned, 1);
}

/* A driver that dies of a signal is restarted; the failure says what killed it. */
static void test_crash_is_restarted(void **state)
{
	struct nook_device *dev;
	pid_t first;

	fake_script(2, FAKE_CRASH, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	first = dev->pid;
	assert_true(fake_run_until(has_restarted, dev, 3000));
	assert_int_equal(dev->restarts, 1);
	assert_int_not_equal(dev->pid, first);
	assert_non_null(strstr(dev->last_failure, "killed by signal 11"));
	/* the new incarnation stays: nothing else fails while it runs */
	fake_run_until(never, dev, 5 * FAKE_HEARTBEAT_TIMEOUT_MS / 2);
	assert_int_equal(dev->restarts, 1);
	assert_int_equal(dev->state, NOOK_DEV_RUNNING);
	detach(dev);
}

/* A driver whose heartbeat stops is killed after the heartbeat timeout and restarted. */
static void test_hang_is_killed_and_restarted(void **state)
{
	struct nook_device *dev;
	uint64_t t0;

	fake_script(2, FAKE_HANG, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	t0 = fake_ms_now();
	assert_true(fake_run_until(has_restarted, dev, 3000));
	assert_true(fake_ms_now() - t0 >= FAKE_HEARTBEAT_TIMEOUT_MS);
	assert_non_null(strstr(dev->last_failure, "hung: no heartbeat for"));
	detach(dev);
}

/* A driver that never takes the device is a crash loop: failed, until reset-failed. */
static void test_crash_loop_fails_until_reset(void **state)
{
	struct nook_err err = { 0 };
	struct nook_device *dev;

	fake_script(1, FAKE_NO_START);
	dev = attach();
	assert_true(fake_run_until(is_failed, dev, 5000));
	/* max_failures 3: the fourth failure in a row gives up, after 3 restarts */
	assert_int_equal(fake.spawned, 4);
	assert_int_equal(dev->restarts, 3);
	assert_int_equal(dev->pid, 0);
	assert_non_null(strstr(dev->last_failure,
			       "exited with status 1: fake: the device did not answer"));
	/* nothing more is started while it is failed */
	fake_run_until(never, dev, 300);
	assert_int_equal(fake.spawned, 4);
	/* the operator's reset-failed starts it again */
	fake_script(1, FAKE_RUN);
	fake.spawned = 0;
	assert_int_equal(nookd_reset_failed(&fake.d, dev, &err), 0);
	assert_true(fake_run_until(is_running, dev, 2000));
	detach(dev);
}

/* A driver that ignores SHUTDOWN and SIGTERM is killed after the shutdown timeout. */
static void test_stubborn_driver_is_killed_on_detach(void **state)
{
	struct nook_device *dev;
	uint64_t t0;

	fake_script(1, FAKE_STUBBORN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	t0 = fake_ms_now();
	detach(dev);
	assert_true(fake_ms_now() - t0 >= FAKE_SHUTDOWN_TIMEOUT_MS);
}

/* A restart asked for stops the driver and starts another; it is no failure. */
static void test_restart_is_not_a_failure(void **state)
{
	struct nook_err err = { 0 };
	struct nook_device *dev;
	pid_t first;

	fake_script(1, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	first = dev->pid;
	assert_int_equal(nookd_restart(&fake.d, dev, &err), 0);
	assert_true(fake_run_until(is_running, dev, 2000));
	assert_int_not_equal(dev->pid, first);
	assert_int_equal(kill(first, 0), -1);
	assert_int_equal(dev->restarts, 0);
	assert_string_equal(dev->last_failure, "");
	assert_int_equal(fake.spawned, 2);
	detach(dev);
}

/* A driver handed to a debugger may stop beating: it is neither killed nor restarted. */
static void test_debugged_driver_is_left_alone(void **state)
{
	struct nook_err err = { 0 };
	struct nook_device *dev;
	pid_t pid;

	fake_script(2, FAKE_HANG, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	pid = dev->pid;
	assert_int_equal(nookd_debug(&fake.d, dev, &err), 0);
	fake_run_until(never, dev, 3 * FAKE_HEARTBEAT_TIMEOUT_MS);
	assert_int_equal(dev->pid, pid);
	assert_int_equal(kill(pid, 0), 0);
	assert_int_equal(dev->restarts, 0);
	/* nookctl restart ends the session: a fresh driver runs, watched again */
	assert_int_equal(nookd_restart(&fake.d, dev, &err), 0);
	assert_true(fake_run_until(is_running, dev, 3000));
	assert_int_not_equal(dev->pid, pid);
	assert_false(dev->debug);
	detach(dev);
}

/*
 * With standbys: once a driver runs, the next incarnation is started ahead of need, and a
 * failure hands the device to it rather than starting one from scratch.
 */
static void test_failure_hands_the_device_to_the_standby(void **state)
{
	struct nook_device *dev;
	pid_t standby;

	fake.d.cfg.no_standby = false;
	fake.late_ms = 2000; /* the standby starts 1 s after READY */
	fake_script(2, FAKE_CRASH, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(has_standby, dev, 3000));
	standby = dev->standby_pid;
	assert_int_equal(fake.spawned_standby, 1);
	assert_true(fake_run_until(has_restarted, dev, 3000));
	assert_int_equal(dev->pid, standby);
	/* adopted, not spawned: two processes so far (a third, the next standby, may follow) */
	assert_int_equal(fake.spawned - fake.spawned_standby, 1);
	detach(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_runs_and_detaches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_is_restarted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hang_is_killed_and_restarted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_loop_fails_until_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stubborn_driver_is_killed_on_detach, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restart_is_not_a_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debugged_driver_is_left_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failure_hands_the_device_to_the_standby, setup,
						teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
