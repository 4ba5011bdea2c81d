/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The life of an attached device: bind it to vfio-pci, create its interface, run its
 * driver program with the open fds, watch it (exit, signal, fatal report, heartbeat), restart
 * it per the restart policy, and give the device back to its kernel driver on detach.
 */
#ifndef NOOK_DAEMON_SUPERVISOR_H
#define NOOK_DAEMON_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>

#include "common/base/err.h"
#include "nookd.h"

struct nook_attach_opts {
	const char *driver;	   /* NULL: the driver whose ID table takes the device */
	const char *ifname;	   /* NULL: nook%d */
	const char *const *params; /* KEY=VALUE module parameters */
	size_t n_params;
	bool force;
	/*
	 * A device a nookd before this one left attached (run-state.h): the kernel driver it
	 * had before nook, and the program it ran (NULL: the driver's own).
	 */
	const char *kernel_driver;
	const char *program;
};

/* Called when an asynchronous operation ended, with 0 or a negative errno. */
typedef void (*nookd_done_fn)(struct nookd *d, void *ctx, int r, const struct nook_err *err);

int nookd_supervisor_init(struct nookd *d);
void nookd_supervisor_fini(struct nookd *d);

/* Attach @addr and start its driver; the device is STARTING when this returns 0. */
int nookd_attach(struct nookd *d, const char *addr, const struct nook_attach_opts *o,
		 struct nook_device **ret_dev, struct nook_err *err);

/* Stop the driver, release the device to its kernel driver, forget it; then @done. */
int nookd_detach(struct nookd *d, struct nook_device *dev, nookd_done_fn done, void *ctx);

/* Stop the driver and start a new one (not counted as a failure). */
int nookd_restart(struct nookd *d, struct nook_device *dev, struct nook_err *err);

/*
 * Hand the running driver to a developer's debugger: no heartbeat watch and no restarts
 * until nookd_restart(). -ESRCH when no driver process runs.
 */
int nookd_debug(struct nookd *d, struct nook_device *dev, struct nook_err *err);

/*
 * Ask the driver what ethtool would show (driver, version, firmware, bus_info, link, speed,
 * duplex, autoneg, ring sizes, message level), or with @set ("ring-rx=256\nmsglevel=7")
 * change those settings first; @done gets "key=value" lines, or an error. Settings the
 * driver took are recorded by the net shadow and replayed into every later incarnation.
 * One request at a time.
 */
typedef void (*nookd_ethtool_fn)(struct nookd *d, void *ctx, int r, const char *text);
int nookd_ethtool(struct nookd *d, struct nook_device *dev, const char *set, nookd_ethtool_fn done,
		  void *ctx, struct nook_err *err);

#define NOOKD_FAULT_KINDS "segv, abort, hang, leak, wild-write, wild-dma, bad-skb"
#define NOOKD_SOUND_FAULT_KINDS "segv, abort, hang, leak, wild-write"

/* Make the running driver fail in driver context: one of NOOKD_FAULT_KINDS. */
int nookd_inject(struct nookd *d, struct nook_device *dev, const char *kind, struct nook_err *err);

/*
 * A fault-injection trial: restart the running driver as a fresh incarnation (not the
 * standby, which stays for the recovery) with @n planned faults (the driver program's
 * --fault SPEC; nook/fault-plan.h). The device's Fault property then tracks whether they
 * fired. -EINVAL for a spec that cannot be one, -EAGAIN for a driver not running.
 */
#define NOOKD_MAX_PLANNED 16
int nookd_inject_plan(struct nookd *d, struct nook_device *dev, const char *const *specs,
		      unsigned int n, struct nook_err *err);

/*
 * Live upgrade: move the running driver to the program at @path (NULL or "": the one it
 * runs, as it is on disk now, after a package upgrade replaced it) without a failure. The
 * new program must be the same driver and take the device. It is started as the standby;
 * once it has stood by NOOKD_UPGRADE_SETTLE_MS the running driver is stopped and the device
 * handed to it as a recovery hands it over (the shadow replayed). A new program that dies
 * before it takes the device, or fails to bring it up, is rolled back: the old program runs
 * (again). @done gets 0 once the new program runs the device, or an error that says what
 * happened. -EINVAL for a path that is no such program, -EAGAIN for a driver not running,
 * -EALREADY for an upgrade or a detach under way.
 */
#define NOOKD_UPGRADE_SETTLE_MS 1000
int nookd_upgrade(struct nookd *d, struct nook_device *dev, const char *path, nookd_done_fn done,
		  void *ctx, struct nook_err *err);

/* Forget the failures of a FAILED device and start its driver again. */
int nookd_reset_failed(struct nookd *d, struct nook_device *dev, struct nook_err *err);

/* Detach every device (nookd is stopping); @done once all are released. */
void nookd_detach_all(struct nookd *d, nookd_done_fn done, void *ctx);

#endif
