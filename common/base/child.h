/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Waiting for a child process with a deadline. A process killed with SIGKILL dies when it
 * next leaves the kernel; one waiting in the kernel without end (on a hung file system, a
 * device) may not, and a daemon that blocks in waitpid() on it stops serving everyone.
 */
#ifndef NOOK_COMMON_CHILD_H
#define NOOK_COMMON_CHILD_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Reap @pid once it exits, waiting until @deadline_ms (nook_now_ms()) at most; its wait
 * status in @ret_status (may be NULL). 0 once reaped, -ETIMEDOUT if it still runs (it
 * stays a child, for the caller's SIGCHLD handling to reap later), another negative errno
 * if it is not a child.
 */
int nook_child_reap(pid_t pid, int64_t deadline_ms, int *ret_status);

/*
 * Reap @pid, giving it @grace_ms to exit on its own, then SIGKILL and @kill_ms more: 0 once
 * reaped, -ETIMEDOUT if even SIGKILL did not end it in time.
 */
int nook_child_end(pid_t pid, unsigned int grace_ms, unsigned int kill_ms, int *ret_status);

#endif
