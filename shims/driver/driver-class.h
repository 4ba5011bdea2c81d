/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What kind of device a driver program serves: each program links one class, which makes
 * the driver's device reachable from outside (a NIC's TAP interface, a sound card's socket).
 */
#ifndef NOOK_DRIVER_CLASS_H
#define NOOK_DRIVER_CLASS_H

#include <stdbool.h>
#include <stddef.h>

struct nook_loop;
struct nook_err;

struct nook_driver_args {
	const char *bdf;    /* the device's PCI address, 0000:00:04.0 */
	const char *ifname; /* NICs: the interface name asked for, or NULL */
	int tap_fd;	    /* NICs, supervised: nookd's TAP */
	int sound_fd;	    /* sound cards, supervised: nookd's sound channel */
	bool supervised;
};

/*
 * The DMA arena a driver of this class needs: a NIC's rings and packet buffers, or a sound
 * card's few period buffers. The arena is pinned at start, so its size is start-up time.
 */
extern const size_t nook_driver_class_arena_size;

/* Before the driver loads: install the class's shim. Negative errno, with a message on stderr. */
int nook_driver_class_install(struct nook_loop *loop, const struct nook_driver_args *args);

/* Why the probe failed, when the class knows better than the driver's return code (or NULL). */
const struct nook_err *nook_driver_class_error(void);

#endif
