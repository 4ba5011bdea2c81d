/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware loading. nook's driver processes load no firmware yet: request_firmware and
 * release_firmware are stubs.list's, which stop a driver that calls them. e100 calls them
 * only for the 82559 and 82551 chips, not for QEMU's 82557.
 */
#ifndef NOOK_LINUX_FIRMWARE_H
#define NOOK_LINUX_FIRMWARE_H

#include <linux/types.h>

struct device;

struct firmware {
	size_t size;
	const u8 *data;
};

int request_firmware(const struct firmware **fw, const char *name, struct device *device);
void release_firmware(const struct firmware *fw);

#endif
