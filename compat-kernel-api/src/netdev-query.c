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
	const struct net_device_ops *ops = dev->netdev_ops;
	struct rtnl_link_stats64 s = { 0 };

	if (ops && ops->ndo_get_stats64)
		ops->ndo_get_stats64(dev, &s);
	else
		netdev_stats_to_stats64(&s, ops && ops->ndo_get_stats ? ops->ndo_get_stats(dev) :
									&dev->stats);
	*ret = (struct nook_netdev_counters){
		.rx_packets = s.rx_packets,
		.tx_packets = s.tx_packets,
		.rx_bytes = s.rx_bytes,
		.tx_bytes = s.tx_bytes,
		.rx_errors = s.rx_errors,
		.tx_errors = s.tx_errors,
		.rx_dropped = s.rx_dropped,
		.tx_dropped = s.tx_dropped,
		.rx_missed = s.rx_missed_errors,
		.multicast = s.multicast,
		.collisions = s.collisions,
		.rx_length_errors = s.rx_length_errors,
		.rx_over_errors = s.rx_over_errors,
		.rx_crc_errors = s.rx_crc_errors,
		.rx_frame_errors = s.rx_frame_errors,
		.rx_fifo_errors = s.rx_fifo_errors,
		.tx_aborted_errors = s.tx_aborted_errors,
		.tx_carrier_errors = s.tx_carrier_errors,
		.tx_fifo_errors = s.tx_fifo_errors,
		.tx_heartbeat_errors = s.tx_heartbeat_errors,
		.tx_window_errors = s.tx_window_errors,
	};
}

struct query {
	struct work_struct work;
	struct net_device *dev;
	enum nook_netdev_query what;
	bool configure;
	struct nook_netdev_settings want;
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

static void query_settings(struct net_device *dev, struct nook_netdev_settings *ret)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	struct kernel_ethtool_ringparam kring = { 0 };

	*ret = (struct nook_netdev_settings){ NOOK_NETDEV_UNSET, NOOK_NETDEV_UNSET,
					      NOOK_NETDEV_UNSET, NOOK_NETDEV_UNSET,
					      NOOK_NETDEV_UNSET };
	if (ops && ops->get_ringparam) {
		ops->get_ringparam(dev, &ring, &kring, NULL);
		ret->ring_rx = ring.rx_pending;
		ret->ring_tx = ring.tx_pending;
		ret->ring_rx_max = ring.rx_max_pending;
		ret->ring_tx_max = ring.tx_max_pending;
	}
	if (ops && ops->get_msglevel)
		ret->msglevel = ops->get_msglevel(dev);
}

/* As ethtool's core does: read the rings, change what is asked, hand them back. */
static int configure(struct net_device *dev, const struct nook_netdev_settings *want)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	struct kernel_ethtool_ringparam kring = { 0 };
	int r = 0;

	if (want->ring_rx != NOOK_NETDEV_UNSET || want->ring_tx != NOOK_NETDEV_UNSET) {
		if (!ops || !ops->get_ringparam || !ops->set_ringparam)
			return -EOPNOTSUPP;
		ops->get_ringparam(dev, &ring, &kring, NULL);
		if (want->ring_rx != NOOK_NETDEV_UNSET)
			ring.rx_pending = want->ring_rx;
		if (want->ring_tx != NOOK_NETDEV_UNSET)
			ring.tx_pending = want->ring_tx;
		if (ring.rx_pending > ring.rx_max_pending || ring.tx_pending > ring.tx_max_pending)
			return -EINVAL;
		ring.cmd = ETHTOOL_SRINGPARAM;
		r = ops->set_ringparam(dev, &ring, &kring, NULL);
		if (r < 0)
			return r;
	}
	if (want->msglevel != NOOK_NETDEV_UNSET) {
		if (!ops || !ops->set_msglevel)
			return -EOPNOTSUPP;
		ops->set_msglevel(dev, want->msglevel);
	}
	return 0;
}

static void query_work(struct work_struct *work)
{
	struct query *q = container_of(work, struct query, work);
	union {
		struct nook_netdev_drvinfo drvinfo;
		struct nook_netdev_link link;
		struct nook_netdev_settings settings;
	} answer = { 0 };
	size_t len = 0;
	int r = -EINVAL;

	rtnl_lock();
	if (q->configure) {
		r = configure(q->dev, &q->want);
		query_settings(q->dev, &answer.settings);
		rtnl_unlock();
		q->done(q->ctx, r, &answer, sizeof(answer.settings));
		kfree(q);
		return;
	}
	switch (q->what) {
	case NOOK_NETDEV_QUERY_DRVINFO:
		r = query_drvinfo(q->dev, &answer.drvinfo);
		len = sizeof(answer.drvinfo);
		break;
	case NOOK_NETDEV_QUERY_LINK:
		r = query_link(q->dev, &answer.link);
		len = sizeof(answer.link);
		break;
	case NOOK_NETDEV_QUERY_SETTINGS:
		query_settings(q->dev, &answer.settings);
		r = 0;
		len = sizeof(answer.settings);
		break;
	}
	rtnl_unlock();
	q->done(q->ctx, r, r == 0 ? &answer : NULL, r == 0 ? len : 0);
	kfree(q);
}

static int queue_query(struct net_device *dev, struct query *proto)
{
	struct query *q = kzalloc(sizeof(*q), GFP_ATOMIC);

	if (!q)
		return -ENOMEM;
	*q = *proto;
	q->dev = dev;
	INIT_WORK(&q->work, query_work);
	schedule_work(&q->work);
	return 0;
}

int nook_netdev_query(struct net_device *dev, enum nook_netdev_query what,
		      void (*done)(void *ctx, int status, const void *answer, size_t len),
		      void *ctx)
{
	if (what < NOOK_NETDEV_QUERY_DRVINFO || what > NOOK_NETDEV_QUERY_SETTINGS)
		return -EINVAL;
	return queue_query(dev, &(struct query){ .what = what, .done = done, .ctx = ctx });
}

int nook_netdev_configure(struct net_device *dev, const struct nook_netdev_settings *want,
			  void (*done)(void *ctx, int status, const void *answer, size_t len),
			  void *ctx)
{
	return queue_query(dev,
			   &(struct query){
				   .configure = true, .want = *want, .done = done, .ctx = ctx });
}
