/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32 (IEEE 802.3's polynomial) and Ethernet's multicast-filter hash built on it. */
#ifndef NOOK_LINUX_CRC32_H
#define NOOK_LINUX_CRC32_H

#include <linux/types.h>

/* Least significant bit first (reflected polynomial 0xedb88320), from @crc, no final xor. */
u32 crc32_le(u32 crc, const unsigned char *p, size_t len);
/* Most significant bit first (polynomial 0x04c11db7), from @crc, no final xor. */
u32 crc32_be(u32 crc, const unsigned char *p, size_t len);
u32 bitrev32(u32 x);

/* The CRC a MAC computes over a frame's address, as multicast hash filters index by it. */
#define ether_crc(length, data) bitrev32(crc32_le(~0u, data, length))
#define ether_crc_le(length, data) crc32_le(~0u, data, length)

#endif
