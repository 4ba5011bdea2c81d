// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of daemon/modules: the kernel modules nookd loads when they are missing. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/modules.h"

/* A module that is there is left alone: nothing runs. */
static void test_present_module_is_left_alone(void **state)
{
	struct nook_err err = { 0 };

	assert_int_equal(nookd_module_need("nook-test-module", "/", &err), 0);
	assert_string_equal(err.msg, "");
}

/* One that modprobe cannot load: said so, with what to do. */
static void test_unknown_module_is_said(void **state)
{
	struct nook_err err = { 0 };

	assert_int_equal(nookd_module_need("nook-no-such-module", "/nonexistent/nook-test", &err),
			 -ENOENT);
	assert_non_null(strstr(err.msg, "nook-no-such-module is not loaded, and `modprobe "
					"nook-no-such-module` "));
	assert_non_null(strstr(err.msg, ": load it (modprobe nook-no-such-module), or run nookd as "
					"nookd.service, which has systemd load it"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present_module_is_left_alone),
		cmocka_unit_test(test_unknown_module_is_said),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
