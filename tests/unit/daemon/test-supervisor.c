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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/bind.h"
#include "daemon/run-state.h"
#include "daemon/supervised.h"
#include "daemon/supervisor.h"
#include "fake-nookd.h"
#include "fake-sysfs.h"

/* What one test saw of its device's detach and upgrade, and the programs it made. */
static struct {
	bool detached;
	int detach_r;
	bool upgraded;
	int upgrade_r;
	char upgrade_msg[512];
	pid_t old_pid;		    /* start_upgrade(): the driver before the upgrade */
	char old_path[PATH_MAX];    /* ... and its program */
	char dir[PATH_MAX];	    /* the test's programs, each in a folder of its own */
	char programs[4][PATH_MAX]; /* made by program(), removed by teardown */
	unsigned int n_programs;
	char state[PATH_MAX]; /* the nookds' state directory (run-state.h), if the test has one */
} T;

/* ids-probe (test-drivers' stand-in driver program), from the command line */
static const char *probe_path;

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
	for (unsigned int i = 0; i < T.n_programs; i++) {
		char *slash = strrchr(T.programs[i], '/');

		unlink(T.programs[i]);
		*slash = '\0';
		rmdir(T.programs[i]);
	}
	if (*T.dir)
		rmdir(T.dir);
	if (*T.state) {
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", T.state);
		assert_int_equal(system(cmd), 0);
	}
	fake_nookd_teardown();
	return 0;
}

/*
 * A driver program for an upgrade: a copy of ids-probe as @folder/@name, beside ids-probe
 * (where programs may run), root's and closed to others as nookd wants a program it runs.
 */
static const char *program(const char *folder, const char *name)
{
	char *path = T.programs[T.n_programs], buf[65536];
	const char *slash = strrchr(probe_path, '/');
	int in, out;
	ssize_t n;

	assert_true(T.n_programs < sizeof(T.programs) / sizeof(T.programs[0]));
	if (!*T.dir) {
		snprintf(T.dir, sizeof(T.dir), "%.*s/nook-test-upgrade-XXXXXX",
			 slash ? (int)(slash - probe_path) : 1, slash ? probe_path : ".");
		assert_non_null(mkdtemp(T.dir));
		assert_int_equal(chmod(T.dir, 0755), 0);
	}
	assert_true(strlen(T.dir) + strlen(folder) + strlen(name) + 2 < PATH_MAX);
	strcpy(path, T.dir);
	strcat(path, "/");
	strcat(path, folder);
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/");
	strcat(path, name);
	in = open(probe_path, O_RDONLY | O_CLOEXEC);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	T.n_programs++;
	return path;
}

static void on_upgraded(struct nookd *d, void *ctx, int r, const struct nook_err *err);

/* nookd_upgrade(), saying its error (for a test that did not expect one) */
static int upgrade(struct nook_device *dev, const char *path, struct nook_err *err)
{
	int r = nookd_upgrade(&fake.d, dev, path, on_upgraded, NULL, err);

	if (r < 0)
		fprintf(stderr, "upgrade to %s: %s\n", path, err->msg);
	return r;
}

static void on_upgraded(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	T.upgraded = true;
	T.upgrade_r = r;
	snprintf(T.upgrade_msg, sizeof(T.upgrade_msg), "%s", err ? err->msg : "");
}

static bool upgraded(const void *arg)
{
	return T.upgraded;
}

/* The test's nookds keep their record of devices (run-state.h) in a directory of its own. */
static void use_state_dir(void)
{
	snprintf(T.state, sizeof(T.state), "/tmp/nook-test-state-XXXXXX");
	assert_non_null(mkdtemp(T.state));
	fake.d.cfg.state_dir = T.state;
}

/* The record nookd keeps of the fake device: its text, "" when there is none. */
static const char *state_record(void)
{
	static char text[1024];
	char path[PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s.conf", T.state, FAKE_ADDR);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : 0;
	text[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return text;
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
	/* the old driver took its link down on its way out; the interface did not see that */
	assert_int_equal(fake.carrier_downs, 1); /* at attach, before a driver had it */
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

/*
 * A running driver, then an upgrade to a copy of ids-probe in @folder that does @act when
 * started: the device, with the old driver's pid and program in T.old_pid and T.old_path.
 */
static struct nook_device *start_upgrade(const char *folder, enum fake_act act,
					 const char **ret_path)
{
	struct nook_err err = { 0 };
	struct nook_device *dev;

	fake_script(1, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	T.old_pid = dev->pid;
	snprintf(T.old_path, sizeof(T.old_path), "%s", nookd_dev_of(dev)->driver_path);
	*ret_path = program(folder, "nook-driver-e1000");
	fake.upgrade_path = *ret_path;
	fake.upgrade_act = act;
	assert_int_equal(upgrade(dev, *ret_path, &err), 0);
	return dev;
}

/*
 * A live upgrade: the new program stands by, then takes the device from the running one as
 * a recovery would; no failure is counted.
 */
static void test_upgrade_hands_over(void **state)
{
	struct nook_device *dev;
	const char *path;
	char line[PATH_MAX + 16];

	use_state_dir();
	dev = start_upgrade("new", FAKE_RUN, &path);
	assert_true(dev->standby_pid > 0);
	assert_true(fake_run_until(upgraded, NULL, 5000));
	assert_int_equal(T.upgrade_r, 0);
	assert_non_null(strstr(T.upgrade_msg, path));
	assert_int_equal(dev->state, NOOK_DEV_RUNNING);
	assert_int_not_equal(dev->pid, T.old_pid);
	assert_int_equal(kill(T.old_pid, 0), -1);
	assert_string_equal(nookd_dev_of(dev)->driver_path, path);
	assert_int_equal(dev->restarts, 0);
	assert_string_equal(dev->last_failure, "");
	/* the old program ran once; the new one as the standby that took the device */
	assert_int_equal(fake.spawned, 2);
	/* the interface's carrier stayed up through the hand-over (down once: at attach) */
	assert_int_equal(fake.carrier_downs, 1);
	/* the record says the program, for a nookd after this one */
	snprintf(line, sizeof(line), "\nprogram=%s\n", path);
	assert_non_null(strstr(state_record(), line));
	detach(dev);
}

/* A new program that dies as the standby leaves the running driver untouched. */
static void test_upgrade_to_a_broken_program_leaves_the_driver(void **state)
{
	struct nook_device *dev;
	const char *path;

	dev = start_upgrade("broken", FAKE_BROKEN, &path);
	assert_true(fake_run_until(upgraded, NULL, 5000));
	assert_int_equal(T.upgrade_r, -EIO);
	assert_non_null(strstr(T.upgrade_msg, "died before it took the device"));
	assert_non_null(strstr(T.upgrade_msg, "exited with status 127: fake: cannot load"));
	assert_int_equal(dev->pid, T.old_pid);
	assert_int_equal(dev->state, NOOK_DEV_RUNNING);
	assert_string_equal(nookd_dev_of(dev)->driver_path, T.old_path);
	assert_int_equal(dev->restarts, 0);
	detach(dev);
}

/* A new program that cannot bring the device up is rolled back: the old one runs it again. */
static void test_upgrade_that_fails_is_rolled_back(void **state)
{
	struct nook_device *dev;
	const char *path;

	dev = start_upgrade("nostart", FAKE_NO_START, &path);
	assert_true(fake_run_until(upgraded, NULL, 5000));
	assert_int_equal(T.upgrade_r, -EIO);
	assert_non_null(strstr(T.upgrade_msg, "did not bring the device up"));
	assert_non_null(strstr(T.upgrade_msg, "rolled back"));
	assert_true(fake_run_until(is_running, dev, 3000));
	assert_int_not_equal(dev->pid, T.old_pid);
	assert_string_equal(nookd_dev_of(dev)->driver_path, T.old_path);
	assert_int_equal(dev->restarts, 0);
	detach(dev);
}

/* Bad input gets a clear error, and the running driver is not touched. */
static void test_upgrade_bad_input(void **state)
{
	struct nook_err err = { 0 };
	struct nook_device *dev;
	const char *path;
	pid_t old;

	fake_script(1, FAKE_RUN);
	dev = attach();
	assert_true(fake_run_until(is_running, dev, 2000));
	old = dev->pid;

	assert_int_equal(nookd_upgrade(&fake.d, dev, "/etc/passwd", on_upgraded, NULL, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "is not a nook driver program"));

	path = program("other-driver", "nook-driver-8139cp");
	assert_int_equal(nookd_upgrade(&fake.d, dev, path, on_upgraded, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "is the 8139cp driver"));

	path = program("other-ids", "nook-driver-e1000");
	assert_int_equal(nookd_upgrade(&fake.d, dev, path, on_upgraded, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "does not take " FAKE_ADDR ", a 1234:5678 device"));

	assert_int_equal(nookd_upgrade(&fake.d, dev, "/nonexistent/nook-driver-e1000", on_upgraded,
				       NULL, &err),
			 -ENOENT);

	/* one upgrade at a time */
	path = program("new", "nook-driver-e1000");
	fake.upgrade_path = path;
	fake.upgrade_act = FAKE_RUN;
	assert_int_equal(upgrade(dev, path, &err), 0);
	assert_int_equal(nookd_upgrade(&fake.d, dev, path, on_upgraded, NULL, &err), -EALREADY);
	assert_true(fake_run_until(upgraded, NULL, 5000));
	assert_int_equal(T.upgrade_r, 0);
	assert_false(T.detached);
	/* nothing was started for the refused ones: the first driver, then the upgrade's */
	assert_int_equal(fake.spawned, 2);
	assert_int_not_equal(dev->pid, old);
	detach(dev);
}

/*
 * A nookd that dies without detaching (a child process here, which attaches the device and
 * is killed) leaves the device on vfio-pci, and its record of it. The next nookd attaches it
 * again with the same interface name, and at detach gives it to the kernel driver it had,
 * which only the record knew (to the device, vfio-pci is its driver now).
 */
static void test_next_nookd_attaches_again_what_a_dead_one_left(void **state)
{
	struct nook_device *dev;
	int status;
	pid_t nookd;

	use_state_dir();
	fake_script(1, FAKE_RUN);
	nookd = fork();
	assert_true(nookd >= 0);
	if (nookd == 0) {
		struct nook_attach_opts o = { 0 };
		struct nook_err err = { 0 };

		/* (no cmocka in here: a failed check is an exit status) */
		ev_loop_fork(fake.d.loop);
		if (nookd_supervisor_init(&fake.d) < 0 ||
		    nookd_attach(&fake.d, FAKE_ADDR, &o, &dev, &err) < 0)
			_exit(1);
		if (!fake_run_until(is_running, dev, 2000))
			_exit(2);
		/* an ethtool setting the driver took (as ethtool_finish() records one) */
		if (nook_net_shadow_record(&dev->shadow, "ring-rx=128\n") < 0)
			_exit(3);
		nookd_run_state_save(&fake.d, dev);
		raise(SIGKILL);
		_exit(3);
	}
	assert_int_equal(waitpid(nookd, &status, 0), nookd);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_string_equal(fake_bound(FAKE_ADDR), "vfio-pci");
	assert_non_null(strstr(state_record(), "\nkernel-driver=e1000\n"));
	assert_non_null(strstr(state_record(), "\nifname=nooktest0\n"));
	assert_null(strstr(state_record(), "program=")); /* the driver's own */
	assert_non_null(strstr(state_record(), "\nethtool=ring-rx=128\n"));

	assert_int_equal(nookd_supervisor_init(&fake.d), 0);
	assert_int_equal(nookd_run_state_restore(&fake.d), 1);
	dev = nook_registry_find(&fake.d.reg, FAKE_ADDR);
	assert_non_null(dev);
	assert_true(fake_run_until(is_running, dev, 2000));
	assert_string_equal(dev->orig_driver, "e1000");
	assert_string_equal(dev->interfaces, "nooktest0");
	/* the net shadow has the setting again, to replay into every incarnation */
	assert_true(dev->shadow.has_ring_rx);
	assert_int_equal(dev->shadow.ring_rx, 128);
	/* ... and the record still has it, for a nookd after this one too */
	assert_non_null(strstr(state_record(), "\nethtool=ring-rx=128\n"));
	detach(dev); /* back to e1000 */
	assert_string_equal(state_record(), "");
}

/* A record whose device cannot be attached again: the device goes back to its driver. */
static void test_record_that_cannot_be_attached_gives_the_device_back(void **state)
{
	char orig[64], path[PATH_MAX + 32];
	struct nook_err err = { 0 };
	FILE *f;

	use_state_dir();
	assert_int_equal(nook_bind_vfio(fake_root, FAKE_ADDR, false, orig, sizeof(orig), &err), 0);
	assert_string_equal(fake_bound(FAKE_ADDR), "vfio-pci");
	snprintf(path, sizeof(path), "%s/%s.conf", T.state, FAKE_ADDR);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "address=%s\ndriver=e1001\nkernel-driver=e1000\n", FAKE_ADDR);
	fclose(f);
	assert_int_equal(nookd_supervisor_init(&fake.d), 0);
	assert_int_equal(nookd_run_state_restore(&fake.d), 0);
	assert_null(nook_registry_find(&fake.d.reg, FAKE_ADDR));
	assert_string_equal(fake_bound(FAKE_ADDR), "e1000");
	assert_string_equal(state_record(), "");
	nookd_supervisor_fini(&fake.d);
}

int main(int argc, char **argv)
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
		cmocka_unit_test_setup_teardown(test_upgrade_hands_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_to_a_broken_program_leaves_the_driver,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_that_fails_is_rolled_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_nookd_attaches_again_what_a_dead_one_left,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_record_that_cannot_be_attached_gives_the_device_back, setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test-supervisor IDS-PROBE\n");
		return 2;
	}
	probe_path = realpath(argv[1], NULL); /* nookd takes a program by its absolute path */
	if (!probe_path) {
		perror(argv[1]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
