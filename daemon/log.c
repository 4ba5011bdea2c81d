// SPDX-License-Identifier: GPL-2.0-only
/* nookd's log: journal entries with fields under systemd, lines elsewhere (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

/* journald reads stderr: $JOURNAL_STREAM is its "device:inode", as systemd set it up. */
static bool stderr_is_journal(void)
{
	static int known = -1;
	const char *env;
	unsigned long long dev, ino;
	struct stat st;

	if (known >= 0)
		return known;
	env = getenv("JOURNAL_STREAM");
	known = env && sscanf(env, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
		(unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
	return known;
}

/* "KEY=value" into @buf, as the next of @iov's entries. */
static void field(struct iovec *iov, int *n, char *buf, size_t size, const char *key,
		  const char *value)
{
	int len = snprintf(buf, size, "%s=%s", key, value);

	iov[*n].iov_base = buf;
	iov[*n].iov_len = len < 0 ? 0 : (size_t)len < size ? (size_t)len : size - 1;
	(*n)++;
}

void nookd_vlog(int priority, const char *device, const char *driver, const char *message_id,
		const char *fmt, va_list ap)
{
	char text[1024], msg[1100], prio[24], dev[48], drv[48], id[48];
	struct iovec iov[6];
	int n = 0;

	vsnprintf(text, sizeof(text), fmt, ap);
	if (stderr_is_journal()) {
		snprintf(msg, sizeof(msg), "MESSAGE=%s%s%s", device ? device : "",
			 device ? ": " : "", text);
		iov[n].iov_base = msg;
		iov[n++].iov_len = strlen(msg);
		iov[n].iov_base = prio;
		iov[n++].iov_len = (size_t)snprintf(prio, sizeof(prio), "PRIORITY=%d", priority);
		iov[n++] = (struct iovec){ .iov_base = "SYSLOG_IDENTIFIER=nookd",
					   .iov_len = sizeof("SYSLOG_IDENTIFIER=nookd") - 1 };
		if (device)
			field(iov, &n, dev, sizeof(dev), "NOOK_DEVICE", device);
		if (driver)
			field(iov, &n, drv, sizeof(drv), "NOOK_DRIVER", driver);
		if (message_id)
			field(iov, &n, id, sizeof(id), "MESSAGE_ID", message_id);
		if (sd_journal_sendv(iov, n) >= 0)
			return;
	}
	fprintf(stderr, "<%d>%s%s%s\n", priority, device ? device : "", device ? ": " : "", text);
}

void nookd_log(int priority, const char *device, const char *driver, const char *message_id,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nookd_vlog(priority, device, driver, message_id, fmt, ap);
	va_end(ap);
}
