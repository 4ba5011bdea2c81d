/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The real host of a driver process (nook/host.h over VFIO and io_uring): it owns the
 * device, the DMA arena and the event loop the compat layer waits in.
 */
#ifndef NOOK_SHIMS_VFIO_HOST_H
#define NOOK_SHIMS_VFIO_HOST_H

#include <stddef.h>

#include "common/base/err.h"

struct nook_loop;
struct nook_vfio_dev;
struct nook_host_pci;

struct nook_host_config {
	const char *name;  /* log prefix, e.g. "nook-driver-e1000 0000:00:04.0" */
	size_t arena_size; /* DMA arena bytes */
	size_t heap_quota; /* kmalloc bytes before allocations fail (0: none) */
};

/*
 * Create the event loop's io_uring (restricted to the operations the loop uses; loop.c),
 * if it is not there yet; @name prefixes the error. A supervised driver program calls it
 * before it locks itself down: the driver filter refuses io_uring_setup, because a ring
 * made then would not be restricted, and its operations (openat, socket) do not pass
 * through seccomp.
 */
int nook_host_make_loop(const char *name, struct nook_err *err);
/*
 * Create the loop (unless nook_host_make_loop() did) and the DMA arena's memory, before
 * there is a device: what a standby driver does ahead of time. nook_host_start() does it
 * when it was not done.
 */
int nook_host_prepare(const struct nook_host_config *cfg, struct nook_err *err);
/* Take over @dev (closed by nook_host_shutdown) and map the arena for its DMA. */
int nook_host_start(struct nook_vfio_dev *dev, const struct nook_host_config *cfg,
		    struct nook_err *err);
void nook_host_shutdown(void);

struct nook_host_pci *nook_host_device(void);
struct nook_loop *nook_host_loop(void);
/* Ask the loop to stop: nook_host_wait() then returns -ECANCELED. */
void nook_host_request_stop(int code);
/* Let the loop run again after a stop (to shut the driver down through it). */
void nook_host_resume(void);

#endif
