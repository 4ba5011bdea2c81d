// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shims/net/tap: run in a network namespace of their own, so they need root
 * and /dev/net/tun; without them the whole test skips (exit 77) and says why.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
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

#include "netns.h"
#include "tap.h"

static int if_flags(const char *ifname, short set, short *ret)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	if (!r && set) {
		ifr.ifr_flags |= set;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			r = -errno;
	}
	if (!r && ret)
		*ret = ifr.ifr_flags;
	close(s);
	return r;
}

/* Carrier changes reach the flags through linkwatch, which may take up to a second. */
static int wait_running(const char *ifname, int want)
{
	short flags = 0;

	for (int i = 0; i < 300; i++) {
		if (if_flags(ifname, 0, &flags) < 0)
			return -1;
		if (!!(flags & IFF_RUNNING) == want)
			return want;
		usleep(10000);
	}
	return !want;
}

static void test_open_names_and_mac(void **state)
{
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	char name[IFNAMSIZ];
	uint8_t got[6];
	int fd = -1;

	assert_int_equal(nook_tap_open("nooktest0", name, &fd), 0);
	assert_string_equal(name, "nooktest0");
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(nook_tap_set_mac(fd, mac), 0);
	assert_int_equal(nook_tap_get_mac(fd, got), 0);
	assert_memory_equal(got, mac, 6);
	close(fd);

	/* No name: the kernel picks one. */
	assert_int_equal(nook_tap_open(NULL, name, &fd), 0);
	assert_true(strncmp(name, "tap", 3) == 0);
	close(fd);

	assert_int_equal(nook_tap_open("a-name-much-too-long-for-linux", name, &fd), -ENAMETOOLONG);
}

static void test_mtu_and_carrier(void **state)
{
	char name[IFNAMSIZ];
	unsigned int mtu = 0;
	int fd;

	assert_int_equal(nook_tap_open("nooktest1", name, &fd), 0);
	assert_int_equal(nook_tap_set_mtu(name, 1400), 0);
	assert_int_equal(nook_tap_get_mtu(name, &mtu), 0);
	assert_int_equal(mtu, 1400);
	assert_int_equal(nook_tap_get_mtu("nosuchif0", &mtu), -ENODEV);

	/* The carrier shows as IFF_RUNNING once the interface is up. */
	assert_int_equal(if_flags(name, IFF_UP, NULL), 0);
	assert_int_equal(nook_tap_set_carrier(fd, false), 0);
	assert_int_equal(wait_running(name, 0), 0);
	assert_int_equal(nook_tap_set_carrier(fd, true), 0);
	assert_int_equal(wait_running(name, 1), 1);
	close(fd);
}

static void test_frames_cross(void **state)
{
	unsigned char frame[60] = { 0 }, buf[2048];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char name[IFNAMSIZ];
	ssize_t n = -1;
	int fd, ps;

	assert_int_equal(nook_tap_open("nooktest2", name, &fd), 0);
	assert_int_equal(if_flags(name, IFF_UP, NULL), 0);
	ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(ps >= 0);
	sll.sll_ifindex = (int)if_nametoindex(name);
	assert_int_equal(bind(ps, (struct sockaddr *)&sll, sizeof(sll)), 0);

	/* Kernel -> TAP fd: what the stack sends on the interface is read from the fd. */
	memset(frame, 0xff, 6);
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x01", 6);
	frame[12] = 0x88;
	frame[13] = 0xb5; /* local experimental ethertype */
	memcpy(frame + 14, "nook-to-fd", 10);
	assert_int_equal(send(ps, frame, sizeof(frame), 0), sizeof(frame));
	for (int i = 0; i < 100; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0 && buf[12] == 0x88 && buf[13] == 0xb5)
			break;
		usleep(1000);
	}
	assert_int_equal(n, sizeof(frame));
	assert_memory_equal(buf, frame, sizeof(frame));

	/* TAP fd -> kernel: a frame written to the fd is received on the interface. */
	memcpy(frame + 14, "fd-to-nook", 10);
	assert_int_equal(write(fd, frame, sizeof(frame)), sizeof(frame));
	n = -1;
	for (int i = 0; i < 100; i++) {
		n = recv(ps, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 && memcmp(buf + 14, "fd-to-nook", 10) == 0)
			break;
		usleep(1000);
	}
	assert_int_equal(n, sizeof(frame));
	close(ps);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_names_and_mac),
		cmocka_unit_test(test_mtu_and_carrier),
		cmocka_unit_test(test_frames_cross),
	};

	netns_enter_or_skip("TAP");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
