// SPDX-License-Identifier: GPL-2.0-only
/*
 * What nookd and a running driver say to each other (see supervised.h): the driver's log
 * into nookd's, the control channel's events (heartbeat, carrier, counters, readiness, the
 * first frame of a recovery, a fatal report), nookd's requests (ethtool, fault injection),
 * and the interface's state handed to each incarnation: the net shadow's ethtool settings
 * first, then the link as `ip link` left it.
 */
#include <errno.h>
#include <stdbool.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver-text.h"
#include "run-state.h"
#include "supervised.h"
#include "common/net/link-watch.h"
#include "sound-server.h"
#include "common/net/tap.h"
#include "recovery/standby.h"
#include "recovery/silent-watch.h"
#include "recovery/net-replay.h"
#include "log.h"

/* --- the driver's log: its stderr, line by line, into nookd's (journald's) */

/*
 * journald limits what one service logs (10,000 lines in 30 s by default), nookd and every
 * driver's lines together: a driver that floods its stderr would have journald drop other
 * devices' lines and nookd's own, a failure and its recovery among them. So each device's
 * drivers (incarnation and standby) have a budget: LOG_BURST lines at once (a probe's, a
 * backtrace's), LOG_RATE a second on. A line over it is dropped and counted, and the count
 * said once lines fit again or the incarnation ends. The last line a driver wrote is kept
 * all the same, for its failure's report.
 */
#define LOG_RATE 50
#define LOG_BURST 500ULL

bool driver_channel_log_admit(struct nookd_dev *nd)
{
	uint64_t now = nookd_now_ms(), back = (now - nd->log_spent_ms) * LOG_RATE;

	nd->log_spent = nd->log_spent > back ? nd->log_spent - back : 0;
	nd->log_spent_ms = now;
	if (nd->log_spent + 1000 > LOG_BURST * 1000) {
		nd->log_dropped++;
		return false;
	}
	nd->log_spent += 1000;
	driver_channel_log_flush(nd);
	return true;
}

void driver_channel_log_flush(struct nookd_dev *nd)
{
	if (!nd->log_dropped)
		return;
	nookd_dev_logp(nd, LOG_WARNING, NULL,
		       "%llu lines of the driver's log dropped: it wrote more than %d a second",
		       (unsigned long long)nd->log_dropped, LOG_RATE);
	nd->log_dropped = 0;
}

/*
 * A line of the driver's stderr, into nookd's: made valid UTF-8 without control characters,
 * its "<N>" priority (which journald reads) no more urgent than err, and always headed by the
 * device nookd knows it as, so that no driver speaks for another device or for nookd. The
 * head a driver puts on its own lines ("e1000 0000:00:03.0: ") is not repeated.
 */
static void log_line(struct nookd_dev *nd, char *line)
{
	const char *text;
	char head[64];
	size_t n;
	int prio;

	nook_text_clean(line, false);
	prio = nook_text_priority(line, &text);
	n = (size_t)snprintf(head, sizeof(head), "%s %s: ", nd->dev->driver, nd->dev->addr);
	if (!strncmp(text, head, n))
		text += n;
	if (*line)
		nook_text_copy(nd->last_line, sizeof(nd->last_line), line, false);
	if (!driver_channel_log_admit(nd))
		return;
	if (prio >= 0)
		fprintf(stderr, "<%d>%s%s\n", prio, head, text);
	else
		fprintf(stderr, "%s%s\n", head, text);
}

void driver_channel_on_log(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd_dev *nd = w->data;
	ssize_t n = read(nd->log_fd, nd->logbuf + nd->loglen, sizeof(nd->logbuf) - 1 - nd->loglen);
	char *nl;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			ev_io_stop(loop, w);
		return;
	}
	nd->loglen += (size_t)n;
	nd->logbuf[nd->loglen] = '\0';
	while ((nl = strchr(nd->logbuf, '\n'))) {
		*nl = '\0';
		log_line(nd, nd->logbuf);
		nd->loglen -= (size_t)(nl + 1 - nd->logbuf);
		memmove(nd->logbuf, nl + 1, nd->loglen + 1);
	}
	if (nd->loglen == sizeof(nd->logbuf) - 1) { /* a line too long: cut it */
		log_line(nd, nd->logbuf);
		nd->loglen = 0;
	}
}

/* --- the control channel */

int driver_channel_send(struct nookd_dev *nd, struct nook_ctl_msg *m)
{
	static uint32_t seq;

	if (nd->ctl_fd < 0)
		return -ENOTCONN;
	m->seq = ++seq ? seq : ++seq; /* 0 is no request */
	return nook_ctl_send(nd->ctl_fd, m);
}

static void ethtool_finish(struct nookd_dev *nd, int r, const char *text)
{
	nookd_ethtool_fn done = nd->ethtool_done;

	if (!done)
		return;
	/* The driver took the settings: from now on every incarnation gets them. */
	if (r == 0 && *nd->ethtool_set &&
	    nook_net_shadow_record(&nd->dev->shadow, nd->ethtool_set) == 0) {
		nookd_dev_log(nd, "ethtool settings recorded for replay: %s", nd->ethtool_set);
		nookd_run_state_save(nd->d, nd->dev); /* and for the nookd after this one */
	}
	*nd->ethtool_set = '\0';
	ev_timer_stop(nd->d->loop, &nd->ethtool_timer);
	nd->ethtool_done = NULL;
	nd->ethtool_seq = 0;
	done(nd->d, nd->ethtool_ctx, r, text);
}

void driver_channel_on_ethtool_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	ethtool_finish(w->data, -ETIMEDOUT, NULL);
}

static void on_reply(struct nookd_dev *nd, const struct nook_ctl_msg *m)
{
	char text[NOOK_CTL_MAX_DATA + 1];

	if (nookd_net_replay_reply(nd, m))
		return;
	if (nd->ethtool_done && m->seq == nd->ethtool_seq) {
		/* Text from the driver, cleaned as it came (clean_text()). */
		nook_text_copy(text, sizeof(text), (const char *)m->reply.data, true);
		ethtool_finish(nd, m->reply.status, text);
		return;
	}
	if (m->reply.status < 0)
		nookd_dev_log(nd, "the driver refused a request: %s", strerror(-m->reply.status));
}

static void on_stats(struct nookd_dev *nd, const struct nook_nic_counters *s)
{
	const struct nook_nic_counters *b = &nd->dev->counters_base;
	struct nook_nic_counters *c = &nd->dev->counters;

#define SUM_COUNTER(name) c->name = b->name + s->name;
	NOOK_NIC_COUNTERS(SUM_COUNTER)
#undef SUM_COUNTER
}

/* The interface as `ip link` left it, to the driver. */
void driver_channel_send_link(struct nookd_dev *nd)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_LINK };
	uint8_t mc[NOOK_CTL_MAX_MC][6];
	struct nook_link link;
	size_t n = 0;

	if (nd->ctl_fd < 0 || !nd->tap_has_driver_mac || nd->replaying ||
	    nook_link_query(nd->ifindex, &link) < 0)
		return;
	if (nook_link_mc_list(NULL, link.ifname, mc, NOOK_CTL_MAX_MC, &n) < 0)
		n = 0;
	m.link.flags = link.flags;
	m.link.mtu = link.mtu;
	memcpy(m.link.mac, link.mac, 6);
	m.link.n_mc = (uint32_t)(n < NOOK_CTL_MAX_MC ? n : NOOK_CTL_MAX_MC);
	m.link.mc = (const uint8_t(*)[6])mc;
	if (driver_channel_send(nd, &m) == 0 && link.mtu != nd->mtu_sent) {
		if (nd->mtu_sent)
			silent_watch_reset_asked(nd); /* a new MTU: e1000 resets for it */
		nd->mtu_sent = link.mtu;
	}
}

static void on_netdev(struct nookd_dev *nd, const struct nook_ctl_netdev *msg)
{
	/*
	 * The first incarnation's MAC (from the EEPROM) and MTU become the interface's; a later
	 * incarnation gets the interface's, which the administrator may have changed, through
	 * the LINK that follows.
	 */
	nd->tx_done_ms = msg->tx_done_ms; /* stall-detect.h bounds what it makes of it */
	if (!nd->tap_has_driver_mac) {
		if (nook_tap_set_mac(nd->tap_fd, msg->mac) < 0 ||
		    nook_tap_set_mtu(nd->dev->interfaces, msg->mtu) < 0)
			nookd_dev_log(nd, "cannot give %s the driver's MAC address and MTU: %m",
				      nd->dev->interfaces);
		nd->tap_has_driver_mac = true;
	}
	nookd_net_replay_start(nd);
}

/*
 * A standby is started when traffic flows through the new incarnation, or this long after it
 * took the device, whichever comes first: loading a driver program and filling its DMA arena
 * take CPU time a recovery in progress needs more.
 */
#define STANDBY_DELAY_MS 1000

static void on_ready(struct nookd_dev *nd)
{
	struct nook_device *dev = nd->dev;
	uint32_t ms = nook_recovery_reached(&dev->recoveries, NOOK_RECOVERY_READY, nookd_now_ms());

	if (ms) {
		/* until the first frame arrives, the time to READY is all there is */
		dev->last_recovery_ms = ms;
		nookd_dev_logp(nd, LOG_NOTICE, NOOKD_MESSAGE_RECOVERY,
			       "%s is running again (pid %d), %u ms after the failure", dev->driver,
			       (int)dev->pid, ms);
	} else {
		nookd_dev_log(nd, "%s is running (pid %d)", dev->driver, (int)dev->pid);
	}
	nookd_dev_set_state(nd, NOOK_DEV_RUNNING);
	if (nd->sound)
		nookd_sound_driver_ready(nd->sound);
	/* The next incarnation waits ready, started once this one has settled (see below). */
	nookd_standby_later(nd, STANDBY_DELAY_MS);
}

static void on_carrier(struct nookd_dev *nd, bool up)
{
	/*
	 * The shadow keeps the interface's carrier up while a driver is down, so the stack
	 * goes on queueing rather than declaring the link dead; a running driver's own
	 * carrier changes are the link's.
	 */
	if (up)
		nook_recovery_reached(&nd->dev->recoveries, NOOK_RECOVERY_CARRIER, nookd_now_ms());
	/*
	 * A driver nookd stops to start another (a restart, a live upgrade) takes its link down
	 * on its way out: that is the hand-over's, not the link's, and the shadow conceals it as
	 * it conceals a failure (the stack queues meanwhile instead of dropping).
	 */
	if (!up && nd->on_end == END_RESTART)
		return;
	nook_tap_set_carrier(nd->tap_fd, up);
	silent_watch_carrier(nd, up);
}

/*
 * An incarnation handed up its first frame (played its first period): it is healthy, and a
 * recovery waiting for it is over.
 */
void driver_channel_traffic(struct nookd_dev *nd)
{
	struct nook_device *dev = nd->dev;
	const struct nook_recovery *r;
	uint32_t ms =
		nook_recovery_reached(&dev->recoveries, NOOK_RECOVERY_TRAFFIC, nookd_now_ms());

	/* Traffic flows: a standby starting now takes nothing from a recovery. */
	nookd_standby_later(nd, 0);
	/*
	 * An incarnation that did its job is healthy, whether it came from a recovery or not:
	 * the failures before it were no crash loop.
	 */
	nook_restart_on_healthy(&dev->restart);
	if (!ms)
		return;
	r = nook_recovery_last(&dev->recoveries);
	dev->last_recovery_ms = ms;
	if (nd->sound)
		nookd_dev_log(
			nd,
			"recovered from the %s%s%s in %u ms (started %u, ready %u, sounding again "
			"%u, first period played %u ms after detection)",
			nook_failure_kind_name(r->kind), *r->injected ? " of injected " : "",
			r->injected, ms, r->phase_ms[NOOK_RECOVERY_STARTED],
			r->phase_ms[NOOK_RECOVERY_READY], r->phase_ms[NOOK_RECOVERY_CARRIER], ms);
	else
		nookd_dev_log(
			nd,
			"recovered from the %s%s%s in %u ms (started %u, ready %u, carrier %u, "
			"first frame %u ms after detection)",
			nook_failure_kind_name(r->kind), *r->injected ? " of injected " : "",
			r->injected, ms, r->phase_ms[NOOK_RECOVERY_STARTED],
			r->phase_ms[NOOK_RECOVERY_READY], r->phase_ms[NOOK_RECOVERY_CARRIER], ms);
	if (nd->d->changed)
		nd->d->changed(nd->d, dev);
}

/* The first line of a fatal report, without its "FATAL: name: " head. */
static void keep_fatal(struct nookd_dev *nd, const struct nook_ctl_fatal *f)
{
	const char *s = f->text, *head = strstr(s, ": ");
	char line[NOOK_CTL_MAX_TEXT + 1];

	/* The whole report reached the log through the driver's stderr. */
	if (head && (head = strstr(head + 2, ": ")))
		s = head + 2;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(s, "\n"), s);
	nook_text_copy(nd->fatal, sizeof(nd->fatal), line, false);
}

/* A planned fault of a trial reached its point in the driver. */
static void on_fault_fired(struct nookd_dev *nd, const char *spec)
{
	struct nook_device *dev = nd->dev;

	if (dev->pid != dev->fault_pid)
		return; /* only the trial's incarnation has a plan; anything else is noise */
	dev->faults_fired++;
	nookd_dev_log(nd, "planned fault fired: %s", spec);
	if (nd->d->changed)
		nd->d->changed(nd->d, dev);
}

/*
 * A message's text as the driver wrote it: decode() refused control characters, but lets any
 * other byte through, and sd-bus refuses a string that is not UTF-8. Cleaned where it enters.
 */
static void clean_text(struct nook_ctl_msg *m)
{
	switch (m->type) {
	case NOOK_CTL_HELLO:
		nook_text_clean(m->hello.driver, false);
		break;
	case NOOK_CTL_LOG:
	case NOOK_CTL_FAULT_FIRED:
		nook_text_clean(m->textbuf, false);
		break;
	case NOOK_CTL_FATAL:
	case NOOK_CTL_REPLY:
		nook_text_clean(m->textbuf, true);
		break;
	default:
		break;
	}
}

static void handle_msg(struct nookd_dev *nd, const struct nook_ctl_msg *m)
{
	switch (m->type) {
	case NOOK_CTL_HELLO:
		break;
	case NOOK_CTL_STATS:
		on_stats(nd, &m->stats.nic);
		silent_watch_stats(nd, &m->stats);
		break;
	case NOOK_CTL_HEARTBEAT:
		nd->last_heartbeat_ms = nookd_now_ms();
		nd->beating = true;
		silent_watch_beat(nd);
		break;
	case NOOK_CTL_CARRIER:
		on_carrier(nd, m->carrier.up);
		break;
	case NOOK_CTL_TRAFFIC:
		driver_channel_traffic(nd);
		break;
	case NOOK_CTL_NETDEV:
		on_netdev(nd, &m->netdev);
		break;
	case NOOK_CTL_READY:
		on_ready(nd);
		break;
	case NOOK_CTL_LOG:
		fprintf(stderr, "<%u>%s %s: %s\n",
			m->log.level < NOOK_TEXT_MAX_PRIORITY ? NOOK_TEXT_MAX_PRIORITY :
								m->log.level,
			nd->dev->driver, nd->dev->addr, m->log.text);
		break;
	case NOOK_CTL_FATAL:
		keep_fatal(nd, &m->fatal);
		break;
	case NOOK_CTL_REPLY:
		on_reply(nd, m);
		break;
	case NOOK_CTL_FAULT_FIRED:
		on_fault_fired(nd, m->fired.spec);
		break;
	default: /* a request, from the driver: it has no business sending one */
		snprintf(nd->verdict, sizeof(nd->verdict), "sent nookd a %s request",
			 nook_ctl_type_name(m->type));
		nd->verdict_kind = NOOK_FAILURE_PROTOCOL;
		nookd_dev_kill(nd, SIGKILL);
		break;
	}
}

/*
 * What a driver may send. The channel is read at most CHANNEL_BUDGET messages a wake-up of
 * nookd's loop: the rest wait for its next turn (the watcher is level-triggered), after the
 * other devices', the bus's and the watchdog's. Each type has a rate a second, far above what
 * a working driver sends (its heartbeat and counters once a beat, --heartbeat-ms being at
 * least 10; a probe's burst of log lines; the rest once an incarnation or a request); what is
 * over it is dropped. A driver that goes over some rate in FLOOD_WINDOWS windows in a row is
 * not busy but hostile or lost: it is stopped, as for any other nonsense on the channel.
 */
#define CHANNEL_BUDGET 64
#define CHANNEL_DRAIN_MAX 1024 /* what an ended incarnation left on the channel */
#define RATE_WINDOW_MS 1000
#define FLOOD_WINDOWS 3

static unsigned int rate_limit(unsigned int type)
{
	switch (type) {
	case NOOK_CTL_HEARTBEAT:
	case NOOK_CTL_STATS:
		return 256;
	case NOOK_CTL_LOG:
		return 1024;
	default:
		return 64;
	}
}

/* A new window at @now: the one that ends counts towards a flood if it went over. */
static void rate_next_window(struct driver_channel_rate *r, uint64_t now)
{
	if (r->over && now - r->window_ms < 2 * RATE_WINDOW_MS) {
		r->flooded++;
		r->flood_msgs += r->msgs;
	} else {
		r->flooded = 0;
		r->flood_msgs = 0;
	}
	memset(r->count, 0, sizeof(r->count));
	r->msgs = 0;
	r->over = false;
	r->window_ms = now;
}

static void flooded(struct nookd_dev *nd, unsigned int type, uint64_t now)
{
	const struct driver_channel_rate *r = &nd->rate;

	ev_io_stop(nd->d->loop, &nd->ctl_io); /* nothing more of it is read */
	if (*nd->verdict)
		return;
	snprintf(nd->verdict, sizeof(nd->verdict),
		 "flooded its control channel: %llu messages in "
		 "%llu ms (%s: more than %u a second)",
		 (unsigned long long)(r->flood_msgs + r->msgs),
		 (unsigned long long)(now - r->flood_since_ms), nook_ctl_type_name(type),
		 rate_limit(type));
	nd->verdict_kind = NOOK_FAILURE_PROTOCOL;
	nookd_dev_logp(nd, LOG_WARNING, NULL, "%s; killing pid %d", nd->verdict, (int)nd->dev->pid);
	nookd_dev_kill(nd, SIGKILL);
}

/* Whether a message of @type is within its rate (else it is dropped, or ends a flood). */
static bool rate_ok(struct nookd_dev *nd, unsigned int type)
{
	struct driver_channel_rate *r = &nd->rate;
	uint64_t now = nookd_now_ms();

	if (now - r->window_ms >= RATE_WINDOW_MS)
		rate_next_window(r, now);
	r->msgs++;
	if (type >= sizeof(r->count) / sizeof(r->count[0]))
		return true; /* a request: handle_msg() judges it */
	if (++r->count[type] <= rate_limit(type))
		return true;
	if (!r->over && !r->flooded)
		r->flood_since_ms = r->window_ms;
	r->over = true;
	if (r->flooded + 1 >= FLOOD_WINDOWS)
		flooded(nd, type, now);
	return false;
}

void driver_channel_on_control(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd_dev *nd = w->data;
	struct nook_ctl_msg m;
	unsigned int n = 0;
	int r;

	while (n++ < CHANNEL_BUDGET && (r = nook_ctl_recv(nd->ctl_fd, &m)) == 0) {
		clean_text(&m);
		if (rate_ok(nd, m.type))
			handle_msg(nd, &m);
		if (!ev_is_active(w))
			return; /* flooded */
	}
	if (n > CHANNEL_BUDGET || r == -EAGAIN)
		return;
	ev_io_stop(loop, w);
	if (r == -EBADMSG) {
		/* Garbage on the channel: the driver is not to be trusted any more. */
		snprintf(nd->verdict, sizeof(nd->verdict), "sent a malformed control message");
		nd->verdict_kind = NOOK_FAILURE_PROTOCOL;
		nookd_dev_kill(nd, SIGKILL);
	}
}

/*
 * The driver's last messages may still wait on the channel when its exit is seen first: its
 * fatal report above all, which says what killed it. Only those and log lines count now;
 * anything else would act on an incarnation that is gone.
 */
void driver_channel_drain(struct nookd_dev *nd)
{
	struct nook_ctl_msg m;

	if (nd->ctl_fd < 0)
		return;
	/* Bounded: a child the driver left could still be writing. */
	for (unsigned int n = 0; n < CHANNEL_DRAIN_MAX && nook_ctl_recv(nd->ctl_fd, &m) == 0; n++)
		if (m.type == NOOK_CTL_FATAL || m.type == NOOK_CTL_LOG) {
			clean_text(&m);
			handle_msg(nd, &m);
		}
}

/* --- requests */

int nookd_ethtool(struct nookd *d, struct nook_device *dev, const char *set, nookd_ethtool_fn done,
		  void *ctx, struct nook_err *err)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_ETHTOOL };
	struct nookd_dev *nd = nookd_dev_of(dev);
	char why[128];

	if (nd->ethtool_done)
		return nook_err_set(err, -EBUSY, "%s: another ethtool question is in flight",
				    dev->addr);
	if (dev->state != NOOK_DEV_RUNNING)
		return nook_err_set(err, -EAGAIN, "%s: the driver is not running (state %s)",
				    dev->addr, nook_dev_state_name(dev->state));
	m.ethtool.cmd = NOOK_CTL_ETHTOOL_INFO;
	if (set) {
		if (strlen(set) >= sizeof(nd->ethtool_set) ||
		    nook_net_shadow_check(set, why, sizeof(why)) < 0)
			return nook_err_set(err, -EINVAL, "%s: %s", dev->addr,
					    strlen(set) >= sizeof(nd->ethtool_set) ?
						    "too many settings at once" :
						    why);
		m.ethtool.cmd = NOOK_CTL_ETHTOOL_SET;
		m.ethtool.text = set;
		m.ethtool.len = (uint32_t)strlen(set);
	}
	if (driver_channel_send(nd, &m) < 0)
		return nook_err_set(err, -EIO, "%s: cannot ask the driver", dev->addr);
	if (set)
		silent_watch_reset_asked(nd); /* new rings: the driver resets for them */
	snprintf(nd->ethtool_set, sizeof(nd->ethtool_set), "%s", set ? set : "");
	nd->ethtool_seq = m.seq;
	nd->ethtool_done = done;
	nd->ethtool_ctx = ctx;
	ev_timer_set(&nd->ethtool_timer, 5.0, 0.0);
	ev_timer_start(d->loop, &nd->ethtool_timer);
	return 0;
}

int nookd_inject(struct nookd *d, struct nook_device *dev, const char *kind, struct nook_err *err)
{
	static const char *const kinds[NOOK_CTL_FAULT_MAX + 1] = {
		[NOOK_CTL_FAULT_SEGV] = "segv",	      [NOOK_CTL_FAULT_ABORT] = "abort",
		[NOOK_CTL_FAULT_HANG] = "hang",	      [NOOK_CTL_FAULT_WILD_WRITE] = "wild-write",
		[NOOK_CTL_FAULT_LEAK] = "leak",	      [NOOK_CTL_FAULT_WILD_DMA] = "wild-dma",
		[NOOK_CTL_FAULT_BAD_SKB] = "bad-skb",
	};
	struct nook_ctl_msg m = { .type = NOOK_CTL_INJECT };

	for (unsigned int i = 1; i <= NOOK_CTL_FAULT_MAX; i++)
		if (kinds[i] && !strcmp(kind, kinds[i]))
			m.inject.fault = i;
	if (!m.inject.fault)
		return nook_err_set(err, -EINVAL, "unknown fault '%s' (%s)", kind,
				    NOOKD_FAULT_KINDS);
	/* A sound card maps no streaming DMA and hands up no skbs: those never fire there. */
	if (nookd_dev_of(dev)->sound &&
	    (m.inject.fault == NOOK_CTL_FAULT_WILD_DMA || m.inject.fault == NOOK_CTL_FAULT_BAD_SKB))
		return nook_err_set(err, -EINVAL,
				    "%s: fault '%s' is for NICs; a sound card takes "
				    "%s",
				    dev->addr, kind, NOOKD_SOUND_FAULT_KINDS);
	if (dev->state != NOOK_DEV_RUNNING)
		return nook_err_set(err, -EAGAIN, "%s: the driver is not running (state %s)",
				    dev->addr, nook_dev_state_name(dev->state));
	if (driver_channel_send(nookd_dev_of(dev), &m) < 0)
		return nook_err_set(err, -EIO, "%s: cannot reach the driver", dev->addr);
	snprintf(nookd_dev_of(dev)->injected, sizeof(nookd_dev_of(dev)->injected), "%s", kind);
	nookd_dev_log(nookd_dev_of(dev), "fault '%s' injected", kind);
	return 0;
}

/* A spec nookd passes on: the driver parses it; here only its length and alphabet. */
static bool spec_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 128 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789:-") == n;
}

int nookd_inject_plan(struct nookd *d, struct nook_device *dev, const char *const *specs,
		      unsigned int n, struct nook_err *err)
{
	struct nookd_dev *nd = nookd_dev_of(dev);
	char *plan = nd->next_plan;
	size_t len = 0;

	if (n == 0 || n > NOOKD_MAX_PLANNED)
		return nook_err_set(err, -EINVAL, "a trial plans 1 to %d faults",
				    NOOKD_MAX_PLANNED);
	for (unsigned int i = 0; i < n; i++)
		if (!spec_ok(specs[i]))
			return nook_err_set(err, -EINVAL,
					    "'%s' is no fault spec (tests/fault/"
					    "nook-swifi plans them)",
					    specs[i]);
	if (dev->state != NOOK_DEV_RUNNING)
		return nook_err_set(err, -EAGAIN, "%s: the driver is not running (state %s)",
				    dev->addr, nook_dev_state_name(dev->state));
	for (unsigned int i = 0; i < n; i++)
		len += (size_t)snprintf(plan + len, sizeof(nd->next_plan) - len, "%s%s",
					i ? " " : "", specs[i]);
	nookd_dev_log(nd, "restarting the driver for a fault-injection trial: %s", plan);
	return nookd_restart(d, dev, err);
}

/* --- `ip link` changes */

static void on_link_event(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd *d = w->data;
	struct nook_link scratch = { .ifindex = -1 };

	/* Any message: each supervised interface is looked at again (cheap, and rare). */
	nook_link_watch_read(d->link_fd, &scratch);
	for (struct nook_device *dev = d->reg.devices; dev; dev = dev->next)
		if (dev->priv)
			driver_channel_send_link(nookd_dev_of(dev));
}

void driver_channel_close(struct nookd_dev *nd)
{
	nookd_net_replay_stop(nd);
	ethtool_finish(nd, -ESRCH, NULL);
}

int driver_channel_init(struct nookd *d)
{
	int r = nook_link_watch_open(&d->link_fd);

	if (r < 0)
		return r;
	ev_io_init(&d->link_io, on_link_event, d->link_fd, EV_READ);
	d->link_io.data = d;
	ev_io_start(d->loop, &d->link_io);
	return 0;
}

void driver_channel_fini(struct nookd *d)
{
	ev_io_stop(d->loop, &d->link_io);
	close(d->link_fd);
}
