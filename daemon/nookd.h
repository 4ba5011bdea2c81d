/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's state, shared by its modules: the loop, the bus, the devices it looks after, the
 * driver programs it knows and its settings.
 */
#ifndef NOOK_DAEMON_NOOKD_H
#define NOOK_DAEMON_NOOKD_H

#include <ev.h>
#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "drivers.h"
#include "registry.h"
#include "recovery/restart-policy.h"

struct nookd_settings {
	const char *driver_path;	   /* where nook-driver-* programs are, ':'-separated */
	const char *devices_dir;	   /* *.conf of devices to attach at start */
	const char *state_dir;		   /* run-state.h; NULL: none kept */
	const char *sysfs_root;		   /* "" for the real /sys (tests: a fake tree) */
	unsigned int heartbeat_ms;	   /* how often a driver says it is alive */
	unsigned int heartbeat_timeout_ms; /* silence that counts as a hang */
	unsigned int start_timeout_ms;	   /* the same, until the driver took its device */
	unsigned int shutdown_timeout_ms;  /* a driver asked to stop gets this long */
	bool no_standby;		   /* restart drivers from scratch, with no standby */
	bool driver_units;		   /* each driver in a scope of its own (driver-unit.h) */
	bool fd_store; /* systemd keeps fds across restarts: NIC drivers outlive nookd (fd-store.h) */
	struct nook_restart_policy policy;
};

struct nookd {
	struct ev_loop *loop;
	sd_bus *bus;
	struct nookd_settings cfg;
	struct nook_registry reg;
	struct nook_driver_set drivers;
	/* rtnetlink: `ip link` changes to the interfaces of supervised drivers */
	int link_fd;
	ev_io link_io;
	int dma_fault_fd; /* /dev/kmsg, for the IOMMU's fault reports; -1 when unreadable */
	ev_io dma_fault_io;
	/* The bus's hooks: a device was added, changed (state, pid, ...), is being removed. */
	void (*added)(struct nookd *d, struct nook_device *dev);
	void (*changed)(struct nookd *d, struct nook_device *dev);
	void (*removed)(struct nookd *d, struct nook_device *dev);
};

uint64_t nookd_now_ms(void);  /* CLOCK_MONOTONIC, ms: what nookd times things with */
uint64_t nookd_wall_us(void); /* CLOCK_REALTIME, µs: what nookd tells users times in */

#endif
