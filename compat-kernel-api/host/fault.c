// SPDX-License-Identifier: GPL-2.0-only
/* Fault injection (see nook/fault.h); libc side, for abort() and getrandom(). */
#include <nook/fault.h>
#include <nook/host.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

static volatile enum nook_fault armed;

int nook_fault_arm(enum nook_fault fault)
{
	if (fault < NOOK_FAULT_NONE || fault > NOOK_FAULT_WILD_WRITE)
		return -EINVAL;
	armed = fault;
	return 0;
}

const char *nook_fault_name(enum nook_fault fault)
{
	switch (fault) {
	case NOOK_FAULT_SEGV: return "segv";
	case NOOK_FAULT_ABORT: return "abort";
	case NOOK_FAULT_HANG: return "hang";
	case NOOK_FAULT_WILD_WRITE: return "wild-write";
	default: return NULL;
	}
}

/* Out of line and exported, so that a crash report names it. */
__attribute__((noinline)) void nook_fault_fire(enum nook_fault fault)
{
	uintptr_t where = 0;
	char msg[80];

	snprintf(msg, sizeof(msg), "injected fault '%s' fires in interrupt context\n",
		 nook_fault_name(fault));
	nook_host_log(3, msg);
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
	default:
		break;
	}
}

void nook_fault_point(void)
{
	enum nook_fault f = armed;

	if (f == NOOK_FAULT_NONE)
		return;
	armed = NOOK_FAULT_NONE;
	nook_fault_fire(f);
}
