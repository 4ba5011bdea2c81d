// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of nookd's D-Bus API (libnookd-bus over libnookd-supervisor): what a client
 * such as nookctl sees of attach, a device's properties, a recovery, bad input and detach.
 * nookd's bus code serves a private dbus-daemon (private-bus.h) from nookd's loop; the
 * device, its binding and its driver processes are fake-nookd.h's. Callers are root, whom
 * nookd does not ask polkit about.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/bus.h"
#include "daemon/supervisor.h"
#include "fake-nookd.h"
#include "fake-sysfs.h"
#include "private-bus.h"

#define CALL_TIMEOUT_US (10ULL * 1000000) /* what a call may take, nookd's loop turning */

static struct {
	struct private_bus bus;
	sd_bus *client;
	/* the reply to the call in flight: its first string or object path, or its error */
	bool replied;
	char text[512], error[128];
	sd_bus_message *reply;
} T;

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);
	const char *s = NULL;

	T.replied = true;
	*T.text = *T.error = '\0';
	if (e) {
		snprintf(T.error, sizeof(T.error), "%s", e->name);
		snprintf(T.text, sizeof(T.text), "%s", e->message);
		return 0;
	}
	T.reply = sd_bus_message_ref(m);
	if (sd_bus_message_peek_type(m, NULL, NULL) > 0 &&
	    (sd_bus_message_read_basic(m, 's', &s) >= 0 ||
	     sd_bus_message_read_basic(m, 'o', &s) >= 0) &&
	    s)
		snprintf(T.text, sizeof(T.text), "%s", s);
	return 0;
}

static bool replied(const void *arg)
{
	while (sd_bus_process(T.client, NULL) > 0)
		;
	return T.replied;
}

/* Call a Manager method with @types and its arguments; nookd's loop turns until it answers. */
static void call(const char *method, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;

	sd_bus_message_unref(T.reply);
	T.reply = NULL;
	T.replied = false;
	assert_true(sd_bus_message_new_method_call(T.client, &m, NOOK_BUS_NAME, NOOK_BUS_PATH,
						   NOOK_BUS_MANAGER_IFACE, method) >= 0);
	va_start(ap, types);
	assert_true(sd_bus_message_appendv(m, types, ap) >= 0);
	va_end(ap);
	assert_true(sd_bus_call_async(T.client, NULL, m, on_reply, NULL, CALL_TIMEOUT_US) >= 0);
	sd_bus_message_unref(m);
	assert_true(fake_run_until(replied, NULL, 10000));
}

/* A device object's property, as a client reads it (one of type s, u or t, as text). */
static void get(const char *path, const char *prop, char *out, size_t len)
{
	sd_bus_message *m = NULL;
	char type;
	const char *contents;

	sd_bus_message_unref(T.reply);
	T.reply = NULL;
	T.replied = false;
	assert_true(sd_bus_message_new_method_call(T.client, &m, NOOK_BUS_NAME, path,
						   "org.freedesktop.DBus.Properties", "Get") >= 0);
	assert_true(sd_bus_message_append(m, "ss", NOOK_BUS_DEVICE_IFACE, prop) >= 0);
	assert_true(sd_bus_call_async(T.client, NULL, m, on_reply, NULL, CALL_TIMEOUT_US) >= 0);
	sd_bus_message_unref(m);
	assert_true(fake_run_until(replied, NULL, 10000));
	assert_string_equal(T.error, "");
	assert_true(sd_bus_message_peek_type(T.reply, &type, &contents) > 0);
	assert_true(sd_bus_message_enter_container(T.reply, 'v', contents) >= 0);
	if (*contents == 's') {
		const char *s;

		assert_true(sd_bus_message_read(T.reply, "s", &s) >= 0);
		snprintf(out, len, "%s", s);
	} else if (*contents == 'u') {
		uint32_t u;

		assert_true(sd_bus_message_read(T.reply, "u", &u) >= 0);
		snprintf(out, len, "%u", u);
	} else {
		fail_msg("property %s has type %s", prop, contents);
	}
}

struct wait_prop {
	const char *path, *prop, *want;
};

static bool prop_is(const void *arg)
{
	const struct wait_prop *w = arg;
	char v[256];

	get(w->path, w->prop, v, sizeof(v));
	return !strcmp(v, w->want);
}

static bool wait_for(const char *path, const char *prop, const char *want, unsigned int ms)
{
	struct wait_prop w = { path, prop, want };

	return fake_run_until(prop_is, &w, ms);
}

static int setup(void **state)
{
	memset(&T, 0, sizeof(T));
	fake_nookd_setup();
	if (private_bus_start(&T.bus) < 0)
		return -1;
	setenv("DBUS_SYSTEM_BUS_ADDRESS", T.bus.address, 1);
	if (nookd_supervisor_init(&fake.d) < 0 || nookd_bus_start(&fake.d) < 0)
		return -1;
	T.client = private_bus_connect(&T.bus);
	return T.client ? 0 : -1;
}

static int teardown(void **state)
{
	sd_bus_message_unref(T.reply);
	sd_bus_flush_close_unref(T.client);
	nookd_bus_stop(&fake.d);
	nookd_supervisor_fini(&fake.d);
	private_bus_stop(&T.bus);
	fake_nookd_teardown();
	return 0;
}

/* Attach over the bus; the device object shows the driver running; Detach gives it back. */
static void test_attach_status_detach(void **state)
{
	char path[512], v[256];

	fake_script(1, FAKE_RUN);
	call("Attach", "sa{sv}", FAKE_ADDR, 0);
	assert_string_equal(T.error, "");
	snprintf(path, sizeof(path), "%s", T.text);
	assert_true(!strncmp(path, NOOK_BUS_DEVICE_PREFIX, strlen(NOOK_BUS_DEVICE_PREFIX)));
	assert_true(wait_for(path, "State", "running", 3000));
	get(path, "Driver", v, sizeof(v));
	assert_string_equal(v, "e1000");
	get(path, "KernelDriver", v, sizeof(v));
	assert_string_equal(v, "e1000");
	get(path, "Pid", v, sizeof(v));
	assert_true(atoi(v) > 0);
	call("GetDevice", "s", FAKE_ADDR);
	assert_string_equal(T.text, path);
	assert_string_equal(fake_bound(FAKE_ADDR), "vfio-pci");

	call("Detach", "s", FAKE_ADDR);
	assert_string_equal(T.error, "");
	assert_string_equal(fake_bound(FAKE_ADDR), "e1000");
	call("GetDevice", "s", FAKE_ADDR);
	assert_string_equal(T.error, "org.nook.Nook1.Error.NotAttached");
}

/* A driver's crash and recovery show on its object: restarts, the failure, a new pid. */
static void test_recovery_shows(void **state)
{
	char path[512], pid[32], v[256];

	fake_script(2, FAKE_CRASH, FAKE_RUN);
	call("Attach", "sa{sv}", FAKE_ADDR, 0);
	snprintf(path, sizeof(path), "%s", T.text);
	assert_true(wait_for(path, "State", "running", 3000));
	get(path, "Pid", pid, sizeof(pid));
	assert_true(wait_for(path, "Restarts", "1", 3000));
	assert_true(wait_for(path, "State", "running", 3000));
	get(path, "LastFailure", v, sizeof(v));
	assert_non_null(strstr(v, "killed by signal 11"));
	get(path, "Pid", v, sizeof(v));
	assert_string_not_equal(v, pid);
	call("Detach", "s", FAKE_ADDR);
	assert_string_equal(T.error, "");
}

/* Bad input gets a clear error and changes nothing. */
static void test_bad_input(void **state)
{
	call("Attach", "sa{sv}", "0000:00:3", 0);
	assert_string_equal(T.error, SD_BUS_ERROR_INVALID_ARGS);
	assert_non_null(strstr(T.text, "'0000:00:3' is not a PCI address"));

	call("Attach", "sa{sv}", FAKE_ADDR, 1, "colour", "s", "blue");
	assert_string_equal(T.error, SD_BUS_ERROR_INVALID_ARGS);
	assert_non_null(strstr(T.text, "unknown attach option"));
	assert_string_equal(fake_bound(FAKE_ADDR), "e1000"); /* nothing was bound */

	call("Restart", "s", FAKE_ADDR);
	assert_string_equal(T.error, "org.nook.Nook1.Error.NotAttached");
	call("Upgrade", "ss", FAKE_ADDR, "");
	assert_string_equal(T.error, "org.nook.Nook1.Error.NotAttached");
	assert_non_null(strstr(T.text, "is not attached to nook"));

	call("Attach", "sa{sv}", FAKE_ADDR, 1, "driver", "s", "nope");
	assert_non_null(strstr(T.text, "there is no nook driver named 'nope'"));
	assert_int_equal(fake.spawned, 0);

	/* attached once, a second attach is refused and the first is untouched */
	call("Attach", "sa{sv}", FAKE_ADDR, 0);
	assert_string_equal(T.error, "");
	call("Attach", "sa{sv}", FAKE_ADDR, 0);
	assert_non_null(strstr(T.text, "is attached already"));
	assert_int_equal(fake.spawned, 1);
	call("Detach", "s", FAKE_ADDR);
	assert_string_equal(T.error, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_status_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery_shows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	if (geteuid() != 0) {
		printf("1..0 # SKIP nookd's changes are root's (or polkit's): run as root\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
