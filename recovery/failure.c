// SPDX-License-Identifier: GPL-2.0-only
/* How a driver incarnation's end was detected, and what to say of it (see failure.h). */
#include "failure.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#define FAIL_STOP_PREFIX "fail-stop: "

enum nook_failure_kind nook_failure_classify(const struct nook_incarnation_end *e)
{
	if (*e->verdict)
		return (enum nook_failure_kind)e->verdict_kind;
	if (!strncmp(e->fatal, FAIL_STOP_PREFIX, strlen(FAIL_STOP_PREFIX)))
		return NOOK_FAILURE_FAIL_STOP;
	if (e->adopted) /* only its own report says it crashed */
		return *e->fatal ? NOOK_FAILURE_CRASH : NOOK_FAILURE_EXIT;
	return WIFSIGNALED(e->status) ? NOOK_FAILURE_CRASH : NOOK_FAILURE_EXIT;
}

void nook_failure_describe(const struct nook_incarnation_end *e, char *buf, size_t len)
{
	int st = e->status;

	if (*e->verdict)
		snprintf(buf, len, "%s", e->verdict);
	else if (nook_failure_classify(e) == NOOK_FAILURE_FAIL_STOP)
		snprintf(buf, len, "%s", e->fatal); /* "fail-stop: what it found" */
	else if (e->adopted && *e->fatal)
		snprintf(buf, len, "killed by %s", e->fatal);
	else if (e->adopted)
		snprintf(buf, len,
			 "ended (started by the nookd before this one: its exit status "
			 "is unknown)%s%s",
			 *e->last_line ? ": " : "", e->last_line);
	else if (WIFSIGNALED(st) && *e->fatal)
		snprintf(buf, len, "killed by %s", e->fatal);
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else if (*e->fatal)
		snprintf(buf, len, "exited with status %d: %s", WEXITSTATUS(st), e->fatal);
	else if (WEXITSTATUS(st) == 0)
		snprintf(buf, len, "exited");
	else
		snprintf(buf, len, "exited with status %d%s%s", WEXITSTATUS(st),
			 *e->last_line ? ": " : "", e->last_line);
}
