// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/hotplug: the kernel's uevents read for a PCI device added, and
 * nothing else taken for one; the message is untrusted and read within its length only.
 * A device the kernel really adds (a remove and a rescan) is the VM's installed scenario's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "daemon/hotplug.h"

/* A uevent of @n strings, each NUL-ended, as the kernel lays it out. */
static size_t uevent(char *buf, size_t size, const char *const *strings, size_t n)
{
	size_t off = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(strings[i]) + 1;

		assert_true(off + len <= size);
		memcpy(buf + off, strings[i], len);
		off += len;
	}
	return off;
}

static const char *const pci_add[] = {
	"add@/devices/pci0000:00/0000:00:02.0/0000:01:00.0",
	"ACTION=add",
	"DEVPATH=/devices/pci0000:00/0000:00:02.0/0000:01:00.0",
	"SUBSYSTEM=pci",
	"PCI_CLASS=20000",
	"PCI_ID=8086:100E",
	"PCI_SLOT_NAME=0000:01:00.0",
	"SEQNUM=2411",
};

static void test_pci_add_names_the_device(void **state)
{
	char buf[512], addr[32];
	size_t len = uevent(buf, sizeof(buf), pci_add, 8);

	assert_non_null(nookd_hotplug_parse(buf, len, addr, sizeof(addr)));
	assert_string_equal(addr, "0000:01:00.0");
}

/* The short form is made the full one nookd keeps its devices by. */
static void test_short_slot_name_is_made_full(void **state)
{
	static const char *const ev[] = { "add@/x", "ACTION=add", "SUBSYSTEM=pci",
					  "PCI_SLOT_NAME=01:00.0" };
	char buf[256], addr[32];
	size_t len = uevent(buf, sizeof(buf), ev, 4);

	assert_non_null(nookd_hotplug_parse(buf, len, addr, sizeof(addr)));
	assert_string_equal(addr, "0000:01:00.0");
}

static void test_other_events_name_nothing(void **state)
{
	static const char *const bind[] = { "bind@/x", "ACTION=bind", "SUBSYSTEM=pci",
					    "PCI_SLOT_NAME=0000:01:00.0" };
	static const char *const net[] = { "add@/x", "ACTION=add", "SUBSYSTEM=net",
					   "INTERFACE=eth1" };
	static const char *const bad[] = { "add@/x", "ACTION=add", "SUBSYSTEM=pci",
					   "PCI_SLOT_NAME=0000:01:00.0/../../etc" };
	char buf[256], addr[32];
	size_t len;

	len = uevent(buf, sizeof(buf), bind, 4);
	assert_null(nookd_hotplug_parse(buf, len, addr, sizeof(addr)));
	len = uevent(buf, sizeof(buf), net, 4);
	assert_null(nookd_hotplug_parse(buf, len, addr, sizeof(addr)));
	len = uevent(buf, sizeof(buf), bad, 4);
	assert_null(nookd_hotplug_parse(buf, len, addr, sizeof(addr)));
	/* too small a buffer for the address */
	len = uevent(buf, sizeof(buf), pci_add, 8);
	assert_null(nookd_hotplug_parse(buf, len, addr, 8));
}

/* A message cut short: the last string is not ended, and is not read. */
static void test_unended_string_is_not_read(void **state)
{
	char buf[512], addr[32];
	size_t len = uevent(buf, sizeof(buf), pci_add, 8);
	char *cut;

	/* cut in the middle of PCI_SLOT_NAME's value, on the heap so ASan sees a read past */
	assert_true(len > 0);
	len = (size_t)((char *)memmem(buf, len, "PCI_SLOT_NAME=", 14) - buf) + 18;
	cut = malloc(len);
	memcpy(cut, buf, len);
	assert_null(nookd_hotplug_parse(cut, len, addr, sizeof(addr)));
	free(cut);
	assert_null(nookd_hotplug_parse(buf, 0, addr, sizeof(addr)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pci_add_names_the_device),
		cmocka_unit_test(test_short_slot_name_is_made_full),
		cmocka_unit_test(test_other_events_name_nothing),
		cmocka_unit_test(test_unended_string_is_not_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
