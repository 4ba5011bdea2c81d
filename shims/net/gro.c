// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive coalescing of TCP over IPv4 (see gro.h). A few flows are held at a time, each as
 * one growing frame: a copy of the first segment's headers, then the payloads in sequence
 * order, pointed at where they lie (the caller keeps them until the flush) and gathered by
 * the output function, not copied. On
 * the way out the IP total length and header checksum are made true for the large frame,
 * and TCP's checksum field gets the pseudo-header's sum with a header saying
 * VIRTIO_NET_HDR_F_NEEDS_CSUM: the kernel trusts it as verified (CHECKSUM_PARTIAL), and
 * were the frame forwarded, its segments would be checksummed afresh.
 */
#include "gro.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/virtio_net.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ETH_HDR 14
#define IP_HDR 20
#define ETHERTYPE_IPV4 0x0800
/* IP's total length is 16 bits: no larger frame can be made. */
#define GRO_MAX_FRAME (ETH_HDR + 65535)
#define GRO_FLOWS 4

/* TCP's flag byte (offset 13) */
#define TCPF_FIN 0x01
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

/* Ethernet, IPv4 without options, and TCP with the most options. */
#define GRO_MAX_HDR (ETH_HDR + IP_HDR + 60)

struct gro_flow {
	/* Puts hdr's IP header on a 4-byte boundary, where struct iphdr may be read. */
	uint8_t align_ip[2];
	uint8_t hdr[GRO_MAX_HDR];		 /* the first segment's headers */
	struct iovec iov[1 + NOOK_GRO_MAX_SEGS]; /* the headers, then each payload */
	size_t len;				 /* 0: the slot is free */
	unsigned int hlen;			 /* Ethernet + IP + TCP header bytes */
	unsigned int mss;			 /* payload bytes of the first segment */
	unsigned int segs;
	uint32_t next_seq;
	uint64_t stamp; /* when the flow started, to evict the oldest */
};

_Static_assert((offsetof(struct gro_flow, hdr) + ETH_HDR) % _Alignof(struct iphdr) == 0 &&
		       _Alignof(struct gro_flow) % _Alignof(struct iphdr) == 0,
	       "a held flow's IP header is aligned");

struct nook_gro {
	nook_gro_out_fn out;
	void *ctx;
	struct gro_flow flows[GRO_FLOWS];
	uint64_t clock;
	struct nook_gro_stats stats;
};

/*
 * A frame seen as a TCP segment over IPv4. The frame's IP header follows a 14-byte Ethernet
 * header wherever the driver put it, aligned or not: its fixed headers are read as copies.
 */
struct seg {
	const uint8_t *f;
	size_t len; /* up to the end of the IP packet (no Ethernet padding) */
	struct iphdr ip;
	struct tcphdr th;   /* without its options */
	const uint8_t *tcp; /* the TCP segment in the frame */
	unsigned int hlen, plen;
	uint8_t flags;
};

/* The one's complement sum of @len bytes as 16-bit words in memory order, unfolded. */
static uint64_t sum_words(const void *p, size_t len, uint64_t sum)
{
	const uint8_t *b = p;

	for (; len >= 8; len -= 8, b += 8) {
		uint32_t w[2];

		memcpy(w, b, sizeof(w));
		sum += (uint64_t)w[0] + w[1];
	}
	for (; len >= 2; len -= 2, b += 2) {
		uint16_t w;

		memcpy(&w, b, sizeof(w));
		sum += w;
	}
	if (len) {
		uint8_t last[2] = { b[0], 0 };
		uint16_t w;

		memcpy(&w, last, sizeof(w));
		sum += w;
	}
	return sum;
}

static uint16_t fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The TCP pseudo-header's sum (RFC 793), in memory order like sum_words(). */
static uint64_t pseudo_sum(const struct iphdr *ip, unsigned int tcp_len)
{
	uint16_t proto = htons(IPPROTO_TCP), l = htons((uint16_t)tcp_len);

	return sum_words(&ip->saddr, 8, 0) + proto + l;
}

/* True when @f is a sane TCP segment over IPv4 that coalescing could consider. */
static bool parse(const uint8_t *f, size_t len, struct seg *s)
{
	unsigned int tot, thlen;

	if (len < ETH_HDR + IP_HDR + sizeof(struct tcphdr) || f[12] != ETHERTYPE_IPV4 >> 8 ||
	    f[13] != (ETHERTYPE_IPV4 & 0xff))
		return false;
	memcpy(&s->ip, f + ETH_HDR, sizeof(s->ip));
	tot = ntohs(s->ip.tot_len);
	/* No options, no fragments, and Don't Fragment set: IP ids then carry nothing. */
	if (s->ip.version != 4 || s->ip.ihl != 5 || s->ip.protocol != IPPROTO_TCP ||
	    (ntohs(s->ip.frag_off) & ~IP_DF) != 0 || !(ntohs(s->ip.frag_off) & IP_DF) ||
	    tot < IP_HDR + sizeof(struct tcphdr) || ETH_HDR + (size_t)tot > len ||
	    fold(sum_words(&s->ip, IP_HDR, 0)) != 0xffff)
		return false;
	s->tcp = f + ETH_HDR + IP_HDR;
	memcpy(&s->th, s->tcp, sizeof(s->th));
	thlen = s->th.doff * 4U;
	if (thlen < sizeof(struct tcphdr) || IP_HDR + thlen > tot)
		return false;
	s->f = f;
	s->len = ETH_HDR + tot;
	s->hlen = ETH_HDR + IP_HDR + thlen;
	s->plen = tot - IP_HDR - thlen;
	s->flags = f[ETH_HDR + IP_HDR + 13];
	return true;
}

static bool csum_ok(const struct seg *s)
{
	unsigned int tcp_len = (unsigned int)s->len - ETH_HDR - IP_HDR;

	return fold(sum_words(s->tcp, tcp_len, pseudo_sum(&s->ip, tcp_len))) == 0xffff;
}

/* Could @s be the flow's next segment? Everything but seq, IP id and lengths must match. */
static bool can_append(const struct gro_flow *fl, const struct seg *s)
{
	const uint8_t *h = fl->hdr;
	const struct iphdr *ip = (const struct iphdr *)(h + ETH_HDR);
	const struct tcphdr *th = (const struct tcphdr *)(h + ETH_HDR + IP_HDR);
	unsigned int thlen = fl->hlen - ETH_HDR - IP_HDR;

	return s->hlen == fl->hlen && s->plen <= fl->mss && ntohl(s->th.seq) == fl->next_seq &&
	       fl->len + s->plen <= GRO_MAX_FRAME && fl->segs < NOOK_GRO_MAX_SEGS &&
	       ip->tos == s->ip.tos && ip->ttl == s->ip.ttl && s->th.ack_seq == th->ack_seq &&
	       s->th.window == th->window &&
	       memcmp(h + ETH_HDR + IP_HDR + sizeof(*th), s->tcp + sizeof(*th),
		      thlen - sizeof(*th)) == 0;
}

/* Same Ethernet header, addresses and ports. */
static bool same_flow(const struct gro_flow *fl, const struct seg *s)
{
	const struct iphdr *ip = (const struct iphdr *)(fl->hdr + ETH_HDR);

	return memcmp(fl->hdr, s->f, ETH_HDR) == 0 && ip->saddr == s->ip.saddr &&
	       ip->daddr == s->ip.daddr && memcmp(fl->hdr + ETH_HDR + IP_HDR, s->tcp, 4) == 0;
}

static int emit(struct nook_gro *g, const struct virtio_net_hdr *hdr, const void *f, size_t len)
{
	struct iovec iov = { (void *)f, len };

	return g->out(g->ctx, hdr, &iov, 1);
}

/* The held frame out: lengths and checksums made true for what it holds now. */
static int flow_flush(struct nook_gro *g, struct gro_flow *fl)
{
	struct iphdr *ip = (struct iphdr *)(fl->hdr + ETH_HDR);
	struct tcphdr *th = (struct tcphdr *)(fl->hdr + ETH_HDR + IP_HDR);
	unsigned int tcp_len = (unsigned int)fl->len - ETH_HDR - IP_HDR;
	struct virtio_net_hdr hdr = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_NONE,
		.hdr_len = (uint16_t)fl->hlen,
		.csum_start = ETH_HDR + IP_HDR,
		.csum_offset = offsetof(struct tcphdr, check),
	};
	uint16_t seed;
	int r;

	if (!fl->len)
		return 0;
	ip->tot_len = htons((uint16_t)(fl->len - ETH_HDR));
	ip->check = 0;
	ip->check = (uint16_t)~fold(sum_words(ip, IP_HDR, 0));
	seed = fold(pseudo_sum(ip, tcp_len));
	memcpy(&th->check, &seed, sizeof(seed));
	if (fl->segs > 1) {
		hdr.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		hdr.gso_size = (uint16_t)fl->mss;
		g->stats.merged += fl->segs;
		g->stats.frames++;
	}
	r = g->out(g->ctx, &hdr, fl->iov, 1 + (int)fl->segs);
	fl->len = 0;
	return r;
}

static struct gro_flow *flow_find(struct nook_gro *g, const struct seg *s)
{
	for (int i = 0; i < GRO_FLOWS; i++)
		if (g->flows[i].len && same_flow(&g->flows[i], s))
			return &g->flows[i];
	return NULL;
}

/* A free slot, or the oldest flow's, flushed. */
static struct gro_flow *flow_slot(struct nook_gro *g, int *r)
{
	struct gro_flow *oldest = &g->flows[0];
	int r2;

	for (int i = 0; i < GRO_FLOWS; i++) {
		if (!g->flows[i].len)
			return &g->flows[i];
		if (g->flows[i].stamp < oldest->stamp)
			oldest = &g->flows[i];
	}
	r2 = flow_flush(g, oldest);
	if (!*r)
		*r = r2;
	return oldest;
}

static int flow_start(struct nook_gro *g, const struct seg *s, int *r)
{
	struct gro_flow *fl;

	if (s->hlen > GRO_MAX_HDR)
		return -E2BIG;
	fl = flow_slot(g, r);
	memcpy(fl->hdr, s->f, s->hlen);
	fl->iov[0] = (struct iovec){ fl->hdr, s->hlen };
	fl->iov[1] = (struct iovec){ (void *)(s->f + s->hlen), s->plen };
	fl->len = s->len;
	fl->hlen = s->hlen;
	fl->mss = s->plen;
	fl->segs = 1;
	fl->next_seq = ntohl(s->th.seq) + s->plen;
	fl->stamp = ++g->clock;
	return 0;
}

static void flow_append(struct gro_flow *fl, const struct seg *s)
{
	fl->iov[1 + fl->segs] = (struct iovec){ (void *)(s->f + s->hlen), s->plen };
	fl->len += s->plen;
	fl->segs++;
	fl->next_seq += s->plen;
	/* A closing PSH belongs to the whole. */
	fl->hdr[ETH_HDR + IP_HDR + 13] |= s->flags & TCPF_PSH;
}

int nook_gro_rx(struct nook_gro *g, const struct virtio_net_hdr *hdr, const void *frame, size_t len)
{
	bool checked = hdr && (hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID);
	bool data, last;
	struct gro_flow *fl;
	struct seg s;
	int r = 0, r2;

	if (!parse(frame, len, &s))
		return emit(g, hdr, frame, len);
	fl = flow_find(g, &s);
	if (!checked && !csum_ok(&s)) {
		g->stats.bad_csum++;
		goto pass;
	}
	/* Data with ACK and at most a closing PSH: anything else ends the flow's merging. */
	data = s.plen > 0 && (s.flags & ~TCPF_PSH) == TCPF_ACK;
	last = s.flags & TCPF_PSH;
	if (fl && data && can_append(fl, &s)) {
		flow_append(fl, &s);
		/* A short segment, a PSH or no room for another: the flow's frame is done. */
		if (last || s.plen < fl->mss || fl->len + fl->mss > GRO_MAX_FRAME ||
		    fl->segs == NOOK_GRO_MAX_SEGS)
			return flow_flush(g, fl);
		return 0;
	}
	if (data && !last) {
		if (fl)
			r = flow_flush(g, fl);
		r2 = flow_start(g, &s, &r);
		if (r2 == 0)
			return r;
		/* Headers too long to hold: it goes as it came. */
		fl = NULL;
	}
pass:
	if (fl)
		r = flow_flush(g, fl);
	r2 = emit(g, hdr, frame, len);
	return r ? r : r2;
}

int nook_gro_flush(struct nook_gro *g)
{
	int r = 0;

	for (int i = 0; i < GRO_FLOWS; i++) {
		int r2 = flow_flush(g, &g->flows[i]);

		if (!r)
			r = r2;
	}
	return r;
}

int nook_gro_new(nook_gro_out_fn out, void *ctx, struct nook_gro **ret_gro)
{
	struct nook_gro *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->out = out;
	g->ctx = ctx;
	*ret_gro = g;
	return 0;
}

void nook_gro_free(struct nook_gro *g)
{
	free(g);
}

void nook_gro_get_stats(const struct nook_gro *g, struct nook_gro_stats *ret_stats)
{
	*ret_stats = g->stats;
}
