/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For tests that make TAP interfaces: run them in a network namespace of their own, or skip
 * (exit 77, saying why) where the machine does not allow it.
 */
#ifndef NOOK_TEST_NETNS_H
#define NOOK_TEST_NETNS_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void netns_enter_or_skip(const char *what)
{
	if (access("/dev/net/tun", R_OK | W_OK) < 0) {
		printf("SKIP: /dev/net/tun is not usable here: %s\n", strerror(errno));
		exit(77);
	}
	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: cannot make a network namespace for the %s tests (%s); run as root\n",
		       what, strerror(errno));
		exit(77);
	}
}

#endif
