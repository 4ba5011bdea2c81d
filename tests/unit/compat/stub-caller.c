// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel code that calls functions nook does not implement (firmware loading, ISA interrupt
 * probing), as a driver would: test-stubs has gen-stubs find them from the undefined symbols.
 */
#include <linux/firmware.h>
#include <linux/interrupt.h>

int stub_caller_load(struct device *dev);
int stub_caller_load(struct device *dev)
{
	const struct firmware *fw;

	return request_firmware(&fw, "nook-test.bin", dev);
}

unsigned long stub_caller_probe(void);
unsigned long stub_caller_probe(void)
{
	return probe_irq_on();
}
