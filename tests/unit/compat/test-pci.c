// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of PCI: ID-table matching with Linux's semantics, probing a registered driver in
 * a task of its own, config space and BAR access, interrupt delivery and the detection of an
 * interrupt storm nobody handles, on the fake host.
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/delay.h>
#include <nook/kernel.h>
#include <nook/pci.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

static struct pci_dev *dev;

static const struct pci_device_id table[] = {
	{ PCI_DEVICE(0x8086, 0x1004), .driver_data = 1 },
	{ PCI_DEVICE_SUB(0x8086, 0x100e, 0x1af4, 0x1100), .driver_data = 2 },
	{ PCI_DEVICE(0x8086, 0x100e), .driver_data = 3 },
	{ PCI_DEVICE_CLASS(0x020000, 0xffff00), .driver_data = 4 },
	{ 0 }
};

static void make_dev(u16 vendor, u16 device, u32 class_rev, u16 sv, u16 sd)
{
	nook_pci_dev_destroy(dev);
	dev = nook_pci_dev_create(fake_host_pci(vendor, device, class_rev, sv, sd), "0000:00:04.0");
	assert_non_null(dev);
}

static void test_id_matching(void **state)
{
	/* The first entry that matches wins; subsystem IDs narrow; PCI_ANY_ID matches all. */
	make_dev(0x8086, 0x100e, 0x02000003, 0x1af4, 0x1100);
	assert_int_equal(pci_match_id(table, dev)->driver_data, 2);
	assert_int_equal(dev->revision, 3);
	assert_int_equal(dev->class, 0x020000);
	make_dev(0x8086, 0x100e, 0x02000003, 0x8086, 0x001e);
	assert_int_equal(pci_match_id(table, dev)->driver_data, 3);
	/* Only the class entry takes another Ethernet controller; its mask ignores prog-if. */
	make_dev(0x10ec, 0x8139, 0x02000020, 0, 0);
	assert_int_equal(pci_match_id(table, dev)->driver_data, 4);
	make_dev(0x10ec, 0x8139, 0x04010020, 0, 0);
	assert_null(pci_match_id(table, dev));
	assert_null(pci_match_id(NULL, dev));
}

/* --- a small driver: probe sleeps (as real ones do), maps BAR0, requests its IRQ */

static int probe_id = -1, irq_hits;
static void __iomem *bar0;
static const struct pci_device_id *seen_id;
/* The unmask count the bottom half saw when it ran (-1: it has not run). */
static int bh_saw_unmasks = -1;

static void test_bh(struct tasklet_struct *t)
{
	bh_saw_unmasks = (int)fake_host_unmask_count();
}

static struct tasklet_struct test_tasklet;

static irqreturn_t test_irq(int irq, void *dev_id)
{
	irq_hits++;
	/* Real handlers leave the work to a bottom half (NAPI, a tasklet). */
	tasklet_schedule(&test_tasklet);
	/* A handler sees its device through dev_id and reads a register, as drivers do. */
	return readl(bar0 + 0x10) == 0xfeedbeef ? IRQ_HANDLED : IRQ_NONE;
}

static int test_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int r = pci_enable_device(pdev);

	if (r)
		return r;
	msleep(2);
	seen_id = id;
	probe_id = (int)id->driver_data;
	pci_set_master(pdev);
	bar0 = pci_ioremap_bar(pdev, 0);
	if (!bar0)
		return -EIO;
	tasklet_setup(&test_tasklet, test_bh);
	return request_irq(pdev->irq, test_irq, IRQF_SHARED, "test", pdev);
}

static struct pci_driver test_driver = {
	.name = "test",
	.id_table = table,
	.probe = test_probe,
};

static bool probed(void *arg)
{
	return nook_pci_probe_done((int *)arg);
}

static void test_probe_bars_and_irq(void **state)
{
	u16 cmd = 0;
	int result = -1;

	make_dev(0x8086, 0x100e, 0x02000003, 0x8086, 0x001e);
	nook_irq_set_device(dev);
	assert_int_equal(pci_register_driver(&test_driver), 0);
	assert_true(nook_pci_driver_matches());
	/* Probing runs in a task: it has not happened yet, and happens when the loop runs. */
	assert_int_equal(probe_id, -1);
	assert_int_equal(nook_kernel_run_until(probed, &result, -1), 0);
	assert_int_equal(result, 0);
	assert_int_equal(probe_id, 3);
	assert_ptr_equal(seen_id, &table[2]);
	assert_ptr_equal(dev->driver, &test_driver);

	/* pci_enable_device and pci_set_master reached config space. */
	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	assert_true(cmd & PCI_COMMAND_MEMORY);
	assert_true(cmd & PCI_COMMAND_MASTER);
	assert_true(pci_resource_flags(dev, 0) & IORESOURCE_MEM);
	assert_int_equal(pci_resource_len(dev, 0), 4096);
	assert_int_equal(pci_resource_len(dev, 1), 0);

	/*
	 * An interrupt from the host runs the handler, then the bottom half it scheduled, and
	 * only then is INTx unmasked: the device does not interrupt the work it asked for.
	 */
	writel(0xfeedbeef, bar0 + 0x10);
	fake_host_raise_irq(0);
	nook_kernel_step((long long)0);
	assert_int_equal(irq_hits, 1);
	assert_int_equal(bh_saw_unmasks, 0);
	assert_int_equal(fake_host_unmask_count(), 1);

	/* While disabled, an interrupt waits; enabling runs it. */
	disable_irq(dev->irq);
	fake_host_raise_irq(0);
	nook_kernel_step(0);
	assert_int_equal(irq_hits, 1);
	enable_irq(dev->irq);
	assert_int_equal(irq_hits, 2);
	free_irq(dev->irq, dev);
	pci_unregister_driver(&test_driver);
	nook_pci_dev_destroy(dev);
	dev = NULL;
}

/* --- Linux's spurious-interrupt detector: a storm nobody handles stops the driver */

static unsigned int storm_calls, storm_handled_every;

static irqreturn_t storm_irq(int irq, void *dev_id)
{
	storm_calls++;
	return storm_handled_every && storm_calls % storm_handled_every == 0 ? IRQ_HANDLED :
									       IRQ_NONE;
}

/* @n interrupts on INTx, delivered 64 at a time (the fake host's queue). */
static void storm(unsigned int n)
{
	make_dev(0x8086, 0x100e, 0x02000003, 0x8086, 0x001e);
	nook_irq_set_device(dev);
	dev->irq = 1; /* INTx, as pci_enable_device leaves it */
	assert_int_equal(request_irq(dev->irq, storm_irq, IRQF_SHARED, "storm", dev), 0);
	storm_calls = 0;
	while (storm_calls < n) {
		for (int i = 0; i < 64; i++)
			fake_host_raise_irq(0);
		nook_kernel_step(0);
	}
	free_irq(dev->irq, dev);
}

static void storm_of_12800(void *arg)
{
	storm(12800);
}

static void test_unhandled_storm_fail_stops(void **state)
{
	char why[4096];

	storm_handled_every = 0;
	assert_int_equal(fake_host_expect_fatal(storm_of_12800, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "irq 1: nobody cared"));
	assert_non_null(strstr(why, "FATAL: interrupt storm: irq 1: nobody cared (10000 of 10000"));
}

/* One interrupt in a hundred handled is a busy device with a noisy line, not a storm. */
static void test_mostly_unhandled_is_no_storm(void **state)
{
	char why[4096];

	storm_handled_every = 100;
	assert_int_equal(fake_host_expect_fatal(storm_of_12800, NULL, why, sizeof(why)), -ENOENT);
	storm_handled_every = 0;
	storm(5000); /* short of the window: nothing happens */
	assert_int_equal(storm_calls, 5056);
}

/* Registers, as a driver reads them (readl() reads any mapped address). */
static uint32_t fake_regs[4];

static void read_all_ones(void *arg)
{
	bool spread = arg != NULL;

	memset(fake_regs, 0xff, sizeof(fake_regs));
	for (int i = 0; i < 1000; i++)
		(void)readl(&fake_regs[spread ? i % 4 : 0]);
}

/* A device whose every register reads all ones is gone (or wedged): the driver stops. */
static void test_all_ones_device_fail_stops(void **state)
{
	char why[4096];

	assert_int_equal(fake_host_expect_fatal(read_all_ones, "spread", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "FATAL: the device reads all ones: 256 32-bit register reads "
				    "in a row, at several addresses, returned nothing but ones (it "
				    "has left the bus, or is wedged)"));
}

/* One register polled while it reads all ones, or ones between other values: no verdict. */
static void test_ones_now_and_then_are_no_gone_device(void **state)
{
	char why[4096];

	assert_int_equal(fake_host_expect_fatal(read_all_ones, NULL, why, sizeof(why)), -ENOENT);
	/* 16-bit reads of absent codec registers (0xffff) at many addresses: no verdict. */
	memset(fake_regs, 0xff, sizeof(fake_regs));
	for (int i = 0; i < 1000; i++)
		(void)readw((u16 *)fake_regs + i % 8);
	assert_int_equal(nook_mmio_ones_run, 0);
	memset(fake_regs, 0xff, sizeof(fake_regs));
	fake_regs[3] = 0x80080783;
	for (int i = 0; i < 4000; i++)
		(void)readl(&fake_regs[i % 4]);
	assert_true(nook_mmio_ones_run < 4);
}

/*
 * I/O ports: a driver finds its port range at its I/O BAR's start, claims it once with
 * request_region, and reads and writes the device's ports there. Fixed ISA ports are no
 * device's: busy.
 */
static void test_port_regions(void **state)
{
	unsigned long io;
	struct resource *r;

	make_dev(0x1022, 0x2000, 0x02000010, 0, 0);
	assert_true(pci_resource_flags(dev, 2) & IORESOURCE_IO);
	assert_int_equal(pci_resource_len(dev, 2), 32);
	io = (unsigned long)pci_resource_start(dev, 2);

	r = request_region(io, 32, "test");
	assert_non_null(r);
	assert_true(r->flags & IORESOURCE_IO);
	assert_null(request_region(io + 0x10, 4, "again"));
	assert_null(request_region(io, 33, "past the BAR"));
	assert_null(request_region(0x300, 32, "an ISA card's ports"));
	release_region(io, 32);
	assert_non_null(request_region(io + 0x10, 16, "after release"));

	outw(0xbeef, io + 0x12);
	assert_int_equal(inw(io + 0x12), 0xbeef);
	assert_int_equal(inb(io + 0x13), 0xbe);
	outl(0x12345678, io + 0x18);
	assert_int_equal(inl(io + 0x18), 0x12345678);
	release_region(io + 0x10, 16);
	nook_pci_dev_destroy(dev);
	dev = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_matching),
		cmocka_unit_test(test_probe_bars_and_irq),
		cmocka_unit_test(test_unhandled_storm_fail_stops),
		cmocka_unit_test(test_mostly_unhandled_is_no_storm),
		cmocka_unit_test(test_all_ones_device_fail_stops),
		cmocka_unit_test(test_ones_now_and_then_are_no_gone_device),
		cmocka_unit_test(test_port_regions),
	};

	nook_kernel_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
