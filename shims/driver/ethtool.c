// SPDX-License-Identifier: GPL-2.0-only
/* nookd's ethtool requests (see ethtool.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nook/netdev-query.h>

#include "shims/control/control-driver.h"
#include "ethtool.h"
#include "shims/net/netdev-shim.h"

struct ethtool_req {
	int fd;
	uint32_t seq;
	int status;
	char text[NOOK_CTL_MAX_DATA];
	size_t len;
};

static void add_line(struct ethtool_req *q, const char *key, const char *value)
{
	int n = snprintf(q->text + q->len, sizeof(q->text) - q->len, "%s=%s\n", key, value);

	if (n > 0 && (size_t)n < sizeof(q->text) - q->len)
		q->len += (size_t)n;
}

static void add_num(struct ethtool_req *q, const char *key, uint32_t v)
{
	char num[16];

	if (v == NOOK_NETDEV_UNSET)
		return;
	snprintf(num, sizeof(num), "%u", v);
	add_line(q, key, num);
}

static void finish(struct ethtool_req *q)
{
	nook_ctl_driver_reply(q->fd, q->seq, q->status, q->text, q->len);
	free(q);
}

static void settings_done(void *ctx, int status, const void *answer, size_t len)
{
	struct ethtool_req *q = ctx;
	const struct nook_netdev_settings *s = answer;

	if (status < 0 && q->status == 0)
		q->status = status;
	if (s && len == sizeof(*s)) {
		add_num(q, "ring-rx", s->ring_rx);
		add_num(q, "ring-tx", s->ring_tx);
		add_num(q, "ring-rx-max", s->ring_rx_max);
		add_num(q, "ring-tx-max", s->ring_tx_max);
		if (s->msglevel != NOOK_NETDEV_UNSET) {
			char hex[16];

			snprintf(hex, sizeof(hex), "0x%x", s->msglevel);
			add_line(q, "msglevel", hex);
		}
	}
	finish(q);
}

static void link_done(void *ctx, int status, const void *answer, size_t len)
{
	struct ethtool_req *q = ctx;
	const struct nook_netdev_link *l = answer;
	struct net_device *dev = nook_netdev_shim_dev();
	char num[16];

	if (status == 0 && len == sizeof(*l)) {
		add_line(q, "link", l->link ? "yes" : "no");
		snprintf(num, sizeof(num), "%u", l->speed);
		add_line(q, "speed", l->speed == 0xffffffffu ? "unknown" : num);
		add_line(q, "duplex",
			 l->duplex == 1 ? "full" :
			 l->duplex == 0 ? "half" :
					  "unknown");
		add_line(q, "autoneg", l->autoneg ? "on" : "off");
	}
	if (!dev || nook_netdev_query(dev, NOOK_NETDEV_QUERY_SETTINGS, settings_done, q) < 0)
		finish(q);
}

static void drvinfo_done(void *ctx, int status, const void *answer, size_t len)
{
	struct ethtool_req *q = ctx;
	const struct nook_netdev_drvinfo *i = answer;
	struct net_device *dev = nook_netdev_shim_dev();

	if (status == 0 && len == sizeof(*i)) {
		add_line(q, "driver", i->driver);
		add_line(q, "version", i->version);
		add_line(q, "firmware", i->fw_version);
		add_line(q, "bus_info", i->bus_info);
	}
	if (!dev || nook_netdev_query(dev, NOOK_NETDEV_QUERY_LINK, link_done, q) < 0)
		finish(q);
}

/* "ring-rx=256\nmsglevel=0x7\n" into @want; -EINVAL for a key or value it does not know. */
static int parse_settings(const char *text, struct nook_netdev_settings *want)
{
	char line[64];

	*want = (struct nook_netdev_settings){ NOOK_NETDEV_UNSET, NOOK_NETDEV_UNSET,
					       NOOK_NETDEV_UNSET, NOOK_NETDEV_UNSET,
					       NOOK_NETDEV_UNSET };
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *eq, *end;
		unsigned long v;

		if (n == 0 || n >= sizeof(line))
			return -EINVAL;
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		eq = strchr(line, '=');
		if (!eq || !eq[1])
			return -EINVAL;
		*eq = '\0';
		errno = 0;
		v = strtoul(eq + 1, &end, 0);
		if (errno || *end || v >= NOOK_NETDEV_UNSET)
			return -EINVAL;
		if (strcmp(line, "ring-rx") == 0)
			want->ring_rx = (uint32_t)v;
		else if (strcmp(line, "ring-tx") == 0)
			want->ring_tx = (uint32_t)v;
		else if (strcmp(line, "msglevel") == 0)
			want->msglevel = (uint32_t)v;
		else
			return -EINVAL;
	}
	return 0;
}

void nook_ethtool_request(int fd, const struct nook_ctl_msg *m)
{
	struct net_device *dev = nook_netdev_shim_dev();
	struct nook_netdev_settings want;
	struct ethtool_req *q;
	int r;

	if (!dev) {
		nook_ctl_driver_reply(fd, m->seq, -ENODEV, NULL, 0);
		return;
	}
	if (m->ethtool.cmd == NOOK_CTL_ETHTOOL_SET && parse_settings(m->ethtool.text, &want) < 0) {
		nook_ctl_driver_reply(fd, m->seq, -EINVAL, NULL, 0);
		return;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		nook_ctl_driver_reply(fd, m->seq, -ENOMEM, NULL, 0);
		return;
	}
	q->fd = fd;
	q->seq = m->seq;
	if (m->ethtool.cmd == NOOK_CTL_ETHTOOL_SET)
		r = nook_netdev_configure(dev, &want, settings_done, q);
	else
		r = nook_netdev_query(dev, NOOK_NETDEV_QUERY_DRVINFO, drvinfo_done, q);
	if (r < 0) {
		nook_ctl_driver_reply(fd, m->seq, r, NULL, 0);
		free(q);
	}
}
