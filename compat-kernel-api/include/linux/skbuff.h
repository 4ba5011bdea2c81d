/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Socket buffers. An skb's data lives in the DMA arena (so mapping it for the device is a
 * translation), with Linux's layout: headroom, data, tailroom, then skb_shared_info at
 * head + end; page fragments are arena pages. See src/skbuff.c.
 */
#ifndef NOOK_LINUX_SKBUFF_H
#define NOOK_LINUX_SKBUFF_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/dma-mapping.h>
#include <linux/netdev_features.h>
#include <linux/atomic.h>

struct net_device;
struct napi_struct;

/* skb->pkt_type (the UAPI's PACKET_* values) */
#define PACKET_HOST 0
#define PACKET_BROADCAST 1
#define PACKET_MULTICAST 2
#define PACKET_OTHERHOST 3
#define PACKET_OUTGOING 4

#define CHECKSUM_NONE 0
#define CHECKSUM_UNNECESSARY 1
#define CHECKSUM_COMPLETE 2
#define CHECKSUM_PARTIAL 3

#define MAX_SKB_FRAGS 17
#define NET_SKB_PAD 64
#define NET_IP_ALIGN 2
#define SMP_CACHE_BYTES 64
#define SKB_DATA_ALIGN(x) ALIGN((x), SMP_CACHE_BYTES)
#define SKB_WITH_OVERHEAD(x) ((x)-SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
#define SKB_TRUESIZE(x)                                 \
	((x) + SKB_DATA_ALIGN(sizeof(struct sk_buff)) + \
	 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

enum {
	SKB_GSO_TCPV4 = 1 << 0,
	SKB_GSO_DODGY = 1 << 1,
	SKB_GSO_TCP_ECN = 1 << 2,
	SKB_GSO_TCP_FIXEDID = 1 << 3,
	SKB_GSO_TCPV6 = 1 << 4,
	SKB_GSO_UDP_L4 = 1 << 16,
};

enum {
	SKBTX_HW_TSTAMP = 1 << 0,
	SKBTX_SW_TSTAMP = 1 << 1,
	SKBTX_IN_PROGRESS = 1 << 2,
};

typedef struct skb_frag {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
} skb_frag_t;

struct skb_shared_info {
	u8 flags;
	u8 meta_len;
	u8 nr_frags;
	u8 tx_flags;
	unsigned short gso_size;
	unsigned short gso_segs;
	struct sk_buff *frag_list;
	unsigned int gso_type;
	atomic_t dataref;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

/* Where an skb's head buffer came from, so that freeing it returns it there. */
enum nook_skb_head {
	NOOK_SKB_HEAD_ARENA,
	NOOK_SKB_HEAD_FRAG,
};

struct sk_buff {
	struct sk_buff *next;
	struct sk_buff *prev;
	struct net_device *dev;
	char cb[48] __aligned(8);
	unsigned int len;
	unsigned int data_len;
	u16 mac_len;
	u16 hdr_len;
	u16 queue_mapping;
	u8 cloned : 1;
	u8 ip_summed : 2;
	u8 pkt_type : 3;
	u8 no_fcs : 1;
	u8 encapsulation : 1;
	u8 csum_valid : 1;
	u8 vlan_present : 1;
	u8 l4_hash : 1;
	__be16 protocol;
	__be16 vlan_proto;
	u16 vlan_tci;
	union {
		__wsum csum;
		struct {
			u16 csum_start;
			u16 csum_offset;
		};
	};
	u32 priority;
	u32 hash;
	u32 mark;
	u16 transport_header;
	u16 network_header;
	u16 mac_header;
	unsigned int tail;
	unsigned int end;
	unsigned char *head;
	unsigned char *data;
	unsigned int truesize;
	atomic_t users;
	enum nook_skb_head nook_head;
	/* A frame the stack handed the driver (netdev-xmit.c): on its list of such frames. */
	bool nook_tx;
	struct sk_buff *nook_tx_next;
};

#define skb_shinfo(skb) ((struct skb_shared_info *)((skb)->head + (skb)->end))

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}
static inline bool skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb->data_len != 0;
}
static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}
static inline unsigned char *skb_end_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->end;
}
static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline int skb_tailroom(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb) ? 0 : (int)(skb->end - skb->tail);
}

void nook_skb_over_panic(struct sk_buff *skb, unsigned int len, const char *where)
	__attribute__((noreturn));

static inline void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_tail_pointer(skb);

	if (unlikely(skb_is_nonlinear(skb) || skb->tail + len > skb->end))
		nook_skb_over_panic(skb, len, "skb_put");
	skb->tail += len;
	skb->len += len;
	return tmp;
}
#define __skb_put skb_put
static inline void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	memcpy(tmp, data, len);
	return tmp;
}
static inline void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_put(skb, len);

	memset(tmp, 0, len);
	return tmp;
}
static inline void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb_headroom(skb)))
		nook_skb_over_panic(skb, len, "skb_push");
	skb->data -= len;
	skb->len += len;
	return skb->data;
}
#define __skb_push skb_push
static inline void *__skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->len -= len;
	return skb->data += len;
}
static inline void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb_headlen(skb)))
		return NULL;
	return __skb_pull(skb, len);
}
static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}
static inline void __skb_trim(struct sk_buff *skb, unsigned int len)
{
	skb->len = len;
	skb->tail = (unsigned int)(skb->data + len - skb->head);
}
void skb_trim(struct sk_buff *skb, unsigned int len);
int ___pskb_trim(struct sk_buff *skb, unsigned int len);
static inline int pskb_trim(struct sk_buff *skb, unsigned int len)
{
	return len < skb->len ? ___pskb_trim(skb, len) : 0;
}
void *__pskb_pull_tail(struct sk_buff *skb, int delta);
static inline bool pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	if (likely(len <= skb_headlen(skb)))
		return true;
	if (unlikely(len > skb->len))
		return false;
	return __pskb_pull_tail(skb, (int)(len - skb_headlen(skb))) != NULL;
}

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)(skb->data - skb->head);
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u16)(skb->data - skb->head);
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (u16)(skb->data - skb->head);
}
static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb->network_header = (u16)(skb->data - skb->head + offset);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int offset)
{
	skb->transport_header = (u16)(skb->data - skb->head + offset);
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}
static inline u32 skb_network_header_len(const struct sk_buff *skb)
{
	return skb->transport_header - skb->network_header;
}
static inline int skb_checksum_start_offset(const struct sk_buff *skb)
{
	return skb->csum_start - skb_headroom(skb);
}
#define skb_checksum_none_assert(skb) NOOK_NOOP_ARG("a debug check, off in Debian's kernel", skb)
#define skb_tx_timestamp(skb) \
	NOOK_NOOP_ARG("no timestamping: no request for one crosses the TAP", skb)
#define skb_record_rx_queue(skb, q) \
	NOOK_NOOP_ARG("one queue: the shim writes every frame to the one TAP", skb)
#define skb_mark_for_recycle(skb) \
	NOOK_NOOP_ARG("no page pool: buffers come from the DMA arena", skb)
#define skb_get_queue_mapping(skb) ((skb)->queue_mapping)

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size != 0;
}
static inline bool skb_is_gso_v6(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6;
}

static inline unsigned int skb_frag_size(const skb_frag_t *frag)
{
	return frag->bv_len;
}
static inline struct page *skb_frag_page(const skb_frag_t *frag)
{
	return frag->bv_page;
}
static inline unsigned int skb_frag_off(const skb_frag_t *frag)
{
	return frag->bv_offset;
}
static inline void *skb_frag_address(const skb_frag_t *frag)
{
	return (unsigned char *)page_address(frag->bv_page) + frag->bv_offset;
}
static inline void skb_frag_size_set(skb_frag_t *frag, unsigned int size)
{
	frag->bv_len = size;
}
static inline dma_addr_t skb_frag_dma_map(struct device *dev, const skb_frag_t *frag, size_t offset,
					  size_t size, enum dma_data_direction dir)
{
	return dma_map_page(dev, skb_frag_page(frag), skb_frag_off(frag) + offset, size, dir);
}
static inline void skb_fill_page_desc(struct sk_buff *skb, int i, struct page *page, int off,
				      int size)
{
	skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

	frag->bv_page = page;
	frag->bv_offset = (unsigned int)off;
	frag->bv_len = (unsigned int)size;
	skb_shinfo(skb)->nr_frags = (u8)(i + 1);
}
void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off, int size,
		     unsigned int truesize);

struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp, int flags, int node);
#define alloc_skb(size, gfp) __alloc_skb((size), (gfp), 0, -1)
struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int length, gfp_t gfp);
#define netdev_alloc_skb(dev, len) __netdev_alloc_skb((dev), (len), GFP_ATOMIC)
#define dev_alloc_skb(len) __netdev_alloc_skb(NULL, (len), GFP_ATOMIC)
static inline struct sk_buff *netdev_alloc_skb_ip_align(struct net_device *dev, unsigned int length)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, length + NET_IP_ALIGN);

	if (skb)
		skb_reserve(skb, NET_IP_ALIGN);
	return skb;
}
struct sk_buff *napi_alloc_skb(struct napi_struct *napi, unsigned int length);
struct sk_buff *napi_build_skb(void *data, unsigned int frag_size);
struct sk_buff *build_skb(void *data, unsigned int frag_size);
void *netdev_alloc_frag(unsigned int fragsz);
#define napi_alloc_frag(sz) netdev_alloc_frag(sz)
void skb_free_frag(void *addr);

void kfree_skb(struct sk_buff *skb);
void consume_skb(struct sk_buff *skb);
#define dev_kfree_skb(skb) consume_skb(skb)
#define dev_kfree_skb_any(skb) consume_skb(skb)
#define dev_kfree_skb_irq(skb) consume_skb(skb)
#define dev_consume_skb_any(skb) consume_skb(skb)
#define dev_consume_skb_irq(skb) consume_skb(skb)
#define napi_consume_skb(skb, budget) consume_skb(skb)
struct sk_buff *skb_get(struct sk_buff *skb);
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp);
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);
int skb_cow_head(struct sk_buff *skb, unsigned int headroom);
int skb_pad(struct sk_buff *skb, int pad);
static inline int skb_put_padto(struct sk_buff *skb, unsigned int len)
{
	if (skb->len < len) {
		unsigned int size = len - skb->len;

		if (skb_pad(skb, (int)size))
			return -ENOMEM;
		skb_put(skb, size);
	}
	return 0;
}
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
int skb_checksum_help(struct sk_buff *skb);
void skb_copy_and_csum_dev(const struct sk_buff *skb, u8 *to);
#define skb_copy_to_linear_data(skb, from, len) memcpy((skb)->data, (from), (len))
#define skb_copy_to_linear_data_offset(skb, off, from, len) \
	memcpy((skb)->data + (off), (from), (len))
static inline void skb_copy_from_linear_data(const struct sk_buff *skb, void *to, unsigned int len)
{
	memcpy(to, skb->data, len);
}

/* VLAN tag offload fields */
static inline bool skb_vlan_tag_present(const struct sk_buff *skb)
{
	return skb->vlan_present;
}
#define skb_vlan_tag_get(skb) ((skb)->vlan_tci)
#define skb_vlan_tag_get_id(skb) ((skb)->vlan_tci & 0x0fff)
static inline void __vlan_hwaccel_put_tag(struct sk_buff *skb, __be16 vlan_proto, u16 vlan_tci)
{
	skb->vlan_proto = vlan_proto;
	skb->vlan_tci = vlan_tci;
	skb->vlan_present = 1;
}
#define __vlan_hwaccel_clear_tag(skb) ((skb)->vlan_present = 0)

struct sk_buff_head {
	struct sk_buff *next;
	struct sk_buff *prev;
	u32 qlen;
};

#endif
