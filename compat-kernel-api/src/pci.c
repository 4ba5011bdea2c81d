// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI for the one device a driver process holds: its struct pci_dev is built from the host's
 * config space and BARs; a registered driver whose ID table matches it is probed in a task
 * of its own, as the kernel's driver core would.
 */
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <nook/host.h>
#include <nook/pci.h>

#include <nook/fault-plan.h>

#include "internal.h"

static struct pci_dev *the_dev;
/* The I/O BARs with a range claimed through request_region. */
static bool port_bar_claimed[PCI_STD_NUM_BARS];
static LIST_HEAD(drivers);
static int probe_result = -ENODEV;
static bool probe_done;

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids, struct pci_dev *dev)
{
	for (; ids && (ids->vendor || ids->subvendor || ids->class_mask); ids++) {
		if ((ids->vendor == PCI_ANY_ID || ids->vendor == dev->vendor) &&
		    (ids->device == PCI_ANY_ID || ids->device == dev->device) &&
		    (ids->subvendor == PCI_ANY_ID || ids->subvendor == dev->subsystem_vendor) &&
		    (ids->subdevice == PCI_ANY_ID || ids->subdevice == dev->subsystem_device) &&
		    !((ids->class ^ dev->class) & ids->class_mask))
			return ids;
	}
	return NULL;
}

static u32 config(struct nook_host_pci *h, unsigned int off, unsigned int width)
{
	uint32_t v = 0;

	nook_host_pci_config_read(h, off, width, &v);
	return v;
}

/* Port I/O cookies: one 64 KiB window per BAR, far from any real port number. */
#define PORT_COOKIE_BASE 0x100000UL
#define PORT_COOKIE_BAR(bar) (PORT_COOKIE_BASE + ((unsigned long)(bar) << 16))

struct pci_dev *nook_pci_dev_create(struct nook_host_pci *h, const char *name)
{
	struct pci_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	static struct pci_bus bus;

	if (!dev)
		return NULL;
	dev->nook_host = h;
	strscpy(dev->dev.nook_name, name, sizeof(dev->dev.nook_name));
	dev->bus = &bus;
	dev->vendor = (unsigned short)config(h, PCI_VENDOR_ID, 2);
	dev->device = (unsigned short)config(h, PCI_DEVICE_ID, 2);
	dev->revision = (u8)config(h, PCI_REVISION_ID, 1);
	dev->class = config(h, PCI_CLASS_REVISION, 4) >> 8;
	dev->subsystem_vendor = (unsigned short)config(h, PCI_SUBSYSTEM_VENDOR_ID, 2);
	dev->subsystem_device = (unsigned short)config(h, PCI_SUBSYSTEM_ID, 2);
	dev->hdr_type = (u8)config(h, PCI_HEADER_TYPE, 1);
	dev->pin = (u8)config(h, PCI_INTERRUPT_PIN, 1);
	dev->irq = 1;
	dev->dma_mask = DMA_BIT_MASK(32);
	dev->dev.dma_mask = &dev->dma_mask;
	dev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	dev->error_state = pci_channel_io_normal;
	dev->pcie_cap = (u8)pci_find_capability(dev, PCI_CAP_ID_EXP);
	for (unsigned int bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *r = &dev->resource[bar];
		unsigned int flags = 0;
		uint64_t size = 0;

		if (nook_host_pci_bar(h, bar, &size, &flags) < 0 || !size)
			continue;
		/* Addresses are cookies: BAR maps and port windows, never bus addresses. */
		r->start = (flags & NOOK_HOST_BAR_IO) ? PORT_COOKIE_BAR(bar) :
							0x1000000000ULL * (bar + 1);
		r->end = r->start + size - 1;
		r->flags = (flags & NOOK_HOST_BAR_IO) ? IORESOURCE_IO : IORESOURCE_MEM;
		if (flags & NOOK_HOST_BAR_MEM64)
			r->flags |= IORESOURCE_MEM_64;
	}
	the_dev = dev;
	return dev;
}

void nook_pci_dev_destroy(struct pci_dev *dev)
{
	if (!dev)
		return;
	if (the_dev == dev) {
		the_dev = NULL;
		memset(port_bar_claimed, 0, sizeof(port_bar_claimed));
	}
	kfree(dev);
}

/* --- driver registration and probing */

struct probe_job {
	struct pci_driver *drv;
	const struct pci_device_id *id;
};

static int probe_task(void *data)
{
	struct probe_job *job = data;

	the_dev->driver = job->drv;
	probe_result = job->drv->probe(the_dev, job->id);
	if (probe_result) {
		nook_devres_release_all(&the_dev->dev);
		the_dev->driver = NULL;
	}
	probe_done = true;
	kfree(job);
	return 0;
}

int __pci_register_driver(struct pci_driver *drv, void *owner, const char *mod_name)
{
	const struct pci_device_id *id;
	struct probe_job *job;

	list_add_tail(&drv->nook_entry, &drivers);
	if (!the_dev || the_dev->driver)
		return 0;
	id = pci_match_id(drv->id_table, the_dev);
	if (!id)
		return 0;
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job || !nook_task_create(probe_task, job, "probe")) {
		kfree(job);
		return -ENOMEM;
	}
	job->drv = drv;
	job->id = id;
	return 0;
}

void pci_unregister_driver(struct pci_driver *drv)
{
	if (the_dev && the_dev->driver == drv) {
		if (drv->remove)
			drv->remove(the_dev);
		nook_devres_release_all(&the_dev->dev);
		the_dev->driver = NULL;
	}
	list_del(&drv->nook_entry);
}

bool nook_pci_probe_done(int *ret_result)
{
	if (probe_done)
		*ret_result = probe_result;
	return probe_done;
}

void nook_pci_for_each_id(void (*fn)(unsigned int vendor, unsigned int device,
				     unsigned int subvendor, unsigned int subdevice,
				     unsigned int class, unsigned int class_mask, void *ctx),
			  void *ctx)
{
	struct pci_driver *drv;

	list_for_each_entry(drv, &drivers, nook_entry)
		for (const struct pci_device_id *id = drv->id_table;
		     id && (id->vendor || id->subvendor || id->class_mask); id++)
			fn(id->vendor, id->device, id->subvendor, id->subdevice, id->class,
			   id->class_mask, ctx);
}

bool nook_pci_driver_matches(void)
{
	struct pci_driver *drv;

	list_for_each_entry(drv, &drivers, nook_entry)
		if (the_dev && pci_match_id(drv->id_table, the_dev))
			return true;
	return false;
}

/* --- config space */

#define CONFIG_RW(name, type, width)                                                               \
	int pci_read_config_##name(const struct pci_dev *dev, int where, type *val)                \
	{                                                                                          \
		uint32_t v = 0;                                                                    \
		int r = nook_host_pci_config_read(dev->nook_host, (unsigned int)where, width, &v); \
		*val = (type)(r ? ~0U : v);                                                        \
		return r;                                                                          \
	}                                                                                          \
	int pci_write_config_##name(const struct pci_dev *dev, int where, type val)                \
	{                                                                                          \
		return nook_host_pci_config_write(dev->nook_host, (unsigned int)where, width,      \
						  val);                                            \
	}
CONFIG_RW(byte, u8, 1)
CONFIG_RW(word, u16, 2)
CONFIG_RW(dword, u32, 4)

int pci_find_capability(struct pci_dev *dev, int cap)
{
	u16 status;
	u8 pos;

	pci_read_config_word(dev, PCI_STATUS, &status);
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	pci_read_config_byte(dev, PCI_CAPABILITY_LIST, &pos);
	for (int ttl = 48; pos >= 0x40 && ttl--;) {
		u8 id;

		pci_read_config_byte(dev, pos, &id);
		if (id == cap)
			return pos;
		pci_read_config_byte(dev, pos + 1, &pos);
	}
	return 0;
}

int pcie_capability_read_word(struct pci_dev *dev, int pos, u16 *val)
{
	*val = 0;
	if (!dev->pcie_cap)
		return -EINVAL;
	return pci_read_config_word(dev, dev->pcie_cap + pos, val);
}

int pcie_capability_write_word(struct pci_dev *dev, int pos, u16 val)
{
	if (!dev->pcie_cap)
		return -EINVAL;
	return pci_write_config_word(dev, dev->pcie_cap + pos, val);
}

int pcie_capability_clear_and_set_word(struct pci_dev *dev, int pos, u16 clear, u16 set)
{
	u16 v;
	int r = pcie_capability_read_word(dev, pos, &v);

	if (r)
		return r;
	return pcie_capability_write_word(dev, pos, (u16)((v & ~clear) | set));
}

static void command_update(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 cmd;

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	pci_write_config_word(dev, PCI_COMMAND, (u16)((cmd & ~clear) | set));
}

int pci_enable_device(struct pci_dev *dev)
{
	command_update(dev, 0, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	dev->enable_cnt++;
	return 0;
}

int pci_enable_device_mem(struct pci_dev *dev)
{
	command_update(dev, 0, PCI_COMMAND_MEMORY);
	dev->enable_cnt++;
	return 0;
}

void pci_disable_device(struct pci_dev *dev)
{
	if (dev->enable_cnt && --dev->enable_cnt == 0)
		command_update(dev, PCI_COMMAND_MASTER, 0);
}

void pci_set_master(struct pci_dev *dev)
{
	command_update(dev, 0, PCI_COMMAND_MASTER);
	dev->is_busmaster = 1;
}

void pci_clear_master(struct pci_dev *dev)
{
	command_update(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = 0;
}

int pci_set_mwi(struct pci_dev *dev)
{
	command_update(dev, 0, PCI_COMMAND_INVALIDATE);
	return 0;
}

void pci_clear_mwi(struct pci_dev *dev)
{
	command_update(dev, PCI_COMMAND_INVALIDATE, 0);
}

int pci_select_bars(struct pci_dev *dev, unsigned long flags)
{
	int bars = 0;

	for (int i = 0; i < PCI_STD_NUM_BARS; i++)
		if (pci_resource_flags(dev, i) & flags)
			bars |= 1 << i;
	return bars;
}

/* The process owns its device outright: there is nobody to reserve regions against. */
int pci_request_selected_regions(struct pci_dev *dev, int bars, const char *name)
{
	return 0;
}

void pci_release_selected_regions(struct pci_dev *dev, int bars)
{
}

int pci_request_regions(struct pci_dev *dev, const char *name)
{
	return 0;
}

void pci_release_regions(struct pci_dev *dev)
{
}

static int port_bar_of(resource_size_t start, resource_size_t n)
{
	for (int bar = 0; the_dev && bar < PCI_STD_NUM_BARS; bar++)
		if ((pci_resource_flags(the_dev, bar) & IORESOURCE_IO) && n &&
		    start >= pci_resource_start(the_dev, bar) &&
		    start + n - 1 <= pci_resource_end(the_dev, bar))
			return bar;
	return -1;
}

struct resource *nook_request_region(resource_size_t start, resource_size_t n, const char *name)
{
	int bar = port_bar_of(start, n);

	if (bar < 0 || port_bar_claimed[bar])
		return NULL;
	port_bar_claimed[bar] = true;
	return &the_dev->resource[bar];
}

void nook_release_region(resource_size_t start, resource_size_t n)
{
	int bar = port_bar_of(start, n);

	if (bar >= 0)
		port_bar_claimed[bar] = false;
}

int pci_save_state(struct pci_dev *dev)
{
	return 0;
}

void pci_restore_state(struct pci_dev *dev)
{
}

/* Power management belongs to nookd and the host kernel, not to the driver process. */
int pci_set_power_state(struct pci_dev *dev, pci_power_t state)
{
	return 0;
}

int pci_enable_wake(struct pci_dev *dev, pci_power_t state, bool enable)
{
	return 0;
}

int pci_wake_from_d3(struct pci_dev *dev, bool enable)
{
	return 0;
}

void pci_pme_active(struct pci_dev *dev, bool enable)
{
}

/* --- BARs and I/O */

void __iomem *pci_ioremap_bar(struct pci_dev *dev, int bar)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS || !(pci_resource_flags(dev, bar) & IORESOURCE_MEM))
		return NULL;
	if (!dev->nook_bar_map[bar])
		dev->nook_bar_map[bar] = nook_host_pci_bar_map(dev->nook_host, (unsigned int)bar);
	return dev->nook_bar_map[bar];
}

void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return NULL;
	if (pci_resource_flags(dev, bar) & IORESOURCE_IO)
		return (void __iomem *)PORT_COOKIE_BAR(bar);
	return pci_ioremap_bar(dev, bar);
}

void pci_iounmap(struct pci_dev *dev, void __iomem *addr)
{
}

/* ioremap of a resource start: a memory BAR's cookie names the BAR. */
void __iomem *nook_ioremap(resource_size_t addr, unsigned long size)
{
	for (int bar = 0; the_dev && bar < PCI_STD_NUM_BARS; bar++)
		if ((pci_resource_flags(the_dev, bar) & IORESOURCE_MEM) &&
		    addr >= pci_resource_start(the_dev, bar) &&
		    addr + size - 1 <= pci_resource_end(the_dev, bar)) {
			u8 *base = pci_ioremap_bar(the_dev, bar);

			return base ? base + (addr - pci_resource_start(the_dev, bar)) : NULL;
		}
	return NULL;
}

void nook_iounmap(volatile void __iomem *addr)
{
}

static bool port_decode(unsigned long port, unsigned int *bar, uint64_t *off)
{
	if (port < PORT_COOKIE_BASE || port >= PORT_COOKIE_BAR(PCI_STD_NUM_BARS))
		return false;
	*bar = (unsigned int)((port - PORT_COOKIE_BASE) >> 16);
	*off = port & 0xffff;
	return true;
}

unsigned int nook_mmio_ones_run;
unsigned long nook_mmio_ones_first;
bool nook_mmio_ones_spread;

void nook_mmio_ones_stop(void)
{
	static const char why[] = "the device reads all ones: " __stringify(
		NOOK_MMIO_ONES_LIMIT) " 32-bit register reads in a row, at several addresses, "
				      "returned nothing but ones (it has left the bus, or is "
				      "wedged)";

	nook_fatal(why);
}

u32 nook_port_in(unsigned long port, unsigned int width)
{
	unsigned int bar;
	uint64_t off;
	uint32_t v = ~0U;

	if (!the_dev || !port_decode(port, &bar, &off))
		nook_fatal("port input from an address that is no BAR of the device");
	nook_host_pci_bar_read(the_dev->nook_host, bar, off, width, &v);
	if (nook_fault_planned(NOOK_FAULT_SITE_MMIO_READ))
		v = nook_fault_plan_mmio_read(v, width);
	if (width >= 4)
		nook_mmio_note(port, v == ~0U);
	return v;
}

void nook_port_out(unsigned long port, u32 value, unsigned int width)
{
	unsigned int bar;
	uint64_t off;

	if (!the_dev || !port_decode(port, &bar, &off))
		nook_fatal("port output to an address that is no BAR of the device");
	nook_host_pci_bar_write(the_dev->nook_host, bar, off, width, value);
}

u32 nook_ioread(const void __iomem *addr, unsigned int width)
{
	unsigned int bar;
	uint64_t off;

	if (port_decode((unsigned long)addr, &bar, &off))
		return nook_port_in((unsigned long)addr, width);
	switch (width) {
	case 1:
		return readb(addr);
	case 2:
		return readw(addr);
	default:
		return readl(addr);
	}
}

void nook_iowrite(u32 value, void __iomem *addr, unsigned int width)
{
	unsigned int bar;
	uint64_t off;

	if (port_decode((unsigned long)addr, &bar, &off)) {
		nook_port_out((unsigned long)addr, value, width);
		return;
	}
	switch (width) {
	case 1:
		writeb((u8)value, addr);
		break;
	case 2:
		writew((u16)value, addr);
		break;
	default:
		writel(value, addr);
		break;
	}
}

void nook_ioread_rep(const void __iomem *addr, void *buf, unsigned long count, unsigned int width)
{
	u8 *b = buf;

	for (unsigned long i = 0; i < count; i++, b += width) {
		u32 v = nook_ioread(addr, width);

		memcpy(b, &v, width);
	}
}

void nook_iowrite_rep(void __iomem *addr, const void *buf, unsigned long count, unsigned int width)
{
	const u8 *b = buf;

	for (unsigned long i = 0; i < count; i++, b += width) {
		u32 v = 0;

		memcpy(&v, b, width);
		nook_iowrite(v, addr, width);
	}
}
