// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of recovery/recovery-log: phases measured from detection, history kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "recovery/recovery-log.h"

static void test_phases_from_detection(void **state)
{
	struct nook_recovery_log log;
	const struct nook_recovery *r;

	nook_recovery_log_init(&log);
	assert_null(nook_recovery_last(&log));
	/* nothing open: a phase reached is no recovery's */
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_READY, 5), 0);

	nook_recovery_begin(&log, NOOK_FAILURE_CRASH, "segv", 1000);
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_STARTED, 1000), 1);
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_READY, 1040), 40);
	/* only the first time a phase is reached counts */
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_READY, 1090), 40);
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_TRAFFIC, 1100), 100);
	r = nook_recovery_last(&log);
	assert_non_null(r);
	assert_string_equal(nook_failure_kind_name(r->kind), "crash");
	assert_string_equal(r->injected, "segv");
	assert_int_equal(r->phase_ms[NOOK_RECOVERY_CARRIER], 0); /* skipped */
	assert_int_equal(r->detected_wall_us, 0);		 /* not told */
	assert_false(r->open);
	/* traffic closed it: later events change nothing */
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_CARRIER, 1200), 0);
	assert_int_equal(r->phase_ms[NOOK_RECOVERY_CARRIER], 0);
}

/* The wall-clock detection time is kept as stamped, for the newest recovery only. */
static void test_stamp_is_kept(void **state)
{
	struct nook_recovery_log log;

	nook_recovery_log_init(&log);
	nook_recovery_stamp(&log, 42); /* no recovery: nothing */
	nook_recovery_begin(&log, NOOK_FAILURE_CRASH, NULL, 1000);
	nook_recovery_stamp(&log, 1796623799989529ull);
	nook_recovery_begin(&log, NOOK_FAILURE_HANG, NULL, 2000);
	assert_int_equal(nook_recovery_at(&log, 0)->detected_wall_us, 1796623799989529ull);
	assert_int_equal(nook_recovery_at(&log, 1)->detected_wall_us, 0);
}

static void test_new_failure_closes_the_open_one(void **state)
{
	struct nook_recovery_log log;

	nook_recovery_log_init(&log);
	nook_recovery_begin(&log, NOOK_FAILURE_HANG, NULL, 0);
	nook_recovery_reached(&log, NOOK_RECOVERY_STARTED, 10);
	nook_recovery_begin(&log, NOOK_FAILURE_DMA_FAULT, "wild-dma", 50);
	assert_int_equal(log.n, 2);
	assert_false(nook_recovery_at(&log, 0)->open);
	assert_int_equal(nook_recovery_at(&log, 0)->phase_ms[NOOK_RECOVERY_READY], 0);
	assert_string_equal(nook_recovery_at(&log, 0)->injected, "");
	assert_true(nook_recovery_at(&log, 1)->open);
	assert_int_equal(nook_recovery_reached(&log, NOOK_RECOVERY_READY, 80), 30);
}

static void test_history_keeps_the_newest(void **state)
{
	struct nook_recovery_log log;

	nook_recovery_log_init(&log);
	for (unsigned int i = 0; i < NOOK_RECOVERY_KEEP + 5; i++)
		nook_recovery_begin(&log, NOOK_FAILURE_EXIT, NULL, 1000 * i);
	assert_int_equal(log.n, NOOK_RECOVERY_KEEP);
	assert_int_equal(nook_recovery_at(&log, 0)->detected_ms, 5000);
	assert_int_equal(nook_recovery_last(&log)->detected_ms, 1000 * (NOOK_RECOVERY_KEEP + 4));
	assert_null(nook_recovery_at(&log, NOOK_RECOVERY_KEEP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phases_from_detection),
		cmocka_unit_test(test_stamp_is_kept),
		cmocka_unit_test(test_new_failure_closes_the_open_one),
		cmocka_unit_test(test_history_keeps_the_newest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
