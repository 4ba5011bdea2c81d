// SPDX-License-Identifier: GPL-2.0-only
/*
 * Formatting for kernel code: the C library formats each standard conversion; the kernel's
 * %p extensions that drivers use are done here (%pM %pm MAC, %pI4 %pi4 IPv4, %pI6 IPv6,
 * %pV a nested format, %*ph a hex dump, %pa %pad addresses, %ps %pS symbols as addresses).
 * Compiled against the C library, not the compat headers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nook/format.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = s[i];
}

static void putf(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

struct va_format_nook {
	const char *fmt;
	va_list *va;
};

/* A %p extension at *pp (just past the 'p'); advances past it. */
static void pointer_ext(struct out *o, const char **pp, const void *ptr, int width)
{
	const char *p = *pp;
	const unsigned char *b = ptr;

	switch (*p) {
	case 'M':
	case 'm': {
		const char *sep = *p == 'M' ? ":" : "";

		p++;
		if (*p == 'R' || *p == 'F')
			p++;
		for (int i = 0; i < 6; i++)
			putf(o, "%s%02x", i ? sep : "", b[i]);
		break;
	}
	case 'I':
	case 'i':
		p++;
		if (*p == '4') {
			p++;
			putf(o, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		} else if (*p == '6') {
			p++;
			for (int i = 0; i < 16; i += 2)
				putf(o, "%s%x", i ? ":" : "", (b[i] << 8) | b[i + 1]);
		}
		break;
	case 'V': {
		const struct va_format_nook *vf = ptr;
		char tmp[1024];
		va_list copy;
		int n;

		p++;
		va_copy(copy, *vf->va);
		n = nook_vsnprintf(tmp, sizeof(tmp), vf->fmt, copy);
		va_end(copy);
		if (n > 0)
			put(o, tmp, strlen(tmp));
		break;
	}
	case 'h': {
		char sep = ' ';

		p++;
		if (*p == 'C' || *p == 'D' || *p == 'N') {
			sep = *p == 'C' ? ':' : *p == 'D' ? '-' : 0;
			p++;
		}
		for (int i = 0; i < (width > 0 ? width : 1) && i < 64; i++) {
			if (i && sep)
				put(o, &sep, 1);
			putf(o, "%02x", b[i]);
		}
		break;
	}
	case 'a':
		p++;
		if (*p == 'd' || *p == 'p')
			p++;
		putf(o, "0x%016llx", (unsigned long long)*(const uint64_t *)ptr);
		break;
	case 's':
	case 'S':
	case 'B':
		p++;
		putf(o, "%p", ptr);
		break;
	default:
		/* Any other extension letters are skipped; the pointer prints plainly. */
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		       (*p >= '0' && *p <= '9'))
			p++;
		putf(o, "%p", ptr);
		break;
	}
	*pp = p;
}

int nook_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { .buf = buf, .size = size };
	const char *p = fmt;

	while (*p) {
		char spec[32];
		size_t sl = 0;
		int width = -1, lmod = 0;
		char conv;

		if (*p != '%') {
			put(&o, p++, 1);
			continue;
		}
		spec[sl++] = *p++;
		while (*p && strchr("-+ #0", *p) && sl < 8)
			spec[sl++] = *p++;
		if (*p == '*') {
			width = va_arg(args, int);
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, "%d", width);
			p++;
		} else {
			while (*p >= '0' && *p <= '9' && sl < 16)
				spec[sl++] = *p++;
		}
		if (*p == '.') {
			spec[sl++] = *p++;
			if (*p == '*') {
				sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl, "%d",
						       va_arg(args, int));
				p++;
			} else {
				while (*p >= '0' && *p <= '9' && sl < 24)
					spec[sl++] = *p++;
			}
		}
		while (*p && strchr("hlLzjt", *p) && sl < 28) {
			lmod += *p == 'l' ? 1 : (*p == 'z' || *p == 'j' || *p == 't') ? 1 : 0;
			if (*p == 'L')
				lmod = 2;
			spec[sl++] = *p++;
		}
		conv = *p ? *p++ : '\0';
		spec[sl++] = conv;
		spec[sl] = '\0';
		switch (conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'c':
			if (lmod >= 2)
				putf(&o, spec, va_arg(args, long long));
			else if (lmod == 1)
				putf(&o, spec, va_arg(args, long));
			else
				putf(&o, spec, va_arg(args, int));
			break;
		case 's': {
			const char *s = va_arg(args, const char *);

			putf(&o, spec, s ? s : "(null)");
			break;
		}
		case 'p': {
			void *ptr = va_arg(args, void *);

			if (ptr && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
				pointer_ext(&o, &p, ptr, width);
			else
				putf(&o, "%p", ptr);
			break;
		}
		case '%':
			put(&o, "%", 1);
			break;
		case 'e':
		case 'f':
		case 'g':
			putf(&o, spec, va_arg(args, double));
			break;
		default:
			put(&o, spec, strlen(spec));
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int nook_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nook_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int nook_vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = nook_vsnprintf(buf, size, fmt, args);

	if (!size)
		return 0;
	return n < (int)size ? n : (int)size - 1;
}

int nook_scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nook_vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int nook_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = nook_vsnprintf(buf, 4096, fmt, ap);
	va_end(ap);
	return n;
}
