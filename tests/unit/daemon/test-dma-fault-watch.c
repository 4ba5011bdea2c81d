// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of daemon/dma-fault-watch: the IOMMU's fault lines, as the kernel logs them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/dma-fault-watch.h"

static void test_intel_write_fault(void **state)
{
	char bdf[NOOK_PCI_ADDR_LEN], what[256];

	assert_int_equal(nook_dma_fault_parse("DMAR: [DMA Write NO_PASID] Request device "
					      "[01:00.0] fault addr 0xc0123000 [fault reason "
					      "0x05] PTE Write access is not set",
					      bdf, what, sizeof(what)),
			 1);
	assert_string_equal(bdf, "0000:01:00.0");
	assert_non_null(strstr(what, "DMA write to 0xc0123000 was refused by the IOMMU"));
	assert_non_null(strstr(what, "PTE Write access is not set"));
}

static void test_intel_read_fault_with_pasid(void **state)
{
	char bdf[NOOK_PCI_ADDR_LEN], what[256];

	assert_int_equal(nook_dma_fault_parse("DMAR: [DMA Read PASID 0x1] Request device "
					      "[1f:1c.7] fault addr 0x1000 [fault reason 0x06] "
					      "PTE Read access is not set",
					      bdf, what, sizeof(what)),
			 1);
	assert_string_equal(bdf, "0000:1f:1c.7");
	assert_non_null(strstr(what, "DMA read to 0x1000"));
}

static void test_amd_fault(void **state)
{
	char bdf[NOOK_PCI_ADDR_LEN], what[256];

	assert_int_equal(nook_dma_fault_parse("AMD-Vi: Event logged [IO_PAGE_FAULT "
					      "device=0000:03:00.1 domain=0x000e "
					      "address=0xfffff000 flags=0x0010]",
					      bdf, what, sizeof(what)),
			 1);
	assert_string_equal(bdf, "0000:03:00.1");
	assert_non_null(strstr(what, "0xfffff000"));
}

static void test_other_lines_are_not_faults(void **state)
{
	char bdf[NOOK_PCI_ADDR_LEN], what[256];

	assert_int_equal(nook_dma_fault_parse("e1000 0000:01:00.0 eth0: NIC Link is Up", bdf, what,
					      sizeof(what)),
			 0);
	/* an interrupt-remapping fault is no DMA */
	assert_int_equal(nook_dma_fault_parse("DMAR: [INTR-REMAP] Request device [01:00.0] "
					      "fault index 0x4 [fault reason 0x22]",
					      bdf, what, sizeof(what)),
			 0);
	/* a fault line whose device cannot be read names no driver */
	assert_int_equal(nook_dma_fault_parse("DMAR: [DMA Write NO_PASID] Request device "
					      "[zz:00.0] fault addr 0x0",
					      bdf, what, sizeof(what)),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_write_fault),
		cmocka_unit_test(test_intel_read_fault_with_pasid),
		cmocka_unit_test(test_amd_fault),
		cmocka_unit_test(test_other_lines_are_not_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
