/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection: make the running driver fail in driver context, the way a buggy or
 * hostile driver would, so that detection and recovery can be proved. The fault is armed
 * from the host (nookctl inject) and fires at the next interrupt, inside the interrupt
 * handler's context, before the driver's handler runs. The points live in the compat layer,
 * never in driver sources.
 */
#ifndef NOOK_FAULT_H
#define NOOK_FAULT_H

enum nook_fault {
	NOOK_FAULT_NONE,
	NOOK_FAULT_SEGV,       /* a NULL dereference */
	NOOK_FAULT_ABORT,      /* abort() */
	NOOK_FAULT_HANG,       /* an endless loop: the event loop stops */
	NOOK_FAULT_WILD_WRITE, /* a write to a random address */
};

/* Arm @fault (0 disarms); -EINVAL for one this layer does not know. */
int nook_fault_arm(enum nook_fault fault);

/* The name nookctl uses ("segv", "wild-write"), NULL for none. */
const char *nook_fault_name(enum nook_fault fault);

/* Called where a fault may fire (the interrupt path). */
void nook_fault_point(void);

/* The fault itself, where a crash report will say the driver died. */
void nook_fault_fire(enum nook_fault fault);

#endif
