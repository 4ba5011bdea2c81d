// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shims/net/netif: a TAP interface in front of a driver, with the driver's
 * side played by recording callbacks. They run in a network namespace of their own (root
 * and /dev/net/tun needed; otherwise the test skips with exit 77).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "shims/net/gro.h"
#include "shims/loop/loop.h"
#include "shims/net/netif.h"
#include "shims/net/txq.h"
#include "tests/unit/common/netns.h"
#include "common/net/tap.h"
#include <linux/virtio_net.h>

struct fake_driver {
	char calls[256];
	unsigned int mtu;
	unsigned int rx_flags;
	size_t n_mc;
	int mtu_result;
	int xmit_result;
	int xmits;
	size_t last_len;
	int seen[256];	   /* the test's frames taken, by tag */
	uint8_t order[16]; /* the tags of the first frames taken, in turn */
	int others;	   /* and the kernel's own (IPv6's on a new link) */
	struct virtio_net_hdr last_hdr;
	uint8_t last[128];
};

static void note(struct fake_driver *d, const char *what)
{
	strncat(d->calls, what, sizeof(d->calls) - strlen(d->calls) - 1);
}

static int fake_open(void *ctx)
{
	note(ctx, "open ");
	return 0;
}

static int fake_stop(void *ctx)
{
	note(ctx, "stop ");
	return 0;
}

static int fake_change_mtu(void *ctx, unsigned int mtu)
{
	struct fake_driver *d = ctx;

	note(d, "mtu ");
	if (!d->mtu_result)
		d->mtu = mtu;
	return d->mtu_result;
}

static int fake_set_mac(void *ctx, const uint8_t mac[6])
{
	note(ctx, "mac ");
	return 0;
}

static void fake_set_rx_mode(void *ctx, unsigned int flags, const uint8_t (*mc)[6], size_t n_mc)
{
	struct fake_driver *d = ctx;

	note(d, "rxmode ");
	d->rx_flags = flags;
	d->n_mc = n_mc;
}

static int fake_xmit(void *ctx, const struct virtio_net_hdr *hdr, const void *frame, size_t len)
{
	struct fake_driver *d = ctx;

	const uint8_t *f = frame;

	/* Only the test's own frames (local experimental ethertype) count. */
	if (len < 15 || f[12] != 0x88 || f[13] != 0xb5) {
		d->others++;
		return 0;
	}
	if (d->xmit_result)
		return d->xmit_result;
	if (d->xmits < (int)sizeof(d->order))
		d->order[d->xmits] = f[14];
	d->xmits++;
	d->seen[f[14]]++;
	d->last_hdr = *hdr;
	d->last_len = len;
	memcpy(d->last, frame, len < sizeof(d->last) ? len : sizeof(d->last));
	return 0;
}

static const struct nook_netif_ops fake_ops = {
	.open = fake_open,
	.stop = fake_stop,
	.change_mtu = fake_change_mtu,
	.set_mac = fake_set_mac,
	.set_rx_mode = fake_set_rx_mode,
	.xmit = fake_xmit,
};

struct fixture {
	struct nook_loop *loop;
	struct nook_netif *netif;
	struct fake_driver drv;
	struct nook_link link;
	char name[IFNAMSIZ];
	int packet_fd;
};

static int setup(void **state)
{
	static struct fixture f;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct ifreq ifr = { 0 };
	int tap, s;

	memset(&f, 0, sizeof(f));
	assert_int_equal(nook_loop_new(32, &f.loop), 0);
	assert_int_equal(nook_tap_open("nookif0", f.name, &tap), 0);
	assert_int_equal(nook_link_query((int)if_nametoindex(f.name), &f.link), 0);
	assert_int_equal(nook_netif_new(f.loop, tap, &f.link, &fake_ops, &f.drv, &f.netif), 0);

	/* The kernel side up, so the stack sends on it; the shim has not been told yet. */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memcpy(ifr.ifr_name, f.name, IFNAMSIZ);
	assert_int_equal(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	close(s);

	f.packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(f.packet_fd >= 0);
	sll.sll_ifindex = (int)if_nametoindex(f.name);
	assert_int_equal(bind(f.packet_fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->packet_fd);
	nook_netif_free(f->netif);
	nook_loop_free(f->loop);
	return 0;
}

static void test_link_changes_in_linux_order(void **state)
{
	struct fixture *f = *state;
	struct nook_link l = f->link;
	const uint8_t mc[2][6] = { { 0x01, 0, 0x5e, 0, 0, 1 }, { 0x33, 0x33, 0, 0, 0, 1 } };

	/* Up with a new MTU at once: the MTU reaches the driver before open. */
	l.flags |= IFF_UP;
	l.mtu = 1400;
	assert_int_equal(nook_netif_link_changed(f->netif, &l, NULL, 0), 0);
	assert_string_equal(f->drv.calls, "mtu open rxmode ");
	assert_int_equal(f->drv.mtu, 1400);

	f->drv.calls[0] = '\0';
	l.flags |= IFF_PROMISC;
	assert_int_equal(nook_netif_link_changed(f->netif, &l, mc, 2), 0);
	assert_string_equal(f->drv.calls, "rxmode ");
	assert_int_equal(f->drv.rx_flags, IFF_PROMISC);
	assert_int_equal(f->drv.n_mc, 2);

	/* Nothing changed: nothing called. */
	f->drv.calls[0] = '\0';
	assert_int_equal(nook_netif_link_changed(f->netif, &l, mc, 2), 0);
	assert_string_equal(f->drv.calls, "");

	l.mac[5] ^= 1;
	assert_int_equal(nook_netif_link_changed(f->netif, &l, mc, 2), 0);
	assert_string_equal(f->drv.calls, "mac ");

	f->drv.calls[0] = '\0';
	l.flags &= ~IFF_UP;
	l.mtu = 1500;
	assert_int_equal(nook_netif_link_changed(f->netif, &l, mc, 2), 0);
	assert_string_equal(f->drv.calls, "stop mtu ");
}

static void test_refused_mtu_leaves_link_true(void **state)
{
	struct fixture *f = *state;
	struct nook_link l = f->link;

	f->drv.mtu_result = -EINVAL;
	l.mtu = 9000;
	assert_int_equal(nook_netif_link_changed(f->netif, &l, NULL, 0), -EINVAL);
	assert_int_equal(nook_netif_link(f->netif)->mtu, f->link.mtu);
}

/* One of the test's frames, to @dst (a flow of its own to the backlog), tagged @tag. */
static void send_frame_to(struct fixture *f, const uint8_t dst[6], uint8_t tag)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	uint8_t frame[60] = { 0 };

	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	frame[14] = tag;
	assert_int_equal(send(f->packet_fd, frame, sizeof(frame), 0), sizeof(frame));
}

static void send_frame(struct fixture *f, uint8_t tag)
{
	uint8_t frame[60] = { 0 };

	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	frame[14] = tag;
	assert_int_equal(send(f->packet_fd, frame, sizeof(frame), 0), sizeof(frame));
}

/* Run the loop until the driver has seen @want frames in all (bounded). */
static void run_until_xmits(struct fixture *f, int want)
{
	for (int i = 0; i < 50 && f->drv.xmits < want; i++)
		assert_true(nook_loop_run_once(f->loop, 20000000) >= 0);
}

/*
 * Call nook_netif_tx_now() until the driver has seen @want frames in all (bounded): a frame
 * sent on the TAP can reach it a moment late, when the kernel's own frames for a new link
 * (IPv6's) hold its queue discipline and ours is left for softirq to pass on.
 */
static void tx_now_until_xmits(struct fixture *f, int want)
{
	struct pollfd p = { .fd = nook_netif_fd(f->netif), .events = POLLIN };

	for (int i = 0; i < 100; i++) {
		assert_int_equal(nook_netif_tx_now(f->netif), 0);
		if (f->drv.xmits >= want)
			return;
		poll(&p, 1, 10);
	}
}

/* What the administrator's `ip link set up` does to the driver: ndo_open. */
static void open_link(struct fixture *f)
{
	struct nook_link up = f->link;

	up.flags |= IFF_UP;
	assert_int_equal(nook_netif_link_changed(f->netif, &up, NULL, 0), 0);
}

/*
 * The TAP may be up before the driver is open (nookd keeps it up across a restart): frames
 * wait in it until ndo_open, then go out without another nudge.
 */
static void test_no_frames_before_open(void **state)
{
	struct fixture *f = *state;

	send_frame(f, 3);
	for (int i = 0; i < 5; i++)
		assert_true(nook_loop_run_once(f->loop, 10000000) >= 0);
	assert_int_equal(f->drv.xmits, 0);
	open_link(f);
	run_until_xmits(f, 1);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(f->drv.last[14], 3);
}

/*
 * Nor does an open driver without carrier get frames (Linux sends none): they wait in the
 * TAP and go out when the carrier comes, without another nudge.
 */
static void test_no_frames_without_carrier(void **state)
{
	struct fixture *f = *state;

	nook_netif_set_carrier(f->netif, false);
	open_link(f);
	send_frame(f, 4);
	for (int i = 0; i < 5; i++)
		assert_true(nook_loop_run_once(f->loop, 10000000) >= 0);
	assert_int_equal(f->drv.xmits, 0);
	nook_netif_set_carrier(f->netif, true);
	run_until_xmits(f, 1);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(f->drv.last[14], 4);
}

static void test_frames_reach_xmit_while_queue_awake(void **state)
{
	struct fixture *f = *state;

	open_link(f);
	send_frame(f, 1);
	run_until_xmits(f, 1);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(f->drv.last_len, 60);
	assert_int_equal(f->drv.last[14], 1);
	/* Its header came apart from it: nothing left to do for a whole frame. */
	assert_int_equal(f->drv.last_hdr.flags, 0);
	assert_int_equal(f->drv.last_hdr.gso_type, VIRTIO_NET_HDR_GSO_NONE);

	nook_netif_stop_queue(f->netif);
	send_frame(f, 2);
	for (int i = 0; i < 5; i++)
		assert_true(nook_loop_run_once(f->loop, 10000000) >= 0);
	assert_int_equal(f->drv.xmits, 1);

	/* The waiting frame goes out once the queue wakes. */
	assert_int_equal(nook_netif_wake_queue(f->netif), 0);
	run_until_xmits(f, 2);
	assert_int_equal(f->drv.xmits, 2);
	assert_int_equal(f->drv.last[14], 2);
}

/*
 * What the kernel queued on the TAP goes to the driver at once on nook_netif_tx_now(),
 * without a loop pass; a stopped queue still holds it back.
 */
static void test_tx_now_sends_without_the_loop(void **state)
{
	struct fixture *f = *state;

	open_link(f);
	send_frame(f, 5);
	tx_now_until_xmits(f, 1);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(f->drv.last[14], 5);
	/* Nothing left: another call sends nothing and fails nothing. */
	assert_int_equal(nook_netif_tx_now(f->netif), 0);
	assert_int_equal(f->drv.xmits, 1);

	nook_netif_stop_queue(f->netif);
	send_frame(f, 6);
	assert_int_equal(nook_netif_tx_now(f->netif), 0);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(nook_netif_wake_queue(f->netif), 0);
	tx_now_until_xmits(f, 2);
	assert_int_equal(f->drv.xmits, 2);
	assert_int_equal(f->drv.last[14], 6);
}

/* The frames the kernel dropped on the TAP itself (its ring full): tx_dropped of the link. */
static uint64_t tap_kernel_tx_dropped(struct fixture *f)
{
	struct ifaddrs *ifa, *i;
	uint64_t n = UINT64_MAX;

	assert_int_equal(getifaddrs(&ifa), 0);
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET && i->ifa_data &&
		    strcmp(i->ifa_name, f->name) == 0)
			n = ((struct rtnl_link_stats *)i->ifa_data)->tx_dropped;
	freeifaddrs(ifa);
	assert_true(n != UINT64_MAX);
	return n;
}

/* Run the loop until nothing is left for it to do now. */
static void run_until_idle(struct fixture *f)
{
	int r;

	while ((r = nook_loop_run_once(f->loop, 5000000)) > 0)
		;
	assert_true(r >= 0);
}

/*
 * Behind a stopped queue the TAP is read on, into a fair backlog: a flood of one flow past
 * what the TAP's own ring holds (500 frames) costs that flow its oldest frames, not a lone
 * frame of another flow sent after it; the kernel drops nothing at the TAP.
 */
static void test_stopped_queue_drops_from_the_bulk_flow(void **state)
{
	static const uint8_t bulk[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x09 };
	struct fixture *f = *state;
	struct nook_netif_stats st;
	int flood = NOOK_TXQ_MAX_FRAMES + 200;

	open_link(f);
	run_until_idle(f); /* what the kernel sends on a new link first (IPv6's) */
	nook_netif_stop_queue(f->netif);
	for (int i = 0; i < flood; i++) {
		send_frame_to(f, bulk, 1);
		if (i % 50 == 49)
			run_until_idle(f);
	}
	send_frame_to(f, other, 0xaa);
	run_until_idle(f);
	assert_int_equal(f->drv.xmits, 0);
	assert_int_equal(tap_kernel_tx_dropped(f), 0);
	/* What nookd is told waits for the stopped queue (STATS' tx_waiting). */
	assert_int_equal(nook_netif_tx_waiting(f->netif), NOOK_TXQ_MAX_FRAMES);

	assert_int_equal(nook_netif_wake_queue(f->netif), 0);
	run_until_xmits(f, NOOK_TXQ_MAX_FRAMES);
	assert_int_equal(nook_netif_tx_waiting(f->netif), 0);
	assert_int_equal(f->drv.seen[0xaa], 1);
	/* The backlog was full (the kernel's own frames may have had a place in it too), and
	 * every frame it dropped was the bulk flow's. */
	assert_true(f->drv.seen[1] <= NOOK_TXQ_MAX_FRAMES - 1);
	assert_true(f->drv.seen[1] + f->drv.others >= NOOK_TXQ_MAX_FRAMES - 1);
	nook_netif_get_stats(f->netif, &st);
	assert_int_equal(st.tx_backlog_dropped, flood - f->drv.seen[1]);
	assert_int_equal(st.tx_dropped, st.tx_backlog_dropped);
}

static void test_busy_frame_is_offered_again(void **state)
{
	struct fixture *f = *state;

	open_link(f);
	f->drv.xmit_result = -EBUSY;
	send_frame(f, 7);
	for (int i = 0; i < 10 && !nook_netif_queue_stopped(f->netif); i++)
		assert_true(nook_loop_run_once(f->loop, 20000000) >= 0);
	assert_true(nook_netif_queue_stopped(f->netif));
	assert_int_equal(f->drv.xmits, 0);

	/* Frames sent behind the refused one wait in the backlog, and leave it intact. */
	send_frame(f, 8);
	send_frame(f, 9);
	for (int i = 0; i < 50 && nook_netif_tx_waiting(f->netif) < 3; i++)
		assert_true(nook_loop_run_once(f->loop, 20000000) >= 0);
	assert_int_equal(nook_netif_tx_waiting(f->netif), 3);

	f->drv.xmit_result = 0;
	assert_int_equal(nook_netif_wake_queue(f->netif), 0);
	run_until_xmits(f, 3);
	assert_int_equal(f->drv.xmits, 3);
	assert_memory_equal(f->drv.order, "\x07\x08\x09", 3);
}

static void test_rx_reaches_the_stack(void **state)
{
	struct fixture *f = *state;
	uint8_t frame[60] = { 0 }, buf[2048];
	struct nook_netif_stats st;
	ssize_t n = -1;

	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x03", 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	memcpy(frame + 14, "from-the-nic", 12);
	assert_int_equal(nook_netif_rx(f->netif, NULL, frame, sizeof(frame)), 0);
	for (int i = 0; i < 100; i++) {
		n = recv(f->packet_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 && memcmp(buf + 14, "from-the-nic", 12) == 0)
			break;
		usleep(1000);
	}
	assert_int_equal(n, 60);
	nook_netif_get_stats(f->netif, &st);
	assert_int_equal(st.rx_frames, 1);
}

/* A frame from the interface's own address (a NIC that hears itself) is counted apart. */
static void test_rx_from_own_address_is_counted(void **state)
{
	struct fixture *f = *state;
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x03 };
	uint8_t frame[60] = { 0 };
	struct nook_netif_stats st;

	memset(frame, 0xff, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	memcpy(frame + 6, other, 6);
	assert_int_equal(nook_netif_rx(f->netif, NULL, frame, sizeof(frame)), 0);
	memcpy(frame + 6, nook_netif_link(f->netif)->mac, 6);
	assert_int_equal(nook_netif_rx(f->netif, NULL, frame, sizeof(frame)), 0);
	assert_int_equal(nook_netif_rx(f->netif, NULL, frame, sizeof(frame)), 0);
	nook_netif_get_stats(f->netif, &st);
	assert_int_equal(st.rx_own, 2);
}

static void test_rx_header_the_kernel_refuses_is_counted(void **state)
{
	struct fixture *f = *state;
	struct virtio_net_hdr bad = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 0 };
	uint8_t frame[60] = { 0 };
	struct nook_netif_stats st;

	memset(frame, 0xff, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	/* Segmentation of size 0 means nothing: the TAP refuses the frame, we count it. */
	assert_true(nook_netif_rx(f->netif, &bad, frame, sizeof(frame)) < 0);
	nook_netif_get_stats(f->netif, &st);
	assert_int_equal(st.rx_dropped, 1);
	assert_int_equal(st.rx_frames, 0);
}

/* --- receive coalescing (gro.h), with a recording output */

static struct {
	int n;
	struct virtio_net_hdr hdr[64];
	size_t len[64];
	uint8_t *frame[64];
	int result;
} out;

static int record_out(void *ctx, const struct virtio_net_hdr *hdr, const struct iovec *iov,
		      int iovcnt)
{
	size_t len = 0;

	assert_true(out.n < 64);
	out.hdr[out.n] = hdr ? *hdr : (struct virtio_net_hdr){ 0 };
	out.frame[out.n] = malloc(65536 + 14);
	for (int i = 0; i < iovcnt; i++) {
		memcpy(out.frame[out.n] + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	out.len[out.n++] = len;
	return out.result;
}

static int gro_setup(void **state)
{
	struct nook_gro *g;

	memset(&out, 0, sizeof(out));
	assert_int_equal(nook_gro_new(record_out, NULL, &g), 0);
	*state = g;
	return 0;
}

static int gro_teardown(void **state)
{
	nook_gro_free(*state);
	for (int i = 0; i < out.n; i++)
		free(out.frame[i]);
	return 0;
}

/*
 * Frames handed to the coalescer stay where they are until the flush (it gathers, it does
 * not copy): each test frame gets a buffer of its own from here.
 */
static uint8_t pool[256][2048];
static unsigned int pool_next;

static uint8_t *fresh(void)
{
	return pool[pool_next++ % 256];
}

static uint16_t fold16(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The one's complement sum of big-endian 16-bit words, unfolded. */
static uint32_t sum_be(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint32_t pseudo_be(const uint8_t *ip, unsigned int tcp_len)
{
	return sum_be(ip + 12, 8, 0) + IPPROTO_TCP + tcp_len;
}

/*
 * Ethernet + IPv4 (DF) + TCP with a timestamp option + @plen payload bytes (the sequence
 * number's low bits, so merged payloads can be checked), checksums right.
 */
static size_t tcp_seg(uint8_t *f, uint32_t seq, unsigned int plen, uint8_t flags)
{
	/* Built aligned, then copied to where a frame's IP header lies (2 bytes off). */
	struct iphdr ip = {
		.version = 4,
		.ihl = 5,
		.tot_len = htons((uint16_t)(20 + 32 + plen)),
		.id = htons((uint16_t)seq),
		.frag_off = htons(IP_DF),
		.ttl = 64,
		.protocol = IPPROTO_TCP,
		.saddr = htonl(0xc0000202),
		.daddr = htonl(0xc0000201),
	};
	uint8_t *th = f + 34;
	unsigned int tcp_len = 32 + plen;
	uint16_t c;

	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	c = htons((uint16_t)~fold16(sum_be((uint8_t *)&ip, 20, 0)));
	memcpy(&ip.check, &c, 2);
	memcpy(f + 14, &ip, sizeof(ip));
	memset(th, 0, 32);
	th[1] = 80; /* ports 80 -> 40000 */
	th[2] = 40000 >> 8;
	th[3] = 40000 & 0xff;
	for (int i = 0; i < 4; i++)
		th[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	th[8] = 0x12;	 /* ack */
	th[12] = 8 << 4; /* 32 bytes: NOP NOP timestamps */
	th[13] = flags;
	th[14] = 0x01; /* window */
	memcpy(th + 20, "\x01\x01\x08\x0a\x00\x00\x00\x07\x00\x00\x00\x09", 12);
	for (unsigned int i = 0; i < plen; i++)
		th[32 + i] = (uint8_t)(seq + i);
	c = htons((uint16_t)~fold16(sum_be(th, tcp_len, pseudo_be(f + 14, tcp_len))));
	memcpy(th + 16, &c, 2);
	return 34 + tcp_len;
}

#define ACK 0x10
#define PSH 0x08

/* What the kernel would do with a NEEDS_CSUM frame: finish the checksum; true if right. */
static bool completes_right(uint8_t *f, size_t len, const struct virtio_net_hdr *h)
{
	unsigned int tcp_len = (unsigned int)len - 34;
	uint16_t c;

	if (!(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || h->csum_start != 34 ||
	    h->csum_offset != 16)
		return false;
	c = htons((uint16_t)~fold16(sum_be(f + 34, tcp_len, 0)));
	memcpy(f + 34 + 16, &c, 2);
	return fold16(sum_be(f + 34, tcp_len, pseudo_be(f + 14, tcp_len))) == 0xffff &&
	       fold16(sum_be(f + 14, 20, 0)) == 0xffff && (size_t)(f[16] << 8 | f[17]) == len - 14;
}

static void test_gro_merges_a_burst_of_segments(void **state)
{
	struct nook_gro *g = *state;
	struct nook_gro_stats st;
	uint8_t *f;
	uint32_t seq = 1000;

	for (int i = 0; i < 10; i++, seq += 1448) {
		f = fresh();
		assert_int_equal(nook_gro_rx(g, NULL, f, tcp_seg(f, seq, 1448, ACK)), 0);
	}
	/* Held until the burst ends. */
	assert_int_equal(out.n, 0);
	assert_int_equal(nook_gro_flush(g), 0);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.len[0], 66 + 10 * 1448);
	assert_int_equal(out.hdr[0].gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(out.hdr[0].gso_size, 1448);
	assert_true(completes_right(out.frame[0], out.len[0], &out.hdr[0]));
	/* The payloads follow each other in sequence order. */
	for (unsigned int i = 0; i < 10 * 1448; i++)
		assert_int_equal(out.frame[0][66 + i], (uint8_t)(1000 + i));
	nook_gro_get_stats(g, &st);
	assert_int_equal(st.merged, 10);
	assert_int_equal(st.frames, 1);
	/* Nothing more to flush. */
	assert_int_equal(nook_gro_flush(g), 0);
	assert_int_equal(out.n, 1);
}

static void test_gro_psh_or_short_segment_ends_the_frame(void **state)
{
	struct nook_gro *g = *state;
	uint8_t *f;

	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 0, 1448, ACK));
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 1448, 1448, ACK));
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 2896, 1448, ACK | PSH));
	assert_int_equal(out.n, 1);
	assert_int_equal(out.len[0], 66 + 3 * 1448);
	assert_int_equal(out.frame[0][34 + 13], ACK | PSH);
	assert_true(completes_right(out.frame[0], out.len[0], &out.hdr[0]));

	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 4344, 1448, ACK));
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 5792, 500, ACK));
	assert_int_equal(out.n, 2);
	assert_int_equal(out.len[1], 66 + 1948);
}

static void test_gro_keeps_order_on_what_it_cannot_merge(void **state)
{
	struct nook_gro *g = *state;
	struct nook_gro_stats st;
	uint8_t *f, arp[60] = { 0 };

	arp[12] = 0x08;
	arp[13] = 0x06;
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 0, 1448, ACK));
	/* Another protocol passes at once, the flow stays held. */
	nook_gro_rx(g, NULL, arp, sizeof(arp));
	assert_int_equal(out.n, 1);
	assert_int_equal(out.len[0], 60);
	/* A gap in the sequence: what was held goes first, the new segment starts over. */
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 3000, 1448, ACK));
	assert_int_equal(out.n, 2);
	assert_int_equal(out.len[1], 66 + 1448);
	assert_true(completes_right(out.frame[1], out.len[1], &out.hdr[1]));
	/* A bad checksum: the held one first, then the bad one as it came, unmerged. */
	f = fresh();
	tcp_seg(f, 4448, 1448, ACK);
	f[100] ^= 0xff;
	nook_gro_rx(g, NULL, f, 66 + 1448);
	assert_int_equal(out.n, 4);
	assert_int_equal(out.hdr[3].flags, 0);
	assert_memory_equal(out.frame[3], f, 66 + 1448);
	nook_gro_get_stats(g, &st);
	assert_int_equal(st.bad_csum, 1);
	/* A pure ACK of the flow flushes nothing held and passes. */
	f = fresh();
	nook_gro_rx(g, NULL, f, tcp_seg(f, 5896, 0, ACK));
	assert_int_equal(out.n, 5);
	assert_int_equal(nook_gro_flush(g), 0);
	assert_int_equal(out.n, 5);
}

static void test_gro_trusts_what_the_nic_checked(void **state)
{
	struct nook_gro *g = *state;
	struct virtio_net_hdr valid = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	uint8_t *f;

	/* A NIC that checked the checksums spares the work: even a wrong one here merges. */
	f = fresh();
	nook_gro_rx(g, &valid, f, tcp_seg(f, 0, 1448, ACK));
	f = fresh();
	tcp_seg(f, 1448, 1448, ACK);
	f[50] ^= 1;
	nook_gro_rx(g, &valid, f, 66 + 1448);
	nook_gro_flush(g);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.len[0], 66 + 2 * 1448);
}

/* Random frames, some of them nearly TCP: every byte given out once, nothing crashes. */
static void test_gro_survives_random_frames(void **state)
{
	struct nook_gro *g = *state;
	uint32_t x = 99, seq = 0;

	for (int i = 0; i < 20000; i++) {
		uint8_t *f = fresh();
		size_t len;

		x = x * 1103515245 + 12345;
		len = tcp_seg(f, (x & 3) ? seq : x, (x >> 4) % 1449, (x & 64) ? ACK | PSH : ACK);
		seq += (unsigned int)len - 66;
		x = x * 1103515245 + 12345;
		if (x & 1)
			f[(x >> 8) % len] = (uint8_t)(x >> 16);
		if (x & 2)
			len = (x >> 12) % len;
		if (out.n > 60) {
			for (int k = 0; k < out.n; k++)
				free(out.frame[k]);
			out.n = 0;
		}
		nook_gro_rx(g, NULL, f, len);
		/* A burst ends before the pool comes round to a frame still held. */
		if (i % 200 == 199)
			nook_gro_flush(g);
	}
	nook_gro_flush(g);
}

/* A long run of segments goes out in frames of at most NOOK_GRO_MAX_SEGS, in order. */
static void test_gro_caps_segments_per_frame(void **state)
{
	struct nook_gro *g = *state;
	unsigned int total = NOOK_GRO_MAX_SEGS + 10;

	for (unsigned int i = 0; i < total; i++) {
		uint8_t *f = fresh();

		assert_int_equal(nook_gro_rx(g, NULL, f, tcp_seg(f, 100 * i, 100, ACK)), 0);
	}
	assert_int_equal(out.n, 1);
	assert_int_equal(out.len[0], 66 + NOOK_GRO_MAX_SEGS * 100);
	assert_int_equal(out.hdr[0].gso_size, 100);
	assert_true(completes_right(out.frame[0], out.len[0], &out.hdr[0]));
	assert_int_equal(nook_gro_flush(g), 0);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.len[1], 66 + 10 * 100);
	for (unsigned int i = 0; i < 10 * 100; i++)
		assert_int_equal(out.frame[1][66 + i], (uint8_t)(100 * NOOK_GRO_MAX_SEGS + i));
}

static void test_merged_frame_reaches_the_stack(void **state)
{
	struct fixture *f = *state;
	struct nook_netif_stats st;
	uint8_t buf[8192];
	ssize_t n = -1;

	for (int i = 0; i < 4; i++) {
		uint8_t *frame = fresh();

		assert_int_equal(nook_netif_rx(f->netif, NULL, frame,
					       tcp_seg(frame, 1448u * i, 1448, ACK)),
				 0);
	}
	nook_netif_rx_flush(f->netif);
	/* The kernel took one frame with all four payloads. */
	for (int i = 0; i < 100; i++) {
		n = recv(f->packet_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 14 && buf[12] == 0x08 && buf[13] == 0x00)
			break;
		usleep(1000);
	}
	assert_int_equal(n, 66 + 4 * 1448);
	nook_netif_get_stats(f->netif, &st);
	assert_int_equal(st.rx_frames, 1);
	assert_int_equal(st.rx_merged, 4);
	assert_int_equal(st.rx_dropped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_changes_in_linux_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_mtu_leaves_link_true, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_frames_before_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_frames_without_carrier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_reach_xmit_while_queue_awake, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_now_sends_without_the_loop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_busy_frame_is_offered_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped_queue_drops_from_the_bulk_flow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_reaches_the_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_from_own_address_is_counted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_header_the_kernel_refuses_is_counted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_merged_frame_reaches_the_stack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gro_merges_a_burst_of_segments, gro_setup,
						gro_teardown),
		cmocka_unit_test_setup_teardown(test_gro_psh_or_short_segment_ends_the_frame,
						gro_setup, gro_teardown),
		cmocka_unit_test_setup_teardown(test_gro_keeps_order_on_what_it_cannot_merge,
						gro_setup, gro_teardown),
		cmocka_unit_test_setup_teardown(test_gro_caps_segments_per_frame, gro_setup,
						gro_teardown),
		cmocka_unit_test_setup_teardown(test_gro_trusts_what_the_nic_checked, gro_setup,
						gro_teardown),
		cmocka_unit_test_setup_teardown(test_gro_survives_random_frames, gro_setup,
						gro_teardown),
	};

	netns_enter_or_skip("netif");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
