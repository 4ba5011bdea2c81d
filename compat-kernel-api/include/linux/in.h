/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IN_H
#define NOOK_LINUX_IN_H
#include <linux/types.h>
#include <linux/socket.h>
#include_next <linux/in.h>
#endif
