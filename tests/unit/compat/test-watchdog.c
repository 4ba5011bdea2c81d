// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the transmit watchdog (Linux's dev_watchdog), on the fake host: a queue
 * stopped past watchdog_timeo (at most 2 s) gets the driver's ndo_tx_timeout; a reset that did
 * not help (the queue times out again within two periods) stops the driver process; an idle
 * queue, a link that is down, a driver with no ndo_tx_timeout and a process that was itself
 * held up are left alone.
 */
#include <time.h>

#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <nook/kernel.h>
#include <nook/netdev.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

#define TIMEO_MS 40

static unsigned int timeouts;
static bool reset_works;

static netdev_tx_t xmit(struct sk_buff *skb, struct net_device *dev)
{
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* The driver's own reset: it gets its queue going again, if it works. */
static void tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	timeouts++;
	if (reset_works) {
		netif_trans_update(dev);
		netif_wake_queue(dev);
	}
}

static const struct net_device_ops ops = {
	.ndo_start_xmit = xmit,
	.ndo_tx_timeout = tx_timeout,
};
static const struct net_device_ops ops_without_timeout = {
	.ndo_start_xmit = xmit,
};

static bool never(void *arg)
{
	return false;
}

static void run_ms(long long ms)
{
	nook_kernel_run_until(never, NULL, (long long)nook_host_now_ns() + ms * 1000000);
}

/* An open device with link and its queue running. */
static struct net_device *up(const struct net_device_ops *o, int timeo)
{
	struct net_device *dev = alloc_etherdev(0);

	assert_non_null(dev);
	dev->netdev_ops = o;
	dev->watchdog_timeo = timeo;
	assert_int_equal(nook_netdev_ndo_open(dev), 0);
	netif_start_queue(dev);
	netif_carrier_on(dev);
	timeouts = 0;
	reset_works = true;
	return dev;
}

static void down(struct net_device *dev)
{
	nook_netdev_ndo_stop(dev);
	free_netdev(dev);
}

static void test_stopped_queue_times_out_once_reset_works(void **state)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	netif_stop_queue(dev);
	run_ms(TIMEO_MS / 2);
	assert_int_equal(timeouts, 0);
	run_ms(TIMEO_MS);
	assert_int_equal(timeouts, 1);
	assert_non_null(strstr(fake_host_last_log(),
			       "NETDEV WATCHDOG: transmit queue 0 timed out"));
	/* the reset got it going: frames flow again and nothing more happens */
	run_ms(5 * TIMEO_MS);
	assert_int_equal(timeouts, 1);
	/* a stall much later is a new one: the driver's reset gets another go */
	netif_stop_queue(dev);
	run_ms(2 * TIMEO_MS);
	assert_int_equal(timeouts, 2);
	down(dev);
}

static void reset_fails(void *arg)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	reset_works = false;
	netif_stop_queue(dev);
	run_ms(10 * TIMEO_MS);
}

static void test_reset_that_does_not_help_fail_stops(void **state)
{
	char why[4096];

	assert_int_equal(fake_host_expect_fatal(reset_fails, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "NETDEV WATCHDOG: transmit queue 0 timed out"));
	assert_non_null(strstr(why, "FATAL: NETDEV WATCHDOG: eth%d: transmit queue 0 timed out "
				    "again"));
	assert_non_null(strstr(why, "after the driver's reset (ndo_tx_timeout): its own recovery "
				    "did not work"));
}

static void test_idle_running_queue_never_times_out(void **state)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	run_ms(6 * TIMEO_MS);
	assert_int_equal(timeouts, 0);
	down(dev);
}

static void test_no_carrier_no_timeout(void **state)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	netif_carrier_off(dev);
	netif_stop_queue(dev);
	run_ms(4 * TIMEO_MS);
	assert_int_equal(timeouts, 0);
	/* the link comes back: the watchdog looks again, a whole period from then */
	netif_carrier_on(dev);
	run_ms(TIMEO_MS / 2);
	assert_int_equal(timeouts, 0);
	run_ms(TIMEO_MS);
	assert_int_equal(timeouts, 1);
	down(dev);
}

static void test_closed_device_is_not_watched(void **state)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	netif_stop_queue(dev);
	nook_netdev_ndo_stop(dev);
	run_ms(3 * TIMEO_MS);
	assert_int_equal(timeouts, 0);
	free_netdev(dev);
}

/* A driver that asks for 6 s (8139cp) gets its reset at 1.5 s: the pause is the failure. */
static void test_long_timeout_is_capped(void **state)
{
	struct net_device *dev = up(&ops, 6 * HZ);

	netif_stop_queue(dev);
	run_ms(1300);
	assert_int_equal(timeouts, 0);
	run_ms(400);
	assert_int_equal(timeouts, 1);
	down(dev);
}

static void reset_drops_link_and_fails(void *arg)
{
	struct net_device *dev = up(&ops, TIMEO_MS);

	reset_works = false;
	netif_stop_queue(dev);
	run_ms(TIMEO_MS + TIMEO_MS / 2);
	assert_int_equal(timeouts, 1);
	netif_carrier_off(dev);
	run_ms(3 * TIMEO_MS); /* the link is back later than the two periods a reset is given */
	netif_carrier_on(dev);
	run_ms(TIMEO_MS + TIMEO_MS / 2); /* one timeout from then, not a third reset's */
}

/*
 * The driver's reset took the link down (e1000's does), and the queue is still stopped when
 * it is back: that reset did not help either. The second judgement counts from the link's
 * return, so a stalled NIC whose reset drops its link is not reset for ever.
 */
static void test_reset_that_drops_the_link_counts_from_its_return(void **state)
{
	char why[4096];

	assert_int_equal(fake_host_expect_fatal(reset_drops_link_and_fails, NULL, why, sizeof(why)),
			 0);
	assert_non_null(strstr(why, "timed out again"));
}

/* A transmit completion that comes on a timer. */
struct completion_timer {
	struct timer_list t;
	struct net_device *dev;
};

static void complete_frames(struct timer_list *t)
{
	struct completion_timer *c = from_timer(c, t, t);

	netif_trans_update(c->dev);
	netif_wake_queue(c->dev);
}

/*
 * The process was held up past the watchdog's time (stopped, starved): the completion that
 * came meanwhile waits behind the watchdog in the loop. It is let through, not judged.
 */
static void test_held_up_process_is_not_judged(void **state)
{
	struct completion_timer completion;
	struct net_device *dev = up(&ops, TIMEO_MS);
	struct timespec held = { .tv_nsec = 700 * 1000000L };

	netif_stop_queue(dev);
	completion.dev = dev;
	timer_setup(&completion.t, complete_frames, 0);
	mod_timer(&completion.t, jiffies + msecs_to_jiffies(TIMEO_MS + 20));
	nanosleep(&held, NULL);
	run_ms(TIMEO_MS);
	assert_int_equal(timeouts, 0);
	assert_true(netif_queue_stopped(dev) == false);
	down(dev);
}

static void test_defaults(void **state)
{
	struct net_device *dev = up(&ops, 0);

	/* Linux's default when the driver sets none */
	assert_int_equal(dev->watchdog_timeo, 5 * HZ);
	down(dev);
	/* no ndo_tx_timeout, nothing to call: not watched, as in Linux */
	dev = up(&ops_without_timeout, TIMEO_MS);
	netif_stop_queue(dev);
	run_ms(3 * TIMEO_MS);
	assert_false(timer_pending(&dev->nook_watchdog));
	down(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stopped_queue_times_out_once_reset_works),
		cmocka_unit_test(test_reset_that_does_not_help_fail_stops),
		cmocka_unit_test(test_idle_running_queue_never_times_out),
		cmocka_unit_test(test_no_carrier_no_timeout),
		cmocka_unit_test(test_closed_device_is_not_watched),
		cmocka_unit_test(test_long_timeout_is_capped),
		cmocka_unit_test(test_reset_that_drops_the_link_counts_from_its_return),
		cmocka_unit_test(test_held_up_process_is_not_judged),
		cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
