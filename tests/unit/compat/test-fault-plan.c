// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of planned faults (nook/fault-plan.h) at the compat layer's sites: a
 * fault-injection trial's iface: and dev: faults fire at the Nth pass of their site, for as
 * long as they say, and each reports once. On the fake host.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/io.h>
#include <nook/fault-plan.h>
#include <nook/host.h>
#include <nook/kernel.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

static char fired[8][NOOK_FAULT_SPEC_LEN];
static int n_fired;

static void on_fired(const char *spec)
{
	if (n_fired < 8)
		strscpy(fired[n_fired], spec, sizeof(fired[0]));
	n_fired++;
}

static int add(const char *spec)
{
	char err[256];

	return nook_fault_plan_add(spec, err, sizeof(err));
}

static void test_bad_specs_are_refused(void **state)
{
	char err[256];

	assert_int_equal(nook_fault_plan_add("iface:explode:1:1", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no such fault"));
	assert_int_equal(nook_fault_plan_add("iface:alloc:0:1", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "N is a whole number"));
	assert_int_equal(nook_fault_plan_add("iface:alloc:5", err, sizeof(err)), -EINVAL);
	assert_int_equal(nook_fault_plan_add("iface:alloc:5:0", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "ARG of alloc"));
	assert_int_equal(nook_fault_plan_add("dev:mmio-ones:x:0", err, sizeof(err)), -EINVAL);
	assert_int_equal(nook_fault_plan_add("code:0x10:90:90", err, sizeof(err)), -EINVAL);
	/* nothing refused was planned */
	assert_int_equal(nook_fault_plan_sites, 0);
}

static void test_alloc_fails_at_n_for_arg_calls(void **state)
{
	void *p[6];

	n_fired = 0;
	assert_int_equal(add("iface:alloc:3:2"), 0);
	for (int i = 0; i < 6; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_null(p[2]);
	assert_null(p[3]);
	assert_non_null(p[4]);
	assert_non_null(p[5]);
	assert_int_equal(n_fired, 1);
	assert_string_equal(fired[0], "iface:alloc:3:2");
	for (int i = 0; i < 6; i++)
		kfree(p[i]);
}

static bool never(void *arg)
{
	return false;
}

static uint64_t fired_ns;

static void stamp(struct timer_list *t)
{
	fired_ns = nook_host_now_ns();
}

static void test_timer_fires_late(void **state)
{
	struct timer_list a, b;
	uint64_t t0;

	n_fired = 0;
	assert_int_equal(add("iface:timer-late:2:300"), 0);
	timer_setup(&a, stamp, 0);
	timer_setup(&b, stamp, 0);
	/* the first expiry runs on time */
	t0 = nook_host_now_ns();
	fired_ns = 0;
	mod_timer(&a, jiffies + msecs_to_jiffies(10));
	nook_kernel_run_until(never, NULL, (long long)t0 + 100000000LL);
	assert_true(fired_ns > 0 && fired_ns - t0 < 100000000ULL);
	assert_int_equal(n_fired, 0);
	/* the second is held back 300 ms */
	t0 = nook_host_now_ns();
	fired_ns = 0;
	mod_timer(&b, jiffies + msecs_to_jiffies(10));
	nook_kernel_run_until(never, NULL, (long long)t0 + 200000000LL);
	assert_int_equal(fired_ns, 0);
	nook_kernel_run_until(never, NULL, (long long)t0 + 500000000LL);
	assert_true(fired_ns - t0 >= 300000000ULL);
	assert_int_equal(n_fired, 1);
}

static int slept;

static int sleeper(void *arg)
{
	uint64_t t0 = nook_host_now_ns();

	msleep(50);
	slept = (int)((nook_host_now_ns() - t0) / 1000000);
	return 0;
}

static bool slept_yet(void *arg)
{
	return slept >= 0;
}

static void test_sleep_returns_early(void **state)
{
	n_fired = 0;
	assert_int_equal(add("iface:sleep-early:2:0"), 0);
	for (int i = 0; i < 2; i++) {
		slept = -1;
		nook_task_create(sleeper, NULL, "sleeper");
		nook_kernel_run_until(slept_yet, NULL, -1);
		if (i == 0)
			assert_true(slept >= 50);
		else
			assert_true(slept < 50);
	}
	assert_int_equal(n_fired, 1);
}

static void test_register_reads_go_bad(void **state)
{
	u32 reg = 0x12345678;
	u16 reg16 = 0x1234;
	u32 v[8];

	n_fired = 0;
	assert_int_equal(add("dev:mmio-random:2:2"), 0);
	assert_int_equal(add("dev:mmio-ones:5:0"), 0);
	for (int i = 0; i < 4; i++)
		v[i] = readl(&reg);
	assert_int_equal(v[0], 0x12345678);
	/* reads 2 and 3 are random (both equal to the register: 1 in 2^64) */
	assert_false(v[1] == 0x12345678 && v[2] == 0x12345678);
	assert_int_equal(v[3], 0x12345678);
	/* from read 5 on, the device is gone: all ones, at each width */
	assert_int_equal(readl(&reg), 0xffffffff);
	assert_int_equal(readw(&reg16), 0xffff);
	assert_int_equal(readl(&reg), 0xffffffff);
	assert_int_equal(n_fired, 2);
	assert_string_equal(fired[0], "dev:mmio-random:2:2");
	assert_string_equal(fired[1], "dev:mmio-ones:5:0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_specs_are_refused),
		cmocka_unit_test(test_alloc_fails_at_n_for_arg_calls),
		cmocka_unit_test(test_timer_fires_late),
		cmocka_unit_test(test_sleep_returns_early),
		cmocka_unit_test(test_register_reads_go_bad),
	};

	nook_kernel_init();
	nook_fault_plan_set_reporter(on_fired);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
