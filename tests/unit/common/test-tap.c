// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of common/net/tap: run in a network namespace of their own, so they need root
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
#include <sys/uio.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "netns.h"
#include "common/net/tap.h"

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

/* The next frame of @ethertype (and IP protocol @proto, if not 0) read from @fd, bounded. */
static ssize_t read_frame(int fd, struct virtio_net_hdr *hdr, unsigned char *buf, size_t size,
			  unsigned int ethertype, unsigned int proto)
{
	for (int i = 0; i < 200; i++) {
		struct iovec iov[2] = { { hdr, sizeof(*hdr) }, { buf, size } };
		ssize_t n = readv(fd, iov, 2);

		if (n > (ssize_t)sizeof(*hdr) + 24 && buf[12] == ethertype >> 8 &&
		    buf[13] == (ethertype & 0xff) && (!proto || buf[14 + 9] == proto))
			return n - (ssize_t)sizeof(*hdr);
		if (n < 0)
			usleep(1000);
	}
	return -1;
}

static void test_frames_cross(void **state)
{
	struct virtio_net_hdr hdr;
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
	n = read_frame(fd, &hdr, buf, sizeof(buf), 0x88b5, 0);
	/* Each frame comes after a header; a whole frame has nothing for us to do. */
	assert_int_equal(n, sizeof(frame));
	assert_memory_equal(buf, frame, sizeof(frame));
	assert_int_equal(hdr.flags, 0);
	assert_int_equal(hdr.gso_type, VIRTIO_NET_HDR_GSO_NONE);

	/* TAP fd -> kernel: a frame written to the fd (after its header) is received. */
	memcpy(frame + 14, "fd-to-nook", 10);
	memset(&hdr, 0, sizeof(hdr));
	assert_int_equal(writev(fd,
				(struct iovec[]){ { &hdr, sizeof(hdr) }, { frame, sizeof(frame) } },
				2),
			 sizeof(hdr) + sizeof(frame));
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

static void set_ipv4(const char *ifname, const char *addr, const char *neigh)
{
	struct ifreq ifr = { 0 };
	struct arpreq arp = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	assert_int_equal(ioctl(s, SIOCSIFADDR, &ifr), 0);
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	assert_int_equal(ioctl(s, SIOCSIFNETMASK, &ifr), 0);
	/* A fixed neighbour, so datagrams to it go out without ARP. */
	sin = (struct sockaddr_in *)&arp.arp_pa;
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, neigh, &sin->sin_addr);
	arp.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(arp.arp_ha.sa_data, "\x02\x00\x00\x00\x00\x09", 6);
	arp.arp_flags = ATF_COM | ATF_PERM;
	snprintf(arp.arp_dev, sizeof(arp.arp_dev), "%s", ifname);
	assert_int_equal(ioctl(s, SIOCSARP, &arp), 0);
	close(s);
}

/* A UDP datagram to 192.0.2.2 port 9 through the interface; its frame as read from @fd. */
static ssize_t udp_through(int fd, struct virtio_net_hdr *hdr, unsigned char *buf, size_t size)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	char payload[300];
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(payload, 'n', sizeof(payload));
	inet_pton(AF_INET, "192.0.2.2", &to.sin_addr);
	assert_int_equal(sendto(s, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to)),
			 sizeof(payload));
	close(s);
	return read_frame(fd, hdr, buf, size, 0x0800, 17);
}

static void test_offload_leaves_work_to_the_reader(void **state)
{
	unsigned char buf[2048];
	struct virtio_net_hdr hdr;
	char name[IFNAMSIZ];
	int fd;

	assert_int_equal(nook_tap_open("nooktest3", name, &fd), 0);
	assert_int_equal(if_flags(name, IFF_UP, NULL), 0);
	set_ipv4(name, "192.0.2.1", "192.0.2.2");

	/* Nothing offered: the kernel checksums the datagram itself. */
	assert_int_equal(udp_through(fd, &hdr, buf, sizeof(buf)), 14 + 20 + 8 + 300);
	assert_int_equal(hdr.flags, 0);

	/* Checksums offered: the kernel leaves UDP's to us and says where it goes. */
	assert_int_equal(nook_tap_set_offload(fd, TUN_F_CSUM), 0);
	assert_int_equal(udp_through(fd, &hdr, buf, sizeof(buf)), 14 + 20 + 8 + 300);
	assert_true(hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(hdr.csum_start, 14 + 20);
	assert_int_equal(hdr.csum_offset, 6);

	/* Segmentation cannot be offered without checksums. */
	assert_int_equal(nook_tap_set_offload(fd, TUN_F_TSO4), -EINVAL);
	assert_int_equal(nook_tap_set_offload(fd, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_names_and_mac),
		cmocka_unit_test(test_mtu_and_carrier),
		cmocka_unit_test(test_frames_cross),
		cmocka_unit_test(test_offload_leaves_work_to_the_reader),
	};

	netns_enter_or_skip("TAP");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
