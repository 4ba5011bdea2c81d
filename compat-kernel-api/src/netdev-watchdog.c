// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit watchdog, as Linux's dev_watchdog (net/sched/sch_generic.c): while a
 * net_device is running, present and has carrier, a timer looks at its transmit queues
 * every watchdog_timeo; a queue stopped for longer than that since its last transmit
 * (trans_start) has timed out: "NETDEV WATCHDOG" is logged and the driver's ndo_tx_timeout
 * runs, its own reset. Only drivers with an ndo_tx_timeout are watched (Linux's rule).
 *
 * nook adds what a supervised process can: a queue that times out again within
 * NOOK_TX_TIMEOUT_AGAIN_PERIODS periods of that reset means the driver's own recovery did not
 * work, and the process fail-stops, so that nookd restarts it.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/timer.h>

#include "internal.h"

/* Linux's default when the driver sets none (__netdev_watchdog_up). */
#define WATCHDOG_DEFAULT_TIMEO (5 * HZ)

/*
 * How soon after the driver's reset a second timeout means the reset did not help. The
 * earliest a second one can come is a period after the first (the timer then waits a whole
 * period), and a reset that drops the link waits its return before the timer starts again:
 * two periods leave room for that, not for a third.
 */
#define NOOK_TX_TIMEOUT_AGAIN_PERIODS 2

static void watchdog_arm(struct net_device *dev, unsigned long expires)
{
	/*
	 * Never now or in the past: the loop runs every timer due at one reading of the clock,
	 * and one that keeps re-arming itself for that instant would never let it go on.
	 */
	if (time_before_eq(expires, jiffies))
		expires = jiffies + 1;
	mod_timer(&dev->nook_watchdog, expires);
}

/* The first stopped queue past its timeout, or -1; @oldest: the oldest trans_start of the rest. */
static int timed_out_queue(struct net_device *dev, unsigned long *oldest)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *q = netdev_get_tx_queue(dev, i);

		if (!netif_xmit_stopped(q))
			continue;
		if (time_after(jiffies, q->trans_start + dev->watchdog_timeo))
			return (int)i;
		if (time_after(*oldest, q->trans_start))
			*oldest = q->trans_start;
	}
	return -1;
}

static void tx_timed_out(struct net_device *dev, unsigned int i)
{
	unsigned long since = netdev_get_tx_queue(dev, i)->trans_start;
	unsigned long reset = dev->nook_tx_timeout_at;
	char msg[200];

	netdev_crit(dev, "NETDEV WATCHDOG: transmit queue %u timed out %u ms\n", i,
		    jiffies_to_msecs(jiffies - since));
	if (reset && time_before_eq(jiffies, reset +
				    NOOK_TX_TIMEOUT_AGAIN_PERIODS * dev->watchdog_timeo)) {
		snprintf(msg, sizeof(msg), "NETDEV WATCHDOG: %s: transmit queue %u timed out again "
			 "%u ms after the driver's reset (ndo_tx_timeout): its own recovery did not "
			 "work", dev->name, i, jiffies_to_msecs(jiffies - reset));
		nook_fatal(msg);
	}
	dev->nook_tx_timeout_at = jiffies;
	dev->netdev_ops->ndo_tx_timeout(dev, i);
}

static void dev_watchdog(struct timer_list *t)
{
	struct net_device *dev = from_timer(dev, t, nook_watchdog);
	unsigned long oldest = jiffies;
	int i;

	/* No link, not open, gone: nothing to time out (netif_carrier_on starts it again). */
	if (!netif_device_present(dev) || !netif_running(dev) || !netif_carrier_ok(dev))
		return;
	i = timed_out_queue(dev, &oldest);
	if (i >= 0)
		tx_timed_out(dev, (unsigned int)i);
	watchdog_arm(dev, oldest + dev->watchdog_timeo);
}

void nook_netdev_watchdog_init(struct net_device *dev)
{
	timer_setup(&dev->nook_watchdog, dev_watchdog, 0);
}

void nook_netdev_watchdog_up(struct net_device *dev)
{
	if (!dev->netdev_ops || !dev->netdev_ops->ndo_tx_timeout)
		return;
	if (dev->watchdog_timeo <= 0)
		dev->watchdog_timeo = WATCHDOG_DEFAULT_TIMEO;
	watchdog_arm(dev, jiffies + dev->watchdog_timeo);
}

void nook_netdev_watchdog_down(struct net_device *dev)
{
	del_timer(&dev->nook_watchdog);
}
