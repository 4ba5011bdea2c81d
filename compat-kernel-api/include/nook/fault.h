/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection: make the running driver fail in driver context, the way a buggy or
 * hostile driver would, so that detection and recovery can be proved. A fault is armed from
 * the host (nookctl inject) and fires at its point in the compat layer, never in driver
 * sources:
 *   segv, abort, hang, wild-write: at the next interrupt, inside the interrupt handler's
 *     context, before the driver's handler runs;
 *   leak: from the next interrupt on, every interrupt allocates memory it never frees,
 *     until the heap quota stops the driver;
 *   wild-dma: the next streaming DMA mapping hands the driver an IOVA nobody mapped, which
 *     the driver gives its device (the IOMMU refuses the device's access);
 *   bad-skb: the next received skb the driver hands up carries a bogus length.
 */
#ifndef NOOK_FAULT_H
#define NOOK_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nook/fault-plan.h>

enum nook_fault {
	NOOK_FAULT_NONE,
	NOOK_FAULT_SEGV,       /* a NULL dereference */
	NOOK_FAULT_ABORT,      /* abort() */
	NOOK_FAULT_HANG,       /* an endless loop: the event loop stops */
	NOOK_FAULT_WILD_WRITE, /* a write to a random address */
	NOOK_FAULT_LEAK,       /* memory allocated and never freed */
	NOOK_FAULT_WILD_DMA,   /* the device told to DMA where nothing is mapped */
	NOOK_FAULT_BAD_SKB,    /* a received skb with a bogus length */
	NOOK_FAULT_MAX = NOOK_FAULT_BAD_SKB,
};

/* Each interrupt of a leaking driver loses this much (kmalloc, never freed). */
#define NOOK_FAULT_LEAK_BYTES (4u << 20)

/* Arm @fault (0 disarms); -EINVAL for one this layer does not know. */
int nook_fault_arm(enum nook_fault fault);

/* The name nookctl uses ("segv", "wild-write"), NULL for none. */
const char *nook_fault_name(enum nook_fault fault);

/* Called where a fault may fire (the interrupt path). */
void nook_fault_point(void);

/*
 * The streaming-mapping point: returns @iova, or the unmapped IOVA wild-dma hands out.
 * nook_fault_wild_iova() says whether @iova is that one (unmapping it is no error).
 */
uint64_t nook_fault_dma_point(uint64_t iova, size_t size);
bool nook_fault_wild_iova(uint64_t iova);

/* The receive point: true if the skb about to be handed up is to be made bogus. */
bool nook_fault_rx_point(void);

/* The fault itself, where a crash report will say the driver died. */
void nook_fault_fire(enum nook_fault fault);

#endif
