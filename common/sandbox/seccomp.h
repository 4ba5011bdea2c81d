/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seccomp allow-lists of a driver process, two filters stacked:
 *
 * - the start-up filter, installed by nookd's child right before it execs the driver
 *   program: what the dynamic loader, the C library's start-up and the driver need;
 * - the driver filter, installed by the driver program itself once its libraries are
 *   loaded and before any driver code runs (nook_sandbox_lock_down()): no more opening
 *   files, no sockets, no new processes or threads, no new executable memory, no new
 *   io_uring (the event loop's ring is made and restricted before), ioctl only to VFIO,
 *   the one TUN ioctl the net shim issues (TUNSETOFFLOAD) and a few file ioctls, signals
 *   only to itself.
 *
 * Both kill the process outright for a call from another ABI (i386, x32). A call neither
 * list names raises SIGSYS (SECCOMP_RET_TRAP): the driver's crash handler reports it, with
 * the system call nook_sandbox_syscall_name() names, and the process dies of SIGSYS. Two
 * kinds of call fail with an errno instead, because the C library makes them itself on
 * paths where failure is normal: opening a file (EACCES; e.g. pthread_getattr_np() reads
 * /proc/self/maps) and asking whether an fd is a terminal (ENOTTY).
 *
 * x86_64 only: elsewhere both installers return -EOPNOTSUPP.
 */
#ifndef NOOK_COMMON_SANDBOX_SECCOMP_H
#define NOOK_COMMON_SANDBOX_SECCOMP_H

#include <sys/types.h>

#include "bpf.h"

enum nook_sandbox_filter {
	NOOK_SANDBOX_FILTER_STARTUP,
	NOOK_SANDBOX_FILTER_DRIVER,
};

/*
 * Assemble @which for process @self (signals are allowed to it only) into @b. Returns 0 or
 * the assembler's error. Async-signal-safe.
 */
int nook_sandbox_filter_build(enum nook_sandbox_filter which, pid_t self, struct nook_bpf *b);

/*
 * Install the start-up filter on the calling process; no_new_privs must be set. For a
 * forked child right before execve(); async-signal-safe.
 */
int nook_sandbox_seccomp_startup(void);

/*
 * The driver program's lock-down, called from its main() in supervised mode once the
 * libraries it needs are loaded (the crash handler installed, its backtrace warmed) and
 * before any driver code runs: sets no_new_privs and dumpable and installs the driver
 * filter. A failure must stop the program: it would otherwise run unconfined.
 */
int nook_sandbox_lock_down(void);

/*
 * The name of x86_64 system call @nr ("openat"), or NULL when it has none; for the report
 * of a SIGSYS (siginfo's si_syscall). Async-signal-safe.
 */
const char *nook_sandbox_syscall_name(long nr);

#endif
