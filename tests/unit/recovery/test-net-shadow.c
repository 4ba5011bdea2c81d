// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of recovery/net-shadow: ethtool settings checked, recorded, replayed. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "recovery/net-shadow.h"

static void test_nothing_recorded_nothing_replayed(void **state)
{
	struct nook_net_shadow s;
	char buf[128];

	nook_net_shadow_init(&s);
	assert_int_equal(nook_net_shadow_replay(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_record_and_replay(void **state)
{
	struct nook_net_shadow s;
	char buf[128];

	nook_net_shadow_init(&s);
	assert_int_equal(nook_net_shadow_record(&s, "ring-rx=256\nmsglevel=0x2007"), 0);
	assert_int_equal(nook_net_shadow_record(&s, "ring-rx=512\nring-tx=128\n"), 0);
	/* later values win; all three come back, in a fixed order */
	assert_int_not_equal(nook_net_shadow_replay(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ring-rx=512\nring-tx=128\nmsglevel=0x2007\n");
	/* a buffer too small replays nothing rather than half */
	assert_int_equal(nook_net_shadow_replay(&s, buf, 12), 0);
}

static void test_bad_settings_change_nothing(void **state)
{
	struct nook_net_shadow s;
	char why[128], buf[128];

	nook_net_shadow_init(&s);
	assert_int_equal(nook_net_shadow_record(&s, "ring-rx=256"), 0);
	assert_int_equal(nook_net_shadow_record(&s, "ring-tx=64\nspeed=10"), -EINVAL);
	nook_net_shadow_replay(&s, buf, sizeof(buf));
	assert_string_equal(buf, "ring-rx=256\n");

	assert_int_equal(nook_net_shadow_check("speed=10", why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "unknown setting 'speed'"));
	assert_int_equal(nook_net_shadow_check("ring-rx=lots", why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "'lots' is not a number for ring-rx"));
	assert_int_equal(nook_net_shadow_check("ring-rx=-1", why, sizeof(why)), -EINVAL);
	assert_int_equal(nook_net_shadow_check("ring-rx", why, sizeof(why)), -EINVAL);
	assert_int_equal(nook_net_shadow_check("", why, sizeof(why)), -EINVAL);
	assert_int_equal(nook_net_shadow_check("ring-tx=80\nmsglevel=7", why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_recorded_nothing_replayed),
		cmocka_unit_test(test_record_and_replay),
		cmocka_unit_test(test_bad_settings_change_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
