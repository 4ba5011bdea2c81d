// SPDX-License-Identifier: GPL-2.0-only
/* The net shadow's record of ethtool settings (see net-shadow.h). */
#include "net-shadow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nook_net_shadow_init(struct nook_net_shadow *s)
{
	memset(s, 0, sizeof(*s));
}

/* One "key=value" (@len bytes) into @s, or -EINVAL naming what is wrong in @why. */
static int one_setting(struct nook_net_shadow *s, const char *kv, size_t len, char *why,
		       size_t why_len)
{
	char buf[64], *eq, *end;
	unsigned long v;

	if (len == 0 || len >= sizeof(buf)) {
		snprintf(why, why_len, "a setting is empty or too long");
		return -EINVAL;
	}
	memcpy(buf, kv, len);
	buf[len] = '\0';
	eq = strchr(buf, '=');
	if (!eq) {
		snprintf(why, why_len, "'%s' is not KEY=VALUE", buf);
		return -EINVAL;
	}
	*eq = '\0';
	errno = 0;
	v = strtoul(eq + 1, &end, 0);
	if (!eq[1] || *end || errno || v > UINT32_MAX - 1 || eq[1] == '-') {
		snprintf(why, why_len, "'%s' is not a number for %s", eq + 1, buf);
		return -EINVAL;
	}
	if (strcmp(buf, "ring-rx") == 0) {
		s->has_ring_rx = true;
		s->ring_rx = (uint32_t)v;
	} else if (strcmp(buf, "ring-tx") == 0) {
		s->has_ring_tx = true;
		s->ring_tx = (uint32_t)v;
	} else if (strcmp(buf, "msglevel") == 0) {
		s->has_msglevel = true;
		s->msglevel = (uint32_t)v;
	} else {
		snprintf(why, why_len, "unknown setting '%s' (nook knows %s)", buf,
			 NOOK_SHADOW_SETTINGS);
		return -EINVAL;
	}
	return 0;
}

static int parse(struct nook_net_shadow *s, const char *text, char *why, size_t why_len)
{
	int r;

	if (!*text) {
		snprintf(why, why_len, "no settings given");
		return -EINVAL;
	}
	while (*text) {
		size_t n = strcspn(text, "\n");

		r = one_setting(s, text, n, why, why_len);
		if (r < 0)
			return r;
		text += n + (text[n] == '\n');
	}
	return 0;
}

int nook_net_shadow_check(const char *text, char *why, size_t why_len)
{
	struct nook_net_shadow scratch;

	nook_net_shadow_init(&scratch);
	return parse(&scratch, text, why, why_len);
}

int nook_net_shadow_record(struct nook_net_shadow *s, const char *text)
{
	struct nook_net_shadow next = *s;
	char why[128];
	int r = parse(&next, text, why, sizeof(why));

	if (r == 0)
		*s = next;
	return r;
}

size_t nook_net_shadow_replay(const struct nook_net_shadow *s, char *buf, size_t size)
{
	size_t len = 0;
	int n;

	if (size)
		buf[0] = '\0';
	if (s->has_ring_rx && len < size) {
		n = snprintf(buf + len, size - len, "ring-rx=%u\n", s->ring_rx);
		len += n > 0 ? (size_t)n : 0;
	}
	if (s->has_ring_tx && len < size) {
		n = snprintf(buf + len, size - len, "ring-tx=%u\n", s->ring_tx);
		len += n > 0 ? (size_t)n : 0;
	}
	if (s->has_msglevel && len < size) {
		n = snprintf(buf + len, size - len, "msglevel=0x%x\n", s->msglevel);
		len += n > 0 ? (size_t)n : 0;
	}
	return len < size ? len : 0;
}
