/* SPDX-License-Identifier: GPL-2.0-only */
/* Gameports: nook's kernel configuration has none (CONFIG_GAMEPORT is off). */
#ifndef NOOK_LINUX_GAMEPORT_H
#define NOOK_LINUX_GAMEPORT_H

struct gameport;

#endif
