// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket buffers (see linux/skbuff.h): the sk_buff itself on the heap, its data (head,
 * tailroom and skb_shared_info at the end) in the DMA arena, page fragments as arena pages.
 */
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/checksum.h>
#include <nook/dma.h>

#include "internal.h"

#define SHINFO_SIZE SKB_DATA_ALIGN(sizeof(struct skb_shared_info))

void nook_skb_over_panic(struct sk_buff *skb, unsigned int len, const char *where)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "%s: %u bytes do not fit (len %u, headroom %u, tail %u, end %u)",
		 where, len, skb->len, skb_headroom(skb), skb->tail, skb->end);
	nook_fatal(msg);
}

/* An sk_buff around @data, a buffer of @size bytes whose last SHINFO_SIZE hold the shinfo. */
static struct sk_buff *skb_wrap(void *data, unsigned int size, enum nook_skb_head kind)
{
	struct sk_buff *skb = kzalloc(sizeof(*skb), GFP_ATOMIC);

	if (!skb)
		return NULL;
	skb->head = data;
	skb->data = data;
	skb->tail = 0;
	skb->end = size - SHINFO_SIZE;
	skb->truesize = SKB_TRUESIZE(skb->end);
	skb->nook_head = kind;
	skb->mac_header = (u16)~0U;
	skb->transport_header = (u16)~0U;
	atomic_set(&skb->users, 1);
	memset(skb_shinfo(skb), 0, sizeof(struct skb_shared_info));
	atomic_set(&skb_shinfo(skb)->dataref, 1);
	return skb;
}

struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp, int flags, int node)
{
	unsigned int total = SKB_DATA_ALIGN(size) + SHINFO_SIZE;
	void *data = nook_arena_alloc(total);
	struct sk_buff *skb;

	if (!data)
		return NULL;
	skb = skb_wrap(data, total, NOOK_SKB_HEAD_ARENA);
	if (!skb)
		nook_arena_free(data);
	return skb;
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp)
{
	struct sk_buff *skb = __alloc_skb(length + NET_SKB_PAD, gfp, 0, -1);

	if (skb) {
		skb_reserve(skb, NET_SKB_PAD);
		skb->dev = dev;
	}
	return skb;
}

struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int length)
{
	struct sk_buff *skb =
		__netdev_alloc_skb(napi ? napi->dev : NULL, length + NET_IP_ALIGN, GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}

struct sk_buff *build_skb(void *data, unsigned int frag_size)
{
	if (!frag_size || frag_size <= SHINFO_SIZE)
		nook_fatal("build_skb() without the size of its fragment");
	return skb_wrap(data, frag_size, NOOK_SKB_HEAD_FRAG);
}

struct sk_buff *napi_build_skb(void *data, unsigned int frag_size)
{
	return build_skb(data, frag_size);
}

static void skb_release_data(struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);

	if (atomic_dec_return(&sh->dataref) > 0)
		return;
	for (int i = 0; i < sh->nr_frags; i++)
		put_page(skb_frag_page(&sh->frags[i]));
	if (sh->frag_list)
		kfree_skb(sh->frag_list);
	nook_arena_free(skb->head);
}

void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	if (atomic_read(&skb->users) <= 0)
		nook_fatal("kfree_skb() of an skb already freed");
	if (!atomic_dec_and_test(&skb->users))
		return;
	if (skb->nook_tx)
		nook_xmit_forget(skb);
	skb_release_data(skb);
	kfree(skb);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

struct sk_buff *skb_get(struct sk_buff *skb)
{
	atomic_inc(&skb->users);
	return skb;
}

/* A clone shares the data; both must be freed before it goes. */
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = kmalloc(sizeof(*n), gfp);

	if (!n)
		return NULL;
	*n = *skb;
	n->next = n->prev = NULL;
	atomic_set(&n->users, 1);
	atomic_inc(&skb_shinfo(skb)->dataref);
	skb->cloned = n->cloned = 1;
	return n;
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int hl = skb_headlen(skb), pos;
	u8 *out = to;

	if (offset < 0 || len < 0 || (unsigned int)offset + (unsigned int)len > skb->len)
		return -EFAULT;
	if ((unsigned int)offset < hl) {
		unsigned int n = min(hl - (unsigned int)offset, (unsigned int)len);

		memcpy(out, skb->data + offset, n);
		out += n;
		offset += (int)n;
		len -= (int)n;
	}
	pos = hl;
	for (int i = 0; i < sh->nr_frags && len > 0; i++) {
		const skb_frag_t *f = &sh->frags[i];
		unsigned int fs = skb_frag_size(f);

		if ((unsigned int)offset < pos + fs) {
			unsigned int in = (unsigned int)offset - pos;
			unsigned int n = min(fs - in, (unsigned int)len);

			memcpy(out, (u8 *)skb_frag_address(f) + in, n);
			out += n;
			offset += (int)n;
			len -= (int)n;
		}
		pos += fs;
	}
	return len ? -EFAULT : 0;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = __alloc_skb(skb_headroom(skb) + skb->len, gfp, 0, -1);

	if (!n)
		return NULL;
	skb_reserve(n, (int)skb_headroom(skb));
	skb_put(n, skb->len);
	if (skb_copy_bits(skb, 0, n->data, (int)skb->len)) {
		kfree_skb(n);
		return NULL;
	}
	n->dev = skb->dev;
	n->protocol = skb->protocol;
	n->ip_summed = skb->ip_summed;
	n->csum = skb->csum;
	n->mac_header = skb->mac_header;
	n->network_header = skb->network_header;
	n->transport_header = skb->transport_header;
	return n;
}

/* Give the head @headroom bytes in front, and make it the skb's own (not shared). */
static int skb_realloc_head(struct sk_buff *skb, unsigned int headroom, unsigned int tailroom)
{
	unsigned int old_headroom = skb_headroom(skb), hl = skb_headlen(skb);
	unsigned int new_headroom = max(headroom, old_headroom);
	unsigned int size = SKB_DATA_ALIGN(new_headroom + hl + tailroom) + SHINFO_SIZE;
	u8 *data = nook_arena_alloc(size);
	struct skb_shared_info *sh;
	long delta;

	if (!data)
		return -ENOMEM;
	memcpy(data + new_headroom, skb->data, hl);
	sh = (struct skb_shared_info *)(data + size - SHINFO_SIZE);
	memcpy(sh, skb_shinfo(skb), sizeof(*sh));
	atomic_set(&sh->dataref, 1);
	for (int i = 0; i < sh->nr_frags; i++)
		get_page(skb_frag_page(&sh->frags[i]));
	if (sh->frag_list)
		skb_get(sh->frag_list);
	skb_release_data(skb);
	delta = (long)new_headroom - (long)old_headroom;
	skb->head = data;
	skb->data = data + new_headroom;
	skb->tail = new_headroom + hl;
	skb->end = size - SHINFO_SIZE;
	skb->nook_head = NOOK_SKB_HEAD_ARENA;
	skb->cloned = 0;
	if (skb->mac_header != (u16)~0U)
		skb->mac_header = (u16)(skb->mac_header + delta);
	skb->network_header = (u16)(skb->network_header + delta);
	if (skb->transport_header != (u16)~0U)
		skb->transport_header = (u16)(skb->transport_header + delta);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->csum_start = (u16)(skb->csum_start + delta);
	return 0;
}

int skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	if (headroom <= skb_headroom(skb) && atomic_read(&skb_shinfo(skb)->dataref) == 1)
		return 0;
	return skb_realloc_head(skb, headroom, 0);
}

/* Zero @pad bytes after the data, growing the tail if needed; frees the skb on failure. */
int skb_pad(struct sk_buff *skb, int pad)
{
	if (pad <= 0)
		return 0;
	if (!skb_is_nonlinear(skb) && skb_tailroom(skb) >= pad) {
		memset(skb->data + skb->len, 0, (size_t)pad);
		return 0;
	}
	if (skb_is_nonlinear(skb) && !__pskb_pull_tail(skb, (int)skb->data_len))
		goto fail;
	if (skb_tailroom(skb) < pad && skb_realloc_head(skb, 0, (unsigned int)pad))
		goto fail;
	memset(skb->data + skb->len, 0, (size_t)pad);
	return 0;
fail:
	kfree_skb(skb);
	return -ENOMEM;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len && !skb_is_nonlinear(skb))
		__skb_trim(skb, len);
	else if (skb->len > len)
		___pskb_trim(skb, len);
}

int ___pskb_trim(struct sk_buff *skb, unsigned int len)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int hl = skb_headlen(skb), pos = hl;
	int i;

	if (len <= hl) {
		for (i = 0; i < sh->nr_frags; i++)
			put_page(skb_frag_page(&sh->frags[i]));
		sh->nr_frags = 0;
		skb->data_len = 0;
		__skb_trim(skb, len);
		return 0;
	}
	for (i = 0; i < sh->nr_frags; i++) {
		unsigned int fs = skb_frag_size(&sh->frags[i]);

		if (pos + fs >= len) {
			skb_frag_size_set(&sh->frags[i], len - pos);
			for (int j = i + 1; j < sh->nr_frags; j++)
				put_page(skb_frag_page(&sh->frags[j]));
			sh->nr_frags = (u8)(i + 1);
			break;
		}
		pos += fs;
	}
	skb->data_len = len - hl;
	skb->len = len;
	return 0;
}

/* Move @delta bytes of fragment data into the linear head. */
void *__pskb_pull_tail(struct sk_buff *skb, int delta)
{
	struct skb_shared_info *sh;
	unsigned int hl = skb_headlen(skb);
	int i, k, eat;

	if (delta <= 0)
		return skb_tail_pointer(skb);
	if ((unsigned int)delta > skb->data_len)
		return NULL;
	if (skb_tailroom(skb) < 0 || (unsigned int)(skb->end - skb->tail) < (unsigned int)delta)
		if (skb_realloc_head(skb, 0, (unsigned int)delta + 128))
			return NULL;
	if (skb_copy_bits(skb, (int)hl, skb_tail_pointer(skb), delta))
		return NULL;
	sh = skb_shinfo(skb);
	eat = delta;
	k = 0;
	for (i = 0; i < sh->nr_frags; i++) {
		skb_frag_t f = sh->frags[i];
		unsigned int fs = skb_frag_size(&f);

		if (eat > 0 && (unsigned int)eat >= fs) {
			/* Copied into the head whole: the fragment goes. */
			put_page(skb_frag_page(&f));
			eat -= (int)fs;
			continue;
		}
		if (eat > 0) {
			f.bv_offset += (unsigned int)eat;
			f.bv_len -= (unsigned int)eat;
			eat = 0;
		}
		sh->frags[k++] = f;
	}
	sh->nr_frags = (u8)k;
	skb->tail += (unsigned int)delta;
	skb->data_len -= (unsigned int)delta;
	return skb_tail_pointer(skb);
}

void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off, int size,
		     unsigned int truesize)
{
	skb_fill_page_desc(skb, i, page, off, size);
	skb->len += (unsigned int)size;
	skb->data_len += (unsigned int)size;
	skb->truesize += truesize;
}

/*
 * Copy the whole frame to @to (a NIC's transmit buffer), finishing a CHECKSUM_PARTIAL skb's
 * checksum in the copy: what a NIC that copies every frame offers as "checksum offload".
 */
void skb_copy_and_csum_dev(const struct sk_buff *skb, u8 *to)
{
	unsigned int start;
	__sum16 sum;

	if (skb_copy_bits(skb, 0, to, (int)skb->len))
		nook_fatal("skb_copy_and_csum_dev: an skb whose length its data does not hold");
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	start = (unsigned int)skb_checksum_start_offset(skb);
	if (start > skb->len || start + skb->csum_offset + sizeof(__sum16) > skb->len)
		nook_fatal("skb_copy_and_csum_dev: a checksum position past the frame");
	sum = csum_fold(csum_partial(to + start, (int)(skb->len - start), 0));
	memcpy(to + start + skb->csum_offset, &sum, sizeof(sum));
}

/* Finish a CHECKSUM_PARTIAL skb's checksum in software, for a NIC that cannot. */
int skb_checksum_help(struct sk_buff *skb)
{
	unsigned int start, at;
	__sum16 sum;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	if (skb_is_nonlinear(skb) && !__pskb_pull_tail(skb, (int)skb->data_len))
		return -ENOMEM;
	start = (unsigned int)skb_checksum_start_offset(skb);
	at = start + skb->csum_offset;
	if (start > skb->len || at + sizeof(sum) > skb->len)
		return -EINVAL;
	sum = csum_fold(csum_partial(skb->data + start, (int)(skb->len - start), 0));
	/* A computed 0 goes on the wire as its other form, as UDP requires. */
	if (!sum)
		sum = CSUM_MANGLED_0;
	memcpy(skb->data + at, &sum, sizeof(sum));
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}
