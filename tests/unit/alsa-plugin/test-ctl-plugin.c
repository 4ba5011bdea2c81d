// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of alsa-plugin/ctl-nook: the build's ctl.nook loaded by the real alsa-lib
 * (snd_ctl_open_lconf on the build's nook-alsa.conf) against the fake card server's mixer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <alsa/asoundlib.h>

#include "fake-server.h"
#include "plugin-env.h"

static char dir[64];
static snd_config_t *lconf;
static struct fake_server *fs;
static snd_ctl_t *ctl;

static void id_by_name(snd_ctl_elem_id_t *id, const char *name)
{
	snd_ctl_elem_id_clear(id);
	snd_ctl_elem_id_set_interface(id, SND_CTL_ELEM_IFACE_MIXER);
	snd_ctl_elem_id_set_name(id, name);
}

static void test_card_and_list(void **state)
{
	static const char *const names[] = { "Master Playback Volume", "Master Playback Switch",
					     "Capture Source" };
	snd_ctl_card_info_t *info;
	snd_ctl_elem_list_t *list;

	snd_ctl_card_info_alloca(&info);
	assert_int_equal(snd_ctl_card_info(ctl, info), 0);
	assert_string_equal(snd_ctl_card_info_get_id(info), "NookFake");
	assert_string_equal(snd_ctl_card_info_get_driver(info), "FAKE");
	assert_string_equal(snd_ctl_card_info_get_name(info), "Fake nook card");

	snd_ctl_elem_list_alloca(&list);
	assert_int_equal(snd_ctl_elem_list(ctl, list), 0);
	assert_int_equal(snd_ctl_elem_list_get_count(list), 3);
	assert_int_equal(snd_ctl_elem_list_alloc_space(list, 3), 0);
	assert_int_equal(snd_ctl_elem_list(ctl, list), 0);
	assert_int_equal(snd_ctl_elem_list_get_used(list), 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_string_equal(snd_ctl_elem_list_get_name(list, i), names[i]);
		assert_int_equal(snd_ctl_elem_list_get_interface(list, i),
				 SND_CTL_ELEM_IFACE_MIXER);
		assert_int_equal(snd_ctl_elem_list_get_numid(list, i), i + 1);
	}
	snd_ctl_elem_list_free_space(list);
}

static void test_integer_and_tlv(void **state)
{
	snd_ctl_elem_id_t *id;
	snd_ctl_elem_info_t *info;
	snd_ctl_elem_value_t *v;
	unsigned int tlv[16];
	long db;

	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_value_alloca(&v);
	id_by_name(id, "Master Playback Volume");
	snd_ctl_elem_info_set_id(info, id);
	assert_int_equal(snd_ctl_elem_info(ctl, info), 0);
	assert_int_equal(snd_ctl_elem_info_get_type(info), SND_CTL_ELEM_TYPE_INTEGER);
	assert_int_equal(snd_ctl_elem_info_get_count(info), 2);
	assert_int_equal(snd_ctl_elem_info_get_min(info), 0);
	assert_int_equal(snd_ctl_elem_info_get_max(info), 31);
	assert_true(snd_ctl_elem_info_is_readable(info) && snd_ctl_elem_info_is_writable(info));
	assert_true(snd_ctl_elem_info_is_tlv_readable(info));

	assert_int_equal(snd_ctl_elem_tlv_read(ctl, id, tlv, sizeof(tlv)), 0);
	assert_int_equal(tlv[0], SND_CTL_TLVT_DB_SCALE);
	assert_int_equal(tlv[1], 8);
	assert_int_equal((int)tlv[2], FAKE_TLV_DB_MIN);
	assert_int_equal(tlv[3], FAKE_TLV_DB_STEP);
	assert_int_equal(snd_tlv_convert_to_dB(tlv, 0, 31, 31, &db), 0);
	assert_int_equal(db, FAKE_TLV_DB_MIN + 31 * FAKE_TLV_DB_STEP);

	snd_ctl_elem_value_set_id(v, id);
	snd_ctl_elem_value_set_integer(v, 0, 10);
	snd_ctl_elem_value_set_integer(v, 1, 20);
	assert_int_equal(snd_ctl_elem_write(ctl, v), 1); /* changed */
	assert_int_equal(snd_ctl_elem_write(ctl, v), 0); /* the same again */
	snd_ctl_elem_value_clear(v);
	snd_ctl_elem_value_set_id(v, id);
	assert_int_equal(snd_ctl_elem_read(ctl, v), 0);
	assert_int_equal(snd_ctl_elem_value_get_integer(v, 0), 10);
	assert_int_equal(snd_ctl_elem_value_get_integer(v, 1), 20);
	/* Out of range: the card refuses, the value stays. */
	snd_ctl_elem_value_set_integer(v, 0, 40);
	assert_int_equal(snd_ctl_elem_write(ctl, v), -EINVAL);
	assert_int_equal(snd_ctl_elem_read(ctl, v), 0);
	assert_int_equal(snd_ctl_elem_value_get_integer(v, 0), 10);
}

static void test_boolean(void **state)
{
	snd_ctl_elem_id_t *id;
	snd_ctl_elem_info_t *info;
	snd_ctl_elem_value_t *v;
	unsigned int tlv[16];

	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_value_alloca(&v);
	id_by_name(id, "Master Playback Switch");
	snd_ctl_elem_info_set_id(info, id);
	assert_int_equal(snd_ctl_elem_info(ctl, info), 0);
	assert_int_equal(snd_ctl_elem_info_get_type(info), SND_CTL_ELEM_TYPE_BOOLEAN);
	assert_false(snd_ctl_elem_info_is_tlv_readable(info));
	assert_true(snd_ctl_elem_tlv_read(ctl, id, tlv, sizeof(tlv)) < 0);

	snd_ctl_elem_value_set_id(v, id);
	snd_ctl_elem_value_set_boolean(v, 0, 1);
	assert_int_equal(snd_ctl_elem_write(ctl, v), 1);
	snd_ctl_elem_value_set_boolean(v, 0, 0);
	assert_int_equal(snd_ctl_elem_read(ctl, v), 0);
	assert_int_equal(snd_ctl_elem_value_get_boolean(v, 0), 1);
}

static void test_enumerated(void **state)
{
	static const char *const items[] = { "Mic", "Line", "CD" };
	snd_ctl_elem_id_t *id;
	snd_ctl_elem_info_t *info;
	snd_ctl_elem_value_t *v;

	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_value_alloca(&v);
	id_by_name(id, "Capture Source");
	snd_ctl_elem_info_set_id(info, id);
	assert_int_equal(snd_ctl_elem_info(ctl, info), 0);
	assert_int_equal(snd_ctl_elem_info_get_type(info), SND_CTL_ELEM_TYPE_ENUMERATED);
	assert_int_equal(snd_ctl_elem_info_get_items(info), 3);
	for (unsigned int i = 0; i < 3; i++) {
		snd_ctl_elem_info_set_item(info, i);
		assert_int_equal(snd_ctl_elem_info(ctl, info), 0);
		assert_string_equal(snd_ctl_elem_info_get_item_name(info), items[i]);
	}

	snd_ctl_elem_value_set_id(v, id);
	snd_ctl_elem_value_set_enumerated(v, 0, 2);
	assert_int_equal(snd_ctl_elem_write(ctl, v), 1);
	snd_ctl_elem_value_set_enumerated(v, 0, 0);
	assert_int_equal(snd_ctl_elem_read(ctl, v), 0);
	assert_int_equal(snd_ctl_elem_value_get_enumerated(v, 0), 2);
	/* By numid, as amixer's cset numid=3 does. */
	snd_ctl_elem_id_clear(id);
	snd_ctl_elem_id_set_numid(id, 3);
	snd_ctl_elem_value_set_id(v, id);
	assert_int_equal(snd_ctl_elem_read(ctl, v), 0);
	assert_int_equal(snd_ctl_elem_value_get_enumerated(v, 0), 2);
	snd_ctl_elem_id_set_numid(id, 9);
	snd_ctl_elem_value_set_id(v, id);
	assert_int_equal(snd_ctl_elem_read(ctl, v), -ENOENT);
}

static void test_unknown_device(void **state)
{
	snd_ctl_t *c = NULL;

	assert_int_equal(snd_ctl_open_lconf(&c, "nook:DEV=0000:00:09.0", 0, lconf), -ENOENT);
	assert_int_equal(snd_ctl_open_lconf(&c, "nook:DEV=x", 0, lconf), -EINVAL);
	assert_null(c);
	/* The first card, and the short address form, name the fake's. */
	assert_int_equal(snd_ctl_open_lconf(&c, "nook", 0, lconf), 0);
	snd_ctl_close(c);
	assert_int_equal(snd_ctl_open_lconf(&c, "nook:00:04.0", 0, lconf), 0);
	snd_ctl_close(c);
}

static void test_server_gone(void **state)
{
	snd_ctl_elem_value_t *v;

	snd_ctl_elem_value_alloca(&v);
	fake_server_stop(fs);
	snd_ctl_elem_value_set_numid(v, 1);
	assert_int_equal(snd_ctl_elem_read(ctl, v), -ENODEV);
}

static int setup(void **state)
{
	return plugin_env_setup("ctl-plugin", &lconf, dir, sizeof(dir));
}

static int teardown(void **state)
{
	return plugin_env_teardown(lconf, dir);
}

static int open_card(void **state)
{
	fs = fake_server_start(dir);
	if (!fs)
		return -1;
	return snd_ctl_open_lconf(&ctl, "nook:DEV=" FAKE_BDF, 0, lconf);
}

static int close_card(void **state)
{
	snd_ctl_close(ctl);
	fake_server_free(fs);
	fs = NULL;
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, open_card, close_card)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_card_and_list), T(test_integer_and_tlv), T(test_boolean),
		T(test_enumerated),    T(test_unknown_device),	T(test_server_gone),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
