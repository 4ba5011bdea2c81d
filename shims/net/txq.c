// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transmit backlog's fair queue (see txq.h): frames hashed by flow into buckets; the
 * buckets that hold frames wait on two lists, those that were empty before their frame came
 * (served first) and those that have had their turn, and each round a bucket may send a
 * quantum of bytes. A bucket that empties leaves its list when it comes to the head.
 */
#include "txq.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define N_BUCKETS 1024
/* What a flow may send in its turn: one TSO super-frame, so a ping waits one per bulk flow. */
#define QUANTUM (65536L + 14)

enum { LIST_NEW, LIST_OLD, LIST_OFF };

struct bucket {
	struct nook_txq_frame *head, *tail;
	size_t bytes;
	long deficit;
	struct bucket *next;
	int list;
};

struct flow_list {
	struct bucket *head, *tail;
};

struct nook_txq {
	struct flow_list lists[2];
	size_t frames, bytes;
	struct bucket buckets[N_BUCKETS];
};

int nook_txq_new(struct nook_txq **ret_txq)
{
	struct nook_txq *q = calloc(1, sizeof(*q));

	if (!q)
		return -ENOMEM;
	for (size_t i = 0; i < N_BUCKETS; i++)
		q->buckets[i].list = LIST_OFF;
	*ret_txq = q;
	return 0;
}

void nook_txq_free(struct nook_txq *q)
{
	if (!q)
		return;
	nook_txq_purge(q);
	free(q);
}

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static bool has_ports(uint8_t proto)
{
	/* TCP, UDP, DCCP, SCTP, UDP-Lite: the first four bytes are the two ports. */
	return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
}

/* The frame's flow: its addresses, protocol and ports (IPv4, IPv6), else its ethertype and
 * destination. Only what lies inside @len is read; the frame is the kernel's, not trusted. */
static uint32_t flow_hash(const uint8_t *f, size_t len)
{
	uint32_t h = 2166136261u;
	size_t off = 12, l3;
	unsigned int type;

	if (len < 14)
		return fnv(h, f, len);
	type = (unsigned int)f[off] << 8 | f[off + 1];
	while ((type == 0x8100 || type == 0x88a8) && len >= off + 6) {
		off += 4;
		type = (unsigned int)f[off] << 8 | f[off + 1];
	}
	h = fnv(h, f + off, 2);
	l3 = off + 2;
	if (type == 0x0800 && len >= l3 + 20) {
		const uint8_t *ip = f + l3;
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		bool fragment = (ip[6] & 0x3f) || ip[7]; /* more fragments, or an offset */

		h = fnv(h, ip + 9, 1);
		h = fnv(h, ip + 12, 8);
		if (!fragment && ihl >= 20 && has_ports(ip[9]) && len >= l3 + ihl + 4)
			h = fnv(h, ip + ihl, 4);
	} else if (type == 0x86dd && len >= l3 + 40) {
		const uint8_t *ip6 = f + l3;

		h = fnv(h, ip6 + 6, 1);
		h = fnv(h, ip6 + 8, 32);
		if (has_ports(ip6[6]) && len >= l3 + 44)
			h = fnv(h, ip6 + 40, 4);
	} else {
		h = fnv(h, f, 6);
	}
	h ^= h >> 16;
	h *= 0x45d9f3bu;
	h ^= h >> 16;
	return h;
}

static void list_append(struct nook_txq *q, int l, struct bucket *b)
{
	struct flow_list *fl = &q->lists[l];

	b->next = NULL;
	b->list = l;
	if (fl->tail)
		fl->tail->next = b;
	else
		fl->head = b;
	fl->tail = b;
}

static struct bucket *list_pop(struct nook_txq *q, int l)
{
	struct flow_list *fl = &q->lists[l];
	struct bucket *b = fl->head;

	fl->head = b->next;
	if (!fl->head)
		fl->tail = NULL;
	b->next = NULL;
	b->list = LIST_OFF;
	return b;
}

/* The bucket whose turn it is: the new flows' first, then the old flows'. */
static struct bucket *turn(struct nook_txq *q)
{
	for (;;) {
		int l = q->lists[LIST_NEW].head ? LIST_NEW : LIST_OLD;
		struct bucket *b = q->lists[l].head;

		if (!b)
			return NULL;
		if (!b->head) {
			list_pop(q, l);
			continue;
		}
		if (b->deficit <= 0) {
			b->deficit += QUANTUM;
			list_append(q, LIST_OLD, list_pop(q, l));
			continue;
		}
		return b;
	}
}

static void drop_head(struct nook_txq *q, struct bucket *b)
{
	struct nook_txq_frame *f = b->head;

	b->head = f->next;
	if (!b->head)
		b->tail = NULL;
	b->bytes -= f->len;
	q->bytes -= f->len;
	q->frames--;
	free(f);
}

static struct bucket *fattest(struct nook_txq *q)
{
	struct bucket *fat = NULL;

	for (int l = LIST_NEW; l <= LIST_OLD; l++)
		for (struct bucket *b = q->lists[l].head; b; b = b->next)
			if (b->head && (!fat || b->bytes > fat->bytes))
				fat = b;
	return fat;
}

int nook_txq_push(struct nook_txq *q, const struct virtio_net_hdr *hdr, const void *frame,
		  size_t len)
{
	struct nook_txq_frame *f = malloc(sizeof(*f) + len);
	struct bucket *b;
	int dropped = 0;

	if (!f)
		return -ENOMEM;
	f->next = NULL;
	f->hdr = *hdr;
	f->len = len;
	memcpy(f->data, frame, len);
	b = &q->buckets[flow_hash(f->data, len) % N_BUCKETS];
	if (b->tail)
		b->tail->next = f;
	else
		b->head = f;
	b->tail = f;
	b->bytes += len;
	q->bytes += len;
	q->frames++;
	if (b->list == LIST_OFF) {
		b->deficit = QUANTUM;
		list_append(q, LIST_NEW, b);
	}
	while (q->frames > NOOK_TXQ_MAX_FRAMES || q->bytes > NOOK_TXQ_MAX_BYTES) {
		drop_head(q, fattest(q));
		dropped++;
	}
	return dropped;
}

const struct nook_txq_frame *nook_txq_peek(struct nook_txq *q)
{
	struct bucket *b = turn(q);

	return b ? b->head : NULL;
}

void nook_txq_pop(struct nook_txq *q)
{
	struct bucket *b = turn(q);

	if (!b)
		return;
	b->deficit -= (long)b->head->len;
	drop_head(q, b);
}

size_t nook_txq_purge(struct nook_txq *q)
{
	size_t n = q->frames;

	for (size_t i = 0; i < N_BUCKETS; i++) {
		struct bucket *b = &q->buckets[i];

		while (b->head)
			drop_head(q, b);
		*b = (struct bucket){ .list = LIST_OFF };
	}
	q->lists[LIST_NEW] = q->lists[LIST_OLD] = (struct flow_list){ 0 };
	return n;
}

size_t nook_txq_frames(const struct nook_txq *q)
{
	return q->frames;
}

size_t nook_txq_bytes(const struct nook_txq *q)
{
	return q->bytes;
}
