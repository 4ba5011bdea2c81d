// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/net/link-watch: `ip link` changes to a TAP interface, seen on
 * rtnetlink. They run in a network namespace of their own (root and /dev/net/tun needed;
 * otherwise the test skips with exit 77).
 */
#include <errno.h>
#include <stdbool.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/net/link-watch.h"
#include "netns.h"
#include "common/net/tap.h"

static int ioctl_if(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	strncpy(ifr->ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(s, req, ifr) < 0)
		r = -errno;
	close(s);
	return r;
}

static int set_flags(const char *ifname, short set, short clear)
{
	struct ifreq ifr = { 0 };
	int r = ioctl_if(ifname, SIOCGIFFLAGS, &ifr);

	if (r < 0)
		return r;
	ifr.ifr_flags = (short)((ifr.ifr_flags | set) & ~clear);
	return ioctl_if(ifname, SIOCSIFFLAGS, &ifr);
}

/*
 * Read the watch until @cond holds of the link (true), or a second passes (false). The
 * kernel may send several messages for one change (e.g. operstate after IFF_UP).
 */
#define WATCH_UNTIL(fd, link, cond)                                           \
	({                                                                    \
		bool ok_ = false;                                             \
		for (int i_ = 0; i_ < 200 && !ok_; i_++) {                    \
			assert_true(nook_link_watch_read((fd), (link)) >= 0); \
			ok_ = (cond);                                         \
			if (!ok_)                                             \
				usleep(5000);                                 \
		}                                                             \
		ok_;                                                          \
	})

static void test_watch_follows_ip_link(void **state)
{
	const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	char name[IFNAMSIZ];
	struct nook_link link;
	int tap, watch;

	assert_int_equal(nook_tap_open("nookwatch0", name, &tap), 0);
	assert_int_equal(nook_link_watch_open(&watch), 0);
	assert_int_equal(nook_link_query((int)if_nametoindex(name), &link), 0);
	assert_string_equal(link.ifname, "nookwatch0");
	assert_int_equal(link.mtu, 1500);
	assert_false(link.flags & IFF_UP);

	assert_int_equal(set_flags(name, IFF_UP, 0), 0);
	assert_true(WATCH_UNTIL(watch, &link, link.flags & IFF_UP));

	assert_int_equal(nook_tap_set_mtu(name, 1400), 0);
	assert_true(WATCH_UNTIL(watch, &link, link.mtu == 1400));

	assert_int_equal(nook_tap_set_mac(tap, mac), 0);
	assert_true(WATCH_UNTIL(watch, &link, memcmp(link.mac, mac, 6) == 0));

	assert_int_equal(set_flags(name, IFF_PROMISC, 0), 0);
	assert_true(WATCH_UNTIL(watch, &link, link.flags & IFF_PROMISC));

	assert_int_equal(set_flags(name, 0, IFF_UP), 0);
	assert_true(WATCH_UNTIL(watch, &link, !(link.flags & IFF_UP)));
	/* The state keeps what earlier changes set. */
	assert_int_equal(link.mtu, 1400);

	/* Closing a non-persistent TAP deletes the interface. */
	close(tap);
	assert_true(WATCH_UNTIL(watch, &link, link.gone));
	close(watch);
}

static void test_query_unknown_interface(void **state)
{
	struct nook_link link;

	assert_int_equal(nook_link_query(999999, &link), -ENODEV);
}

static void test_multicast_list(void **state)
{
	const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	uint8_t addrs[16][6];
	struct ifreq ifr = { 0 };
	char name[IFNAMSIZ];
	size_t n = 0;
	int tap, found = 0;

	assert_int_equal(nook_tap_open("nookmc0", name, &tap), 0);
	assert_int_equal(set_flags(name, IFF_UP, 0), 0);
	ifr.ifr_hwaddr.sa_family = AF_UNSPEC;
	memcpy(ifr.ifr_hwaddr.sa_data, group, 6);
	assert_int_equal(ioctl_if(name, SIOCADDMULTI, &ifr), 0);

	assert_int_equal(nook_link_mc_list(NULL, name, addrs, 16, &n), 0);
	for (size_t i = 0; i < n && i < 16; i++)
		found |= memcmp(addrs[i], group, 6) == 0;
	assert_true(found);

	assert_int_equal(ioctl_if(name, SIOCDELMULTI, &ifr), 0);
	assert_int_equal(nook_link_mc_list(NULL, name, addrs, 16, &n), 0);
	found = 0;
	for (size_t i = 0; i < n && i < 16; i++)
		found |= memcmp(addrs[i], group, 6) == 0;
	assert_false(found);
	close(tap);
}

static void test_multicast_list_parsing(void **state)
{
	char path[] = "/tmp/nook-dev-mcast-XXXXXX";
	uint8_t addrs[1][6];
	size_t n = 0;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("2    eth0            1     0     333300000001\n"
	      "2    eth0            1     0     01005e000001\n"
	      "3    eth1            1     0     01005e000001\n"
	      "garbage line\n"
	      "2    eth0            1     0     zz\n",
	      f);
	fclose(f);
	/* Two entries for eth0; only the first fits; the count says two. */
	assert_int_equal(nook_link_mc_list(path, "eth0", addrs, 1, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(addrs[0], "\x33\x33\x00\x00\x00\x01", 6);
	assert_int_equal(nook_link_mc_list("/nonexistent/dev_mcast", "eth0", addrs, 1, &n),
			 -ENOENT);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_follows_ip_link),
		cmocka_unit_test(test_query_unknown_interface),
		cmocka_unit_test(test_multicast_list),
		cmocka_unit_test(test_multicast_list_parsing),
	};

	netns_enter_or_skip("link");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
