/* SPDX-License-Identifier: GPL-2.0-only */
/* What the compat layer's own files share; not part of the kernel interface. */
#ifndef NOOK_COMPAT_INTERNAL_H
#define NOOK_COMPAT_INTERNAL_H

#include <linux/types.h>

/* Fail-stop with a message naming what went wrong. */
void nook_fatal(const char *what) __attribute__((noreturn));

/* Print the line printk holds open, waiting for its continuation (printk.c). */
void nook_printk_flush(void);

/* Run the tasks runnable, or due to wake, at @now_ns (sched.c). */
bool nook_sched_run(uint64_t now_ns);
long long nook_sched_next_ns(void);
int nook_sched_task_count(void);
bool nook_softirq_run(void);
/* Unmask INTx if it fired since the last call (irq.c). */
void nook_irq_unmask_due(void);
struct net_device;
/* Tell the net host when the driver's features changed since it last heard (netdev.c). */
void nook_netdev_features_sync(struct net_device *dev);
/* Free what the transmit path keeps for the next frame (netdev-xmit.c). */
void nook_netdev_tx_release(struct net_device *dev);
struct sk_buff;
struct device;
/*
 * A frame handed to the driver is freed (skbuff.c), or a mapping for the device to read
 * starts in the arena block at @block (dma.c): the device may read a frame's head up to the
 * frame's end, not past it (netdev-xmit.c).
 */
void nook_xmit_forget(struct sk_buff *skb);
void nook_xmit_map_check(struct device *dev, const void *block, const void *ptr, size_t size);
/*
 * Linux's transmit watchdog (netdev-watchdog.c): set up with the device, started when it
 * opens or its carrier comes back, stopped when it closes or goes.
 */
void nook_netdev_watchdog_init(struct net_device *dev);
void nook_netdev_watchdog_up(struct net_device *dev);
void nook_netdev_watchdog_down(struct net_device *dev);
int nook_workqueue_init(void);
/* A planned desc-corrupt fault: corrupt one word of the coherent DMA buffers (dma.c). */
void nook_dma_corrupt_coherent(uint64_t seed);
/* A planned irq-storm: fire the interrupt line again if it storms; true if it did (irq.c). */
bool nook_irq_storm_fire(void);

#endif
