// SPDX-License-Identifier: GPL-2.0-only
/*
 * Silent failures (see incarnation.h): at each heartbeat of a running driver, nookd samples
 * what it sees of the device from outside and asks recovery/stall-detect whether the driver
 * stopped doing its job. A NIC: the driver's counters (its STATS ride with the heartbeat),
 * the kernel's side of the TAP (what the driver read from it, what the kernel dropped on a
 * full queue: /sys/class/net/IF/statistics) and whether frames wait in the TAP now. A sound
 * card: its running streams (sound-server.c). And a NIC's link, which a driver had, staying
 * down while the interface is up. A stalled driver is killed and restarted like a crashed
 * one, its failure "silent".
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "incarnation.h"
#include "sound-server.h"

void silent_watch_start(struct rt *rt)
{
	nook_stall_nic_init(&rt->stall);
	rt->driver_carrier = false;
	rt->link_had = false;
	rt->link_wait_from = nookd_now_ms();
	/* A new driver must bring the link back: down, for it, from its start. */
	if (rt->link_ever_up && !rt->link_down_ms)
		rt->link_down_ms = nookd_now_ms();
}

void silent_watch_carrier(struct rt *rt, bool up)
{
	rt->driver_carrier = up;
	if (up) {
		uint64_t took = nookd_now_ms() - rt->link_wait_from;

		if (!rt->link_had && took > rt->link_took_ms)
			rt->link_took_ms = took < NOOK_STALL_LINK_MS ? took : NOOK_STALL_LINK_MS;
		rt->link_ever_up = rt->link_had = true;
		rt->link_retried = false;
		rt->link_down_ms = 0;
	} else if (!rt->link_down_ms) {
		rt->link_down_ms = nookd_now_ms();
	}
}

static bool watching(const struct rt *rt)
{
	return rt->dev->state == NOOK_DEV_RUNNING && !rt->dev->debug && !*rt->verdict;
}

static void silenced(struct rt *rt, const char *why)
{
	snprintf(rt->verdict, sizeof(rt->verdict), "silent: %s", why);
	rt->verdict_kind = NOOK_FAILURE_SILENT;
	rt_log(rt, "%s; killing pid %d", rt->verdict, (int)rt->dev->pid);
	rt_kill(rt, SIGKILL);
}

/* One of the interface's counters, as the kernel keeps them for the TAP. */
static int tap_counter(const struct rt *rt, const char *name, uint64_t *ret)
{
	char path[256];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/statistics/%s", rt->d->cfg.sysfs_root,
		 rt->dev->interfaces, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	r = fscanf(f, "%" SCNu64, ret) == 1 ? 0 : -EIO;
	fclose(f);
	return r;
}

/* The interface is up (IFF_UP): the driver is asked to have its device open. */
static bool interface_up(const struct rt *rt)
{
	char path[256];
	unsigned int flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/flags", rt->d->cfg.sysfs_root,
		 rt->dev->interfaces);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%x", &flags) != 1)
		flags = 0;
	fclose(f);
	return flags & 0x1;
}

/* A link that a driver had, down for long: this driver may have lost it, not the cable. */
static void link_check(struct rt *rt)
{
	uint64_t now = nookd_now_ms(), since;
	uint64_t limit = rt->link_had ? nook_stall_link_lost_ms(rt->link_took_ms) : NOOK_STALL_LINK_MS;
	char why[200];

	/* Its bring-up is timed from when it could bring the link up: the interface up. */
	if (!rt->link_had && !interface_up(rt))
		rt->link_wait_from = now;
	if (!rt->link_down_ms || rt->driver_carrier || rt->link_retried)
		return;
	/* An interface taken down wants no link: its time counts from when it is up again. */
	if (!interface_up(rt)) {
		rt->link_down_ms = now;
		return;
	}
	since = rt->link_down_ms;
	if (since < rt->dev->started_at_ms)
		since = rt->dev->started_at_ms; /* this driver's own time to bring it up */
	if (now - since < limit)
		return;
	snprintf(why, sizeof(why), "its link has been down for %.1f s (%s had one); "
		 "restarted once, in case the driver lost it and not the cable",
		 (now - since) / 1000.0, rt->link_had ? "this driver" : "a driver before");
	rt->link_retried = true;
	silenced(rt, why);
}

/* Frames wait in the TAP for the driver: nookd's fd is the driver's queue too. */
static bool tap_backlog(const struct rt *rt)
{
	struct pollfd p = { .fd = rt->tap_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

void silent_watch_stats(struct rt *rt, const struct nook_nic_counters *c)
{
	struct nook_stall_nic_sample x = {
		.now_ms = nookd_now_ms(),
		.carrier = rt->driver_carrier,
		.tx_sent = c->tx_packets, .tx_failed = c->tx_dropped + c->tx_errors,
		.rx_done = c->rx_packets,
		.rx_missed = c->rx_missed, .rx_fifo = c->rx_fifo_errors, .rx_over = c->rx_over_errors,
		.rx_errors = c->rx_errors, .rx_dropped = c->rx_dropped,
	};
	char why[200];

	if (rt->sound)
		return;
	/* A sample that cannot be whole judges nothing, and starts the count afresh. */
	if (!watching(rt) || tap_counter(rt, "tx_packets", &x.tap_taken) < 0 ||
	    tap_counter(rt, "tx_dropped", &x.tap_dropped) < 0)
		x.carrier = false;
	else
		x.backlog = tap_backlog(rt);
	if (nook_stall_nic_check(&rt->stall, &x, why, sizeof(why)))
		silenced(rt, why);
}

bool silent_watch_verdict(struct rt *rt, const char *why)
{
	if (rt->dev->state != NOOK_DEV_RUNNING || rt->dev->debug)
		return false;
	if (!*rt->verdict)
		silenced(rt, why); /* else it is being stopped already */
	return true;
}

void silent_watch_beat(struct rt *rt)
{
	char why[200];

	if (!watching(rt))
		return;
	if (!rt->sound)
		link_check(rt);
	else if (nookd_sound_stalled(rt->sound, nookd_now_ms(), why, sizeof(why)))
		silenced(rt, why);
}
