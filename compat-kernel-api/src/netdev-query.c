// SPDX-License-Identifier: GPL-2.0-only
/* The host's questions about a net_device (see nook/netdev-query.h). */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <nook/netdev-query.h>

void nook_netdev_counters(struct net_device *dev, struct nook_netdev_counters *ret)
{
	struct rtnl_link_stats64 st64 = { 0 };
	const struct net_device_stats *s = &dev->stats;

	if (dev->netdev_ops && dev->netdev_ops->ndo_get_stats64) {
		dev->netdev_ops->ndo_get_stats64(dev, &st64);
		*ret = (struct nook_netdev_counters){
			st64.rx_packets, st64.tx_packets, st64.rx_bytes, st64.tx_bytes,
			st64.rx_errors, st64.tx_errors, st64.rx_dropped, st64.tx_dropped,
		};
		return;
	}
	if (dev->netdev_ops && dev->netdev_ops->ndo_get_stats)
		s = dev->netdev_ops->ndo_get_stats(dev);
	*ret = (struct nook_netdev_counters){
		s->rx_packets, s->tx_packets, s->rx_bytes, s->tx_bytes,
		s->rx_errors, s->tx_errors, s->rx_dropped, s->tx_dropped,
	};
}

struct query {
	struct work_struct work;
	struct net_device *dev;
	enum nook_netdev_query what;
	void (*done)(void *ctx, int status, const void *answer, size_t len);
	void *ctx;
};

static int query_drvinfo(struct net_device *dev, struct nook_netdev_drvinfo *ret)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };

	if (!dev->ethtool_ops || !dev->ethtool_ops->get_drvinfo)
		return -EOPNOTSUPP;
	dev->ethtool_ops->get_drvinfo(dev, &info);
	strscpy(ret->driver, info.driver, sizeof(ret->driver));
	strscpy(ret->version, info.version, sizeof(ret->version));
	strscpy(ret->fw_version, info.fw_version, sizeof(ret->fw_version));
	strscpy(ret->bus_info, info.bus_info, sizeof(ret->bus_info));
	return 0;
}

static int query_link(struct net_device *dev, struct nook_netdev_link *ret)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_link_ksettings ks = { 0 };
	int r = 0;

	ret->link = ops && ops->get_link ? ops->get_link(dev) : netif_carrier_ok(dev);
	ret->speed = SPEED_UNKNOWN;
	ret->duplex = DUPLEX_UNKNOWN;
	if (ops && ops->get_link_ksettings) {
		r = ops->get_link_ksettings(dev, &ks);
		if (r == 0) {
			ret->speed = ks.base.speed;
			ret->duplex = ks.base.duplex;
			ret->autoneg = ks.base.autoneg;
			ret->port = ks.base.port;
		}
	}
	return r;
}

static void query_work(struct work_struct *work)
{
	struct query *q = container_of(work, struct query, work);
	union {
		struct nook_netdev_drvinfo drvinfo;
		struct nook_netdev_link link;
	} answer = { 0 };
	size_t len = 0;
	int r = -EINVAL;

	rtnl_lock();
	switch (q->what) {
	case NOOK_NETDEV_QUERY_DRVINFO:
		r = query_drvinfo(q->dev, &answer.drvinfo);
		len = sizeof(answer.drvinfo);
		break;
	case NOOK_NETDEV_QUERY_LINK:
		r = query_link(q->dev, &answer.link);
		len = sizeof(answer.link);
		break;
	}
	rtnl_unlock();
	q->done(q->ctx, r, r == 0 ? &answer : NULL, r == 0 ? len : 0);
	kfree(q);
}

int nook_netdev_query(struct net_device *dev, enum nook_netdev_query what,
		      void (*done)(void *ctx, int status, const void *answer, size_t len),
		      void *ctx)
{
	struct query *q;

	if (what != NOOK_NETDEV_QUERY_DRVINFO && what != NOOK_NETDEV_QUERY_LINK)
		return -EINVAL;
	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	if (!q)
		return -ENOMEM;
	q->dev = dev;
	q->what = what;
	q->done = done;
	q->ctx = ctx;
	INIT_WORK(&q->work, query_work);
	schedule_work(&q->work);
	return 0;
}
