/* SPDX-License-Identifier: GPL-2.0-only */
/* Formatting with Linux's %p extensions (host/format.c); kernel code reaches these through
 * <linux/sprintf.h>'s names. Plain C types only. */
#ifndef NOOK_FORMAT_H
#define NOOK_FORMAT_H
#include <stdarg.h>
#include <stddef.h>
int nook_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int nook_snprintf(char *buf, size_t size, const char *fmt, ...);
int nook_vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
int nook_scnprintf(char *buf, size_t size, const char *fmt, ...);
int nook_sprintf(char *buf, const char *fmt, ...);
#endif
