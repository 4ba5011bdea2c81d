/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What nookd keeps of each attached device in its state directory (/run/nook/devices,
 * nookd --state-dir), for the nookd after it: one file per device, BDF.conf, in devices.d's
 * form with two keys more (devices-conf.h): the kernel driver the device had before nook,
 * to give it back to, and the driver program it runs. A file is written when the device is
 * attached and when its program changes (an upgrade), and removed when it is detached.
 *
 * A nookd that ends as it should (SIGTERM) detaches every device, and leaves nothing. One
 * that does not (a crash, the watchdog's SIGABRT, SIGKILL) leaves its files, and its
 * devices on vfio-pci; the nookd that starts next attaches each device again, with the
 * same driver program, interface name and parameters, and when it is detached gives it back
 * to the kernel driver it had, which only those files remember. A device that cannot be
 * attached again is given back at once.
 */
#ifndef NOOK_DAEMON_RUN_STATE_H
#define NOOK_DAEMON_RUN_STATE_H

#include "nookd.h"

#define NOOK_RUN_STATE_DIR "/run/nook/devices"

/* Write (or rewrite) @dev's file; a failure is logged, and only costs the next nookd. */
void nookd_run_state_save(struct nookd *d, const struct nook_device *dev);
void nookd_run_state_forget(struct nookd *d, const char *addr);

/*
 * Attach again each device whose file a nookd before this one left: how many were. Each
 * that cannot be is given back to its kernel driver and forgotten, and the reason logged.
 */
unsigned int nookd_run_state_restore(struct nookd *d);

#endif
