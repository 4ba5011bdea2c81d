/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_SOCKET_H
#define NOOK_LINUX_SOCKET_H
#include_next <linux/socket.h>
typedef __kernel_sa_family_t sa_family_t;
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 10
#define AF_PACKET 17
#endif
