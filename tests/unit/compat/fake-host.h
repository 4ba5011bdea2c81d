/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake host for the compat layer's unit tests: real heap, clock and task contexts; a DMA
 * "arena" of plain memory at a made-up IOVA; a PCI device made of arrays; interrupts the
 * test raises by hand. Plain C types only (tests include it beside kernel headers).
 */
#ifndef NOOK_TEST_FAKE_HOST_H
#define NOOK_TEST_FAKE_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <nook/host.h>

#define FAKE_ARENA_IOVA 0x40000000ULL
#define FAKE_ARENA_SIZE (8u << 20)

/* Heap bytes the compat layer holds now (kmalloc accounting goes through the host). */
long long fake_host_heap_in_use(void);
/* The last message logged, its level, and how many messages the host has logged. */
const char *fake_host_last_log(void);
int fake_host_last_log_level(void);
unsigned int fake_host_log_lines(void);

/*
 * Run @fn(@arg) in a child process and see it stop on a fatal error: 0 if it did, with
 * what it wrote to stderr in @why; -ENOENT if it returned instead.
 */
int fake_host_expect_fatal(void (*fn)(void *arg), void *arg, char *why, size_t size);

/* The fake PCI device: config space, a memory BAR (0) and 32 I/O ports (BAR 2). */
struct nook_host_pci *fake_host_pci(uint16_t vendor, uint16_t device, uint32_t class_rev,
				    uint16_t subvendor, uint16_t subdevice);
/* Queue interrupt @vector; the next wait delivers it. */
void fake_host_raise_irq(unsigned int vector);
unsigned int fake_host_unmask_count(void);

#endif
