/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver programs nook can run (nook-driver-NAME in the search path) and the PCI IDs
 * each one takes, as its own `--list-ids` prints them:
 *
 *   VVVV:DDDD SSSS:ssss CLASS/MASK      (hex; '*' for PCI_ANY_ID)
 */
#ifndef NOOK_DAEMON_DRIVERS_H
#define NOOK_DAEMON_DRIVERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base/err.h"
#include "pci-scan.h"

#define NOOK_PCI_ANY 0xffffffffu
#define NOOK_DRIVER_PREFIX "nook-driver-"

struct nook_driver_id {
	uint32_t vendor, device, subvendor, subdevice; /* NOOK_PCI_ANY matches all */
	uint32_t class, class_mask;
};

struct nook_driver {
	char name[32];	     /* "e1000" */
	char path[PATH_MAX]; /* the program */
	struct nook_driver_id *ids;
	size_t n_ids;
};

struct nook_driver_set {
	struct nook_driver *drivers;
	size_t n;
};

/* Parse `--list-ids` output; -EBADMSG naming the line for anything malformed. */
int nook_driver_ids_parse(const char *text, struct nook_driver_id **ret_ids, size_t *ret_n,
			  struct nook_err *err);

/* Does @id take the device (the rules of Linux's pci_device_id matching)? */
bool nook_driver_id_match(const struct nook_driver_id *id, const struct nook_pci_info *dev);

/*
 * Find every nook-driver-* program in @path (directories separated by ':', earlier ones win
 * for a name) and ask each for its IDs. A program that fails to answer is left out and named
 * on stderr (the only logging here: discovery runs at start and on rescans).
 */
int nook_drivers_discover(const char *path, struct nook_driver_set *ret_set);

/*
 * One driver program, by its absolute path (a live upgrade's new binary): its name from its
 * file name, its IDs from `--list-ids` run as discovery runs it. The caller frees ret->ids.
 * -EINVAL (and what is wrong, said) for a path that is no nook driver program.
 */
int nook_driver_load(const char *path, struct nook_driver *ret, struct nook_err *err);

void nook_drivers_free(struct nook_driver_set *set);

const struct nook_driver *nook_drivers_find(const struct nook_driver_set *set, const char *name);

/* The first driver whose table takes @dev (in name order), NULL for none. */
const struct nook_driver *nook_drivers_match(const struct nook_driver_set *set,
					     const struct nook_pci_info *dev);

/* Format one ID as --list-ids does, into @buf (at least 40 bytes). */
char *nook_driver_id_format(const struct nook_driver_id *id, char *buf, size_t len);

#endif
