// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/restart-policy: backoff, the failure window, the unhealthy streak,
 * failed, reset.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "recovery/restart-policy.h"

static const struct nook_restart_policy pol = {
	.max_failures = 3,
	.period_ms = 10000,
	.backoff_base_ms = 100,
	.backoff_max_ms = 1000,
};

static uint64_t fail_at(struct nook_restart_state *s, uint64_t now)
{
	uint64_t delay = 0;

	assert_int_equal(nook_restart_on_failure(s, &pol, now, &delay), NOOK_RESTART_AFTER_DELAY);
	return delay;
}

static void test_backoff_doubles_up_to_max(void **state)
{
	struct nook_restart_policy p = pol;
	struct nook_restart_state s;
	uint64_t expect[] = { 0, 100, 200, 400, 800, 1000, 1000, 1000 };

	p.max_failures = 64;
	nook_restart_state_init(&s);
	for (unsigned int i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		uint64_t d = 0;

		assert_int_equal(nook_restart_on_failure(&s, &p, 1000 + i, &d),
				 NOOK_RESTART_AFTER_DELAY);
		assert_int_equal(d, expect[i]);
	}
}

static void test_too_many_in_period_fails(void **state)
{
	struct nook_restart_state s;
	uint64_t d;

	nook_restart_state_init(&s);
	fail_at(&s, 0);
	fail_at(&s, 1000);
	fail_at(&s, 2000);
	/* the fourth failure within 10 s is one more than max_failures */
	assert_int_equal(nook_restart_on_failure(&s, &pol, 3000, &d), NOOK_RESTART_GIVE_UP);
	assert_true(s.failed);
	/* failed stays failed, even much later */
	assert_int_equal(nook_restart_on_failure(&s, &pol, 1000000, &d), NOOK_RESTART_GIVE_UP);
}

static void test_old_failures_leave_the_window(void **state)
{
	struct nook_restart_state s;

	nook_restart_state_init(&s);
	fail_at(&s, 0);
	fail_at(&s, 5000);
	fail_at(&s, 9000);
	/* at 10000 the first has aged out (exactly one period ago): only 3 in the window */
	fail_at(&s, 10000);
	assert_false(s.failed);
	assert_int_equal(s.nfail, 3);
}

static void test_stable_run_resets_backoff_not_window(void **state)
{
	struct nook_restart_state s;

	nook_restart_state_init(&s);
	assert_int_equal(fail_at(&s, 0), 0);
	assert_int_equal(fail_at(&s, 100), 100);
	/* a short run does not reset the backoff */
	nook_restart_on_running(&s, &pol, 300, 9000);
	assert_int_equal(fail_at(&s, 9000), 200);
	/* a run as long as the period does: the next failure restarts at once again */
	nook_restart_on_running(&s, &pol, 9400, 19400);
	assert_int_equal(fail_at(&s, 19400), 0);
}

static void test_healthy_driver_restarts_at_once_and_ends_the_streak(void **state)
{
	struct nook_restart_state s;

	nook_restart_state_init(&s);
	assert_int_equal(fail_at(&s, 0), 0);
	assert_int_equal(fail_at(&s, 100), 100);
	assert_int_equal(fail_at(&s, 200), 200);
	/* it carried traffic again: no crash loop, the next restart is immediate */
	nook_restart_on_healthy(&s);
	assert_int_equal(s.nfail, 0);
	assert_int_equal(fail_at(&s, 300), 0);
	/* a fourth failure within 10 s, but the first after a healthy run: not failed */
	assert_false(s.failed);
}

/* Failures 4 to 8 s apart, each recovered from with traffic flowing: bad luck, not a loop. */
static void test_hundred_failures_each_followed_by_health_never_fail(void **state)
{
	struct nook_restart_policy p;
	struct nook_restart_state s;

	nook_restart_policy_default(&p);
	nook_restart_state_init(&s);
	for (uint64_t i = 0, now = 0; i < 100; i++, now += 4000 + (i % 5) * 1000) {
		uint64_t d = 1;

		assert_int_equal(nook_restart_on_failure(&s, &p, now, &d),
				 NOOK_RESTART_AFTER_DELAY);
		assert_int_equal(d, 0);
		nook_restart_on_healthy(&s);
	}
	assert_false(s.failed);
}

/* Incarnations that never become healthy: the sixth failure in a row gives up. */
static void test_six_in_a_row_without_health_fail(void **state)
{
	struct nook_restart_policy p;
	struct nook_restart_state s;
	uint64_t d;

	nook_restart_policy_default(&p);
	nook_restart_state_init(&s);
	/* health long ago does not excuse the streak that follows it */
	nook_restart_on_healthy(&s);
	for (uint64_t i = 0; i < 5; i++)
		assert_int_equal(nook_restart_on_failure(&s, &p, 1000 + i * 5000, &d),
				 NOOK_RESTART_AFTER_DELAY);
	assert_int_equal(nook_restart_on_failure(&s, &p, 26000, &d), NOOK_RESTART_GIVE_UP);
	assert_true(s.failed);
	/* once failed, a healthy report (a late message) does not undo it */
	nook_restart_on_healthy(&s);
	assert_int_equal(nook_restart_on_failure(&s, &p, 27000, &d), NOOK_RESTART_GIVE_UP);
}

/* The streak keeps its period: unhealthy failures spread wider than it never add up. */
static void test_unhealthy_streak_spread_over_the_period_does_not_fail(void **state)
{
	struct nook_restart_state s;

	nook_restart_state_init(&s);
	for (uint64_t i = 0; i < 20; i++)
		fail_at(&s, i * 4000); /* 3 in any 10 s window: never more than max_failures */
	assert_false(s.failed);
}

static void test_reset_failed(void **state)
{
	struct nook_restart_state s;
	uint64_t d;

	nook_restart_state_init(&s);
	for (int i = 0; i < 3; i++)
		fail_at(&s, (uint64_t)i);
	assert_int_equal(nook_restart_on_failure(&s, &pol, 3, &d), NOOK_RESTART_GIVE_UP);
	nook_restart_reset(&s);
	assert_false(s.failed);
	assert_int_equal(fail_at(&s, 4), 0);
}

static void test_policy_check(void **state)
{
	struct nook_restart_policy p;

	nook_restart_policy_default(&p);
	assert_int_equal(nook_restart_policy_check(&p), 0);
	p.max_failures = 0;
	assert_int_equal(nook_restart_policy_check(&p), -EINVAL);
	nook_restart_policy_default(&p);
	p.period_ms = 0;
	assert_int_equal(nook_restart_policy_check(&p), -EINVAL);
	nook_restart_policy_default(&p);
	p.backoff_base_ms = p.backoff_max_ms + 1;
	assert_int_equal(nook_restart_policy_check(&p), -EINVAL);
	nook_restart_policy_default(&p);
	p.max_failures = NOOK_RESTART_MAX_BURST + 1;
	assert_int_equal(nook_restart_policy_check(&p), -EINVAL);
}

static void test_clock_going_backwards_keeps_failures(void **state)
{
	struct nook_restart_state s;
	uint64_t d;

	nook_restart_state_init(&s);
	fail_at(&s, 50000);
	fail_at(&s, 50001);
	fail_at(&s, 40000);
	assert_int_equal(nook_restart_on_failure(&s, &pol, 40001, &d), NOOK_RESTART_GIVE_UP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles_up_to_max),
		cmocka_unit_test(test_too_many_in_period_fails),
		cmocka_unit_test(test_old_failures_leave_the_window),
		cmocka_unit_test(test_stable_run_resets_backoff_not_window),
		cmocka_unit_test(test_healthy_driver_restarts_at_once_and_ends_the_streak),
		cmocka_unit_test(test_hundred_failures_each_followed_by_health_never_fail),
		cmocka_unit_test(test_six_in_a_row_without_health_fail),
		cmocka_unit_test(test_unhealthy_streak_spread_over_the_period_does_not_fail),
		cmocka_unit_test(test_reset_failed),
		cmocka_unit_test(test_policy_check),
		cmocka_unit_test(test_clock_going_backwards_keeps_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
