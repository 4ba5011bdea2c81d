/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A private dbus-daemon for the daemon's unit tests, in a temporary directory: any user may
 * connect and own names (as on the system bus, the methods decide who may do what).
 */
#ifndef NOOK_TEST_PRIVATE_BUS_H
#define NOOK_TEST_PRIVATE_BUS_H

#include <sys/types.h>
#include <systemd/sd-bus.h>

struct private_bus {
	char dir[64], address[160];
	pid_t daemon;
};

/* Start it: 0, or -1 (no dbus-daemon, or it did not come up within 5 s). */
int private_bus_start(struct private_bus *b);
void private_bus_stop(struct private_bus *b);

/* A client connection to it (a bus client: Hello sent), NULL on failure. */
sd_bus *private_bus_connect(const struct private_bus *b);

#endif
