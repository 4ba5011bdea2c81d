/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ETHTOOL requests from nookd (control.h), answered by the driver's own ethtool_ops in a
 * kernel task under RTNL: INFO (driver info, link, settings) and SET (ring sizes, message
 * level). Both reply with "key=value" lines.
 */
#ifndef NOOK_SHIMS_DRIVER_ETHTOOL_H
#define NOOK_SHIMS_DRIVER_ETHTOOL_H

#include "common/ipc/control.h"

/* Start answering @m on @fd; the reply follows from the kernel task. */
void nook_ethtool_request(int fd, const struct nook_ctl_msg *m);

#endif
