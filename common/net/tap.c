// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP devices (see tap.h).
 */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int nook_tap_open(const char *ifname, char ret_ifname[IFNAMSIZ], int *ret_fd)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr_len = NOOK_TAP_VNET_HDR_LEN;
	int fd;

	if (ifname && strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	if (ifname)
		strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The header length is the fd's (not the interface's): say it rather than rely on the
	 * default. */
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	memcpy(ret_ifname, ifr.ifr_name, IFNAMSIZ);
	ret_ifname[IFNAMSIZ - 1] = '\0';
	*ret_fd = fd;
	return 0;
}

int nook_tap_set_offload(int fd, unsigned int tun_flags)
{
	return ioctl(fd, TUNSETOFFLOAD, (unsigned long)tun_flags) < 0 ? -errno : 0;
}

int nook_tap_set_carrier(int fd, bool up)
{
	int on = up;

	return ioctl(fd, TUNSETCARRIER, &on) < 0 ? -errno : 0;
}

int nook_tap_set_mac(int fd, const uint8_t mac[6])
{
	struct ifreq ifr = { 0 };

	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
	return ioctl(fd, SIOCSIFHWADDR, &ifr) < 0 ? -errno : 0;
}

int nook_tap_get_mac(int fd, uint8_t ret_mac[6])
{
	struct ifreq ifr = { 0 };

	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	memcpy(ret_mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* SIOC[GS]IFMTU on a throwaway socket of the caller's network namespace. */
static int tap_mtu_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int s, r = 0;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	strncpy(ifr->ifr_name, ifname, IFNAMSIZ - 1);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, req, ifr) < 0)
		r = -errno;
	close(s);
	return r;
}

int nook_tap_set_mtu(const char *ifname, unsigned int mtu)
{
	struct ifreq ifr = { .ifr_mtu = (int)mtu };

	return tap_mtu_ioctl(ifname, SIOCSIFMTU, &ifr);
}

int nook_tap_get_mtu(const char *ifname, unsigned int *ret_mtu)
{
	struct ifreq ifr = { 0 };
	int r = tap_mtu_ioctl(ifname, SIOCGIFMTU, &ifr);

	if (r < 0)
		return r;
	*ret_mtu = (unsigned int)ifr.ifr_mtu;
	return 0;
}
