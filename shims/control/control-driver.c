// SPDX-License-Identifier: GPL-2.0-only
/* The driver process's side of the control channel (see control-driver.h). */
#include "control-driver.h"
#include "common/ipc/control.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint64_t heartbeat_counter;

int nook_ctl_driver_hello(int fd, const char *driver)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_HELLO };

	if (!driver || !*driver || strlen(driver) >= NOOK_CTL_NAME_LEN)
		return -EINVAL;
	m.hello.version = NOOK_CTL_VERSION;
	m.hello.pid = (uint32_t)getpid();
	strcpy(m.hello.driver, driver);
	return nook_ctl_send(fd, &m);
}

int nook_ctl_driver_heartbeat(int fd)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_HEARTBEAT };

	m.heartbeat.counter = ++heartbeat_counter;
	return nook_ctl_send(fd, &m);
}

/* nookd rejects control characters in a log line; show them as '?' instead. */
static void sanitize(char *s, size_t n, int multiline)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || (multiline && c == '\n'))
			continue;
		if (c < 0x20 || c == 0x7f)
			s[i] = '?';
	}
}

int nook_ctl_driver_log(int fd, unsigned int level, const char *fmt, ...)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_LOG };
	char text[NOOK_CTL_MAX_TEXT + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if (n > NOOK_CTL_MAX_TEXT)
		n = NOOK_CTL_MAX_TEXT;
	while (n > 0 && text[n - 1] == '\n')
		n--;
	sanitize(text, (size_t)n, 0);
	m.log.level = level > 7 ? 7 : level;
	m.log.len = (uint32_t)n;
	m.log.text = text;
	return nook_ctl_send(fd, &m);
}

int nook_ctl_driver_fatal(int fd, int signo, uint64_t addr, const char *text)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_FATAL };
	char copy[NOOK_CTL_MAX_TEXT];
	size_t n = 0;

	while (text && text[n] && n < sizeof(copy)) {
		copy[n] = text[n];
		n++;
	}
	sanitize(copy, n, 1);
	m.fatal.signo = signo;
	m.fatal.addr = addr;
	m.fatal.len = (uint32_t)n;
	m.fatal.text = copy;
	return nook_ctl_send(fd, &m);
}

int nook_ctl_driver_fault_fired(int fd, const char *spec)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_FAULT_FIRED };
	char copy[NOOK_CTL_MAX_DATA];
	size_t n = 0;

	while (n < sizeof(copy) && spec[n]) {
		copy[n] = spec[n];
		n++;
	}
	sanitize(copy, n, 0);
	m.fired.len = (uint32_t)n;
	m.fired.spec = copy;
	return nook_ctl_send(fd, &m);
}

int nook_ctl_driver_reply(int fd, uint32_t seq, int status, const void *data, size_t len)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_REPLY, .seq = seq };

	m.reply.status = status;
	m.reply.len = (uint32_t)len;
	m.reply.data = data;
	return nook_ctl_send(fd, &m);
}
