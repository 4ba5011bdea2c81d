/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's D-Bus API (docs/dbus-api.md): the bus name org.nook.Nook1, the manager object
 * /org/nook/Nook1 (org.nook.Nook1.Manager) with an ObjectManager, and one object per
 * attached device (org.nook.Nook1.Device) whose properties emit PropertiesChanged. The
 * connection is driven by nookd's libev loop.
 */
#ifndef NOOK_DAEMON_BUS_H
#define NOOK_DAEMON_BUS_H

#include "nookd.h"

#define NOOK_BUS_NAME "org.nook.Nook1"
#define NOOK_BUS_PATH "/org/nook/Nook1"
#define NOOK_BUS_DEVICE_PREFIX "/org/nook/Nook1/device"
#define NOOK_BUS_MANAGER_IFACE "org.nook.Nook1.Manager"
#define NOOK_BUS_DEVICE_IFACE "org.nook.Nook1.Device"

/* Connect to the system bus ($DBUS_SYSTEM_BUS_ADDRESS if set), serve, take the name. */
int nookd_bus_start(struct nookd *d);
void nookd_bus_stop(struct nookd *d);

#endif
