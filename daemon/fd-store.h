/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What nookd hands systemd to keep across its own restart (the service's file descriptor
 * store: FDSTORE=1, FileDescriptorStoreMax= in the unit), so that a NIC's driver runs on
 * while nookd restarts or after it crashed, and the nookd after it adopts the driver: per
 * device its TAP, and of its running driver nookd's end of its control socket, its log pipe
 * and a pidfd. A standby's are not kept: its control socket closes with nookd, and it ends. Each fd is named KIND@BDF (':' in the
 * address is '_': a name may not hold ':').
 *
 * The store outlives nookd's restarts, not its stop: a `systemctl stop` flushes it. systemd
 * drops a stored fd that hangs up (a dead driver's control socket) by itself; nookd drops
 * the rest as they end (a detached device's TAP, which the store would keep alive).
 */
#ifndef NOOK_DAEMON_FD_STORE_H
#define NOOK_DAEMON_FD_STORE_H

#include "nookd.h"

/* the fds of a device: its TAP; of its running driver: control, log, pidfd */
#define NOOK_FDS_TAP "tap"
#define NOOK_FDS_CTL "ctl"
#define NOOK_FDS_LOG "log"
#define NOOK_FDS_PID "pid"

/* Hand systemd (a copy of) @fd as KIND@@addr, in place of one it had so named. */
void nookd_fdstore_put(struct nookd *d, const char *kind, const char *addr, int fd);
/* systemd forgets (and closes) the fd named KIND@@addr. */
void nookd_fdstore_drop(struct nookd *d, const char *kind, const char *addr);

/* At start: the fds systemd kept for this nookd (sd_listen_fds_with_names), by name. */
void nookd_fdstore_load(struct nookd *d);
/* One of them, now the caller's (-1: none was kept). */
int nookd_fdstore_take(struct nookd *d, const char *kind, const char *addr);
/* Once every device is adopted: close those nobody took, and have systemd forget them. */
void nookd_fdstore_release_rest(struct nookd *d);

#endif
