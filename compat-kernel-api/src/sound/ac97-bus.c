// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AC'97 bus codecs sit on. The codec library registers each codec as a device on it;
 * nook has no driver core to match codec drivers, so the bus is a name and nothing more.
 */
#include <linux/device.h>

struct bus_type ac97_bus_type = {
	.name = "ac97",
};
