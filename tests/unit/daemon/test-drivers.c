// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/drivers: finding driver programs and reading their ID tables with
 * `--list-ids`, which runs driver code: never as root, and only from a program no one but
 * root could have changed. ids-probe stands in for a driver program.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/drivers.h"

static const char *probe_path;
static char dir[PATH_MAX];

/* A copy of ids-probe as @dir/nook-driver-fake, @dir with @mode. */
static void install_probe(mode_t mode)
{
	char path[PATH_MAX + 32], buf[65536];
	int in = open(probe_path, O_RDONLY | O_CLOEXEC), out;
	const char *slash = strrchr(probe_path, '/');
	ssize_t n;

	/* Beside ids-probe, where programs run (a /tmp mounted noexec would not do). */
	if (slash)
		snprintf(dir, sizeof(dir), "%.*s/nook-test-drivers-XXXXXX",
			 (int)(slash - probe_path), probe_path);
	else
		snprintf(dir, sizeof(dir), "nook-test-drivers-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/nook-driver-fake", dir);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	assert_int_equal(chmod(dir, mode), 0);
}

static int teardown(void **state)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/nook-driver-fake", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

static void test_ids_read_unprivileged(void **state)
{
	struct nook_driver_set set;

	install_probe(0755);
	assert_int_equal(nook_drivers_discover(dir, &set), 0);
	/* ids-probe prints its ID only when run without root, no_new_privs and seccomp. */
	assert_int_equal(set.n, 1);
	assert_string_equal(set.drivers[0].name, "fake");
	assert_int_equal(set.drivers[0].n_ids, 1);
	assert_int_equal(set.drivers[0].ids[0].vendor, 0x1234);
	assert_int_equal(set.drivers[0].ids[0].device, 0x5678);
	nook_drivers_free(&set);
}

/* The driver user need not reach the program's directory: root opened the program. */
static void test_closed_directory(void **state)
{
	struct nook_driver_set set;

	install_probe(0700);
	assert_int_equal(nook_drivers_discover(dir, &set), 0);
	assert_int_equal(set.n, 1);
	nook_drivers_free(&set);
}

/* Root runs nothing another user could have replaced, and says why. */
static void test_writable_directory_refused(void **state)
{
	struct nook_driver_set set;
	char said[1024] = "";
	int saved = dup(STDERR_FILENO), mem = memfd_create("stderr", MFD_CLOEXEC);
	ssize_t n;

	if (geteuid() != 0)
		skip();
	install_probe(0777);
	assert_true(saved >= 0 && mem >= 0);
	fflush(stderr);
	dup2(mem, STDERR_FILENO);
	assert_int_equal(nook_drivers_discover(dir, &set), 0);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(mem, said, sizeof(said) - 1, 0);
	close(mem);
	assert_true(n > 0);
	assert_int_equal(set.n, 0);
	assert_non_null(strstr(said, "is writable by others: root runs no program others could "
				     "have changed (chown root, chmod go-w)"));
	nook_drivers_free(&set);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ids_read_unprivileged, teardown),
		cmocka_unit_test_teardown(test_closed_directory, teardown),
		cmocka_unit_test_teardown(test_writable_directory_refused, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test-drivers IDS-PROBE\n");
		return 2;
	}
	probe_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
