/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A driver program under nookd: the control channel's driver side on the driver's loop.
 * It greets nookd, sends a heartbeat from the loop (a hung loop stops it), reports the
 * carrier, the net_device, readiness and a fatal signal's report, and takes nookd's
 * requests: the link as `ip link` left it, and shutdown.
 */
#ifndef NOOK_SHIMS_DRIVER_SUPERVISED_H
#define NOOK_SHIMS_DRIVER_SUPERVISED_H

#include <stdbool.h>
#include <stdint.h>

struct nook_loop;
struct nook_netdev_shim_config;

/*
 * A standby (--standby): block until nookd hands over a device on @ctl_fd (ADOPT) and
 * store its NOOK_CTL_ADOPT_FDS fds in @fds. -ECONNRESET: nookd closed the socket or asked
 * the standby to stop; the standby has nothing to do.
 */
int nook_supervised_await_adoption(int ctl_fd, int *fds);

/* Before the loop exists: report fatal signals on @ctl_fd and greet nookd. */
int nook_supervised_init(int ctl_fd, const char *driver);

/* Watch the control socket and start heartbeats every @heartbeat_ms on @loop. */
int nook_supervised_start(struct nook_loop *loop, unsigned int heartbeat_ms);

/* Point the net shim's reports at nookd. */
void nook_supervised_netdev_config(struct nook_netdev_shim_config *cfg);

/* The probe succeeded. */
void nook_supervised_ready(void);

#endif
