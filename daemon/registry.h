/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The devices nookd looks after: one object per attached PCI device with what nookctl
 * status shows (driver, state, pid, restarts, interfaces, last failure, last recovery time)
 * and what nookd needs to run and give it back (kernel driver it had, parameters, the
 * restart policy's state).
 */
#ifndef NOOK_DAEMON_REGISTRY_H
#define NOOK_DAEMON_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bind.h"
#include "common/ipc/nic-counters.h"
#include "common/base/pci-addr.h"
#include "recovery/net-shadow.h"
#include "recovery/recovery-log.h"
#include "recovery/restart-policy.h"

#define NOOK_MAX_PARAMS 16
#define NOOK_PARAM_LEN 128
#define NOOK_FAILURE_LEN 512
#define NOOK_FAULT_PLAN_TEXT 2048

/* What the device is to the system: a network interface, or a sound card's socket. */
enum nook_dev_class {
	NOOK_CLASS_NET,
	NOOK_CLASS_SOUND,
};

const char *nook_dev_class_name(enum nook_dev_class c);

enum nook_dev_state {
	NOOK_DEV_STARTING, /* driver started, not yet greeted us */
	NOOK_DEV_RUNNING,
	NOOK_DEV_RECOVERING, /* failed, waiting for or doing a restart */
	NOOK_DEV_FAILED,     /* too many failures: needs reset-failed */
	NOOK_DEV_STOPPED,    /* no driver running (detaching, or debug) */
};

struct nook_device {
	char addr[NOOK_PCI_ADDR_LEN];
	char driver[32];
	char ifname[16]; /* requested interface name, "" for the driver's choice */
	char params[NOOK_MAX_PARAMS][NOOK_PARAM_LEN];
	unsigned int n_params;
	bool force;
	bool debug; /* a developer has it: no heartbeat watch, no restarts */
	enum nook_dev_class cls;

	enum nook_dev_state state;
	uint64_t state_since_us; /* wall clock: when it entered that state; 0: not yet set */
	pid_t pid;		 /* 0 when none runs */
	pid_t standby_pid;	 /* the standby driver process waiting for the device; 0: none */
	unsigned int restarts;
	char last_failure[NOOK_FAILURE_LEN];
	/* the last recovery: detection to the first frame received (to READY until then) */
	uint64_t last_recovery_ms;
	struct nook_recovery_log recoveries;
	char orig_driver[NOOK_DRIVER_NAME_LEN];
	char interfaces[64]; /* its interface, or a sound card's socket */
	/* The interface's traffic, summed over every incarnation of the driver. */
	struct nook_nic_counters counters;	/* now */
	struct nook_nic_counters counters_base; /* at the start of this incarnation */

	struct nook_restart_state restart;
	struct nook_net_shadow shadow; /* ethtool settings replayed into each incarnation */
	uint64_t started_at_ms;	       /* when the current incarnation started */

	/* The newest fault-injection trial: its planned faults, its incarnation, how many fired. */
	char fault_plan[NOOK_FAULT_PLAN_TEXT]; /* the specs, space-separated; "" for none */
	pid_t fault_pid;
	unsigned int faults_fired;

	void *priv; /* nookd's per-device runtime (watchers, sockets) */
	struct nook_device *next;
};

struct nook_registry {
	struct nook_device *devices; /* sorted by address */
	unsigned int n;
};

const char *nook_dev_state_name(enum nook_dev_state s);

/* Find by any spelling of the address (00:04.0 or 0000:00:04.0); NULL when not attached. */
struct nook_device *nook_registry_find(struct nook_registry *reg, const char *addr);

/*
 * New device object for @addr in state STOPPED. -EINVAL: not an address; -EEXIST: already
 * there; -ENOMEM.
 */
int nook_registry_add(struct nook_registry *reg, const char *addr, struct nook_device **ret_dev);

/* Unlink and free; priv must have been released by the caller. */
void nook_registry_remove(struct nook_registry *reg, struct nook_device *dev);

/* Add a KEY=VALUE driver parameter; -EINVAL for a malformed one, -E2BIG past the limit. */
int nook_device_add_param(struct nook_device *dev, const char *kv);

#endif
