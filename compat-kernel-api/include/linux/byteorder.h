/* SPDX-License-Identifier: GPL-2.0-only */
/* Byte order on a little-endian x86-64 host. */
#ifndef NOOK_LINUX_BYTEORDER_H
#define NOOK_LINUX_BYTEORDER_H

#include <nook/noop.h>

#include <linux/types.h>

#define __LITTLE_ENDIAN_BITFIELD 1
#ifndef __LITTLE_ENDIAN
#define __LITTLE_ENDIAN 1234
#endif

#define swab16(x) ((u16)__builtin_bswap16((u16)(x)))
#define swab32(x) ((u32)__builtin_bswap32((u32)(x)))
#define swab64(x) ((u64)__builtin_bswap64((u64)(x)))

#define cpu_to_le16(x) ((__le16)(u16)(x))
#define cpu_to_le32(x) ((__le32)(u32)(x))
#define cpu_to_le64(x) ((__le64)(u64)(x))
#define le16_to_cpu(x) ((u16)(__le16)(x))
#define le32_to_cpu(x) ((u32)(__le32)(x))
#define le64_to_cpu(x) ((u64)(__le64)(x))
#define cpu_to_be16(x) ((__be16)swab16(x))
#define cpu_to_be32(x) ((__be32)swab32(x))
#define cpu_to_be64(x) ((__be64)swab64(x))
#define be16_to_cpu(x) swab16((u16)(__be16)(x))
#define be32_to_cpu(x) swab32((u32)(__be32)(x))
#define be64_to_cpu(x) swab64((u64)(__be64)(x))
#define cpu_to_le16s(p) NOOK_NOOP_ARG("the CPU is little-endian", p)
#define cpu_to_le32s(p) NOOK_NOOP_ARG("the CPU is little-endian", p)
#define le16_to_cpus(p) NOOK_NOOP_ARG("the CPU is little-endian", p)
#define le32_to_cpus(p) NOOK_NOOP_ARG("the CPU is little-endian", p)
#define le16_to_cpup(p) le16_to_cpu(*(p))
#define le32_to_cpup(p) le32_to_cpu(*(p))
#define be16_to_cpup(p) be16_to_cpu(*(p))
#define be32_to_cpup(p) be32_to_cpu(*(p))

#define htons(x) cpu_to_be16(x)
#define ntohs(x) be16_to_cpu(x)
#define htonl(x) cpu_to_be32(x)
#define ntohl(x) be32_to_cpu(x)

/* The UAPI headers' spellings; each is an integer constant expression on constants. */
#define __constant_htons(x) htons(x)
#define __constant_ntohs(x) ntohs(x)
#define __constant_htonl(x) htonl(x)
#define __constant_ntohl(x) ntohl(x)
#define __constant_cpu_to_le16(x) cpu_to_le16(x)
#define __constant_cpu_to_le32(x) cpu_to_le32(x)
#define __constant_cpu_to_be16(x) cpu_to_be16(x)
#define __constant_cpu_to_be32(x) cpu_to_be32(x)
#define __constant_be16_to_cpu(x) be16_to_cpu(x)
#define __constant_be32_to_cpu(x) be32_to_cpu(x)
#define __cpu_to_be16(x) cpu_to_be16(x)
#define __cpu_to_be32(x) cpu_to_be32(x)
#define __be16_to_cpu(x) be16_to_cpu(x)
#define __be32_to_cpu(x) be32_to_cpu(x)
#define __cpu_to_le16(x) cpu_to_le16(x)
#define __cpu_to_le32(x) cpu_to_le32(x)
#define __le16_to_cpu(x) le16_to_cpu(x)
#define __le32_to_cpu(x) le32_to_cpu(x)

#endif
