// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit watchdog, as Linux's dev_watchdog (net/sched/sch_generic.c): while a
 * net_device is running, present and has carrier, a timer looks at its transmit queues
 * every watchdog_timeo; a queue stopped for longer than that since its last transmit
 * (trans_start) has timed out: "NETDEV WATCHDOG" is logged and the driver's ndo_tx_timeout
 * runs, its own reset. Only drivers with an ndo_tx_timeout are watched (Linux's rule).
 *
 * nook adds what a supervised process can: a queue that times out again within
 * NOOK_TX_TIMEOUT_AGAIN_PERIODS periods of that reset means the driver's own recovery did
 * not work, and the process fail-stops, so that nookd restarts it. And it judges sooner than
 * the driver asks (NOOK_TX_WATCHDOG_MAX_MS): a driver's watchdog_timeo (8139cp 6 s, e1000
 * 5 s) is sized for a kernel whose only recourse is that reset, and two of them would hold a
 * stalled NIC for 12 s; under nookd, which restarts a driver in milliseconds, the pause is
 * the failure.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/timer.h>

#include "internal.h"

/* Linux's default when the driver sets none (__netdev_watchdog_up). */
#define WATCHDOG_DEFAULT_TIMEO (5 * HZ)

/*
 * A queue stopped this long, at most, times out, whatever longer watchdog_timeo the driver
 * set. A working NIC completes a frame within milliseconds; 1.5 s is far past any pause of
 * the guest's scheduler (a watchdog held up itself looks again: NOOK_TX_WATCHDOG_LATE_MS),
 * and keeps each of the two pauses a failed reset costs (the first timeout, then the second)
 * within the 2 s an application bears.
 */
#define NOOK_TX_WATCHDOG_MAX_MS 1500

/*
 * How soon after the driver's reset a second timeout means the reset did not help. The
 * earliest a second one can come is a period after the first (the timer then waits a whole
 * period). A reset that drops the link (e1000's does) ends when the link is back: the timer
 * starts again from there, and so does this count (nook_netdev_watchdog_up). Two periods
 * leave room for a late timer, not for a third timeout.
 */
#define NOOK_TX_TIMEOUT_AGAIN_PERIODS 2

/*
 * A watchdog that ran this much later than it was due found a process that was itself held
 * up (stopped, or starved of the CPU): the completions it would have seen may be waiting
 * behind it in the loop. It looks again after them instead of judging now.
 */
#define NOOK_TX_WATCHDOG_LATE_MS 500

/* How long a stopped queue may wait: the driver's watchdog_timeo, at most the cap above. */
static unsigned long watchdog_period(const struct net_device *dev)
{
	unsigned long cap = msecs_to_jiffies(NOOK_TX_WATCHDOG_MAX_MS);

	return (unsigned long)dev->watchdog_timeo < cap ? (unsigned long)dev->watchdog_timeo : cap;
}

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
		if (time_after(jiffies, q->trans_start + watchdog_period(dev)))
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
	if (reset &&
	    time_before_eq(jiffies, reset + NOOK_TX_TIMEOUT_AGAIN_PERIODS * watchdog_period(dev))) {
		snprintf(
			msg, sizeof(msg),
			"NETDEV WATCHDOG: %s: transmit queue %u timed out again "
			"%u ms after the driver's reset (ndo_tx_timeout): its own recovery did not "
			"work",
			dev->name, i, jiffies_to_msecs(jiffies - reset));
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
	if (time_after(jiffies, t->expires + msecs_to_jiffies(NOOK_TX_WATCHDOG_LATE_MS))) {
		watchdog_arm(dev, jiffies + 1);
		return;
	}
	i = timed_out_queue(dev, &oldest);
	if (i >= 0)
		tx_timed_out(dev, (unsigned int)i);
	watchdog_arm(dev, oldest + watchdog_period(dev));
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
	/* a reset that took the link down ends when it is back */
	if (dev->nook_tx_timeout_at)
		dev->nook_tx_timeout_at = jiffies;
	watchdog_arm(dev, jiffies + watchdog_period(dev));
}

void nook_netdev_watchdog_down(struct net_device *dev)
{
	del_timer(&dev->nook_watchdog);
}
