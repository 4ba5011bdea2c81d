// SPDX-License-Identifier: GPL-2.0-only
#include "pci-addr.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Exactly @digits hex digits at *s (advanced past them). */
static int hex_field(const char **s, int digits, unsigned int *ret)
{
	unsigned int v = 0;

	for (int i = 0; i < digits; i++) {
		char c = (*s)[i];

		if (!isxdigit((unsigned char)c))
			return -EINVAL;
		v = v * 16 +
		    (unsigned int)(isdigit((unsigned char)c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*s += digits;
	*ret = v;
	return 0;
}

int nook_pci_addr_parse(const char *s, struct nook_pci_addr *ret_addr)
{
	unsigned int domain = 0, bus, dev, fn;

	if (!s)
		return -EINVAL;
	/* The domain is there when the string has two colons. */
	if (strchr(s, ':') != strrchr(s, ':')) {
		if (hex_field(&s, 4, &domain) < 0 || *s++ != ':')
			return -EINVAL;
	}
	if (hex_field(&s, 2, &bus) < 0 || *s++ != ':')
		return -EINVAL;
	if (hex_field(&s, 2, &dev) < 0 || *s++ != '.')
		return -EINVAL;
	if (hex_field(&s, 1, &fn) < 0 || *s != '\0')
		return -EINVAL;
	if (dev > 31 || fn > 7)
		return -EINVAL;
	*ret_addr = (struct nook_pci_addr){ .domain = (uint16_t)domain,
					    .bus = (uint8_t)bus,
					    .dev = (uint8_t)dev,
					    .fn = (uint8_t)fn };
	return 0;
}

char *nook_pci_addr_format(const struct nook_pci_addr *a, char buf[NOOK_PCI_ADDR_LEN])
{
	snprintf(buf, NOOK_PCI_ADDR_LEN, "%04x:%02x:%02x.%x", a->domain, a->bus, a->dev & 0x1fu,
		 a->fn & 7u);
	return buf;
}
