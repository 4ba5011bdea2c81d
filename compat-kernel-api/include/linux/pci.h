/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI as a driver sees it. In a driver process there is one device (the one nookd passed
 * in); its config space, BARs and interrupts reach the host through nook/host.h.
 */
#ifndef NOOK_LINUX_PCI_H
#define NOOK_LINUX_PCI_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/io.h>
#include <linux/interrupt.h>
#include <linux/dma-mapping.h>
#include <linux/mod_devicetable.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>

#define PCI_STD_NUM_BARS 6
#define PCI_ROM_RESOURCE 6
#define DEVICE_COUNT_RESOURCE 7
#define PCI_ANY_ID (~0U)
#define PCI_DEVFN(slot, func) ((((slot)&0x1f) << 3) | ((func)&0x07))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)

typedef int pci_power_t;
#define PCI_D0 0
#define PCI_D1 1
#define PCI_D2 2
#define PCI_D3hot 3
#define PCI_D3cold 4
#define PCI_D3 PCI_D3hot

typedef unsigned int pci_channel_state_t;
enum pci_channel_state {
	pci_channel_io_normal = 1,
	pci_channel_io_frozen = 2,
	pci_channel_io_perm_failure = 3,
};
typedef unsigned int pci_ers_result_t;
enum pci_ers_result {
	PCI_ERS_RESULT_NONE = 1,
	PCI_ERS_RESULT_CAN_RECOVER = 2,
	PCI_ERS_RESULT_NEED_RESET = 3,
	PCI_ERS_RESULT_DISCONNECT = 4,
	PCI_ERS_RESULT_RECOVERED = 5,
	PCI_ERS_RESULT_NO_AER_DRIVER = 6,
};

struct pci_bus {
	unsigned char number;
	struct pci_dev *self;
};

struct pci_driver;

struct pci_dev {
	struct device dev;
	struct pci_bus *bus;
	unsigned int devfn;
	unsigned short vendor;
	unsigned short device;
	unsigned short subsystem_vendor;
	unsigned short subsystem_device;
	unsigned int class;
	u8 revision;
	u8 hdr_type;
	u8 pcie_cap;
	u8 msi_cap;
	u8 msix_cap;
	u8 pin;
	unsigned int irq;
	u64 dma_mask;
	struct resource resource[DEVICE_COUNT_RESOURCE];
	struct pci_driver *driver;
	pci_channel_state_t error_state;
	unsigned int is_busmaster : 1;
	unsigned int msi_enabled : 1;
	unsigned int msix_enabled : 1;
	unsigned int enable_cnt;
	/* the host's handle for this device (nook/host.h) */
	struct nook_host_pci *nook_host;
	void __iomem *nook_bar_map[PCI_STD_NUM_BARS];
};

#define to_pci_dev(d) container_of(d, struct pci_dev, dev)
#define pci_name(pdev) dev_name(&(pdev)->dev)
#define pci_resource_start(dev, bar) ((dev)->resource[(bar)].start)
#define pci_resource_end(dev, bar) ((dev)->resource[(bar)].end)
#define pci_resource_flags(dev, bar) ((dev)->resource[(bar)].flags)
#define pci_resource_len(dev, bar) \
	((pci_resource_end((dev), (bar)) == 0) ? 0 : resource_size(&(dev)->resource[(bar)]))
#define dev_is_pci(d) true
#define pci_dev_msi_enabled(pdev) ((pdev)->msi_enabled || (pdev)->msix_enabled)

struct pci_error_handlers {
	pci_ers_result_t (*error_detected)(struct pci_dev *dev, pci_channel_state_t error);
	pci_ers_result_t (*mmio_enabled)(struct pci_dev *dev);
	pci_ers_result_t (*slot_reset)(struct pci_dev *dev);
	void (*reset_prepare)(struct pci_dev *dev);
	void (*reset_done)(struct pci_dev *dev);
	void (*resume)(struct pci_dev *dev);
};

struct dev_pm_ops;

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	int (*suspend)(struct pci_dev *dev, int state);
	int (*resume)(struct pci_dev *dev);
	void (*shutdown)(struct pci_dev *dev);
	int (*sriov_configure)(struct pci_dev *dev, int num_vfs);
	const struct pci_error_handlers *err_handler;
	struct device_driver driver;
	struct list_head nook_entry;
};

#define PCI_DEVICE(vend, dev) \
	.vendor = (vend), .device = (dev), .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_DEVICE_SUB(vend, dev, subvend, subdev) \
	.vendor = (vend), .device = (dev), .subvendor = (subvend), .subdevice = (subdev)
#define PCI_DEVICE_CLASS(dev_class, dev_class_mask)                                 \
	.class = (dev_class), .class_mask = (dev_class_mask), .vendor = PCI_ANY_ID, \
	.device = PCI_ANY_ID, .subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_VDEVICE(vend, dev)                                                    \
	.vendor = PCI_VENDOR_ID_##vend, .device = (dev), .subvendor = PCI_ANY_ID, \
	.subdevice = PCI_ANY_ID, 0, 0

int __pci_register_driver(struct pci_driver *drv, void *owner, const char *mod_name);
#define pci_register_driver(drv) __pci_register_driver((drv), NULL, NULL)
void pci_unregister_driver(struct pci_driver *drv);
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids, struct pci_dev *dev);
#define module_pci_driver(drv)                        \
	static int __init nook_pci_driver_init(void)  \
	{                                             \
		return pci_register_driver(&(drv));   \
	}                                             \
	static void __exit nook_pci_driver_exit(void) \
	{                                             \
		pci_unregister_driver(&(drv));        \
	}                                             \
	module_init(nook_pci_driver_init);            \
	module_exit(nook_pci_driver_exit)

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}
static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

int pci_enable_device(struct pci_dev *dev);
int pci_enable_device_mem(struct pci_dev *dev);
void pci_disable_device(struct pci_dev *dev);
int pcim_enable_device(struct pci_dev *dev);
void __iomem *pcim_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
int pci_set_mwi(struct pci_dev *dev);
void pci_clear_mwi(struct pci_dev *dev);
#define pci_try_set_mwi pci_set_mwi
int pci_select_bars(struct pci_dev *dev, unsigned long flags);
int pci_request_selected_regions(struct pci_dev *dev, int bars, const char *name);
void pci_release_selected_regions(struct pci_dev *dev, int bars);
int pci_request_regions(struct pci_dev *dev, const char *name);
void pci_release_regions(struct pci_dev *dev);
void __iomem *pci_ioremap_bar(struct pci_dev *dev, int bar);
void __iomem *pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void pci_iounmap(struct pci_dev *dev, void __iomem *addr);

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);
int pci_find_capability(struct pci_dev *dev, int cap);
int pcie_capability_read_word(struct pci_dev *dev, int pos, u16 *val);
int pcie_capability_write_word(struct pci_dev *dev, int pos, u16 val);
int pcie_capability_clear_and_set_word(struct pci_dev *dev, int pos, u16 clear, u16 set);
#define pci_is_pcie(dev) ((dev)->pcie_cap != 0)
/* PCI-X burst size: QEMU's and today's devices are conventional PCI or PCIe. */
static inline int pcix_get_mmrbc(struct pci_dev *dev)
{
	return -EINVAL;
}
static inline int pcix_set_mmrbc(struct pci_dev *dev, int mmrbc)
{
	return -EINVAL;
}

int pci_save_state(struct pci_dev *dev);
void pci_restore_state(struct pci_dev *dev);
int pci_set_power_state(struct pci_dev *dev, pci_power_t state);
int pci_enable_wake(struct pci_dev *dev, pci_power_t state, bool enable);
int pci_wake_from_d3(struct pci_dev *dev, bool enable);
void pci_pme_active(struct pci_dev *dev, bool enable);
#define pci_prepare_to_sleep(dev) 0
#define pci_back_from_sleep(dev) NOOK_NOOP("no power management: the device never left D0")
#define pci_channel_offline(dev) ((dev)->error_state != pci_channel_io_normal)
#define pci_device_is_present(dev) true
#define pci_dev_run_wake(dev) false
#define pci_disable_link_state(dev, state) 0
#define pci_disable_pcie_error_reporting(dev) 0
#define pci_enable_pcie_error_reporting(dev) 0

int pci_enable_msi(struct pci_dev *dev);
void pci_disable_msi(struct pci_dev *dev);
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags);
void pci_free_irq_vectors(struct pci_dev *dev);
int pci_irq_vector(struct pci_dev *dev, unsigned int nr);
#define PCI_IRQ_LEGACY (1 << 0)
#define PCI_IRQ_MSI (1 << 1)
#define PCI_IRQ_MSIX (1 << 2)
#define PCI_IRQ_ALL_TYPES (PCI_IRQ_LEGACY | PCI_IRQ_MSI | PCI_IRQ_MSIX)

#endif
