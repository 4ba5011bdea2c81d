// SPDX-License-Identifier: GPL-2.0-only
/* printk: a message's level is taken from its KERN_* prefix; the host writes it out, a line at
 * a time. */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/netdevice.h>
#include <nook/host.h>

#include "internal.h"

int nook_debug;

/*
 * A line still open: printed without its newline, it waits for KERN_CONT pieces (pr_cont)
 * and goes out whole when the newline comes, or when a message that is no continuation, or
 * a fatal stop, ends it. Linux's printk joins lines the same way.
 */
static struct {
	char text[1024];
	size_t len;
	int level;
	bool open;
} open_line;

/* The message's level from its KERN_* prefixes (4, KERN_WARNING, by default), and whether
 * it continues the open line. */
static int printk_level(const char **fmt, bool *cont)
{
	const char *f = *fmt;
	int level = 4;

	*cont = false;
	while (f[0] == '\001' && f[1]) {
		if (f[1] >= '0' && f[1] <= '7')
			level = f[1] - '0';
		else if (f[1] == 'c')
			*cont = true;
		f += 2;
	}
	*fmt = f;
	return level;
}

void nook_printk_flush(void)
{
	if (!open_line.open)
		return;
	open_line.open = false;
	if (open_line.level == 7 && !nook_debug)
		return;
	nook_host_log(open_line.level, open_line.text);
}

int nook_vprintk(const char *fmt, va_list ap)
{
	bool cont;
	int level = printk_level(&fmt, &cont);
	size_t room;
	int n;

	if (!(cont && open_line.open)) {
		nook_printk_flush();
		open_line.len = 0;
		open_line.text[0] = '\0';
		open_line.level = level;
		open_line.open = true;
	}
	room = sizeof(open_line.text) - open_line.len;
	n = vsnprintf(open_line.text + open_line.len, room, fmt, ap);
	if (n > 0)
		open_line.len += (size_t)n < room ? (size_t)n : room - 1;
	if (open_line.len && open_line.text[open_line.len - 1] == '\n') {
		open_line.text[--open_line.len] = '\0';
		nook_printk_flush();
	}
	return n;
}

int nook_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nook_vprintk(fmt, ap);
	va_end(ap);
	return n;
}

const char *nook_dev_name(const struct device *dev)
{
	return dev ? dev_name(dev) : "(no device)";
}

const char *nook_netdev_name(const struct net_device *dev)
{
	if (!dev)
		return "(no netdev)";
	return dev->reg_state == NETREG_REGISTERED ? dev->name : "(unregistered net_device)";
}

void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
		    int groupsize, const void *buf, size_t len, bool ascii)
{
	const u8 *b = buf;

	if (rowsize <= 0 || rowsize > 64)
		rowsize = 16;
	for (size_t off = 0; off < len; off += (size_t)rowsize) {
		char line[3 * 64 + 64];
		int n = 0;

		for (size_t i = off; i < len && i < off + (size_t)rowsize; i++)
			n += scnprintf(line + n, sizeof(line) - (size_t)n, "%02x ", b[i]);
		if (prefix_type == DUMP_PREFIX_OFFSET)
			printk("%s%s%08zx: %s\n", level, prefix_str, off, line);
		else
			printk("%s%s%s\n", level, prefix_str, line);
	}
}
