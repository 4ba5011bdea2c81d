/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The end of a driver incarnation nobody asked for: how it was detected (the kind a
 * recovery is filed under) and the line that tells an administrator what happened. Pure
 * logic over what nookd saw: its own verdict if it killed the driver, the driver's own last
 * words (its fatal-signal report or fail-stop line, its last log line) and the wait status.
 */
#ifndef NOOK_RECOVERY_FAILURE_H
#define NOOK_RECOVERY_FAILURE_H

#include <stddef.h>

#include "recovery-log.h"

struct nook_incarnation_end {
	const char *verdict;   /* why nookd killed it; "" when it did not */
	int verdict_kind;      /* an enum nook_failure_kind: how nookd detected that */
	const char *fatal;     /* the first line of the driver's report of its death, or "" */
	const char *last_line; /* the last line it logged, or "" */
	int status;	       /* its wait status (waitpid) */
	bool adopted;	       /* a driver a nookd before this one started: no wait status */
};

/* How the end was detected: nookd's verdict, a fail-stop, a crash (signal) or an exit. */
enum nook_failure_kind nook_failure_classify(const struct nook_incarnation_end *e);

/* The line that says how it ended, e.g. "killed by SIGSEGV at e1000_clean+0x3c". */
void nook_failure_describe(const struct nook_incarnation_end *e, char *buf, size_t len);

#endif
