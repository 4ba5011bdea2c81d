// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the compat layer's library pieces a NIC driver leans on: CRC-32 (multicast
 * hash filters), bit reversal, the MII <-> ethtool conversions of linux/mii.h, and printk's
 * lines built from pieces.
 */
#include <linux/kernel.h>
#include <linux/crc32.h>
#include <linux/ethtool.h>
#include <linux/mii.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

static const unsigned char check[] = "123456789";

static void test_crc32_check_values(void **state)
{
	/* The catalogued check values: CRC-32 (reflected) and CRC-32/BZIP2 (not). */
	assert_int_equal(crc32_le(~0u, check, 9) ^ ~0u, 0xcbf43926u);
	assert_int_equal(crc32_be(~0u, check, 9) ^ ~0u, 0xfc891918u);
	/* Feeding it in pieces gives the same CRC. */
	assert_int_equal(crc32_le(crc32_le(~0u, check, 4), check + 4, 5), crc32_le(~0u, check, 9));
	assert_int_equal(crc32_le(~0u, check, 0), ~0u);
}

static void test_bitrev32(void **state)
{
	assert_int_equal(bitrev32(1), 0x80000000u);
	assert_int_equal(bitrev32(0x12345678u), 0x1e6a2c48u);
	assert_int_equal(bitrev32(bitrev32(0xdeadbeefu)), 0xdeadbeefu);
}

static void test_ether_crc_is_the_reversed_le_crc(void **state)
{
	static const unsigned char mc[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

	assert_int_equal(ether_crc(6, mc), bitrev32(crc32_le(~0u, mc, 6)));
	assert_int_equal(ether_crc_le(6, mc), crc32_le(~0u, mc, 6));
	/* Different addresses, different hashes (what a hash filter relies on). */
	assert_int_not_equal(ether_crc(6, mc),
			     ether_crc(6, (const unsigned char *)"\x01\x00\x5e\x00\x00\xfb"));
}

static void test_mii_ethtool_round_trips(void **state)
{
	u32 all = ADVERTISED_10baseT_Half | ADVERTISED_10baseT_Full | ADVERTISED_100baseT_Half |
		  ADVERTISED_100baseT_Full | ADVERTISED_Pause | ADVERTISED_Asym_Pause;

	assert_int_equal(ethtool_adv_to_mii_adv_t(all),
			 ADVERTISE_10HALF | ADVERTISE_10FULL | ADVERTISE_100HALF |
				 ADVERTISE_100FULL | ADVERTISE_PAUSE_CAP | ADVERTISE_PAUSE_ASYM);
	assert_int_equal(mii_adv_to_ethtool_adv_t(ethtool_adv_to_mii_adv_t(all)), all);
	/* Gigabit bits are not MII_ADVERTISE's business. */
	assert_int_equal(ethtool_adv_to_mii_adv_t(ADVERTISED_1000baseT_Full), 0);
	assert_int_equal(ethtool_adv_to_mii_ctrl1000_t(ADVERTISED_1000baseT_Half |
						       ADVERTISED_1000baseT_Full),
			 ADVERTISE_1000HALF | ADVERTISE_1000FULL);
	assert_int_equal(mii_ctrl1000_to_ethtool_adv_t(ADVERTISE_1000FULL),
			 ADVERTISED_1000baseT_Full);
	assert_int_equal(mii_stat1000_to_ethtool_lpa_t(LPA_1000HALF), ADVERTISED_1000baseT_Half);
	/* The partner's word: an acknowledged autonegotiation says so. */
	assert_int_equal(mii_lpa_to_ethtool_lpa_t(LPA_LPACK | LPA_100FULL),
			 ADVERTISED_Autoneg | ADVERTISED_100baseT_Full);
}

static void test_mii_nway_result_picks_the_best(void **state)
{
	assert_int_equal(mii_nway_result(LPA_10HALF | LPA_10FULL | LPA_100HALF | LPA_100FULL),
			 LPA_100FULL);
	assert_int_equal(mii_nway_result(LPA_100HALF | LPA_10FULL), LPA_100HALF);
	assert_int_equal(mii_nway_result(LPA_10FULL), LPA_10FULL);
	assert_int_equal(mii_nway_result(0), LPA_10HALF);
	assert_int_equal(mii_duplex(0, LPA_100FULL | LPA_100HALF), 1);
	assert_int_equal(mii_duplex(0, LPA_100HALF | LPA_10FULL), 0);
	assert_int_equal(mii_duplex(1, 0), 1);
}

/* A line printed in pieces (pr_cont) reaches the log whole, at its first piece's level, once
 * its newline comes or another message starts. */
static void test_printk_joins_continued_lines(void **state)
{
	unsigned int n = fake_host_log_lines();

	printk(KERN_INFO "pcnet32: %s at %#3lx,", "PCnet/PCI II 79C970A", 0x100000UL);
	pr_cont(" %02x:%02x", 0x52, 0x54);
	assert_int_equal(fake_host_log_lines(), n);
	pr_cont(" assigned IRQ %d\n", 1);
	assert_int_equal(fake_host_log_lines(), n + 1);
	assert_string_equal(fake_host_last_log(),
			    "pcnet32: PCnet/PCI II 79C970A at 0x100000, 52:54 assigned IRQ 1");
	assert_int_equal(fake_host_last_log_level(), 6);

	/* a line left open ends when the next message starts */
	printk(KERN_NOTICE "no newline");
	printk(KERN_ERR "next\n");
	assert_int_equal(fake_host_log_lines(), n + 3);
	assert_string_equal(fake_host_last_log(), "next");
	assert_int_equal(fake_host_last_log_level(), 3);

	/* a debug line and its continuation print only with --debug */
	printk(KERN_DEBUG "debug");
	pr_cont(" line\n");
	assert_int_equal(fake_host_log_lines(), n + 3);
}

/* A *_once message prints the first time its call site is reached, and never again. */
static void test_printk_once(void **state)
{
	unsigned int n = fake_host_log_lines();

	for (int i = 0; i < 3; i++)
		pr_warn_once("said once, at %d\n", i);
	assert_int_equal(fake_host_log_lines(), n + 1);
	assert_string_equal(fake_host_last_log(), "said once, at 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_values),
		cmocka_unit_test(test_bitrev32),
		cmocka_unit_test(test_ether_crc_is_the_reversed_le_crc),
		cmocka_unit_test(test_mii_ethtool_round_trips),
		cmocka_unit_test(test_mii_nway_result_picks_the_best),
		cmocka_unit_test(test_printk_joins_continued_lines),
		cmocka_unit_test(test_printk_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
