// SPDX-License-Identifier: GPL-2.0-only
/* The Internet checksum (RFC 1071) over a buffer, and IPv6's pseudo-header (RFC 8200 8.1). */
#include <linux/kernel.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

static u64 sum_bytes(const u8 *p, int len, u64 sum)
{
	/*
	 * 16-bit words as the host loads them; 32-bit loads add two at a time (2^16 is 1
	 * modulo 0xffff), and the folding below makes byte order irrelevant. A u64 does not
	 * overflow from 32-bit addends before 2^32 of them.
	 */
	for (; len >= 8; len -= 8, p += 8) {
		u32 w[2];

		memcpy(w, p, sizeof(w));
		sum += (u64)w[0] + w[1];
	}
	for (; len > 1; len -= 2, p += 2) {
		u16 w;

		memcpy(&w, p, sizeof(w));
		sum += w;
	}
	/* A trailing byte is the first of a word whose second is zero. */
	if (len > 0)
		sum += __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? p[0] : (u64)p[0] << 8;
	return sum;
}

static u32 fold32(u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (u32)sum;
}

__wsum csum_partial(const void *buff, int len, __wsum sum)
{
	return (__wsum)fold32(sum_bytes(buff, len, (u32)sum));
}

__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr, __u32 len,
			__u8 proto, __wsum csum)
{
	u64 sum = (u32)csum;

	sum = sum_bytes((const u8 *)saddr, 16, sum);
	sum = sum_bytes((const u8 *)daddr, 16, sum);
	sum += (u32)htonl(len);
	sum += (u32)htonl(proto);
	return csum_fold((__wsum)fold32(sum));
}
