/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nookd's log. Under systemd (journald reads nookd's stderr: $JOURNAL_STREAM names it) each
 * line is a journal entry of its own, with its priority, the device it is about as
 * NOOK_DEVICE= (and its driver as NOOK_DRIVER=), and a MESSAGE_ID for a driver's failure and
 * its recovery, so that `journalctl -u nookd -p warning` lists failures and
 * `journalctl NOOK_DEVICE=0000:00:03.0` one device's history. Elsewhere (a terminal, a test's
 * log file) it is the line on stderr, headed "<N>" as journald would read it.
 */
#ifndef NOOK_DAEMON_LOG_H
#define NOOK_DAEMON_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* journalctl MESSAGE_ID=...: a driver failed (it is restarted, or given up on) */
#define NOOKD_MESSAGE_FAILURE "01d08bf23dda4576968bd097b7449d9a"
/* ... and a device's driver runs again after a failure */
#define NOOKD_MESSAGE_RECOVERY "9293491bb88b4132a5d369b0a65ed41c"

/*
 * One line at @priority (LOG_ERR .. LOG_DEBUG), about @device (a PCI address, or NULL for
 * nookd itself) driven by @driver (or NULL), with @message_id (or NULL).
 */
void nookd_log(int priority, const char *device, const char *driver, const char *message_id,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void nookd_vlog(int priority, const char *device, const char *driver, const char *message_id,
		const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

#endif
