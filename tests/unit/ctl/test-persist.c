// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of ctl/persist: attach --persist's entry in a devices directory is one nookd's
 * parser reads back as given; detach --persist removes it; an entry nookctl did not write is
 * left, and named.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ctl/nookctl.h"
#include "daemon/devices-conf.h"

int nookctl_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	return 1;
}

static char top[64], dir[96];

/* As on a fresh system: the devices directory and the one above it do not exist yet. */
static int setup(void **state)
{
	snprintf(top, sizeof(top), "/tmp/nook-persist-XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(dir, sizeof(dir), "%s/nook/devices.d", top);
	setenv("NOOK_DEVICES_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	return system(cmd);
}

static void test_entry_reads_back_as_given(void **state)
{
	static const char *const params[] = { "debug=3", "copybreak=64" };
	struct nookctl_attach_args a = { .addr = "00:03.0",
					 .driver = "e1000",
					 .ifname = "nook7",
					 .params = params,
					 .n_params = 2,
					 .force = true };
	struct nook_device_conf c;
	struct nook_err err = { 0 };
	char path[PATH_MAX], want[PATH_MAX];

	assert_int_equal(nookctl_persist_write(&a, path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/0000:00:03.0.conf", dir);
	assert_string_equal(path, want);
	assert_int_equal(nook_device_conf_parse(path, &c, &err), 0);
	assert_string_equal(c.address, "00:03.0");
	assert_string_equal(c.driver, "e1000");
	assert_string_equal(c.ifname, "nook7");
	assert_int_equal(c.n_params, 2);
	assert_string_equal(c.params[1], "copybreak=64");
	assert_true(c.force);

	assert_int_equal(nookctl_persist_forget("0000:00:03.0", true), 0);
	assert_int_equal(access(path, F_OK), -1);
}

/* A value nookd would refuse (a newline in it) is not written at all. */
static void test_bad_entry_is_not_written(void **state)
{
	static const char *const params[] = { "a=1\naddress=0000:00:04.0" };
	struct nookctl_attach_args a = { .addr = "0000:00:05.0", .params = params, .n_params = 1 };
	char path[PATH_MAX];

	assert_int_equal(nookctl_persist_write(&a, path, sizeof(path)), 1);
	assert_int_equal(access(path, F_OK), -1);
}

/* An entry written by hand under another name is not removed (nor is it nookctl's). */
static void test_hand_written_entry_is_left(void **state)
{
	char path[PATH_MAX];
	FILE *f;

	assert_int_equal(mkdir(top, 0755) < 0 ? 0 : -1, 0); /* it is there */
	snprintf(path, sizeof(path), "%s/nook", top);
	mkdir(path, 0755);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/ac97.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "address=0000:00:06.0\n");
	fclose(f);
	assert_int_equal(nookctl_persist_forget("00:06.0", true), 0);
	assert_int_equal(access(path, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_reads_back_as_given, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entry_is_not_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_written_entry_is_left, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
