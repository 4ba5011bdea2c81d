// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/base/sysfs: every check made before VFIO is asked, against a fake
 * /sys and /dev built in a temporary directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/base/sysfs.h"

#define DEV "0000:00:04.0"
#define PEER "0000:00:05.0"

static char root[PATH_MAX];

static void mkpath(const char *rel)
{
	char cmd[2 * PATH_MAX];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", root, rel);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *rel, const char *text)
{
	char path[2 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_to(const char *rel, const char *target)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

static void rm(const char *rel)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

/* A device bound to vfio-pci in IOMMU group 5 with a driver-less peer: all is well. */
static int setup(void **state)
{
	snprintf(root, sizeof(root), "/tmp/nook-sysfs-XXXXXX");
	assert_non_null(mkdtemp(root));
	mkpath("sys/bus/pci/devices/" DEV);
	mkpath("sys/bus/pci/devices/" PEER);
	mkpath("sys/kernel/iommu_groups/5/devices/" DEV);
	mkpath("sys/kernel/iommu_groups/5/devices/" PEER);
	mkpath("dev/vfio");
	put("sys/bus/pci/devices/" DEV "/vendor", "0x8086\n");
	put("sys/bus/pci/devices/" DEV "/device", "0x100e\n");
	link_to("sys/bus/pci/devices/" DEV "/driver", "../../../bus/pci/drivers/vfio-pci");
	link_to("sys/bus/pci/devices/" DEV "/iommu_group", "../../../kernel/iommu_groups/5");
	link_to("sys/bus/pci/devices/" PEER "/iommu_group", "../../../kernel/iommu_groups/5");
	put("dev/vfio/vfio", "");
	put("dev/vfio/5", "");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void expect(int want, const char *msg_part)
{
	struct nook_err err = { 0 };
	int group = -1;

	assert_int_equal(nook_sysfs_vfio_check(root, DEV, &group, &err), want);
	if (msg_part) {
		if (!strstr(err.msg, msg_part))
			fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
		assert_int_equal(err.code, want);
	} else {
		assert_int_equal(group, 5);
	}
}

static void test_viable_device(void **state)
{
	unsigned int v;
	char drv[64];

	expect(0, NULL);
	assert_int_equal(nook_sysfs_pci_read_hex(root, DEV, "vendor", &v), 0);
	assert_int_equal(v, 0x8086);
	assert_int_equal(nook_sysfs_pci_driver(root, DEV, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "vfio-pci");
	assert_int_equal(nook_sysfs_pci_driver(root, PEER, drv, sizeof(drv)), 0);
	assert_string_equal(drv, "");
	/* A bridge's pcieport in the group is no obstacle. */
	link_to("sys/bus/pci/devices/" PEER "/driver", "../../../bus/pci/drivers/pcieport");
	expect(0, NULL);
}

static void test_no_such_device(void **state)
{
	struct nook_err err = { 0 };
	int group;

	assert_int_equal(nook_sysfs_vfio_check(root, "0000:00:09.0", &group, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "no PCI device 0000:00:09.0"));
}

static void test_vfio_not_loaded(void **state)
{
	rm("dev/vfio/vfio");
	expect(-ENOENT, "modprobe vfio-pci");
}

static void test_no_iommu(void **state)
{
	rm("sys/bus/pci/devices/" DEV "/iommu_group");
	expect(-ENOENT, "intel_iommu=on");
}

static void test_not_bound(void **state)
{
	rm("sys/bus/pci/devices/" DEV "/driver");
	expect(-EPERM, DEV " is bound to no driver, not vfio-pci");
	expect(-EPERM, "echo vfio-pci > /sys/bus/pci/devices/" DEV "/driver_override");
}

static void test_bound_to_kernel_driver(void **state)
{
	link_to("sys/bus/pci/devices/" DEV "/driver", "../../../bus/pci/drivers/e1000");
	expect(-EBUSY, DEV " is bound to e1000, not vfio-pci");
	expect(-EBUSY, "driver/unbind");
}

static void test_group_not_viable(void **state)
{
	link_to("sys/bus/pci/devices/" PEER "/driver", "../../../bus/pci/drivers/8139cp");
	expect(-EBUSY,
	       "IOMMU group 5 is not viable: " PEER " in the same group is bound to 8139cp");
}

static void test_group_node_missing(void **state)
{
	rm("dev/vfio/5");
	expect(-ENOENT, "/dev/vfio/5 is missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_viable_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_such_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vfio_not_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound_to_kernel_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_not_viable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_node_missing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
