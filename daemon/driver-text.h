/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text that comes from a driver (its stderr, its log, fatal and reply messages), made fit for
 * where nookd puts it: its own stderr, which journald reads a "<N>" priority from, and sd-bus
 * strings, which must be valid UTF-8 or the whole message is refused. A driver's text is
 * whatever its code (or an attacker's) made it, so each is cleaned where it enters nookd.
 */
#ifndef NOOK_DAEMON_DRIVER_TEXT_H
#define NOOK_DAEMON_DRIVER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Clean @s (NUL-terminated) in place: a byte that begins no valid UTF-8 sequence becomes '?';
 * control characters (C0, DEL, C1) go, but tab and, when @multiline, newline.
 */
void nook_text_clean(char *s, bool multiline);

/* Copy @src into @dst (@size > 0), cut if it must be where a character begins, cleaned. */
void nook_text_copy(char *dst, size_t size, const char *src, bool multiline);

/*
 * The most urgent syslog priority a driver's line may have: err. A driver cannot write
 * emergency, alert or critical lines (which journald may broadcast to every terminal).
 */
#define NOOK_TEXT_MAX_PRIORITY 3

/*
 * The priority a line from a driver asks for with a "<N>" head (0-7), no more urgent than
 * NOOK_TEXT_MAX_PRIORITY, or -1 when it has none; @ret_rest is the line after the head.
 */
int nook_text_priority(const char *line, const char **ret_rest);

#endif
