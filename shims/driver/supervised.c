// SPDX-License-Identifier: GPL-2.0-only
/* The supervised driver's side of the control channel (see supervised.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <nook/fault.h>
#include <nook/fault-plan.h>
#include <nook/netdev-query.h>

#include "shims/control/control-driver.h"
#include "common/ipc/control.h"
#include "shims/crash/crash.h"
#include "ethtool.h"
#include "shims/vfio-host/vfio-host.h"
#include "shims/loop/loop.h"
#include "shims/net/netdev-shim.h"
#include "supervised.h"

/*
 * How long the driver's NIC may leave a frame without counting it sent (control.h's
 * nook_ctl_netdev): a fact of the driver, set in drivers/NAME/meson.build where it is not 0.
 */
#ifndef NOOK_DRIVER_TX_DONE_MS
#define NOOK_DRIVER_TX_DONE_MS 0
#endif

static int ctl_fd = -1;

static void report_fatal(int signo, uintptr_t addr, const char *report)
{
	nook_ctl_driver_fatal(ctl_fd, signo, addr, report);
}

static void report_fault_fired(const char *spec)
{
	nook_ctl_driver_fault_fired(ctl_fd, spec);
}

int nook_supervised_await_adoption(int fd, int *fds)
{
	struct nook_ctl_msg m;
	unsigned int n;
	int r;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = nook_ctl_recv_fds(fd, &m, fds, NOOK_CTL_ADOPT_FDS, &n);
		if (r == -EAGAIN)
			continue;
		if (r < 0)
			return r;
		if (m.type == NOOK_CTL_ADOPT && n == NOOK_CTL_ADOPT_FDS)
			return 0;
		for (unsigned int i = 0; i < n; i++)
			close(fds[i]);
		return m.type == NOOK_CTL_SHUTDOWN ? -ECONNRESET : -EBADMSG;
	}
}

int nook_supervised_init(int fd, const char *driver)
{
	ctl_fd = fd;
	nook_crash_set_reporter(report_fatal);
	nook_fault_plan_set_reporter(report_fault_fired);
	return nook_ctl_driver_hello(fd, driver);
}

static void apply_link(const struct nook_ctl_link *l)
{
	struct nook_link link = { .flags = l->flags, .mtu = l->mtu };

	memcpy(link.mac, l->mac, 6);
	nook_netdev_shim_set_link(&link, l->mc, l->n_mc);
}

static int on_control(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct nook_ctl_msg m;
	int r;

	while ((r = nook_ctl_recv(fd, &m)) == 0) {
		switch (m.type) {
		case NOOK_CTL_LINK:
			apply_link(&m.link);
			nook_ctl_driver_reply(fd, m.seq, 0, NULL, 0);
			break;
		case NOOK_CTL_ETHTOOL:
			nook_ethtool_request(fd, &m);
			break;
		case NOOK_CTL_INJECT:
			/* Fires at the next interrupt, in the driver's interrupt context. */
			nook_ctl_driver_reply(fd, m.seq,
					      nook_fault_arm((enum nook_fault)m.inject.fault), NULL,
					      0);
			break;
		case NOOK_CTL_SHUTDOWN:
			nook_ctl_driver_reply(fd, m.seq, 0, NULL, 0);
			nook_host_request_stop(SIGTERM);
			break;
		default:
			nook_ctl_driver_reply(fd, m.seq, -EOPNOTSUPP, NULL, 0);
			break;
		}
	}
	if (r == -EAGAIN)
		return 0;
	/* nookd went away or spoke nonsense: nobody supervises us any more, so stop. */
	fprintf(stderr, "nook driver: control channel: %s; stopping\n",
		r == -ECONNRESET ? "nookd closed it" : strerror(-r));
	nook_loop_remove_fd(loop, fd);
	nook_host_request_stop(SIGTERM);
	return 0;
}

/* The interface's counters ride along with each heartbeat. */
static void send_stats(void)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_STATS };
	struct net_device *dev = nook_netdev_shim_dev();
	struct nook_netdev_counters c;

	if (!dev)
		return;
	nook_netdev_counters(dev, &c);
	/* The driver's counters, by name: one the driver lacks does not compile. */
#define COPY_COUNTER(name) m.stats.nic.name = c.name;
	NOOK_NIC_COUNTERS(COPY_COUNTER)
#undef COPY_COUNTER
	m.stats.tx_waiting = nook_netdev_shim_tx_waiting();
	m.stats.rx_own = nook_netdev_shim_rx_own();
	nook_ctl_send(ctl_fd, &m);
}

static int on_heartbeat(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	uint64_t ticks;

	if (read(fd, &ticks, sizeof(ticks)) == sizeof(ticks)) {
		nook_ctl_driver_heartbeat(ctl_fd);
		send_stats();
	}
	return 0;
}

int nook_supervised_start(struct nook_loop *loop, unsigned int heartbeat_ms)
{
	struct itimerspec its = {
		.it_interval = { heartbeat_ms / 1000, (long)(heartbeat_ms % 1000) * 1000000L },
	};
	int tfd, r;

	its.it_value = its.it_interval;
	r = nook_loop_add_fd(loop, ctl_fd, POLLIN, on_control, NULL);
	if (r < 0)
		return r;
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (tfd < 0)
		return -errno;
	if (timerfd_settime(tfd, 0, &its, NULL) < 0) {
		r = -errno;
		close(tfd);
		return r;
	}
	return nook_loop_add_fd(loop, tfd, POLLIN, on_heartbeat, NULL);
}

static void report_carrier(bool on)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_CARRIER };

	m.carrier.up = on;
	nook_ctl_send(ctl_fd, &m);
}

static void report_netdev(const uint8_t mac[6], unsigned int mtu)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_NETDEV };

	m.netdev.mtu = mtu;
	memcpy(m.netdev.mac, mac, 6);
	m.netdev.tx_done_ms = NOOK_DRIVER_TX_DONE_MS;
	nook_ctl_send(ctl_fd, &m);
}

static void report_traffic(void)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_TRAFFIC };

	nook_ctl_send(ctl_fd, &m);
}

void nook_supervised_netdev_config(struct nook_netdev_shim_config *cfg)
{
	cfg->report_carrier = report_carrier;
	cfg->report_netdev = report_netdev;
	cfg->report_traffic = report_traffic;
}

void nook_supervised_ready(void)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_READY };

	nook_ctl_send(ctl_fd, &m);
}
