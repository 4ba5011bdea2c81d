/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Network devices. A driver's net_device becomes a kernel network interface through a TAP
 * device (shims/net): what the kernel sends is handed to ndo_start_xmit, what the driver
 * receives (napi_gro_receive, netif_receive_skb) is written to the TAP, and `ip link`
 * changes arrive as ndo calls run in the rtnl task.
 */
#ifndef NOOK_LINUX_NETDEVICE_H
#define NOOK_LINUX_NETDEVICE_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/device.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/skbuff.h>
#include <linux/netdev_features.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include <linux/rcupdate.h>

#define MAX_ADDR_LEN 32
#define NET_NAME_UNKNOWN 0
#define NET_NAME_ENUM 1

enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
};
typedef enum netdev_tx netdev_tx_t;
#define NET_RX_SUCCESS 0
#define NET_RX_DROP 1

/* priv_flags */
#define IFF_SUPP_NOFCS (1U << 19)
#define IFF_UNICAST_FLT (1U << 12)
#define IFF_LIVE_ADDR_CHANGE (1U << 15)
#define IFF_TX_SKB_SHARING (1U << 16)

struct net_device_stats {
	unsigned long rx_packets, tx_packets, rx_bytes, tx_bytes;
	unsigned long rx_errors, tx_errors, rx_dropped, tx_dropped;
	unsigned long multicast, collisions;
	unsigned long rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	unsigned long rx_fifo_errors, rx_missed_errors;
	unsigned long tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	unsigned long tx_heartbeat_errors, tx_window_errors;
	unsigned long rx_compressed, tx_compressed;
};

struct netdev_hw_addr {
	struct list_head list;
	unsigned char addr[MAX_ADDR_LEN];
};

struct netdev_hw_addr_list {
	struct list_head list;
	int count;
};
#define netdev_hw_addr_list_count(l) ((l)->count)
#define netdev_hw_addr_list_empty(l) ((l)->count == 0)
#define netdev_hw_addr_list_for_each(ha, l) list_for_each_entry(ha, &(l)->list, list)
#define netdev_uc_count(dev) netdev_hw_addr_list_count(&(dev)->uc)
#define netdev_uc_empty(dev) netdev_hw_addr_list_empty(&(dev)->uc)
#define netdev_for_each_uc_addr(ha, dev) netdev_hw_addr_list_for_each(ha, &(dev)->uc)
#define netdev_mc_count(dev) netdev_hw_addr_list_count(&(dev)->mc)
#define netdev_mc_empty(dev) netdev_hw_addr_list_empty(&(dev)->mc)
#define netdev_for_each_mc_addr(ha, dev) netdev_hw_addr_list_for_each(ha, &(dev)->mc)

struct netdev_queue {
	struct net_device *dev;
	unsigned long state;
	unsigned long trans_start;
	/* byte queue limits: kept as counters only */
	unsigned int nook_bql_queued;
};

struct net_device;

struct napi_struct {
	struct list_head poll_list;
	unsigned long state;
	int weight;
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	struct list_head dev_list;
	struct sk_buff *skb; /* being built by napi_get_frags() */
	bool nook_scheduled;
	bool nook_enabled;
};

enum {
	NAPI_STATE_SCHED,
	NAPI_STATE_DISABLE,
};
#define NAPI_POLL_WEIGHT 64

struct ifreq;
struct rtnl_link_stats64;
void netdev_stats_to_stats64(struct rtnl_link_stats64 *to, const struct net_device_stats *from);
struct netlink_ext_ack;

struct net_device_ops {
	int (*ndo_init)(struct net_device *dev);
	void (*ndo_uninit)(struct net_device *dev);
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	netdev_features_t (*ndo_features_check)(struct sk_buff *skb, struct net_device *dev,
						netdev_features_t features);
	void (*ndo_set_rx_mode)(struct net_device *dev);
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	int (*ndo_validate_addr)(struct net_device *dev);
	int (*ndo_do_ioctl)(struct net_device *dev, struct ifreq *ifr, int cmd);
	int (*ndo_eth_ioctl)(struct net_device *dev, struct ifreq *ifr, int cmd);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int txqueue);
	void (*ndo_get_stats64)(struct net_device *dev, struct rtnl_link_stats64 *storage);
	struct net_device_stats *(*ndo_get_stats)(struct net_device *dev);
	int (*ndo_vlan_rx_add_vid)(struct net_device *dev, __be16 proto, u16 vid);
	int (*ndo_vlan_rx_kill_vid)(struct net_device *dev, __be16 proto, u16 vid);
	void (*ndo_poll_controller)(struct net_device *dev);
	netdev_features_t (*ndo_fix_features)(struct net_device *dev, netdev_features_t features);
	int (*ndo_set_features)(struct net_device *dev, netdev_features_t features);
};

enum netdev_state_bits {
	__LINK_STATE_START,
	__LINK_STATE_PRESENT,
	__LINK_STATE_NOCARRIER,
	__LINK_STATE_LINKWATCH_PENDING,
	__LINK_STATE_DORMANT,
};
enum {
	__QUEUE_STATE_DRV_XOFF,
	__QUEUE_STATE_STACK_XOFF,
};

struct net_device {
	char name[IFNAMSIZ];
	unsigned long state;
	struct device dev;
	netdev_features_t features;
	netdev_features_t hw_features;
	netdev_features_t wanted_features;
	netdev_features_t vlan_features;
	netdev_features_t hw_enc_features;
	int ifindex;
	/* what the driver notes of its device's I/O base and IRQ (ethtool, messages) */
	unsigned long base_addr;
	int irq;
	struct net_device_stats stats;
	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	unsigned int flags;
	unsigned int priv_flags;
	unsigned short gflags;
	unsigned int mtu;
	unsigned int min_mtu;
	unsigned int max_mtu;
	unsigned short type;
	unsigned short hard_header_len;
	unsigned short needed_headroom;
	unsigned short needed_tailroom;
	unsigned char addr_len;
	unsigned char perm_addr[MAX_ADDR_LEN];
	const unsigned char *dev_addr;
	unsigned char broadcast[MAX_ADDR_LEN];
	struct netdev_hw_addr_list uc;
	struct netdev_hw_addr_list mc;
	unsigned int promiscuity;
	unsigned int allmulti;
	int watchdog_timeo;
	unsigned int tx_queue_len;
	unsigned int num_tx_queues;
	unsigned int real_num_tx_queues;
	struct netdev_queue *_tx;
	unsigned int gso_max_size;
	u16 gso_max_segs;
	struct list_head napi_list;
	enum {
		NETREG_UNINITIALIZED = 0,
		NETREG_REGISTERED,
		NETREG_UNREGISTERING,
		NETREG_UNREGISTERED
	} reg_state;
	/* the host side of this interface (shims/net), and the private area's start */
	void *nook_shim;
	unsigned char nook_addr[MAX_ADDR_LEN];
	/* the features the host last heard of (nook_netdev_offloads) */
	netdev_features_t nook_features_told;
	/* received skbs handed to the host, freed at the end of the burst (nook_netdev_rx_flush) */
	struct sk_buff *nook_rx_held;
	unsigned int nook_rx_nheld;
	/* the buffers the host reads the next frame into, and a frame the driver was busy for
	 * (nook_netdev_tx_buffers) */
	struct sk_buff *nook_tx_head, *nook_tx_busy;
	struct page *nook_tx_page;
	/* Linux's transmit watchdog (netdev-watchdog.c), and when it last reset the driver */
	struct timer_list nook_watchdog;
	unsigned long nook_tx_timeout_at; /* jiffies of the last ndo_tx_timeout; 0: none */
	void *nook_priv;
};

#define SET_NETDEV_DEV(net, pdev) ((net)->dev.parent = (pdev))
#define netdev_priv(dev) ((dev)->nook_priv)
#define NETDEV_ALIGN 32

struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs);
#define alloc_etherdev(sizeof_priv) alloc_etherdev_mqs((sizeof_priv), 1, 1)
#define alloc_etherdev_mq(sizeof_priv, count) alloc_etherdev_mqs((sizeof_priv), (count), (count))
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
#define register_netdevice register_netdev
#define unregister_netdevice unregister_netdev
int dev_addr_set_nook(struct net_device *dev, const u8 *addr);
#define dev_addr_set(dev, addr) dev_addr_set_nook((dev), (addr))
static inline void eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	dev_addr_set_nook(dev, addr);
}
/* Change @len bytes of the address from @offset on (a driver that keeps its OUI, say). */
void dev_addr_mod(struct net_device *dev, unsigned int offset, const void *addr, size_t len);

static inline bool netif_running(const struct net_device *dev)
{
	return (dev->state >> __LINK_STATE_START) & 1;
}
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return !((dev->state >> __LINK_STATE_NOCARRIER) & 1);
}
static inline bool netif_device_present(const struct net_device *dev)
{
	return (dev->state >> __LINK_STATE_PRESENT) & 1;
}
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
void netif_device_detach(struct net_device *dev);
void netif_device_attach(struct net_device *dev);

static inline struct netdev_queue *netdev_get_tx_queue(const struct net_device *dev,
						       unsigned int index)
{
	return &dev->_tx[index];
}
void netif_tx_start_queue(struct netdev_queue *q);
void netif_tx_stop_queue(struct netdev_queue *q);
void netif_tx_wake_queue(struct netdev_queue *q);
static inline bool netif_tx_queue_stopped(const struct netdev_queue *q)
{
	return (q->state >> __QUEUE_STATE_DRV_XOFF) & 1;
}
#define netif_xmit_stopped(q) netif_tx_queue_stopped(q)
#define netif_start_queue(dev) netif_tx_start_queue(netdev_get_tx_queue((dev), 0))
#define netif_stop_queue(dev) netif_tx_stop_queue(netdev_get_tx_queue((dev), 0))
#define netif_wake_queue(dev) netif_tx_wake_queue(netdev_get_tx_queue((dev), 0))
#define netif_queue_stopped(dev) netif_tx_queue_stopped(netdev_get_tx_queue((dev), 0))
#define netif_tx_start_all_queues(dev) netif_start_queue(dev)
#define netif_tx_wake_all_queues(dev) netif_wake_queue(dev)
#define netif_tx_stop_all_queues(dev) netif_stop_queue(dev)
#define netif_tx_disable(dev) netif_stop_queue(dev)
#define netif_trans_update(dev) (netdev_get_tx_queue((dev), 0)->trans_start = jiffies)
#define txq_trans_cond_update(q) ((q)->trans_start = jiffies)
#define smp_mb__after_netif_stop_queue() barrier()
#define netif_set_real_num_tx_queues(dev, n) 0
#define netif_set_real_num_rx_queues(dev, n) 0
#define netdev_xmit_more() false
#define netif_tx_lock(dev) \
	NOOK_NOOP_ARG("one thread: no transmit runs while the driver holds it", dev)
#define netif_tx_unlock(dev) \
	NOOK_NOOP_ARG("one thread: no transmit runs while the driver holds it", dev)
#define netif_tx_lock_bh(dev) \
	NOOK_NOOP_ARG("one thread: no transmit runs while the driver holds it", dev)
#define netif_tx_unlock_bh(dev) \
	NOOK_NOOP_ARG("one thread: no transmit runs while the driver holds it", dev)
#define netif_addr_lock_bh(dev) \
	NOOK_NOOP_ARG("one thread: no address list changes while the driver holds it", dev)
#define netif_addr_unlock_bh(dev) \
	NOOK_NOOP_ARG("one thread: no address list changes while the driver holds it", dev)

/* Byte queue limits: no qdisc to inform here. */
#define netdev_sent_queue(dev, bytes)                                                           \
	NOOK_NOOP_ARG("byte queue limits: no qdisc behind the driver to hold back (the shim's " \
		      "backlog is fair on its own)",                                            \
		      dev)
#define netdev_completed_queue(dev, pkts, bytes) \
	NOOK_NOOP_ARG("byte queue limits, as netdev_sent_queue()", dev)
#define netdev_reset_queue(dev) NOOK_NOOP_ARG("byte queue limits, as netdev_sent_queue()", dev)
#define netdev_tx_sent_queue(q, bytes) NOOK_NOOP_ARG("byte queue limits, as netdev_sent_queue()", q)
#define netdev_tx_completed_queue(q, p, b) \
	NOOK_NOOP_ARG("byte queue limits, as netdev_sent_queue()", q)
#define netdev_tx_reset_queue(q) NOOK_NOOP_ARG("byte queue limits, as netdev_sent_queue()", q)

void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
			   int (*poll)(struct napi_struct *, int), int weight);
#define netif_napi_add(dev, napi, poll) \
	netif_napi_add_weight((dev), (napi), (poll), NAPI_POLL_WEIGHT)
void netif_napi_del(struct napi_struct *napi);
void napi_enable(struct napi_struct *napi);
void napi_disable(struct napi_struct *napi);
bool napi_schedule_prep(struct napi_struct *napi);
void __napi_schedule(struct napi_struct *napi);
#define __napi_schedule_irqoff __napi_schedule
#define napi_schedule_irqoff napi_schedule
static inline bool napi_schedule(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi)) {
		__napi_schedule(napi);
		return true;
	}
	return false;
}
bool napi_complete_done(struct napi_struct *napi, int work_done);
#define napi_complete(n) napi_complete_done((n), 0)
enum gro_result {
	GRO_MERGED,
	GRO_MERGED_FREE,
	GRO_HELD,
	GRO_NORMAL,
	GRO_CONSUMED,
};
typedef enum gro_result gro_result_t;
gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
int netif_receive_skb(struct sk_buff *skb);
int netif_rx(struct sk_buff *skb);
#define netif_rx_ni netif_rx
struct sk_buff *napi_get_frags(struct napi_struct *napi);
gro_result_t napi_gro_frags(struct napi_struct *napi);
void napi_free_frags(struct napi_struct *napi);

/* The loop's side: run scheduled NAPI polls; true if any is still scheduled. */
bool nook_napi_run(void);
/* True while a NAPI poll runs: received frames are a burst that ends with the poll. */
bool nook_napi_polling(void);
/* The end of a burst of received frames on @dev (the net host's rx_flush). */
void nook_netdev_rx_flush(struct net_device *dev);
/* The end of a NAPI poll that handed frames up (the net host's poll_done). */
void nook_netdev_poll_done(struct net_device *dev);

#define NETIF_MSG_DRV 0x0001
#define NETIF_MSG_PROBE 0x0002
#define NETIF_MSG_LINK 0x0004
#define NETIF_MSG_TIMER 0x0008
#define NETIF_MSG_IFDOWN 0x0010
#define NETIF_MSG_IFUP 0x0020
#define NETIF_MSG_RX_ERR 0x0040
#define NETIF_MSG_TX_ERR 0x0080
#define NETIF_MSG_TX_QUEUED 0x0100
#define NETIF_MSG_INTR 0x0200
#define NETIF_MSG_TX_DONE 0x0400
#define NETIF_MSG_RX_STATUS 0x0800
#define NETIF_MSG_PKTDATA 0x1000
#define NETIF_MSG_HW 0x2000
#define NETIF_MSG_WOL 0x4000
#define netif_msg_drv(p) ((p)->msg_enable & NETIF_MSG_DRV)
#define netif_msg_probe(p) ((p)->msg_enable & NETIF_MSG_PROBE)
#define netif_msg_link(p) ((p)->msg_enable & NETIF_MSG_LINK)
#define netif_msg_timer(p) ((p)->msg_enable & NETIF_MSG_TIMER)
#define netif_msg_ifdown(p) ((p)->msg_enable & NETIF_MSG_IFDOWN)
#define netif_msg_ifup(p) ((p)->msg_enable & NETIF_MSG_IFUP)
#define netif_msg_rx_err(p) ((p)->msg_enable & NETIF_MSG_RX_ERR)
#define netif_msg_tx_err(p) ((p)->msg_enable & NETIF_MSG_TX_ERR)
#define netif_msg_tx_queued(p) ((p)->msg_enable & NETIF_MSG_TX_QUEUED)
#define netif_msg_intr(p) ((p)->msg_enable & NETIF_MSG_INTR)
#define netif_msg_tx_done(p) ((p)->msg_enable & NETIF_MSG_TX_DONE)
#define netif_msg_rx_status(p) ((p)->msg_enable & NETIF_MSG_RX_STATUS)
#define netif_msg_pktdata(p) ((p)->msg_enable & NETIF_MSG_PKTDATA)
#define netif_msg_hw(p) ((p)->msg_enable & NETIF_MSG_HW)
#define netif_msg_wol(p) ((p)->msg_enable & NETIF_MSG_WOL)
static inline u32 netif_msg_init(int debug_value, int default_msg_enable_bits)
{
	if (debug_value < 0 || debug_value >= 32)
		return default_msg_enable_bits;
	if (debug_value == 0)
		return 0;
	return (1U << debug_value) - 1;
}

const char *nook_netdev_name(const struct net_device *dev);
#define netdev_printk(level, dev, fmt, ...) \
	printk(level "%s: " fmt, nook_netdev_name(dev), ##__VA_ARGS__)
#define netdev_emerg(dev, fmt, ...) netdev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define netdev_crit(dev, fmt, ...) netdev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define netdev_err(dev, fmt, ...) netdev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define netdev_warn(dev, fmt, ...) netdev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define netdev_notice(dev, fmt, ...) netdev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define netdev_info(dev, fmt, ...) netdev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define netdev_dbg(dev, fmt, ...)                                           \
	({                                                                  \
		if (nook_debug)                                             \
			netdev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); \
	})
/* As in Linux, the netif_* messages of a kind print only when the driver's msg_enable has it. */
#define netif_err(p, type, dev, fmt, ...)                    \
	({                                                   \
		if (netif_msg_##type(p))                     \
			netdev_err(dev, fmt, ##__VA_ARGS__); \
	})
#define netif_warn(p, type, dev, fmt, ...)                    \
	({                                                    \
		if (netif_msg_##type(p))                      \
			netdev_warn(dev, fmt, ##__VA_ARGS__); \
	})
#define netif_info(p, type, dev, fmt, ...)                    \
	({                                                    \
		if (netif_msg_##type(p))                      \
			netdev_info(dev, fmt, ##__VA_ARGS__); \
	})
#define netif_dbg(p, type, dev, fmt, ...)                    \
	({                                                   \
		if (netif_msg_##type(p))                     \
			netdev_dbg(dev, fmt, ##__VA_ARGS__); \
	})
#define netif_printk(p, type, level, dev, fmt, ...)                    \
	({                                                             \
		if (netif_msg_##type(p))                               \
			netdev_printk(level, dev, fmt, ##__VA_ARGS__); \
	})
#define netdev_warn_once(dev, fmt, ...) nook_once(netdev_warn(dev, fmt, ##__VA_ARGS__))
#define netdev_err_once(dev, fmt, ...) nook_once(netdev_err(dev, fmt, ##__VA_ARGS__))
#define net_ratelimit() 1
#define netdev_WARN(dev, fmt, ...)                            \
	({                                                    \
		netdev_warn(dev, fmt, ##__VA_ARGS__);         \
		nook_warn(__FILE__, __LINE__, "netdev_WARN"); \
	})
#define netdev_WARN_ONCE(dev, fmt, ...) nook_once(netdev_WARN(dev, fmt, ##__VA_ARGS__))

#define dev_hold(dev)  \
	NOOK_NOOP_ARG( \
		"the net_device lives as long as the driver process, freed by free_netdev()", dev)
#define dev_put(dev) NOOK_NOOP_ARG("as dev_hold()", dev)
#define dev_net(dev) NULL

#endif
