// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver's text, made valid UTF-8 without control characters (see driver-text.h). The
 * sequences taken as valid are RFC 3629's: no overlong forms, no surrogates, nothing past
 * U+10FFFF.
 */
#include "driver-text.h"

#include <string.h>

/* The length of the valid UTF-8 sequence @s begins with, or 0. Reads no further than a NUL. */
static size_t seq_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		lo = c == 0xe0 ? 0xa0 : lo; /* overlong */
		hi = c == 0xed ? 0x9f : hi; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		lo = c == 0xf0 ? 0x90 : lo; /* overlong */
		hi = c == 0xf4 ? 0x8f : hi; /* past U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* C0 controls and DEL, and C1's (U+0080-U+009F), which some terminals obey too. */
static bool is_control(const unsigned char *s, size_t n, bool multiline)
{
	if (n == 1)
		return (s[0] < 0x20 && s[0] != '\t' && !(multiline && s[0] == '\n')) ||
		       s[0] == 0x7f;
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

void nook_text_clean(char *s, bool multiline)
{
	unsigned char *in = (unsigned char *)s, *out = in;

	while (*in) {
		size_t n = seq_len(in);

		if (n == 0) {
			*out++ = '?';
			in++;
		} else if (is_control(in, n, multiline)) {
			in += n;
		} else {
			memmove(out, in, n);
			out += n;
			in += n;
		}
	}
	*out = '\0';
}

void nook_text_copy(char *dst, size_t size, const char *src, bool multiline)
{
	size_t n = strlen(src);

	if (n >= size) {
		/* src[n] is the first byte left out: not in the middle of a character. */
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	nook_text_clean(dst, multiline);
}

int nook_text_priority(const char *line, const char **ret_rest)
{
	int prio;

	*ret_rest = line;
	if (line[0] != '<' || line[1] < '0' || line[1] > '7' || line[2] != '>')
		return -1;
	prio = line[1] - '0';
	*ret_rest = line + 3;
	return prio < NOOK_TEXT_MAX_PRIORITY ? NOOK_TEXT_MAX_PRIORITY : prio;
}
