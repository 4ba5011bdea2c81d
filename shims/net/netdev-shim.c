// SPDX-License-Identifier: GPL-2.0-only
/*
 * The net shim (see netdev-shim.h). Frames cross between the TAP and the driver here; link
 * changes the administrator makes are read from rtnetlink and applied to the driver by the
 * compat layer's rtnl task (ndo calls may sleep), through netif's ordering of them.
 */
#include <errno.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nook/host.h>
#include <nook/netdev.h>

#include "common/net/link-watch.h"
#include "shims/loop/loop.h"
#include "netdev-shim.h"
#include "netif.h"
#include "common/net/tap.h"

#define MAX_MC 64

static struct {
	struct nook_loop *loop;
	struct nook_netdev_shim_config cfg;
	struct net_device *dev;
	struct nook_netif *netif;
	int watch_fd;
	int ifindex;
	/* supervised: the link as nookd last described it */
	struct nook_link link;
	uint8_t mc[MAX_MC][6];
	size_t n_mc;
	bool traffic_seen; /* the driver handed up its first frame */
	struct nook_err err;
} S = { .watch_fd = -1 };

static bool supervised(void)
{
	return S.cfg.report_carrier != NULL;
}

/* --- netif's calls into the driver */

static int op_open(void *ctx)
{
	return nook_netdev_ndo_open(S.dev);
}

static int op_stop(void *ctx)
{
	return nook_netdev_ndo_stop(S.dev);
}

static int op_change_mtu(void *ctx, unsigned int mtu)
{
	return nook_netdev_ndo_change_mtu(S.dev, mtu);
}

static int op_set_mac(void *ctx, const uint8_t mac[6])
{
	return nook_netdev_ndo_set_mac(S.dev, mac);
}

static void op_set_rx_mode(void *ctx, unsigned int flags, const uint8_t (*mc)[6], size_t n_mc)
{
	nook_netdev_ndo_set_rx_mode(S.dev, flags, mc, n_mc);
}

/*
 * The TAP's header in the compat layer's terms. Its fields are in the host's byte order
 * (the legacy virtio default, which nook_tap_open() leaves alone). Kinds of work the TAP
 * was never offered are refused here; whether the rest fits the frame, netdev checks.
 */
static int offload_from_vnet(const struct virtio_net_hdr *h, struct nook_netdev_offload *o)
{
	*o = (struct nook_netdev_offload){
		.csum_partial = h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.csum_start = h->csum_start,
		.csum_offset = h->csum_offset,
		.gso_size = h->gso_size,
	};
	switch (h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		o->gso_type = NOOK_NETDEV_GSO_NONE;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		o->gso_type = NOOK_NETDEV_GSO_TCPV4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		o->gso_type = NOOK_NETDEV_GSO_TCPV6;
		break;
	default:
		return -EINVAL;
	}
	if (h->gso_type & VIRTIO_NET_HDR_GSO_ECN)
		o->gso_type |= NOOK_NETDEV_GSO_ECN;
	return 0;
}

static int op_xmit(void *ctx, const struct virtio_net_hdr *hdr, const void *frame, size_t len)
{
	struct nook_netdev_offload off;

	if (offload_from_vnet(hdr, &off) < 0)
		return -EINVAL;
	return nook_netdev_xmit(S.dev, frame, len, &off);
}

static int op_tx_buffers(void *ctx, void *ret_buf[2], size_t ret_len[2])
{
	return nook_netdev_tx_buffers(S.dev, ret_buf, ret_len);
}

static int op_xmit_read(void *ctx, const struct virtio_net_hdr *hdr, size_t len)
{
	struct nook_netdev_offload off;

	if (offload_from_vnet(hdr, &off) < 0)
		return -EINVAL;
	return nook_netdev_xmit_read(S.dev, len, &off);
}

/* TUN_F_* for what the NIC does: the kernel then leaves that work in the frames it sends. */
static unsigned int tun_offload_flags(const struct net_device *dev)
{
	unsigned int off = nook_netdev_offloads(dev), tun = 0;

	if (off & NOOK_NETDEV_OFF_CSUM)
		tun |= TUN_F_CSUM;
	if (off & NOOK_NETDEV_OFF_TSO4)
		tun |= TUN_F_TSO4;
	if (off & NOOK_NETDEV_OFF_TSO6)
		tun |= TUN_F_TSO6;
	if (off & NOOK_NETDEV_OFF_TSO_ECN)
		tun |= TUN_F_TSO_ECN;
	return tun;
}

static const struct nook_netif_ops netif_ops = {
	.open = op_open,
	.stop = op_stop,
	.change_mtu = op_change_mtu,
	.set_mac = op_set_mac,
	.set_rx_mode = op_set_rx_mode,
	.xmit = op_xmit,
	.tx_buffers = op_tx_buffers,
	.xmit_read = op_xmit_read,
};

/* --- rtnetlink: any change to our link asks the rtnl task to apply it */

static int on_link_event(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct nook_link scratch = { .ifindex = S.ifindex };
	int r = nook_link_watch_read(fd, &scratch);

	/* Lost messages (ENOBUFS) just mean: look again. */
	if (r != 0 && S.dev)
		nook_netdev_request_link(S.dev);
	return 0;
}

/* @want asked for up, and what failed was the open: MTU and MAC went through before it. */
static bool open_failed(const struct nook_link *want)
{
	const struct nook_link *has = nook_netif_link(S.netif);

	return (want->flags & IFF_UP) && !(has->flags & IFF_UP) && has->mtu == want->mtu &&
	       !memcmp(has->mac, want->mac, 6);
}

static void hook_link_apply(void *ctx, struct net_device *dev)
{
	uint8_t mc[MAX_MC][6];
	struct nook_link link;
	size_t n = 0;
	int r;

	if (!S.netif)
		return;
	if (supervised()) {
		link = S.link;
		n = S.n_mc;
		memcpy(mc, S.mc, n * 6);
	} else {
		if (nook_link_query(S.ifindex, &link) < 0)
			return;
		if (nook_link_mc_list(NULL, link.ifname, mc, MAX_MC, &n) < 0)
			n = 0;
	}
	r = nook_netif_link_changed(S.netif, &link, (const uint8_t(*)[6])mc,
				    n < MAX_MC ? n : MAX_MC);
	if (r >= 0)
		return;
	/*
	 * Up is what the administrator, and nookd's shadow, asked for: a driver that cannot
	 * open its interface leaves it up and silent. Supervised, that incarnation has failed,
	 * and a new one is tried (an open that keeps failing becomes a crash loop, which nookd
	 * reports); standalone, the administrator reads why here.
	 */
	if (open_failed(&link) && supervised()) {
		char why[160];

		snprintf(why, sizeof(why), "%s: the driver could not open the interface: %s",
			 nook_netdev_ifname(dev), strerror(-r));
		nook_host_fatal(why);
	}
	fprintf(stderr,
		"%s: the driver refused a link change: %s%s; the interface keeps the "
		"driver's MAC address and MTU\n",
		link.ifname, strerror(-r),
		r == -EBUSY ?
			" (this driver takes such a change only while the interface is down)" :
			"");
	/* The interface shows what the driver has, not what it refused. */
	if (memcmp(link.mac, nook_netdev_mac(dev), 6) != 0 || link.mtu != nook_netdev_mtu(dev)) {
		if (supervised()) {
			S.cfg.report_netdev(nook_netdev_mac(dev), nook_netdev_mtu(dev));
		} else {
			nook_tap_set_mac(nook_netif_fd(S.netif), nook_netdev_mac(dev));
			nook_tap_set_mtu(link.ifname, nook_netdev_mtu(dev));
		}
	}
}

void nook_netdev_shim_set_link(const struct nook_link *link, const uint8_t (*mc)[6], size_t n_mc)
{
	S.link = *link;
	S.n_mc = n_mc < MAX_MC ? n_mc : MAX_MC;
	memcpy(S.mc, mc, S.n_mc * 6);
	if (S.dev)
		nook_netdev_request_link(S.dev);
}

/* --- the compat layer's net host hooks */

/* Supervised: nookd's TAP, down until nookd says otherwise; nookd learns MAC and MTU. */
static int register_supervised(struct net_device *dev)
{
	struct nook_link link = { .mtu = nook_netdev_mtu(dev) };
	int r;

	snprintf(link.ifname, sizeof(link.ifname), "%s", S.cfg.ifname ? S.cfg.ifname : "");
	memcpy(link.mac, nook_netdev_mac(dev), 6);
	r = nook_tap_set_offload(S.cfg.tap_fd, tun_offload_flags(dev));
	if (r == 0)
		r = nook_netif_new(S.loop, S.cfg.tap_fd, &link, &netif_ops, NULL, &S.netif);
	if (r < 0) {
		nook_err_set(&S.err, r, "cannot serve the network interface %s: %s", link.ifname,
			     strerror(-r));
		return r;
	}
	S.cfg.tap_fd = -1; /* netif owns it now */
	nook_netif_set_carrier(S.netif, nook_netdev_carrier_ok(dev));
	S.dev = dev;
	S.link = link;
	nook_netdev_set_ifname(dev, link.ifname);
	S.cfg.report_netdev(link.mac, link.mtu);
	return 0;
}

static int hook_register(void *ctx, struct net_device *dev)
{
	const char *want = S.cfg.ifname ? S.cfg.ifname : "nook%d";
	struct nook_link link;
	char name[IFNAMSIZ];
	int fd = -1, r;

	if (supervised())
		return S.cfg.tap_fd >= 0 ? register_supervised(dev) : -EBUSY;
	r = nook_tap_open(want, name, &fd);
	if (r < 0) {
		nook_err_set(&S.err, r, "cannot create the network interface %s: %s%s", want,
			     strerror(-r),
			     r == -EPERM || r == -EACCES ?
				     " (creating a TAP interface needs CAP_NET_ADMIN and access to "
				     "/dev/net/tun: run as root, or under nookd)" :
			     r == -EBUSY  ? " (an interface of that name is in use)" :
			     r == -ENOENT ? " (/dev/net/tun is missing: modprobe tun)" :
					    "");
		return r;
	}
	r = nook_tap_set_mac(fd, nook_netdev_mac(dev));
	if (r == 0)
		r = nook_tap_set_mtu(name, nook_netdev_mtu(dev));
	if (r == 0)
		r = nook_tap_set_carrier(fd, false);
	if (r == 0)
		r = nook_tap_set_offload(fd, tun_offload_flags(dev));
	if (r == 0)
		r = nook_link_query((int)if_nametoindex(name), &link);
	if (r == 0)
		r = nook_netif_new(S.loop, fd, &link, &netif_ops, NULL, &S.netif);
	if (r < 0) {
		nook_err_set(&S.err, r, "cannot set up the network interface %s: %s", name,
			     strerror(-r));
		close(fd);
		return r;
	}
	nook_netif_set_carrier(S.netif, nook_netdev_carrier_ok(dev));
	S.dev = dev;
	S.ifindex = link.ifindex;
	nook_netdev_set_ifname(dev, name);
	if (nook_link_watch_open(&S.watch_fd) == 0)
		nook_loop_add_fd(S.loop, S.watch_fd, POLLIN, on_link_event, NULL);
	return 0;
}

static void hook_unregister(void *ctx, struct net_device *dev)
{
	struct nook_netif_stats st;

	if (S.netif) {
		nook_netif_get_stats(S.netif, &st);
		fprintf(stderr,
			"<6>%s: sent %llu frames (%llu dropped, %llu of them by the backlog); "
			"received: %llu writes to the interface (%llu refused), %llu segments "
			"merged, %llu bad checksums\n",
			nook_netdev_ifname(dev), (unsigned long long)st.tx_frames,
			(unsigned long long)st.tx_dropped,
			(unsigned long long)st.tx_backlog_dropped, (unsigned long long)st.rx_frames,
			(unsigned long long)st.rx_dropped, (unsigned long long)st.rx_merged,
			(unsigned long long)st.rx_bad_csum);
	}
	if (S.watch_fd >= 0) {
		nook_loop_remove_fd(S.loop, S.watch_fd);
		close(S.watch_fd);
		S.watch_fd = -1;
	}
	nook_netif_free(S.netif);
	S.netif = NULL;
	S.dev = NULL;
}

static void hook_carrier(void *ctx, struct net_device *dev, bool on)
{
	if (S.netif)
		nook_netif_set_carrier(S.netif, on);
	if (supervised())
		S.cfg.report_carrier(on);
	else if (S.netif)
		nook_tap_set_carrier(nook_netif_fd(S.netif), on);
}

static void hook_queue(void *ctx, struct net_device *dev, bool awake)
{
	if (!S.netif)
		return;
	if (awake)
		nook_netif_wake_queue(S.netif);
	else
		nook_netif_stop_queue(S.netif);
}

static void hook_address_changed(void *ctx, struct net_device *dev)
{
	if (supervised())
		S.cfg.report_netdev(nook_netdev_mac(dev), nook_netdev_mtu(dev));
	else if (S.netif)
		nook_tap_set_mac(nook_netif_fd(S.netif), nook_netdev_mac(dev));
}

static void hook_rx(void *ctx, struct net_device *dev, const void *frame, size_t len,
		    const struct nook_netdev_offload *off)
{
	struct virtio_net_hdr hdr = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };

	if (!S.netif)
		return;
	if (off && off->csum_valid)
		hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	nook_netif_rx(S.netif, &hdr, frame, len);
	if (!S.traffic_seen && S.cfg.report_traffic) {
		S.traffic_seen = true;
		S.cfg.report_traffic();
	}
}

static void hook_rx_flush(void *ctx, struct net_device *dev)
{
	if (S.netif)
		nook_netif_rx_flush(S.netif);
}

static void hook_poll_done(void *ctx, struct net_device *dev)
{
	if (S.netif)
		nook_netif_tx_now(S.netif);
}

static void hook_features_changed(void *ctx, struct net_device *dev)
{
	int r;

	if (!S.netif)
		return;
	r = nook_tap_set_offload(nook_netif_fd(S.netif), tun_offload_flags(dev));
	if (r < 0)
		fprintf(stderr, "%s: cannot tell the interface what the NIC offloads now: %s\n",
			nook_netdev_ifname(dev), strerror(-r));
}

static const struct nook_netdev_host hooks = {
	.register_dev = hook_register,
	.unregister_dev = hook_unregister,
	.carrier = hook_carrier,
	.queue = hook_queue,
	.address_changed = hook_address_changed,
	.rx = hook_rx,
	.rx_flush = hook_rx_flush,
	.poll_done = hook_poll_done,
	.features_changed = hook_features_changed,
	.link_apply = hook_link_apply,
};

int nook_netdev_shim_install(struct nook_loop *loop, const struct nook_netdev_shim_config *cfg)
{
	if (!cfg->report_carrier != !cfg->report_netdev || (cfg->report_carrier && cfg->tap_fd < 0))
		return -EINVAL;
	S.loop = loop;
	S.cfg = *cfg;
	nook_netdev_set_host(&hooks, NULL);
	return 0;
}

const struct nook_err *nook_netdev_shim_error(void)
{
	return &S.err;
}

struct net_device *nook_netdev_shim_dev(void)
{
	return S.dev;
}

uint64_t nook_netdev_shim_tx_waiting(void)
{
	return S.netif ? nook_netif_tx_waiting(S.netif) : 0;
}

uint64_t nook_netdev_shim_rx_own(void)
{
	struct nook_netif_stats st;

	if (!S.netif)
		return 0;
	nook_netif_get_stats(S.netif, &st);
	return st.rx_own;
}
