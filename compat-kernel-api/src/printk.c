// SPDX-License-Identifier: GPL-2.0-only
/* printk: a message's level is taken from its KERN_* prefix; the host writes it out. */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/netdevice.h>
#include <nook/host.h>

int nook_debug;

static int printk_level(const char **fmt)
{
	const char *f = *fmt;
	int level = 4;

	while (f[0] == '\001' && f[1]) {
		if (f[1] >= '0' && f[1] <= '7')
			level = f[1] - '0';
		f += 2;
	}
	*fmt = f;
	return level;
}

int nook_vprintk(const char *fmt, va_list ap)
{
	char msg[1024];
	int level = printk_level(&fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (level == 7 && !nook_debug)
		return n;
	nook_host_log(level, msg);
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
