/* SPDX-License-Identifier: GPL-2.0-only */
/* The PCI device of a driver process, as its driver program hands it to the compat layer. */
#ifndef NOOK_PCI_H
#define NOOK_PCI_H

#include <stdbool.h>

struct pci_dev;
struct nook_host_pci;

/* Build the struct pci_dev of the host's device; @name is its address (0000:00:04.0). */
struct pci_dev *nook_pci_dev_create(struct nook_host_pci *host, const char *name);
/* Free it (once no driver holds it). */
void nook_pci_dev_destroy(struct pci_dev *dev);
/* Route the device's interrupts to handlers requested with request_irq(). */
void nook_irq_set_device(struct pci_dev *dev);
/* Whether a registered driver's ID table matches the device. */
bool nook_pci_driver_matches(void);
/* Every ID-table entry of every registered driver. */
void nook_pci_for_each_id(void (*fn)(unsigned int vendor, unsigned int device,
				     unsigned int subvendor, unsigned int subdevice,
				     unsigned int class, unsigned int class_mask, void *ctx),
			  void *ctx);
/* Whether the probe task has finished, and what probe() returned. */
bool nook_pci_probe_done(int *ret_result);

#endif
