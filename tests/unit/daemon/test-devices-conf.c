// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of daemon/devices-conf: /etc/nook/devices.d files, good and bad. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/devices-conf.h"

static char dir[PATH_MAX];

static void put(const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nook-devices-conf-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_full_file(void **state)
{
	struct nook_device_conf c;
	struct nook_err err = { 0 };
	char path[PATH_MAX + 16];

	put("a.conf", "# lab NIC\n address = 0000:00:04.0\ndriver=e1000\nifname=nook0\n\n"
		      "param=InterruptThrottleRate=0\nparam=copybreak=0\nforce=yes\n");
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	assert_int_equal(nook_device_conf_parse(path, &c, &err), 0);
	assert_string_equal(c.address, "0000:00:04.0");
	assert_string_equal(c.driver, "e1000");
	assert_string_equal(c.ifname, "nook0");
	assert_int_equal(c.n_params, 2);
	assert_string_equal(c.params[0], "InterruptThrottleRate=0");
	assert_string_equal(c.params[1], "copybreak=0");
	assert_true(c.force);
}

/* bad.conf (with @text, or as it is when NULL) is refused with an error saying @want. */
static void bad(const char *text, const char *want)
{
	struct nook_device_conf c;
	struct nook_err err = { 0 };
	char path[PATH_MAX + 16];

	if (text)
		put("bad.conf", text);
	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	assert_int_equal(nook_device_conf_parse(path, &c, &err), -EINVAL);
	if (!strstr(err.msg, want))
		fail_msg("'%s' does not say '%s'", err.msg, want);
}

static void test_bad_files(void **state)
{
	bad("driver=e1000\n", "no address= line");
	bad("address=0000:00:04.0\ncolour=blue\n", "bad.conf:2: unknown key 'colour'");
	bad("address=0000:00:04.0\njust words\n", "bad.conf:2: expected KEY=VALUE");
	bad("address=0000:00:04.0\nparam=novalue\n", "bad.conf:2: bad value for param");
	bad("address=0000:00:04.0\nforce=maybe\n", "bad value for force");
	bad("address=0000:00:04.0\nifname=a-name-far-too-long-for-linux\n", "bad value for ifname");
}

/* "address=0000:00:04.0\n" then "ifname=nook0" padded with blanks to @len bytes. */
static void put_long_line(const char *name, size_t len, bool newline)
{
	char text[1200];
	size_t n = (size_t)snprintf(text, sizeof(text), "address=0000:00:04.0\nifname=nook0");

	assert_true(n + len + 2 < sizeof(text));
	memset(text + n, ' ', len - 12);
	strcpy(text + n + len - 12, newline ? "\n" : "");
	put(name, text);
}

static void good(const char *name)
{
	struct nook_device_conf c;
	struct nook_err err = { 0 };
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (nook_device_conf_parse(path, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(c.ifname, "nook0");
}

/* A line over 511 bytes is an error naming it, not cut in two with its tail a setting. */
static void test_long_line(void **state)
{
	char text[600];

	/* The tail past 511 bytes of a comment would read as a setting: "ifname=evil". */
	snprintf(text, sizeof(text), "address=0000:00:04.0\n#%0*d%s\n", 510, 0, "ifname=evil");
	bad(text, "bad.conf: line 2 is longer than 511 bytes");
	put_long_line("bad.conf", 512, true);
	bad(NULL, "bad.conf: line 2 is longer than 511 bytes");
	put_long_line("bad.conf", 512, false);
	bad(NULL, "bad.conf: line 2 is longer than 511 bytes");
	/* 511 bytes is a line, with its newline or at the end of the file without one. */
	put_long_line("ok.conf", 511, true);
	good("ok.conf");
	put_long_line("ok.conf", 511, false);
	good("ok.conf");
}

/* A key given twice is an error naming both lines; param= may repeat. */
static void test_duplicate_keys(void **state)
{
	bad("address=0000:00:04.0\ndriver=e1000\n\n# x\naddress=0000:00:05.0\n",
	    "bad.conf: address= given twice (lines 1 and 5)");
	bad("address=0000:00:04.0\ndriver=e1000\ndriver=e1000e\n",
	    "bad.conf: driver= given twice (lines 2 and 3)");
	bad("address=0000:00:04.0\nifname=a\nifname=b\n", "ifname= given twice (lines 2 and 3)");
	bad("address=0000:00:04.0\nforce=yes\nforce=no\n", "force= given twice (lines 2 and 3)");
}

struct seen {
	int good, bad;
	char first[32];
};

static void collect(const struct nook_device_conf *c, const struct nook_err *err, void *ctx)
{
	struct seen *s = ctx;

	if (c && !s->good++)
		snprintf(s->first, sizeof(s->first), "%s", c->address);
	if (!c)
		s->bad++;
}

static void test_directory(void **state)
{
	struct seen s = { 0 };

	put("20-b.conf", "address=0000:00:05.0\n");
	put("10-a.conf", "address=0000:00:04.0\n");
	put("30-bad.conf", "nonsense\n");
	put("40-twice.conf", "address=0000:00:06.0\naddress=0000:00:07.0\n");
	put_long_line("50-long.conf", 600, true);
	put("README", "not a conf file\n");
	assert_int_equal(nook_device_conf_each(dir, collect, &s), 5);
	assert_int_equal(s.good, 2);
	assert_int_equal(s.bad, 3);
	assert_string_equal(s.first, "0000:00:04.0"); /* name order */
	assert_int_equal(nook_device_conf_each("/nonexistent/devices.d", collect, &s), 0);
}

/* nookd's own record of a device (run-state.h): two keys more, which devices.d refuses. */
static void test_run_state_record(void **state)
{
	struct nook_device_conf c;
	struct nook_err err = { 0 };
	char path[PATH_MAX + 16];

	put("r.conf", "address=0000:00:04.0\ndriver=e1000\nkernel-driver=e1000\n"
		      "program=/opt/nook/nook-driver-e1000\nifname=nook3\n"
		      "ethtool=ring-rx=256\nethtool=msglevel=0x7\n");
	snprintf(path, sizeof(path), "%s/r.conf", dir);
	assert_int_equal(nook_device_conf_parse_kind(path, NOOK_CONF_RUN_STATE, &c, &err), 0);
	assert_true(c.has_kernel_driver);
	assert_string_equal(c.kernel_driver, "e1000");
	assert_string_equal(c.program, "/opt/nook/nook-driver-e1000");
	assert_string_equal(c.ifname, "nook3");
	assert_string_equal(c.ethtool, "ring-rx=256\nmsglevel=0x7\n");
	/* in devices.d, where an administrator writes, neither key is known */
	assert_int_equal(nook_device_conf_parse(path, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown key 'kernel-driver'"));
	/* a device no kernel driver had: kernel-driver= is empty, and still required */
	put("n.conf", "address=0000:00:05.0\ndriver=e1000\nkernel-driver=\n");
	snprintf(path, sizeof(path), "%s/n.conf", dir);
	assert_int_equal(nook_device_conf_parse_kind(path, NOOK_CONF_RUN_STATE, &c, &err), 0);
	assert_true(c.has_kernel_driver);
	assert_string_equal(c.kernel_driver, "");
	put("m.conf", "address=0000:00:05.0\ndriver=e1000\n");
	snprintf(path, sizeof(path), "%s/m.conf", dir);
	assert_int_equal(nook_device_conf_parse_kind(path, NOOK_CONF_RUN_STATE, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no kernel-driver="));
	/* a program is an absolute path; a kernel driver is a name */
	put("p.conf", "address=0000:00:05.0\ndriver=e1000\nkernel-driver=e1000\nprogram=x\n");
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	assert_int_equal(nook_device_conf_parse_kind(path, NOOK_CONF_RUN_STATE, &c, &err), -EINVAL);
	put("k.conf", "address=0000:00:05.0\ndriver=e1000\nkernel-driver=../e1000\n");
	snprintf(path, sizeof(path), "%s/k.conf", dir);
	assert_int_equal(nook_device_conf_parse_kind(path, NOOK_CONF_RUN_STATE, &c, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_state_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
