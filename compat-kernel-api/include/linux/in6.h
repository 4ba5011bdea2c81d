/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IN6_H
#define NOOK_LINUX_IN6_H
#include <linux/types.h>
#include_next <linux/in6.h>
#endif
