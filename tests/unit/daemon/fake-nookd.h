/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's supervision without hardware or privilege, for the daemon's unit tests: a struct
 * nookd on the real libev default loop over a fake sysfs (fake-sysfs.h) holding one device
 * at FAKE_ADDR that the e1000 driver takes, and, replaced at link time (-Wl,--wrap:
 * fake_nookd_wraps in meson), the VFIO device (fds of /dev/null), the TAP (a socket) and the
 * confined spawn, which forks a fake driver that speaks the control protocol as a driver
 * program does (HELLO, READY, a heartbeat each --heartbeat-ms, SHUTDOWN obeyed, its link
 * taken down on the way out) or fails as the test's script says.
 */
#ifndef NOOK_TEST_FAKE_NOOKD_H
#define NOOK_TEST_FAKE_NOOKD_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/nookd.h"
#include "daemon/registry.h"

#define FAKE_ADDR "0000:00:03.0"
/* the device's IDs: those tests/unit/daemon/ids-probe answers --list-ids with */
#define FAKE_VENDOR 0x1234
#define FAKE_DEVICE 0x5678
#define FAKE_HEARTBEAT_MS 20
#define FAKE_HEARTBEAT_TIMEOUT_MS 300
#define FAKE_SHUTDOWN_TIMEOUT_MS 300

/* What a fake driver incarnation does. */
enum fake_act {
	FAKE_RUN,      /* take the device, beat, obey SHUTDOWN */
	FAKE_CRASH,    /* run fake.late_ms, then die of SIGSEGV */
	FAKE_HANG,     /* run fake.late_ms, then stop beating (its loop stuck) */
	FAKE_NO_START, /* exit 1 before it took the device */
	FAKE_STUBBORN, /* run, but ignore SHUTDOWN and SIGTERM */
	FAKE_BROKEN,   /* exit 127 at once, even as a standby (a program that does not load) */
};

struct fake_nookd {
	struct nookd d;
	struct nook_driver drv;
	struct nook_driver_id id;
	/* each spawn takes the next act; the last one repeats */
	enum fake_act script[8];
	unsigned int n_script;
	unsigned int spawned, spawned_standby; /* processes forked, and of them standbys */
	unsigned int late_ms; /* when CRASH crashes and HANG hangs, from READY (default 100) */
	/* a program that does what upgrade_act says (a live upgrade's new one), not the script */
	const char *upgrade_path;
	enum fake_act upgrade_act;
	int tap_peer;		    /* the other end of the last fake TAP */
	unsigned int carrier_downs; /* the TAP's carrier taken down by nookd */
};

extern struct fake_nookd fake;

/* A fresh fake sysfs and nookd (no standbys, short timeouts, 3 failures make a loop). */
void fake_nookd_setup(void);
void fake_nookd_teardown(void);

/* The acts of the next spawns, in order; the last repeats. */
void fake_script(unsigned int n, ...);

uint64_t fake_ms_now(void);

/*
 * Turn nookd's loop until @pred(@arg) holds, at most @ms: whether it came to hold.
 */
bool fake_run_until(bool (*pred)(const void *arg), const void *arg, unsigned int ms);

#endif
