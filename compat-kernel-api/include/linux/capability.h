/* SPDX-License-Identifier: GPL-2.0-only */
/* Privileged driver ioctls are refused: nookd decides what reaches a driver. */
#ifndef NOOK_LINUX_CAPABILITY_H
#define NOOK_LINUX_CAPABILITY_H
#define CAP_NET_ADMIN 12
#define CAP_SYS_ADMIN 21
#define capable(cap) false
#define ns_capable(ns, cap) false
#endif
