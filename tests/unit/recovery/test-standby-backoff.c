// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/standby-backoff: a standby that dies soon holds the next back,
 * doubling to a cap; one that lived, or was adopted, ends the wait. A fake clock in ms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "recovery/standby-backoff.h"

static void test_first_start_waits_for_nothing(void **state)
{
	struct nook_standby_backoff b;

	nook_standby_backoff_init(&b);
	assert_int_equal(nook_standby_backoff_delay(&b, 5000, 0), 0);
	assert_int_equal(nook_standby_backoff_delay(&b, 5000, 1000), 1000);
}

/* Dies at once each time: 1 s, 2 s, 4 s ... up to 60 s, and no start before the wait ends. */
static void test_quick_deaths_double_to_the_cap(void **state)
{
	static const uint64_t expect[] = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000 };
	struct nook_standby_backoff b;
	uint64_t now = 100000;

	nook_standby_backoff_init(&b);
	for (unsigned int i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		assert_int_equal(nook_standby_backoff_died(&b, now, now + 50), expect[i]);
		now += 50;
		/* A trigger at once (TRAFFIC: 0 ms) or sooner than the wait waits it out. */
		assert_int_equal(nook_standby_backoff_delay(&b, now, 0), expect[i]);
		assert_int_equal(nook_standby_backoff_delay(&b, now + 400, 0), expect[i] - 400);
		/* One asked for later than the wait keeps its own delay. */
		assert_int_equal(nook_standby_backoff_delay(&b, now, expect[i] + 1), expect[i] + 1);
		now += expect[i];
		assert_int_equal(nook_standby_backoff_delay(&b, now, 0), 0);
	}
}

/* One that loaded, waited and then died (say, killed) starts the count again. */
static void test_a_standby_that_lived_ends_the_backoff(void **state)
{
	struct nook_standby_backoff b;

	nook_standby_backoff_init(&b);
	assert_int_equal(nook_standby_backoff_died(&b, 0, 10), 1000);
	assert_int_equal(nook_standby_backoff_died(&b, 2000, 2010), 2000);
	assert_int_equal(nook_standby_backoff_died(&b, 5000, 5000 + NOOK_STANDBY_LIVED_MS), 0);
	assert_int_equal(nook_standby_backoff_delay(&b, 5000 + NOOK_STANDBY_LIVED_MS, 0), 0);
	assert_int_equal(nook_standby_backoff_died(&b, 20000, 20100), 1000);
}

/* Handed the device: it did its job, and the next standby starts without a wait. */
static void test_adoption_ends_the_backoff(void **state)
{
	struct nook_standby_backoff b;

	nook_standby_backoff_init(&b);
	nook_standby_backoff_died(&b, 0, 10);
	nook_standby_backoff_died(&b, 1010, 1020);
	nook_standby_backoff_adopted(&b);
	assert_int_equal(nook_standby_backoff_delay(&b, 1030, 0), 0);
	assert_int_equal(nook_standby_backoff_died(&b, 1040, 1050), 1000);
}

/*
 * A standby that always dies at once, and a driver that sends TRAFFIC (start one now) every
 * 10 ms for 10 minutes: a handful of starts, not one per message.
 */
static void test_a_flood_of_triggers_starts_few(void **state)
{
	struct nook_standby_backoff b;
	uint64_t next_start = 0;
	unsigned int starts = 0;

	nook_standby_backoff_init(&b);
	for (uint64_t now = 0; now < 600000; now += 10) {
		if (now < next_start)
			continue;
		starts++;
		nook_standby_backoff_died(&b, now, now + 5);
		next_start = now + 5 + nook_standby_backoff_delay(&b, now + 5, 0);
	}
	/* 1+2+4+8+16+32 s = 63 s for the first seven, then one a minute */
	assert_in_range(starts, 14, 18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_start_waits_for_nothing),
		cmocka_unit_test(test_quick_deaths_double_to_the_cap),
		cmocka_unit_test(test_a_standby_that_lived_ends_the_backoff),
		cmocka_unit_test(test_adoption_ends_the_backoff),
		cmocka_unit_test(test_a_flood_of_triggers_starts_few),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
