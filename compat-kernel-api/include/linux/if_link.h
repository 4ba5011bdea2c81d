/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_IF_LINK_H
#define NOOK_LINUX_IF_LINK_H
#include_next <linux/if_link.h>
#endif
