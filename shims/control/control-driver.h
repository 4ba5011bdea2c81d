/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver process's side of the control channel (see control.h and
 * docs/driver-program.md): the greeting, heartbeats, log lines, fatal reports and replies.
 * nook_ctl_driver_fatal() is async-signal-safe.
 */
#ifndef NOOK_SHIMS_CONTROL_DRIVER_H
#define NOOK_SHIMS_CONTROL_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* The fd number a supervised driver program finds its control socket at. */
#define NOOK_CTL_FD 3

/* Send HELLO: must be the first message. */
int nook_ctl_driver_hello(int fd, const char *driver);

/* Send one HEARTBEAT; the counter increases by one per call. */
int nook_ctl_driver_heartbeat(int fd);

/* Send one LOG line; control characters are replaced so that nookd accepts it. */
int nook_ctl_driver_log(int fd, unsigned int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Send FATAL from a signal handler; @text (may be NULL) is cut to what fits. */
int nook_ctl_driver_fatal(int fd, int signo, uint64_t addr, const char *text);

/* Answer request @seq. */
/* A planned fault fired (async-signal-safe: a code fault's trap reports from its handler). */
int nook_ctl_driver_fault_fired(int fd, const char *spec);

int nook_ctl_driver_reply(int fd, uint32_t seq, int status, const void *data, size_t len);

#endif
