/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Confining a driver process: the steps nookd's forked child takes before it execs the
 * driver program (daemon/spawn.c runs them in order). Each returns 0 or a negative errno
 * and is async-signal-safe unless it says otherwise; none prints.
 *
 * The fd numbers a driver program finds what nookd passed it at:
 *
 *   0  /dev/null          1, 2  nookd's stdout and stderr (the journal), unless told
 *   3  the control socket (NOOK_CTL_FD in control-driver.h)
 *   4  the VFIO container   5  the VFIO group   6  the VFIO device
 *   7  the TAP (network drivers)
 *
 * and nothing else: every other fd is closed. nookd passes these numbers on the driver's
 * command line too (--control-fd 3 --vfio-fds 4,5,6 --tap-fd 7).
 */
#ifndef NOOK_COMMON_SANDBOX_SANDBOX_H
#define NOOK_COMMON_SANDBOX_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#define NOOK_SANDBOX_FD_CONTROL 3
#define NOOK_SANDBOX_FD_VFIO_CONTAINER 4
#define NOOK_SANDBOX_FD_VFIO_GROUP 5
#define NOOK_SANDBOX_FD_VFIO_DEVICE 6
#define NOOK_SANDBOX_FD_TAP 7

/* The user a driver runs as when nookd is told none, and the fallback ("nobody"). */
#define NOOK_SANDBOX_USER "nook-driver"
#define NOOK_SANDBOX_FALLBACK_ID 65534

/*
 * Make fd i a copy of @fds[i] for every i < @n (not close-on-exec) and close every other
 * fd except @keep's, which move to numbers of @n and up, stay close-on-exec, and are
 * written back to @keep. @fds may name the same fd twice and may overlap the targets.
 */
int nook_sandbox_place_fds(const int *fds, unsigned int n, int *keep, unsigned int n_keep);

/* Every signal back to its default action and none blocked (nookd blocks and handles some). */
int nook_sandbox_reset_signals(void);

/*
 * Enter new mount, network, IPC and UTS namespaces, one at a time; on failure the
 * CLONE_NEW* flag that failed is in @ret_failed.
 */
int nook_sandbox_unshare(int *ret_failed);

/* "mount", "network", "IPC", "UTS" for a CLONE_NEW* flag. */
const char *nook_sandbox_namespace_name(int flag);

/*
 * Name the new UTS namespace. Optional: the namespace alone keeps the driver from renaming
 * the machine (systemd's ProtectHostname= forbids this call to nookd).
 */
int nook_sandbox_set_hostname(const char *name);

/*
 * RLIMIT_MEMLOCK, soft and hard, to @bytes: VFIO pins the driver's DMA arena and charges
 * it to this limit. 0 leaves the limit as it is. Needs CAP_SYS_RESOURCE to raise it.
 */
int nook_sandbox_set_memlock(uint64_t bytes);

/*
 * RLIMIT_NOFILE, soft and hard, to @n: a driver holds a handful of fds (its device's, its
 * TAP or sound channel, its loop's), and one that opens without end (memfds, eventfds,
 * dup) runs out at @n instead of taking the system's. 0 leaves the limit as it is.
 */
int nook_sandbox_set_nofile(unsigned int n);

/*
 * The kernel's OOM killer takes this process before any other (oom_score_adj 1000): a
 * driver that eats the memory dies of it, a failure nookd recovers from, instead of a
 * process of the host's. Raising one's own score needs no privilege.
 */
int nook_sandbox_oom_first(void);

/*
 * Drop to @uid/@gid with no supplementary groups (setgroups, setresgid, setresuid).
 * -EINVAL for root's ids or -1.
 */
int nook_sandbox_drop_user(uid_t uid, gid_t gid);

/*
 * Check that the drop held: every uid and gid is @uid/@gid, no supplementary group, no
 * capability left, and setuid(0)/setgid(0) fail. -EPERM if the process could regain root.
 */
int nook_sandbox_check_user(uid_t uid, gid_t gid);

/*
 * SIGKILL when @parent (nookd's thread that forked) dies, and -ESRCH if it died already.
 * Must come after the last credential change, which clears the setting.
 */
int nook_sandbox_die_with_parent(pid_t parent);

/* PR_SET_NO_NEW_PRIVS: no exec ever gains privileges; lets seccomp filters be installed. */
int nook_sandbox_no_new_privs(void);

/* PR_SET_DUMPABLE 1: gdb can attach and a crash can dump core as the driver user. */
int nook_sandbox_set_dumpable(void);

/*
 * The ids of NOOK_SANDBOX_USER, or NOOK_SANDBOX_FALLBACK_ID for both when it does not exist.
 * Reads the user database: not for a forked child.
 */
void nook_sandbox_default_user(uid_t *ret_uid, gid_t *ret_gid);

#endif
