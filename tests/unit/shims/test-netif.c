// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shims/net/netif: a TAP interface in front of a driver, with the driver's
 * side played by recording callbacks. They run in a network namespace of their own (root
 * and /dev/net/tun needed; otherwise the test skips with exit 77).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
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

#include "loop.h"
#include "netif.h"
#include "netns.h"
#include "tap.h"
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
	if (len < 15 || f[12] != 0x88 || f[13] != 0xb5)
		return 0;
	if (d->xmit_result)
		return d->xmit_result;
	d->xmits++;
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

static void test_frames_reach_xmit_while_queue_awake(void **state)
{
	struct fixture *f = *state;

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

static void test_busy_frame_is_offered_again(void **state)
{
	struct fixture *f = *state;

	f->drv.xmit_result = -EBUSY;
	send_frame(f, 7);
	for (int i = 0; i < 10 && !nook_netif_queue_stopped(f->netif); i++)
		assert_true(nook_loop_run_once(f->loop, 20000000) >= 0);
	assert_true(nook_netif_queue_stopped(f->netif));
	assert_int_equal(f->drv.xmits, 0);

	f->drv.xmit_result = 0;
	assert_int_equal(nook_netif_wake_queue(f->netif), 0);
	run_until_xmits(f, 1);
	assert_int_equal(f->drv.xmits, 1);
	assert_int_equal(f->drv.last[14], 7);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_changes_in_linux_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_mtu_leaves_link_true, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_reach_xmit_while_queue_awake, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_busy_frame_is_offered_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_reaches_the_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rx_header_the_kernel_refuses_is_counted, setup,
						teardown),
	};

	netns_enter_or_skip("netif");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
