/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Starting a driver process, confined (see common/sandbox/sandbox.h for the fd numbers it
 * finds its fds at, root.h for the file system it sees, seccomp.h for its filters).
 *
 * nook_spawn_driver() forks; the child enters new mount, network, IPC and UTS namespaces,
 * pivots into an empty read-only root, keeps only the fds it is given, raises
 * RLIMIT_MEMLOCK for the DMA arena, drops to the driver user, ties its life to nookd's,
 * sets no_new_privs and dumpable, installs the start-up seccomp filter and execs the driver
 * program. A step that fails in the child comes back to the caller as one clear message;
 * success means the driver program is running (its own start-up is nookd's to watch).
 *
 * Call it from nookd's main thread: the child dies with the thread that forked it.
 */
#ifndef NOOK_DAEMON_SPAWN_H
#define NOOK_DAEMON_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/base/err.h"

/* uid and gid that stand for the default driver user (nook-driver, else 65534). */
#define NOOK_SPAWN_DEFAULT_ID ((uid_t)-1)

/* The environment a driver program gets unless told otherwise. */
#define NOOK_SPAWN_ENV                     \
	{                                  \
		"PATH=/usr/bin:/bin", NULL \
	}

struct nook_spawn_cfg {
	const char *name;  /* what messages call the driver instance, e.g. its PCI address */
	const char *exe;   /* the driver program on the host */
	char *const *argv; /* argv[0] first, NULL-terminated */
	char *const *envp; /* NULL: NOOK_SPAWN_ENV */
	/* Placed at fd 3, 4, ...: the control socket, the VFIO container, group, device, TAP. */
	const int *fds;
	unsigned int n_fds;
	int stdout_fd, stderr_fd; /* 0 or -1: nookd's own (the journal) */
	uid_t uid;		  /* NOOK_SPAWN_DEFAULT_ID, or a user; never root */
	gid_t gid;
	uint64_t memlock;    /* RLIMIT_MEMLOCK in bytes (the DMA arena and some); 0 leaves it */
	int nice;	     /* its nice value, -20 to 19; 0 leaves nookd's */
	unsigned int nofile; /* RLIMIT_NOFILE; 0 leaves nookd's */
	bool oom_first;	     /* the OOM killer takes it first (oom_score_adj 1000) */
	/* not killed when nookd dies (no parent-death signal): a nookd after it adopts it */
	bool outlive_parent;
	const char *hostname;	 /* in its UTS namespace; NULL: nookd's, which it cannot change */
	unsigned int timeout_ms; /* for the child to reach exec; 0: 10 s */
};

/*
 * Start the driver process; its pid in @ret_pid. On failure a negative errno and, in @err,
 * "NAME: cannot start PROGRAM: WHAT FAILED: WHY (WHAT TO DO)".
 */
int nook_spawn_driver(const struct nook_spawn_cfg *cfg, pid_t *ret_pid, struct nook_err *err);

#endif
