// SPDX-License-Identifier: GPL-2.0-only
/*
 * Silent failures (see silent-watch.h): at each heartbeat of a running driver, nookd samples
 * what it sees of the device from outside and asks recovery/stall-detect whether the driver
 * stopped doing its job. A NIC: the driver's counters (its STATS ride with the heartbeat),
 * the kernel's side of the TAP (what the driver read from it, what the kernel dropped on a
 * full queue: /sys/class/net/IF/statistics) and whether frames wait in the TAP now. A sound
 * card: its running streams (sound-server.c). And a NIC's link, which a driver had, staying
 * down while the interface is up. A stalled driver is killed and restarted like a crashed
 * one, its failure "silent".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "silent-watch.h"
#include "common/net/neigh.h"
#include "daemon/sound-server.h"
#include "daemon/log.h"
#include "daemon/supervised.h"

void silent_watch_start(struct nookd_dev *nd)
{
	nook_stall_nic_init(&nd->stall);
	nd->driver_carrier = false;
	nd->link_had = false;
	nd->link_wait_from = nookd_now_ms();
	/* A new driver must bring the link back: down, for it, from its start. */
	if (nd->link_ever_up && !nd->link_down_ms)
		nd->link_down_ms = nookd_now_ms();
}

void silent_watch_reset_asked(struct nookd_dev *nd)
{
	nd->reset_asked_ms = nookd_now_ms();
}

/* The link went down within this long of a request that may reset it: that reset did it. */
#define RESET_DROPS_LINK_WITHIN_MS 1000

static bool dropped_by_reset(const struct nookd_dev *nd)
{
	return nd->reset_asked_ms && nd->link_down_ms >= nd->reset_asked_ms &&
	       nd->link_down_ms - nd->reset_asked_ms <= RESET_DROPS_LINK_WITHIN_MS;
}

void silent_watch_carrier(struct nookd_dev *nd, bool up)
{
	nd->driver_carrier = up;
	if (up) {
		uint64_t took = nookd_now_ms() - nd->link_wait_from;

		/*
		 * The device's bring-up is the quickest a start of its driver brought the link up
		 * in: a slower one waited for the CPU (a campaign's hundreds of restarts would
		 * otherwise only ever raise it), not for the link.
		 */
		if (!nd->link_had && (!nd->link_took_ms || took < nd->link_took_ms))
			nd->link_took_ms =
				took < NOOK_STALL_LINK_MS ? (took ? took : 1) : NOOK_STALL_LINK_MS;
		nd->link_ever_up = nd->link_had = true;
		nd->link_retried = false;
		nd->link_down_ms = 0;
	} else if (!nd->link_down_ms) {
		nd->link_down_ms = nookd_now_ms();
	}
}

static bool watching(const struct nookd_dev *nd)
{
	return nd->dev->state == NOOK_DEV_RUNNING && !nd->dev->debug && !*nd->verdict;
}

static void silenced(struct nookd_dev *nd, const char *why)
{
	snprintf(nd->verdict, sizeof(nd->verdict), "silent: %s", why);
	nd->verdict_kind = NOOK_FAILURE_SILENT;
	nookd_dev_logp(nd, LOG_WARNING, NULL, "%s; killing pid %d", nd->verdict, (int)nd->dev->pid);
	nookd_dev_kill(nd, SIGKILL);
}

/* One of the interface's counters, as the kernel keeps them for the TAP. */
static int tap_counter(const struct nookd_dev *nd, const char *name, uint64_t *ret)
{
	char path[256];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/statistics/%s", nd->d->cfg.sysfs_root,
		 nd->dev->interfaces, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	r = fscanf(f, "%" SCNu64, ret) == 1 ? 0 : -EIO;
	fclose(f);
	return r;
}

/* The interface is up (IFF_UP): the driver is asked to have its device open. */
static bool interface_up(const struct nookd_dev *nd)
{
	char path[256];
	unsigned int flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/class/net/%s/flags", nd->d->cfg.sysfs_root,
		 nd->dev->interfaces);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fscanf(f, "%x", &flags) != 1)
		flags = 0;
	fclose(f);
	return flags & 0x1;
}

/* A link that a driver had, down for long: this driver may have lost it, not the cable. */
static void link_check(struct nookd_dev *nd)
{
	uint64_t now = nookd_now_ms(), since;
	uint64_t limit = nd->link_had && !dropped_by_reset(nd) ?
				 nook_stall_link_lost_ms(nd->link_took_ms) :
				 NOOK_STALL_LINK_MS;
	char why[200];

	/* Its bring-up is timed from when it could bring the link up: the interface up. */
	if (!nd->link_had && !interface_up(nd))
		nd->link_wait_from = now;
	if (!nd->link_down_ms || nd->driver_carrier || nd->link_retried)
		return;
	/* An interface taken down wants no link: its time counts from when it is up again. */
	if (!interface_up(nd)) {
		nd->link_down_ms = now;
		return;
	}
	since = nd->link_down_ms;
	if (since < nd->dev->started_at_ms)
		since = nd->dev->started_at_ms; /* this driver's own time to bring it up */
	if (now - since < limit)
		return;
	snprintf(why, sizeof(why),
		 "its link has been down for %.1f s (%s had one); "
		 "restarted once, in case the driver lost it and not the cable",
		 (now - since) / 1000.0, nd->link_had ? "this driver" : "a driver before");
	nd->link_retried = true;
	silenced(nd, why);
}

/*
 * Frames wait in the TAP for the driver: nookd's fd is the driver's queue too. (Behind a
 * queue the driver stopped, the shim reads them on into its backlog and says how many wait
 * there in STATS: that is a stopped queue too.)
 */
static bool tap_backlog(const struct nookd_dev *nd)
{
	struct pollfd p = { .fd = nd->tap_fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/*
 * The successor of a driver restarted for receive silence hears nothing either: the network
 * is quiet, not the driver. The rule rests, ten minutes the first time, twice as long each
 * time after (a day at most), so a quiet network costs a restart now and then, not a minute.
 */
static void quiet_network(struct nookd_dev *nd, uint64_t now)
{
	unsigned int shift = nd->rx_silence_quiet < 7 ? nd->rx_silence_quiet : 7;
	uint64_t rest = (uint64_t)NOOK_STALL_RX_SILENT_REST_MS << shift;

	if (rest > 24ULL * 3600 * 1000)
		rest = 24ULL * 3600 * 1000;
	nd->rx_silence_retried = false;
	nd->rx_silence_quiet++;
	nd->rx_silence_rest_until = now + rest;
	nd->stall.silence_unjudged = false;
	nookd_dev_logp(nd, LOG_NOTICE, NULL,
		       "the driver started after a restart for receiving nothing hears nothing "
		       "either: the network is quiet, not the driver; receive silence is not "
		       "judged again for %llu min",
		       (unsigned long long)(rest / 60000));
}

/*
 * The neighbour to ask when the NIC goes silent: one the kernel held as reachable while the
 * NIC was receiving, looked up again every NEIGH_REFRESH_MS while it is. (By the time the
 * silence is judged the kernel may have let it go: a receiver that is off leaves its ARP
 * requests unanswered.)
 */
#define NEIGH_REFRESH_MS 5000

static void remember_a_neighbour(struct nookd_dev *nd, uint64_t now)
{
	struct nook_neigh n;

	if (nd->neigh_seen_ms && now - nd->neigh_seen_ms < NEIGH_REFRESH_MS)
		return;
	nd->neigh_seen_ms = now;
	if (nook_neigh_pick(nd->ifindex, &n) == 0) {
		nd->neigh = n;
		nd->neigh_known = true;
	}
}

/* A NIC sends and hears nothing: have the kernel probe a neighbour that answered lately. */
static void ask_the_network(struct nookd_dev *nd, uint64_t now)
{
	struct nook_neigh n = nd->neigh;
	char ip[INET_ADDRSTRLEN] = "?";
	int r = -ENOENT;

	if (nd->neigh_known || nook_neigh_pick(nd->ifindex, &n) == 0)
		r = nook_neigh_probe(nd->ifindex, &n);
	if (r < 0) {
		nook_stall_nic_unaskable(&nd->stall);
		nookd_dev_log(nd,
			      "sends and receives nothing, and %s: receive silence is not judged "
			      "until a frame comes",
			      r == -ENOENT ? "no neighbour is known to ask" :
					     "the kernel would not probe a neighbour");
		return;
	}
	inet_ntop(AF_INET, &n.ip, ip, sizeof(ip));
	nook_stall_nic_probed(&nd->stall, now, ip);
}

void silent_watch_stats(struct nookd_dev *nd, const struct nook_ctl_stats *s)
{
	const struct nook_nic_counters *c = &s->nic;
	/* What the NIC heard of the network: not its own frames, looped back to it. */
	uint64_t heard = c->rx_packets > s->rx_own ? c->rx_packets - s->rx_own : 0;
	struct nook_stall_nic_sample x = {
		.now_ms = nookd_now_ms(),
		.carrier = nd->driver_carrier,
		.tx_done_ms = nd->tx_done_ms,
		.tx_sent = c->tx_packets,
		.tx_failed = c->tx_dropped + c->tx_errors,
		.rx_done = heard,
		.rx_missed = c->rx_missed,
		.rx_fifo = c->rx_fifo_errors,
		.rx_over = c->rx_over_errors,
		.rx_errors = c->rx_errors,
		.rx_dropped = c->rx_dropped,
	};
	char why[200];

	if (nd->sound)
		return;
	x.rx_silence_judged = !nd->rx_silence_retried && x.now_ms >= nd->rx_silence_rest_until;
	if (nd->stall.primed && heard > nd->stall.last.rx_done)
		remember_a_neighbour(nd, x.now_ms);
	/* A sample that cannot be whole judges nothing, and starts the count afresh. */
	if (!watching(nd) || tap_counter(nd, "tx_packets", &x.tap_taken) < 0 ||
	    tap_counter(nd, "tx_dropped", &x.tap_dropped) < 0)
		x.carrier = false;
	else
		x.backlog = s->tx_waiting > 0 || tap_backlog(nd);
	if (nook_stall_nic_check(&nd->stall, &x, why, sizeof(why))) {
		nd->rx_silence_retried = nd->stall.silence_stall;
		silenced(nd, why);
		return;
	}
	if (nd->stall.heard)
		nd->rx_silence_retried = false;
	if (nd->stall.probe_wanted)
		ask_the_network(nd, x.now_ms);
	if (nd->stall.silence_unjudged && nd->rx_silence_retried)
		quiet_network(nd, x.now_ms);
}

bool silent_watch_verdict(struct nookd_dev *nd, const char *why)
{
	if (nd->dev->state != NOOK_DEV_RUNNING || nd->dev->debug)
		return false;
	if (!*nd->verdict)
		silenced(nd, why); /* else it is being stopped already */
	return true;
}

void silent_watch_beat(struct nookd_dev *nd)
{
	char why[200];

	if (!watching(nd))
		return;
	if (!nd->sound)
		link_check(nd);
	else if (nookd_sound_stalled(nd->sound, nookd_now_ms(), why, sizeof(why)))
		silenced(nd, why);
}
