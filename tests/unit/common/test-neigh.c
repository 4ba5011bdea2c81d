// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/net/neigh: the kernel asked to probe a neighbour again, seen as the
 * ARP request it sends out of a TAP interface. In a network namespace of their own (root
 * and /dev/net/tun; otherwise the test skips, exit 77), with ip(8) setting the stage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "netns.h"
#include "common/net/neigh.h"
#include "common/net/tap.h"

static char ifname[IFNAMSIZ];
static int tap = -1, ifindex;

static void run(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* The next ARP frame the interface sends, within 2 s: 1, its target and destination MAC. */
static int next_arp(struct in_addr *ret_target, uint8_t ret_dst[6])
{
	uint8_t buf[2048];
	struct pollfd p = { .fd = tap, .events = POLLIN };

	for (int i = 0; i < 50 && poll(&p, 1, 2000) == 1; i++) {
		ssize_t n = read(tap, buf, sizeof(buf));
		const uint8_t *f = buf + sizeof(struct virtio_net_hdr);

		if (n < (ssize_t)(sizeof(struct virtio_net_hdr) + 42) || f[12] != 0x08 ||
		    f[13] != 0x06)
			continue;
		memcpy(ret_dst, f, 6);
		memcpy(ret_target, f + 14 + 24, 4);
		return 1;
	}
	return 0;
}

static int setup(void **state)
{
	uint8_t drain[2048];

	assert_int_equal(nook_tap_open("nookn%d", ifname, &tap), 0);
	fcntl(tap, F_SETFL, O_NONBLOCK);
	ifindex = (int)if_nametoindex(ifname);
	run("ip link set %s up && ip addr add 10.9.0.1/24 dev %s", ifname, ifname);
	usleep(100000);
	while (read(tap, drain, sizeof(drain)) > 0) /* what a new link sends first */
		;
	return 0;
}

static int teardown(void **state)
{
	close(tap);
	return 0;
}

static void test_nobody_to_ask(void **state)
{
	struct nook_neigh n;

	assert_int_equal(nook_neigh_pick(ifindex, &n), -ENOENT);
	/* a static entry is not a neighbour that answered */
	run("ip neigh add 10.9.0.9 lladdr 02:00:00:00:00:09 dev %s", ifname);
	assert_int_equal(nook_neigh_pick(ifindex, &n), -ENOENT);
}

/* A neighbour the kernel learned (stale, here) is probed at once: an ARP request, to it. */
static void test_a_learned_neighbour_is_probed(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct nook_neigh n, other;
	struct in_addr target;
	uint8_t dst[6];

	run("ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 nud stale dev %s", ifname);
	assert_int_equal(nook_neigh_pick(ifindex, &n), 0);
	assert_string_equal(inet_ntoa(n.ip), "10.9.0.2");
	assert_memory_equal(n.mac, mac, 6);
	assert_int_equal(nook_neigh_probe(ifindex, &n), 0);
	assert_int_equal(next_arp(&target, dst), 1);
	assert_string_equal(inet_ntoa(target), "10.9.0.2");
	assert_memory_equal(dst, mac, 6); /* unicast, to the address it answered from */
	/* another interface's index has no neighbours */
	assert_int_equal(nook_neigh_pick(ifindex + 1000, &other), -ENOENT);
}

/* One the kernel let go (its probes unanswered) is asked again from what was remembered. */
static void test_a_forgotten_neighbour_is_asked_again(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x03 };
	struct nook_neigh n;
	struct in_addr target;
	uint8_t dst[6];

	run("ip neigh add 10.9.0.3 lladdr 02:00:00:00:00:03 nud stale dev %s", ifname);
	assert_int_equal(nook_neigh_pick(ifindex, &n), 0);
	run("ip neigh del 10.9.0.3 dev %s", ifname);
	assert_int_equal(nook_neigh_probe(ifindex, &n), 0);
	assert_int_equal(next_arp(&target, dst), 1);
	assert_string_equal(inet_ntoa(target), "10.9.0.3");
	assert_memory_equal(dst, mac, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nobody_to_ask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_learned_neighbour_is_probed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_forgotten_neighbour_is_asked_again, setup,
						teardown),
	};

	netns_enter_or_skip("neigh");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
