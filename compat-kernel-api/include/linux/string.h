/* SPDX-License-Identifier: GPL-2.0-only */
/* The C library's string functions have Linux's semantics; the rest are nook's. */
#ifndef NOOK_LINUX_STRING_H
#define NOOK_LINUX_STRING_H

#include <stddef.h>
#include <linux/types.h>

void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t n);
char *strcat(char *dest, const char *src);
char *strncat(char *dest, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *h, const char *n);
char *strsep(char **s, const char *delim);

ssize_t nook_strscpy(char *dest, const char *src, size_t count);
size_t nook_strlcpy(char *dest, const char *src, size_t size);
size_t nook_strlcat(char *dest, const char *src, size_t size);
char *nook_kstrdup(const char *s, unsigned int gfp);
void *nook_kmemdup(const void *src, size_t len, unsigned int gfp);
#define strscpy nook_strscpy
#define strlcpy nook_strlcpy
#define strlcat nook_strlcat
#define kstrdup nook_kstrdup
#define kmemdup nook_kmemdup

static inline bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	if (*a == *b)
		return true;
	if (*a == '\n' && !a[1] && !*b)
		return true;
	return *b == '\n' && !b[1] && !*a;
}

#endif
