/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_REBOOT_H
#define NOOK_LINUX_REBOOT_H
#endif
