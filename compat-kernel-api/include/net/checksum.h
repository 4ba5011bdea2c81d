/* SPDX-License-Identifier: GPL-2.0-only */
/* Internet checksums (RFC 1071), computed here in plain C. */
#ifndef NOOK_NET_CHECKSUM_H
#define NOOK_NET_CHECKSUM_H
#include <linux/types.h>
#include <linux/byteorder.h>

static inline __sum16 csum_fold(__wsum csum)
{
	u32 sum = (u32)csum;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}
__wsum csum_partial(const void *buff, int len, __wsum sum);
static inline __wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, __u32 len, __u8 proto,
					__wsum sum)
{
	u64 s = (u32)sum;

	s += (u32)saddr;
	s += (u32)daddr;
	s += htons((u16)len);
	s += htons(proto);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return (__wsum)s;
}
static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, __u32 len, __u8 proto,
					__wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}
#define CSUM_MANGLED_0 ((__sum16)0xffff)
#endif
