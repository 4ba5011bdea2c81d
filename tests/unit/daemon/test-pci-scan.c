// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/pci-scan: a fake /sys gives IDs, names from pci.ids, drivers,
 * IOMMU groups and interfaces; the real machine's scan through libpciaccess agrees with
 * its /sys/bus/pci/devices.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake-sysfs.h"
#include "daemon/pci-scan.h"

static int setup(void **state)
{
	fake_sysfs_create();
	return 0;
}

static int teardown(void **state)
{
	fake_sysfs_destroy();
	return 0;
}

static void test_fake_tree(void **state)
{
	struct nook_pci_info *list;
	struct nook_err err = { 0 };
	size_t n;

	fake_pci_add("0000:00:05.0", 0x10ec, 0x8139, 0x020000, 5, "8139cp");
	fake_pci_add("0000:00:04.0", 0x8086, 0x100e, 0x020000, 4, "e1000");
	fake_pci_add("0000:00:06.0", 0x1234, 0x11e8, 0x00ff00, -1, "");
	fake_net_add("0000:00:04.0", "ens4", 0x1003);
	fake_net_add("0000:00:04.0", "ens3", 0x1003);
	assert_int_equal(nook_pci_scan(fake_root, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	/* sorted by address */
	assert_string_equal(list[0].addr, "0000:00:04.0");
	assert_string_equal(list[1].addr, "0000:00:05.0");
	assert_int_equal(list[0].vendor, 0x8086);
	assert_int_equal(list[0].device, 0x100e);
	assert_int_equal(list[0].class, 0x020000);
	assert_int_equal(list[0].subvendor, 0x1af4);
	assert_string_equal(list[0].driver, "e1000");
	assert_int_equal(list[0].iommu_group, 4);
	assert_int_equal(list[0].n_ifs, 2);
	assert_string_equal(list[0].ifs[0], "ens3");
	assert_string_equal(list[0].ifs[1], "ens4");
	/* names come from pci.ids */
	assert_string_equal(list[0].vendor_name, "Intel Corporation");
	assert_string_equal(list[0].device_name, "82540EM Gigabit Ethernet Controller");
	assert_non_null(strstr(list[1].device_name, "RTL-8100/8101L/8139"));
	assert_string_equal(list[2].driver, "");
	assert_int_equal(list[2].iommu_group, -1);
	assert_int_equal(list[2].n_ifs, 0);
	free(list);
}

static void test_lookup(void **state)
{
	struct nook_pci_info info;
	struct nook_err err = { 0 };

	fake_pci_add("0000:00:04.0", 0x8086, 0x100e, 0x020000, 4, "e1000");
	assert_int_equal(nook_pci_lookup(fake_root, "00:04.0", &info, &err), 0);
	assert_string_equal(info.addr, "0000:00:04.0");
	assert_int_equal(nook_pci_lookup(fake_root, "00:09.0", &info, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "0000:00:09.0: no such PCI device"));
	assert_int_equal(nook_pci_lookup(fake_root, "00:09.9", &info, &err), -EINVAL);
}

static void test_names_unknown_ids(void **state)
{
	struct nook_pci_info info = { .vendor = 0xfff0, .device = 0xfff0 } /* unassigned */;

	nook_pci_names(&info);
	assert_string_equal(info.vendor_name, "");
	assert_string_equal(info.device_name, "");
}

static void test_real_machine(void **state)
{
	struct nook_pci_info *list;
	struct nook_err err = { 0 };
	struct dirent *de;
	size_t n, in_sysfs = 0;
	DIR *d = opendir("/sys/bus/pci/devices");

	if (!d)
		skip();
	while ((de = readdir(d)))
		in_sysfs += de->d_name[0] != '.';
	closedir(d);
	if (!in_sysfs)
		skip();
	assert_int_equal(nook_pci_scan(NULL, &list, &n, &err), 0);
	assert_int_equal(n, in_sysfs);
	for (size_t i = 0; i < n; i++) {
		struct nook_pci_info one;

		/* libpciaccess and sysfs agree on each device */
		assert_int_equal(nook_pci_lookup(NULL, list[i].addr, &one, &err), 0);
		assert_int_equal(one.vendor, list[i].vendor);
		assert_int_equal(one.device, list[i].device);
		assert_int_equal(one.class, list[i].class);
		assert_string_equal(one.driver, list[i].driver);
		if (i)
			assert_true(strcmp(list[i - 1].addr, list[i].addr) < 0);
	}
	free(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fake_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test(test_names_unknown_ids),
		cmocka_unit_test(test_real_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
