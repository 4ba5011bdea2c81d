// SPDX-License-Identifier: GPL-2.0-only
/* Waiting for a child process with a deadline (see child.h). */
#include "child.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

int nook_child_reap(pid_t pid, int64_t deadline_ms, int *ret_status)
{
	/* A pidfd turns readable when the process exits: no polling loop. */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status = 0, r;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		int64_t left;

		if (w == pid) {
			r = 0;
			break;
		}
		if (w < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		left = deadline_ms - nook_now_ms();
		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		if (pidfd >= 0) {
			struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

			poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		} else {
			nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	if (r == 0 && ret_status)
		*ret_status = status;
	return r;
}

int nook_child_end(pid_t pid, unsigned int grace_ms, unsigned int kill_ms, int *ret_status)
{
	int r = nook_child_reap(pid, nook_now_ms() + grace_ms, ret_status);

	if (r != -ETIMEDOUT)
		return r;
	kill(pid, SIGKILL);
	return nook_child_reap(pid, nook_now_ms() + kill_ms, ret_status);
}
