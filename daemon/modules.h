/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel modules nookd needs (vfio-pci for every device, tun for a NIC's interface),
 * loaded when they are missing, as libvirt and driverctl do. nookd.service has systemd load
 * them before nookd starts (its unit may forbid loading modules); a nookd started otherwise,
 * or right after an installation, loads them itself and says so.
 */
#ifndef NOOK_DAEMON_MODULES_H
#define NOOK_DAEMON_MODULES_H

#include "common/base/err.h"

/*
 * @module is there when @present (a sysfs path it makes) exists; else run `modprobe
 * @module` (10 s at most). 0: it was there; 1: nookd loaded it (and logged so); a negative
 * errno with @err saying what failed and what to do.
 */
int nookd_module_need(const char *module, const char *present, struct nook_err *err);

#endif
