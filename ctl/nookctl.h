/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookctl's parts: nookctl.c (the commands, the bus calls, main) and status.c (what nookd
 * says of its devices: list, status, stats, and waiting for a driver to run).
 */
#ifndef NOOK_CTL_NOOKCTL_H
#define NOOK_CTL_NOOKCTL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "common/ipc/nic-counters.h"

#define BUS_NAME "org.nook.Nook1"
#define BUS_PATH "/org/nook/Nook1"
#define MANAGER "org.nook.Nook1.Manager"
#define DEVICE "org.nook.Nook1.Device"

/* nookctl.c: the output's form (--json), the bus, and how an error is said. */
extern bool nookctl_json;
extern sd_bus *nookctl_bus;
/* "nookctl: ..." on stderr; returns 1, the exit status of a failure. */
int nookctl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int nookctl_bus_fail(const sd_bus_error *e, int r);
/* A Manager method's call: its reply in @ret_reply (unref it), or a message said and -1. */
int nookctl_call(const char *method, sd_bus_message **ret_reply, const char *types, ...);
void nookctl_json_str(const char *s);

/* status.c: a device as nookd describes it. */
/* Each counter's place in struct status' stats: STAT_rx_packets, ... */
enum {
#define COUNTER_INDEX(name) STAT_##name,
	NOOK_NIC_COUNTERS(COUNTER_INDEX)
#undef COUNTER_INDEX
		N_STATS
};

#define MAX_RECOVERIES 32

struct recovery {
	char failure[16], injected[16];
	uint64_t detected_usec; /* wall clock */
	uint32_t started_ms, ready_ms, carrier_ms, traffic_ms;
};

struct status {
	char *address, *driver, *cls, *kernel_driver, *state, *last_failure, **interfaces;
	uint32_t pid, standby_pid, restarts;
	uint64_t state_since_us; /* wall clock; 0: not known */
	uint64_t last_recovery_ms;
	uint64_t stats[N_STATS]; /* in stat_names' order */
	struct recovery recoveries[MAX_RECOVERIES];
	unsigned int n_recoveries;
	char *fault_plan;
	uint32_t fault_pid, faults_fired;
};

int nookctl_status_get(const char *path, struct status *s);
void nookctl_status_free(struct status *s);
int nookctl_device_path(const char *addr, char **ret_path);
/* Wait until the device runs a driver process other than @old_pid (0: any), or fails. */
int nookctl_wait_running(const char *path, int timeout_s, uint32_t old_pid);
int nookctl_cmd_list(void);

/* What nookd serves, for scan: each attached device's address, state and interface. */
struct nookctl_served {
	char addr[16], state[16], interface[64];
};
/*
 * Asked quietly: -1 when nookd cannot be asked (not running, no bus), else how many it
 * serves, in *@ret (free()d by the caller).
 */
int nookctl_served_get(struct nookctl_served **ret);
/* status BDF: with the device's last @log_lines journal entries (as systemctl status). */
int nookctl_cmd_status(const char *addr, unsigned int log_lines);
int nookctl_cmd_stats(const char *addr);

/* upgrade.c: upgrade BDF [--driver PATH] | --all (argv[0] is "upgrade"). */
int nookctl_cmd_upgrade(int argc, char **argv);

/* device-log.c: the device's last @lines entries in the journal (NOOK_DEVICE=@addr). */
void nookctl_print_device_log(const char *addr, unsigned int lines);

/* persist.c: a device's entry in nookd's devices directory (attach/detach --persist). */
struct nookctl_attach_args {
	const char *addr, *driver, *ifname;
	const char *const *params;
	int n_params;
	bool force;
};
/* $NOOK_DEVICES_DIR, or /etc/nook/devices.d, where nookd reads them. */
const char *nookctl_devices_dir(void);
/* Write DIR/BDF.conf for @a, its path in @ret_path; 0, or 1 with the failure said. */
int nookctl_persist_write(const struct nookctl_attach_args *a, char *ret_path, size_t len);
/* After a detach: with @forget, remove BDF.conf; say which entries still name the device. */
int nookctl_persist_forget(const char *addr, bool forget);

#endif
