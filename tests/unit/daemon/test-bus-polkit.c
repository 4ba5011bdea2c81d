// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/bus-polkit: who may change what nookd serves. A private dbus-daemon,
 * a method guarded as nookd guards its changes, a stand-in for polkit that answers as each
 * test says, and callers as root and as nobody.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/base/clock.h"
#include "daemon/bus-polkit.h"
#include "private-bus.h"

static struct {
	struct private_bus bus;
	sd_bus *server, *polkit;
	sd_bus_slot *server_vt, *polkit_vt;
	/* what the stand-in for polkit answers, and what it was asked */
	bool yes, challenge;
	int asked;
	char asked_action[64], asked_kind[32], asked_name[64];
} T;

static int method_change(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	int r = nookd_polkit_authorize(m, NOOKD_POLKIT_ACTION, error);

	if (r != 0)
		return r;
	return sd_bus_reply_method_return(m, "s", "done");
}

static const sd_bus_vtable change_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Change", "", "s", method_change, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

static int method_check(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	const char *kind, *key, *name = "", *action;
	int r;

	T.asked++;
	r = sd_bus_message_enter_container(m, 'r', "sa{sv}");
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &kind);
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && !strcmp(key, "name"))
			r = sd_bus_message_read(m, "v", "s", &name);
		else if (r >= 0)
			r = sd_bus_message_skip(m, "v");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &action);
	if (r < 0)
		return r;
	snprintf(T.asked_kind, sizeof(T.asked_kind), "%s", kind);
	snprintf(T.asked_name, sizeof(T.asked_name), "%s", name);
	snprintf(T.asked_action, sizeof(T.asked_action), "%s", action);
	return sd_bus_reply_method_return(m, "(bba{ss})", T.yes, T.challenge, 0);
}

static const sd_bus_vtable polkit_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("CheckAuthorization", "(sa{sv})sa{ss}us", "(bba{ss})", method_check,
		      SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

static int setup(void **state)
{
	memset(&T, 0, sizeof(T));
	if (private_bus_start(&T.bus) < 0)
		return -1;
	T.server = private_bus_connect(&T.bus);
	if (!T.server ||
	    sd_bus_add_object_vtable(T.server, &T.server_vt, "/test", "org.nook.Test",
				     change_vtable, NULL) < 0 ||
	    sd_bus_request_name(T.server, "org.nook.Test", 0) < 0)
		return -1;
	return 0;
}

/* The stand-in for polkit joins the bus. */
static void polkit_up(bool yes, bool challenge)
{
	T.yes = yes;
	T.challenge = challenge;
	T.polkit = private_bus_connect(&T.bus);
	assert_non_null(T.polkit);
	assert_true(sd_bus_add_object_vtable(T.polkit, &T.polkit_vt,
					     "/org/freedesktop/PolicyKit1/Authority",
					     "org.freedesktop.PolicyKit1.Authority", polkit_vtable,
					     NULL) >= 0);
	assert_true(sd_bus_request_name(T.polkit, "org.freedesktop.PolicyKit1", 0) >= 0);
}

static int teardown(void **state)
{
	nookd_polkit_forget_all();
	sd_bus_slot_unref(T.server_vt);
	sd_bus_slot_unref(T.polkit_vt);
	sd_bus_flush_close_unref(T.server);
	sd_bus_flush_close_unref(T.polkit);
	private_bus_stop(&T.bus);
	return 0;
}

/*
 * Call Change as @uid from a child, serving the bus meanwhile; what the caller got: "done",
 * or the error's name and message. Its unique name in @ret_name.
 */
static void call_as(uid_t uid, char *out, size_t len, char *ret_name, size_t name_len)
{
	int pfd[2], status;
	int64_t deadline = nook_now_ms() + 10000;
	size_t got = 0;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sd_bus_error e = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		const char *s = NULL, *unique = "";
		char text[768];
		sd_bus *bus;

		close(pfd[0]);
		if (uid && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
			    setresuid(uid, uid, uid) < 0))
			_exit(2);
		bus = private_bus_connect(&T.bus);
		if (!bus)
			_exit(3);
		sd_bus_get_unique_name(bus, &unique);
		if (sd_bus_call_method(bus, "org.nook.Test", "/test", "org.nook.Test", "Change", &e,
				       &reply, "") < 0)
			snprintf(text, sizeof(text), "%s\n%s: %s", unique, e.name, e.message);
		else if (sd_bus_message_read(reply, "s", &s) >= 0)
			snprintf(text, sizeof(text), "%s\n%s", unique, s);
		else
			snprintf(text, sizeof(text), "%s\nmalformed reply", unique);
		if (write(pfd[1], text, strlen(text)) < 0)
			_exit(4);
		_exit(0);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		ssize_t n;

		while (sd_bus_process(T.server, NULL) > 0 ||
		       (T.polkit && sd_bus_process(T.polkit, NULL) > 0))
			;
		assert_true(nook_now_ms() < deadline);
		if (poll(&p, 1, 10) <= 0)
			continue;
		n = read(pfd[0], out + got, len - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The caller's unique name on the first line, the outcome after. */
	{
		char *nl = strchr(out, '\n');

		assert_non_null(nl);
		*nl = '\0';
		snprintf(ret_name, name_len, "%s", out);
		memmove(out, nl + 1, strlen(nl + 1) + 1);
	}
}

#define NOBODY 65534

static void test_root_is_not_asked_about(void **state)
{
	char out[1024], name[64];

	if (geteuid() != 0)
		skip();
	polkit_up(false, false);
	call_as(0, out, sizeof(out), name, sizeof(name));
	assert_string_equal(out, "done");
	assert_int_equal(T.asked, 0);
}

static void test_authorized_by_polkit(void **state)
{
	char out[1024], name[64];

	if (geteuid() != 0)
		skip();
	polkit_up(true, false);
	call_as(NOBODY, out, sizeof(out), name, sizeof(name));
	assert_string_equal(out, "done");
	assert_int_equal(T.asked, 1);
	assert_string_equal(T.asked_action, "org.nook.Nook1.manage");
	assert_string_equal(T.asked_kind, "system-bus-name");
	assert_string_equal(T.asked_name, name);
}

static void test_refused_by_polkit(void **state)
{
	char out[1024], name[64];

	if (geteuid() != 0)
		skip();
	polkit_up(false, false);
	call_as(NOBODY, out, sizeof(out), name, sizeof(name));
	assert_string_equal(out,
			    "org.freedesktop.DBus.Error.AccessDenied: only root, or a user polkit "
			    "authorizes for org.nook.Nook1.manage, may manage nook devices (run "
			    "nookctl as root; anyone may list them and read their status)");
	assert_int_equal(T.asked, 1);
}

static void test_challenge_without_agent(void **state)
{
	char out[1024], name[64];

	if (geteuid() != 0)
		skip();
	polkit_up(false, true);
	call_as(NOBODY, out, sizeof(out), name, sizeof(name));
	assert_non_null(strstr(out, "AccessDenied"));
	assert_non_null(strstr(out, "; polkit wants the caller to authenticate, and no agent "
				    "asked (run nookctl from a terminal session, or with pkexec)"));
}

static void test_no_polkit(void **state)
{
	char out[1024], name[64];

	if (geteuid() != 0)
		skip();
	call_as(NOBODY, out, sizeof(out), name, sizeof(name));
	assert_non_null(strstr(out, "AccessDenied"));
	assert_non_null(strstr(out, "; polkit is not running (install polkitd)"));
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(test_root_is_not_asked_about),
		T_(test_authorized_by_polkit),
		T_(test_refused_by_polkit),
		T_(test_challenge_without_agent),
		T_(test_no_polkit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
