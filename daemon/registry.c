// SPDX-License-Identifier: GPL-2.0-only
/* The device registry (see registry.h). */
#include "registry.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *nook_dev_class_name(enum nook_dev_class c)
{
	return c == NOOK_CLASS_SOUND ? "sound" : "net";
}

const char *nook_dev_state_name(enum nook_dev_state s)
{
	switch (s) {
	case NOOK_DEV_STARTING:
		return "starting";
	case NOOK_DEV_RUNNING:
		return "running";
	case NOOK_DEV_RECOVERING:
		return "recovering";
	case NOOK_DEV_FAILED:
		return "failed";
	case NOOK_DEV_STOPPED:
		return "stopped";
	}
	return "unknown";
}

static int canonical(const char *addr, char buf[NOOK_PCI_ADDR_LEN])
{
	struct nook_pci_addr pa;

	if (!addr || nook_pci_addr_parse(addr, &pa) < 0)
		return -EINVAL;
	nook_pci_addr_format(&pa, buf);
	return 0;
}

struct nook_device *nook_registry_find(struct nook_registry *reg, const char *addr)
{
	char canon[NOOK_PCI_ADDR_LEN];

	if (canonical(addr, canon) < 0)
		return NULL;
	for (struct nook_device *d = reg->devices; d; d = d->next)
		if (!strcmp(d->addr, canon))
			return d;
	return NULL;
}

int nook_registry_add(struct nook_registry *reg, const char *addr, struct nook_device **ret_dev)
{
	char canon[NOOK_PCI_ADDR_LEN];
	struct nook_device *dev, **pp;

	if (canonical(addr, canon) < 0)
		return -EINVAL;
	if (nook_registry_find(reg, canon))
		return -EEXIST;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	strcpy(dev->addr, canon);
	dev->state = NOOK_DEV_STOPPED;
	nook_restart_state_init(&dev->restart);
	nook_recovery_log_init(&dev->recoveries);
	nook_net_shadow_init(&dev->shadow);
	for (pp = &reg->devices; *pp && strcmp((*pp)->addr, canon) < 0; pp = &(*pp)->next)
		;
	dev->next = *pp;
	*pp = dev;
	reg->n++;
	*ret_dev = dev;
	return 0;
}

void nook_registry_remove(struct nook_registry *reg, struct nook_device *dev)
{
	for (struct nook_device **pp = &reg->devices; *pp; pp = &(*pp)->next) {
		if (*pp == dev) {
			*pp = dev->next;
			reg->n--;
			free(dev);
			return;
		}
	}
}

/* KEY=VALUE with a non-empty key of [A-Za-z0-9_] and a printable value without spaces. */
int nook_device_add_param(struct nook_device *dev, const char *kv)
{
	const char *eq = strchr(kv, '=');

	if (!eq || eq == kv || strlen(kv) >= NOOK_PARAM_LEN)
		return -EINVAL;
	for (const char *p = kv; p < eq; p++)
		if (!(*p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return -EINVAL;
	for (const char *p = eq + 1; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return -EINVAL;
	if (dev->n_params >= NOOK_MAX_PARAMS)
		return -E2BIG;
	strcpy(dev->params[dev->n_params++], kv);
	return 0;
}
