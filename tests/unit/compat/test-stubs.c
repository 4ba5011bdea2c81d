// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of compat-kernel-api/gen-stubs: the functions stub-caller.c calls and the compat
 * layer lacks were found from its undefined symbols and stubbed; a call to one stops the
 * process, naming the function, never returning a made-up success.
 */
#include <linux/kernel.h>
#include <linux/device.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

int stub_caller_load(struct device *dev);
unsigned long stub_caller_probe(void);

static void load(void *arg)
{
	struct device dev = { 0 };

	stub_caller_load(&dev);
}

static void probe(void *arg)
{
	stub_caller_probe();
}

static void test_missing_function_stops_naming_itself(void **state)
{
	char why[512];

	assert_int_equal(fake_host_expect_fatal(load, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "the driver called request_firmware(), which nook's compat "
				    "layer does not implement yet"));
	assert_int_equal(fake_host_expect_fatal(probe, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "the driver called probe_irq_on()"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_function_stops_naming_itself),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
