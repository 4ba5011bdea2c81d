// SPDX-License-Identifier: GPL-2.0-only
/* Fault injection (see nook/fault.h); libc side, for abort() and getrandom(). */
#include <nook/fault.h>
#include <nook/host.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static volatile enum nook_fault armed;
static bool leaking;
/*
 * The IOVA wild-dma handed out (0: none): in 3 GiB..3.25 GiB, far above the arena and below
 * 4 GiB, so that a NIC with a 32-bit DMA mask takes it; nothing is ever mapped there.
 */
#define WILD_IOVA_BASE 0xc0000000ULL
static uint64_t wild_iova;

int nook_fault_arm(enum nook_fault fault)
{
	if (fault < NOOK_FAULT_NONE || fault > NOOK_FAULT_MAX)
		return -EINVAL;
	armed = fault;
	return 0;
}

const char *nook_fault_name(enum nook_fault fault)
{
	switch (fault) {
	case NOOK_FAULT_SEGV:
		return "segv";
	case NOOK_FAULT_ABORT:
		return "abort";
	case NOOK_FAULT_HANG:
		return "hang";
	case NOOK_FAULT_WILD_WRITE:
		return "wild-write";
	case NOOK_FAULT_LEAK:
		return "leak";
	case NOOK_FAULT_WILD_DMA:
		return "wild-dma";
	case NOOK_FAULT_BAD_SKB:
		return "bad-skb";
	default:
		return NULL;
	}
}

static void announce(enum nook_fault fault, const char *where)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "injected fault '%s' fires %s\n", nook_fault_name(fault), where);
	nook_host_log(3, msg);
}

/* Out of line and exported, so that a crash report names it. */
__attribute__((noinline)) void nook_fault_fire(enum nook_fault fault)
{
	uintptr_t where = 0;

	announce(fault, "in interrupt context");
	switch (fault) {
	case NOOK_FAULT_SEGV:
		*(volatile int *)where = 1;
		break;
	case NOOK_FAULT_ABORT:
		abort();
	case NOOK_FAULT_HANG:
		for (;;)
			__asm__ __volatile__("" ::: "memory");
	case NOOK_FAULT_WILD_WRITE:
		if (getrandom(&where, sizeof(where), 0) != sizeof(where))
			where = 0xdead0000;
		/* Anywhere in the user half of the address space, page-aligned. */
		where &= 0x00007ffffffff000ULL;
		*(volatile uint64_t *)where = 0x6b6b6b6b6b6b6b6bULL;
		break;
	case NOOK_FAULT_LEAK:
		leaking = true;
		break;
	default:
		break;
	}
}

/* A leaking driver's allocation: through the heap, as kmalloc's, touched and dropped. */
__attribute__((noinline)) static void nook_fault_leak(void)
{
	void *p = nook_host_alloc(NOOK_FAULT_LEAK_BYTES);

	if (p)
		memset(p, 0x6b, 64);
}

void nook_fault_point(void)
{
	enum nook_fault f = armed;

	if (leaking)
		nook_fault_leak();
	if (f == NOOK_FAULT_NONE || f == NOOK_FAULT_WILD_DMA || f == NOOK_FAULT_BAD_SKB)
		return;
	armed = NOOK_FAULT_NONE;
	nook_fault_fire(f);
	if (leaking)
		nook_fault_leak();
}

uint64_t nook_fault_dma_point(uint64_t iova, size_t size)
{
	uint32_t r = 0;

	if (armed != NOOK_FAULT_WILD_DMA)
		return iova;
	armed = NOOK_FAULT_NONE;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = 0x1234;
	wild_iova = WILD_IOVA_BASE + ((uint64_t)(r & 0xffff) << 12);
	announce(NOOK_FAULT_WILD_DMA, "in a streaming DMA mapping");
	return wild_iova;
}

bool nook_fault_wild_iova(uint64_t iova)
{
	return wild_iova && iova >= wild_iova && iova < wild_iova + (64u << 10);
}

bool nook_fault_rx_point(void)
{
	if (armed != NOOK_FAULT_BAD_SKB)
		return false;
	armed = NOOK_FAULT_NONE;
	announce(NOOK_FAULT_BAD_SKB, "on a received skb");
	return true;
}
