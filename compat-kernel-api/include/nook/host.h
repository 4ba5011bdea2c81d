/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compat layer's one window on the world. Everything kernel code needs from outside its
 * process-local world goes through these functions: memory, the DMA arena, the clock, the
 * log, execution contexts for tasks, the PCI device, and waiting for events. A driver
 * program links the real host (VFIO, io_uring: shims/vfio-host); unit tests link a fake one.
 *
 * Plain C types only: both kernel-mode code (compat headers) and ordinary C include this.
 */
#ifndef NOOK_HOST_H
#define NOOK_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- memory: the driver's heap; NULL when exhausted or over the process's quota */
void *nook_host_alloc(size_t size);
void nook_host_free(void *p);

/* --- the DMA arena: process memory the device reaches at [iova, iova + size) */
struct nook_host_arena {
	void *base;
	uint64_t iova;
	size_t size;
};
int nook_host_dma_arena(struct nook_host_arena *ret_arena);

/* --- time and log */
uint64_t nook_host_now_ns(void);
/* One message; @level is the printk level (0 emergency .. 7 debug). */
void nook_host_log(int level, const char *msg);
/* The driver process stops here: a detected fault (BUG, a missing function, a bad value). */
void nook_host_fatal(const char *what) __attribute__((noreturn));

/* --- execution contexts for kernel tasks (each with its own stack) */
struct nook_host_ctx;
struct nook_host_ctx *nook_host_ctx_new(void (*entry)(void *arg), void *arg, size_t stack_size);
void nook_host_ctx_free(struct nook_host_ctx *ctx);
/* The context of the thread itself (the loop), created on first use. */
struct nook_host_ctx *nook_host_ctx_self(void);
void nook_host_ctx_switch(struct nook_host_ctx *from, struct nook_host_ctx *to);

/* --- the PCI device */
struct nook_host_pci;
#define NOOK_HOST_BAR_IO 0x1
#define NOOK_HOST_BAR_MEM 0x2
#define NOOK_HOST_BAR_MEM64 0x4
#define NOOK_HOST_BAR_PREFETCH 0x8
int nook_host_pci_config_read(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			      uint32_t *ret_value);
int nook_host_pci_config_write(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			       uint32_t value);
/* A BAR's size (0: not implemented) and NOOK_HOST_BAR_* flags. */
int nook_host_pci_bar(struct nook_host_pci *dev, unsigned int bar, uint64_t *ret_size,
		      unsigned int *ret_flags);
/* A memory BAR mapped into the process; NULL if it cannot be. */
void *nook_host_pci_bar_map(struct nook_host_pci *dev, unsigned int bar);
int nook_host_pci_bar_read(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			   unsigned int width, uint32_t *ret_value);
int nook_host_pci_bar_write(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			    unsigned int width, uint32_t value);
#define NOOK_HOST_IRQ_INTX 0
#define NOOK_HOST_IRQ_MSI 1
#define NOOK_HOST_IRQ_MSIX 2
/* How many vectors the device has of @type (0: none). */
unsigned int nook_host_pci_irq_count(struct nook_host_pci *dev, int type);
/* Deliver @count vectors of @type: each firing calls nook_kernel_irq(dev, vector). */
int nook_host_pci_irq_enable(struct nook_host_pci *dev, int type, unsigned int count);
int nook_host_pci_irq_disable(struct nook_host_pci *dev);
/* INTx is masked when it fires; unmask once the handler has run. */
int nook_host_pci_irq_unmask(struct nook_host_pci *dev);

/*
 * --- waiting: block until something happens or @deadline_ns (CLOCK_MONOTONIC; -1: none),
 * delivering what happened through the nook_kernel_* entry points below. Returns the
 * number of events delivered, 0 at the deadline, or a negative errno.
 */
int nook_host_wait(int64_t deadline_ns);

/* --- entry points of the compat layer that the host calls */
void nook_kernel_irq(struct nook_host_pci *dev, unsigned int vector);

#endif
