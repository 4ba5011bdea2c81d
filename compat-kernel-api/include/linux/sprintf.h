/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Formatting with Linux's extensions (%pM, %pI4, %pV, ...). Renamed so that the process's
 * C library keeps its own snprintf for host code.
 */
#ifndef NOOK_LINUX_SPRINTF_H
#define NOOK_LINUX_SPRINTF_H

#include <stdarg.h>
#include <stddef.h>
#include <linux/compiler_types.h>

int nook_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int nook_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int nook_scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int nook_vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
int nook_sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
char *nook_kasprintf(unsigned int gfp, const char *fmt, ...) __printf(2, 3);

#define vsnprintf nook_vsnprintf
#define snprintf nook_snprintf
#define scnprintf nook_scnprintf
#define vscnprintf nook_vscnprintf
#define sprintf nook_sprintf
#define kasprintf nook_kasprintf

/* Linux's struct va_format, for %pV. */
struct va_format {
	const char *fmt;
	va_list *va;
};

#endif
