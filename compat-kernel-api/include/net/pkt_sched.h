/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_NET_PKT_SCHED_H
#define NOOK_NET_PKT_SCHED_H
#include <linux/netdevice.h>
#endif
