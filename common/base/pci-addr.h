/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI addresses as users write them: 0000:00:04.0, or 00:04.0 for domain 0. */
#ifndef NOOK_COMMON_PCI_ADDR_H
#define NOOK_COMMON_PCI_ADDR_H

#include <stdint.h>

#define NOOK_PCI_ADDR_LEN sizeof("0000:00:00.0")

struct nook_pci_addr {
	uint16_t domain;
	uint8_t bus;
	uint8_t dev; /* 0..31 */
	uint8_t fn;  /* 0..7 */
};

/* -EINVAL for anything but DDDD:BB:DD.F or BB:DD.F (hex, in range, nothing after). */
int nook_pci_addr_parse(const char *s, struct nook_pci_addr *ret_addr);

/* The canonical form, DDDD:BB:DD.F, into @buf. */
char *nook_pci_addr_format(const struct nook_pci_addr *a, char buf[NOOK_PCI_ADDR_LEN]);

#endif
