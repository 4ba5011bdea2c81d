// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/bind: the driver_override flow and its refusals, against a fake
 * /sys whose kernel model binds and unbinds as the real one does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/bind.h"
#include "fake-sysfs.h"

#define NIC "0000:00:04.0"
#define PEER "0000:00:05.0"

static int setup(void **state)
{
	fake_sysfs_create();
	fake_pci_add(NIC, 0x8086, 0x100e, 0x020000, 4, "e1000");
	fake_driver_load("vfio-pci");
	return 0;
}

static int teardown(void **state)
{
	fake_sysfs_destroy();
	return 0;
}

static void test_bind_and_release(void **state)
{
	struct nook_err err = { 0 };
	char orig[64] = "unset";

	assert_int_equal(nook_bind_vfio(fake_root, "00:04.0", false, orig, sizeof(orig), &err), 0);
	assert_string_equal(orig, "e1000");
	assert_string_equal(fake_bound(NIC), "vfio-pci");
	assert_string_equal(fake_override(NIC), "vfio-pci");
	/* override first (so nothing else grabs it), then unbind, then probe */
	assert_string_equal(fake_writes,
			    "driver_override=vfio-pci\nunbind=" NIC "\ndrivers_probe=" NIC "\n");

	fake_writes[0] = '\0';
	assert_int_equal(nook_bind_release(fake_root, NIC, orig, &err), 0);
	assert_string_equal(fake_bound(NIC), "e1000");
	assert_string_equal(fake_override(NIC), "");
	assert_string_equal(fake_writes,
			    "driver_override=\nunbind=" NIC "\ndrivers_probe=" NIC "\n");
}

static void test_already_vfio_is_left_there(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	fake_pci_add(PEER, 0x1234, 0x11e8, 0xff0000, 5, "vfio-pci");
	assert_int_equal(nook_bind_vfio(fake_root, PEER, false, orig, sizeof(orig), &err), 0);
	assert_string_equal(orig, "vfio-pci");
	assert_string_equal(fake_writes, "");
	assert_int_equal(nook_bind_release(fake_root, PEER, orig, &err), 0);
	assert_string_equal(fake_bound(PEER), "vfio-pci");
}

static void test_unbound_device(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	fake_pci_add(PEER, 0x1234, 0x11e8, 0xff0000, 5, "");
	assert_int_equal(nook_bind_vfio(fake_root, PEER, false, orig, sizeof(orig), &err), 0);
	assert_string_equal(orig, "");
	assert_string_equal(fake_bound(PEER), "vfio-pci");
	assert_null(strstr(fake_writes, "unbind=" PEER "\ndrivers")); /* nothing to unbind */
	assert_int_equal(nook_bind_release(fake_root, PEER, orig, &err), 0);
	assert_string_equal(fake_bound(PEER), "");
}

static void test_unknown_and_malformed_address(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	assert_int_equal(nook_bind_vfio(fake_root, "0000:00:1f.7", false, orig, sizeof(orig), &err),
			 -ENODEV);
	assert_non_null(strstr(err.msg, "0000:00:1f.7"));
	assert_non_null(strstr(err.msg, "no such PCI device"));
	assert_int_equal(nook_bind_vfio(fake_root, "eth0", false, orig, sizeof(orig), &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "'eth0' is not a PCI address"));
	assert_string_equal(fake_writes, "");
}

static void test_group_with_kernel_driver_refused(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	fake_pci_add(PEER, 0x8086, 0x2668, 0x040300, 4, "snd_hda_intel");
	assert_int_equal(nook_bind_vfio(fake_root, NIC, false, orig, sizeof(orig), &err), -EBUSY);
	assert_non_null(strstr(err.msg, "IOMMU group 4"));
	assert_non_null(strstr(err.msg, PEER " (snd_hda_intel)"));
	assert_string_equal(fake_bound(NIC), "e1000");
	assert_string_equal(fake_writes, "");
	/* force does not override an unsafe group */
	assert_int_equal(nook_bind_vfio(fake_root, NIC, true, orig, sizeof(orig), &err), -EBUSY);
}

static void test_group_with_harmless_peers_allowed(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	fake_pci_add(PEER, 0x8086, 0x29c0, 0x060400, 4, "pcieport");
	fake_pci_add("0000:00:06.0", 0x1234, 0x11e8, 0xff0000, 4, "vfio-pci");
	assert_int_equal(nook_bind_vfio(fake_root, NIC, false, orig, sizeof(orig), &err), 0);
}

static void test_busy_interface_needs_force(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	fake_net_add(NIC, "addr0", 0x1003); /* up, with an address */
	assert_int_equal(nook_bind_check(fake_root, NIC, false, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "addr0 is up and has an address"));
	assert_non_null(strstr(err.msg, "--force"));
	assert_int_equal(nook_bind_vfio(fake_root, NIC, true, orig, sizeof(orig), &err), 0);
	assert_string_equal(fake_bound(NIC), "vfio-pci");
}

static void test_idle_interfaces_are_fine(void **state)
{
	struct nook_err err = { 0 };

	fake_net_add(NIC, "addr0", 0x1002); /* down, even with an address */
	fake_net_add(NIC, "eth1", 0x1003);  /* up, no address */
	assert_int_equal(nook_bind_check(fake_root, NIC, false, &err), 0);
}

static void test_no_iommu_group(void **state)
{
	struct nook_err err = { 0 };

	fake_pci_add(PEER, 0x1234, 0x11e8, 0xff0000, -1, "");
	assert_int_equal(nook_bind_check(fake_root, PEER, false, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "not in an IOMMU group"));
}

static void test_vfio_not_loaded_restores_device(void **state)
{
	struct nook_err err = { 0 };
	char orig[64];

	/* the model knows vfio-pci already (setup); make a fresh tree without it */
	fake_sysfs_destroy();
	fake_sysfs_create();
	fake_pci_add(PEER, 0x10ec, 0x8139, 0x020000, 6, "8139cp");
	assert_int_equal(nook_bind_vfio(fake_root, PEER, false, orig, sizeof(orig), &err),
			 -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "vfio-pci did not take it"));
	assert_non_null(strstr(err.msg, "modprobe vfio-pci"));
	/* the kernel driver has the device again, the override is gone */
	assert_string_equal(fake_bound(PEER), "8139cp");
	assert_string_equal(fake_override(PEER), "");
}

static void test_release_when_kernel_driver_missing(void **state)
{
	struct nook_err err = { 0 };
	char orig[64], dir[2 * PATH_MAX];

	assert_int_equal(nook_bind_vfio(fake_root, NIC, false, orig, sizeof(orig), &err), 0);
	/* pretend the e1000 module was unloaded meanwhile */
	snprintf(dir, sizeof(dir), "%s/sys/bus/pci/drivers/e1000", fake_root);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(nook_bind_release(fake_root, NIC, orig, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "e1000 did not take it"));
	assert_non_null(strstr(err.msg, "modprobe e1000"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_bind_and_release),
		T(test_already_vfio_is_left_there),
		T(test_unbound_device),
		T(test_unknown_and_malformed_address),
		T(test_group_with_kernel_driver_refused),
		T(test_group_with_harmless_peers_allowed),
		T(test_busy_interface_needs_force),
		T(test_idle_interfaces_are_fine),
		T(test_no_iommu_group),
		T(test_vfio_not_loaded_restores_device),
		T(test_release_when_kernel_driver_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
