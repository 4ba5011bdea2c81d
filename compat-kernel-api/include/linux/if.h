/* SPDX-License-Identifier: GPL-2.0-only */
/* Interface flags (the UAPI values) and struct ifreq, for ioctl-style ndo calls. */
#ifndef NOOK_LINUX_IF_H
#define NOOK_LINUX_IF_H
#include <linux/types.h>
#include <linux/socket.h>
#define IFNAMSIZ 16
#define IFALIASZ 256
#define IFF_UP 0x1
#define IFF_BROADCAST 0x2
#define IFF_DEBUG 0x4
#define IFF_LOOPBACK 0x8
#define IFF_POINTOPOINT 0x10
#define IFF_NOTRAILERS 0x20
#define IFF_RUNNING 0x40
#define IFF_NOARP 0x80
#define IFF_PROMISC 0x100
#define IFF_ALLMULTI 0x200
#define IFF_MASTER 0x400
#define IFF_SLAVE 0x800
#define IFF_MULTICAST 0x1000
#define IFF_LOWER_UP 0x10000
#define IFF_DORMANT 0x20000
#define IFF_ECHO 0x40000
#define IFF_DOWN 0

struct sockaddr {
	__kernel_sa_family_t sa_family;
	char sa_data[14];
};

struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr ifru_hwaddr;
		short ifru_flags;
		int ifru_ivalue;
		int ifru_mtu;
		char ifru_slave[IFNAMSIZ];
		char ifru_newname[IFNAMSIZ];
		void __user *ifru_data;
		unsigned char nook_space[24];
	} ifr_ifru;
};
#define ifr_hwaddr ifr_ifru.ifru_hwaddr
#define ifr_flags ifr_ifru.ifru_flags
#define ifr_mtu ifr_ifru.ifru_mtu
#define ifr_data ifr_ifru.ifru_data
#endif
