// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/base/pci-addr: PCI addresses as users write them. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "common/base/pci-addr.h"

static void test_full_and_short_forms(void **state)
{
	struct nook_pci_addr a;
	char buf[NOOK_PCI_ADDR_LEN];

	assert_int_equal(nook_pci_addr_parse("0000:00:04.0", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 0);
	assert_int_equal(a.dev, 4);
	assert_int_equal(a.fn, 0);
	assert_int_equal(nook_pci_addr_parse("00:1f.3", &a), 0);
	assert_string_equal(nook_pci_addr_format(&a, buf), "0000:00:1f.3");
	assert_int_equal(nook_pci_addr_parse("abcd:FE:1F.7", &a), 0);
	assert_string_equal(nook_pci_addr_format(&a, buf), "abcd:fe:1f.7");
}

static void test_rejects_garbage(void **state)
{
	static const char *bad[] = {
		"",
		"0",
		"00:04",
		"00:04.",
		"00:04.8",
		"00:20.0",
		"0000:00:04.0x",
		"000:00:04.0",
		"0000:0:04.0",
		"0000-00-04.0",
		"zz:04.0",
		"0000:00:04.0 ",
		" 00:04.0",
		"00000:00:04.0",
		"0000:00:00:04.0",
	};
	struct nook_pci_addr a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nook_pci_addr_parse(bad[i], &a), -EINVAL);
	assert_int_equal(nook_pci_addr_parse(NULL, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_and_short_forms),
		cmocka_unit_test(test_rejects_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
