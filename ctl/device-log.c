// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device's last log lines under `nookctl status`, as systemctl status shows a unit's: the
 * journal entries nookd wrote with the device's address as NOOK_DEVICE (its own, and its
 * driver processes' it passed on), read from the local journal.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "nookctl.h"

/* A field's value, without its "NAME=", or NULL. */
static const char *value(sd_journal *j, const char *name, size_t *ret_len)
{
	const void *data;
	size_t len, n = strlen(name);

	if (sd_journal_get_data(j, name, &data, &len) < 0 || len <= n + 1)
		return NULL;
	*ret_len = len - n - 1;
	return (const char *)data + n + 1;
}

static void print_entry(sd_journal *j)
{
	const char *msg, *ident, *pid;
	size_t msg_len, ident_len = 0, pid_len = 0;
	char when[32] = "?";
	uint64_t usec;
	time_t sec;
	struct tm tm;

	msg = value(j, "MESSAGE", &msg_len);
	if (!msg)
		return;
	if (sd_journal_get_realtime_usec(j, &usec) >= 0) {
		sec = (time_t)(usec / 1000000);
		if (localtime_r(&sec, &tm))
			strftime(when, sizeof(when), "%b %d %H:%M:%S", &tm);
	}
	ident = value(j, "SYSLOG_IDENTIFIER", &ident_len);
	pid = value(j, "_PID", &pid_len);
	printf("%s %.*s[%.*s]: %.*s\n", when, (int)ident_len, ident ? ident : "", (int)pid_len,
	       pid ? pid : "?", (int)msg_len, msg);
}

void nookctl_print_device_log(const char *addr, unsigned int lines)
{
	char match[64];
	sd_journal *j = NULL;
	unsigned int shown = 0;
	int r;

	snprintf(match, sizeof(match), "NOOK_DEVICE=%s", addr);
	r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r >= 0)
		r = sd_journal_add_match(j, match, 0);
	if (r >= 0)
		r = sd_journal_seek_tail(j);
	if (r >= 0)
		r = sd_journal_previous_skip(j, lines);
	printf("\n");
	while (r > 0 && shown < lines) {
		print_entry(j);
		shown++;
		r = sd_journal_next(j);
	}
	if (!shown && geteuid() != 0)
		printf("Hint: nookd's log of this device is in the system journal, which root and\n"
		       "      the groups 'systemd-journal' and 'adm' may read.\n");
	else if (!shown)
		printf("(no journal entries for %s: nookd logs to the journal when systemd runs "
		       "it)\n",
		       addr);
	sd_journal_close(j);
}
