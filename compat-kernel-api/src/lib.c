// SPDX-License-Identifier: GPL-2.0-only
/* Small library routines: bit searches, bounded string copies, number parsing, randomness. */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/random.h>
#include <linux/ktime.h>
#include <linux/kstrtox.h>
#include <linux/crc32.h>
#include <nook/host.h>

unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	for (unsigned long i = offset; i < size; i++)
		if (test_bit((long)i, addr))
			return i;
	return size;
}

unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset)
{
	for (unsigned long i = offset; i < size; i++)
		if (!test_bit((long)i, addr))
			return i;
	return size;
}

/* Copy with NUL; -E2BIG when @src did not fit (what was copied is still terminated). */
ssize_t nook_strscpy(char *dest, const char *src, size_t count)
{
	size_t i;

	if (count == 0)
		return -E2BIG;
	for (i = 0; i < count - 1 && src[i]; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	return src[i] ? -E2BIG : (ssize_t)i;
}

size_t nook_strlcpy(char *dest, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;

		memcpy(dest, src, n);
		dest[n] = '\0';
	}
	return len;
}

size_t nook_strlcat(char *dest, const char *src, size_t size)
{
	size_t d = strnlen(dest, size);

	if (d == size)
		return size + strlen(src);
	return d + nook_strlcpy(dest + d, src, size - d);
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	int any = 0;

	if (*s == '+')
		s++;
	if (base == 0 || base == 16) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			s += 2;
			base = 16;
		} else if (base == 0) {
			base = s[0] == '0' && s[1] ? 8 : 10;
		}
	}
	for (; *s && *s != '\n'; s++) {
		int d = digit_value(*s);

		if (d >= (int)base)
			return -EINVAL;
		if (v > (ULLONG_MAX - (unsigned long long)d) / base)
			return -ERANGE;
		v = v * base + (unsigned long long)d;
		any = 1;
	}
	if (!any || (*s == '\n' && s[1]))
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int neg = *s == '-', r = kstrtoull(s + neg, base, &v);

	if (r < 0)
		return r;
	if (v > (unsigned long long)LLONG_MAX + (unsigned long long)neg)
		return -ERANGE;
	*res = neg ? -(long long)v : (long long)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int r = kstrtoull(s, base, &v);

	if (r < 0)
		return r;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int r = kstrtoll(s, base, &v);

	if (r < 0)
		return r;
	if (v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

int kstrtou8(const char *s, unsigned int base, u8 *res)
{
	unsigned int v;
	int r = kstrtouint(s, base, &v);

	if (r < 0)
		return r;
	if (v > 0xff)
		return -ERANGE;
	*res = (u8)v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* Not for secrets: xorshift seeded from the clock, enough for MAC addresses and jitter. */
static u64 rnd_state;

u32 get_random_u32(void)
{
	if (!rnd_state)
		rnd_state = nook_host_now_ns() | 1;
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (u32)(rnd_state >> 16);
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = (u8)get_random_u32();
}

ktime_t ktime_get(void)
{
	return (ktime_t)nook_host_now_ns();
}

unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	unsigned long v = 0;

	if (!base) {
		base = 10;
		if (cp[0] == '0') {
			base = 8;
			if ((cp[1] == 'x' || cp[1] == 'X') && digit_value(cp[2]) < 16) {
				base = 16;
				cp += 2;
			}
		}
	} else if (base == 16 && cp[0] == '0' && (cp[1] == 'x' || cp[1] == 'X')) {
		cp += 2;
	}
	for (; digit_value(*cp) < (int)base; cp++)
		v = v * base + (unsigned long)digit_value(*cp);
	if (endp)
		*endp = (char *)cp;
	return v;
}

long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-')
		return -(long)simple_strtoul(cp + 1, endp, base);
	return (long)simple_strtoul(cp, endp, base);
}

/* --- CRC-32, bit by bit: drivers hash a few multicast addresses with it, nothing more */

u32 crc32_le(u32 crc, const unsigned char *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (crc & 1 ? 0xedb88320u : 0);
	}
	return crc;
}

u32 crc32_be(u32 crc, const unsigned char *p, size_t len)
{
	while (len--) {
		crc ^= (u32)*p++ << 24;
		for (int i = 0; i < 8; i++)
			crc = (crc << 1) ^ (crc & 0x80000000u ? 0x04c11db7u : 0);
	}
	return crc;
}

u32 bitrev32(u32 x)
{
	u32 r = 0;

	for (int i = 0; i < 32; i++, x >>= 1)
		r = (r << 1) | (x & 1);
	return r;
}
