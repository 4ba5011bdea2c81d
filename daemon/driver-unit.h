/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Each driver process (and standby) in a systemd scope of its own, when nookd runs on a
 * system booted with systemd: nook-driver-BDF-PID.scope, in system.slice, made as machined
 * and logind make theirs (the manager's StartTransientUnit with PIDs=). The scope is the
 * driver's own cgroup: its memory and tasks are limited there, apart from nookd's and every
 * other driver's, and what it uses is accounted to it (systemctl status, systemd-cgtop).
 * systemd collects the scope when its process is gone.
 */
#ifndef NOOK_DAEMON_DRIVER_UNIT_H
#define NOOK_DAEMON_DRIVER_UNIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "nookd.h"

/* A driver's limits, its scope's MemoryMax= and TasksMax=. */
#define NOOK_DRIVER_MEMORY_MAX (256ull << 20)
#define NOOK_DRIVER_TASKS_MAX 64ull

/*
 * Move @pid, the driver (or standby) of the device at @addr, into a scope of its own. The
 * call is asynchronous; a failure is logged (the driver then runs on in nookd's cgroup,
 * under nookd's limits). Nothing when d->cfg.driver_units is off or nookd has no bus.
 */
void nookd_driver_unit_place(struct nookd *d, const char *addr, const char *driver, pid_t pid,
			     bool standby);

#endif
