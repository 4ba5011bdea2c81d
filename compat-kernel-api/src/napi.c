// SPDX-License-Identifier: GPL-2.0-only
/*
 * NAPI: a scheduled poll runs from the loop (softirq context) with a budget; a poll that
 * uses its whole budget stays scheduled and runs again on the next pass, after timers and
 * tasks have had their turn.
 */
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>

#include "internal.h"

static LIST_HEAD(napi_scheduled);
static bool polling;

bool nook_napi_polling(void)
{
	return polling;
}

void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int), int weight)
{
	memset(napi, 0, sizeof(*napi));
	INIT_LIST_HEAD(&napi->poll_list);
	napi->dev = dev;
	napi->poll = poll;
	napi->weight = weight;
	/* As in Linux, a new instance starts disabled until napi_enable(). */
	set_bit(NAPI_STATE_SCHED, &napi->state);
	if (dev)
		list_add_tail(&napi->dev_list, &dev->napi_list);
	else
		INIT_LIST_HEAD(&napi->dev_list);
}

void netif_napi_del(struct napi_struct *napi)
{
	if (napi->nook_scheduled) {
		list_del_init(&napi->poll_list);
		napi->nook_scheduled = false;
	}
	list_del_init(&napi->dev_list);
}

void napi_enable(struct napi_struct *napi)
{
	clear_bit(NAPI_STATE_SCHED, &napi->state);
	clear_bit(NAPI_STATE_DISABLE, &napi->state);
}

/* Waits for a running poll in Linux; here none can be running while the caller runs. */
void napi_disable(struct napi_struct *napi)
{
	set_bit(NAPI_STATE_DISABLE, &napi->state);
	if (napi->nook_scheduled) {
		list_del_init(&napi->poll_list);
		napi->nook_scheduled = false;
	}
	set_bit(NAPI_STATE_SCHED, &napi->state);
}

bool napi_schedule_prep(struct napi_struct *napi)
{
	if (test_bit(NAPI_STATE_DISABLE, &napi->state))
		return false;
	return !test_and_set_bit(NAPI_STATE_SCHED, &napi->state);
}

void __napi_schedule(struct napi_struct *napi)
{
	if (napi->nook_scheduled)
		return;
	napi->nook_scheduled = true;
	list_add_tail(&napi->poll_list, &napi_scheduled);
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	if (napi->nook_scheduled) {
		list_del_init(&napi->poll_list);
		napi->nook_scheduled = false;
	}
	clear_bit(NAPI_STATE_SCHED, &napi->state);
	return true;
}

bool nook_napi_run(void)
{
	LIST_HEAD(batch);
	bool ran = false;

	/* One pass over what is scheduled now; polls re-scheduled meanwhile wait a pass. */
	list_splice_init(&napi_scheduled, &batch);
	while (!list_empty(&batch)) {
		struct napi_struct *n = list_first_entry(&batch, struct napi_struct, poll_list);
		int budget = n->weight, done;

		list_del_init(&n->poll_list);
		n->nook_scheduled = false;
		polling = true;
		done = n->poll(n, budget);
		polling = false;
		/* As Linux flushes GRO when a poll ends: what the host merged goes out. */
		nook_netdev_rx_flush(n->dev);
		/* And what the stack answered to it leaves before the next poll. */
		if (done > 0)
			nook_netdev_poll_done(n->dev);
		ran = true;
		if (done > budget)
			nook_bug(__FILE__, __LINE__, "a NAPI poll did more work than its budget");
		/* Budget used up and not completed: poll again next pass. */
		if (done == budget && test_bit(NAPI_STATE_SCHED, &n->state))
			__napi_schedule(n);
	}
	return ran;
}

/* --- receive by page fragments: napi_get_frags() builds an skb, napi_gro_frags() hands it on */

struct sk_buff *napi_get_frags(struct napi_struct *napi)
{
	if (!napi->skb)
		napi->skb = napi_alloc_skb(napi, 128);
	return napi->skb;
}

gro_result_t napi_gro_frags(struct napi_struct *napi)
{
	struct sk_buff *skb = napi->skb;

	napi->skb = NULL;
	if (!skb)
		return GRO_CONSUMED;
	/* The frame is all in fragments: its Ethernet header comes into the head first. */
	if (!pskb_may_pull(skb, ETH_HLEN)) {
		kfree_skb(skb);
		return GRO_CONSUMED;
	}
	skb->protocol = eth_type_trans(skb, napi->dev);
	netif_receive_skb(skb);
	return GRO_NORMAL;
}

void napi_free_frags(struct napi_struct *napi)
{
	kfree_skb(napi->skb);
	napi->skb = NULL;
}
