/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A failure's negative errno and the one line that tells the user what went wrong and what
 * to do. Library code fills it and returns the errno; only the program's top level prints.
 */
#ifndef NOOK_COMMON_ERR_H
#define NOOK_COMMON_ERR_H

struct nook_err {
	int code;
	char msg[512];
};

/* Record @code (a negative errno) and the message; returns @code. @e may be NULL. */
int nook_err_set(struct nook_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
