/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Deliberate no-ops. Some of what Linux does at a call needs doing in no driver process, and
 * each such call says why, as NOOK_NOOP("why"): one thread runs kernel code, and interrupt
 * handlers and softirqs run between its tasks, never inside one (so there is nothing to lock
 * out); the CPU is little-endian x86-64 with no high memory; there is no lockdep, no
 * power management, no qdisc behind the driver. A kernel function nook does not implement
 * at all is something else: a stub that names itself and fail-stops (gen-stubs). The two
 * are kept apart so that a reader sees which is which, and `grep NOOK_NOOP` lists the one.
 */
#ifndef NOOK_NOOP_H
#define NOOK_NOOP_H

/* Nothing to do, because @why. */
#define NOOK_NOOP(why) ((void)0)
/* The same, where the argument @x is evaluated as Linux would (a driver may name a variable
 * only there). */
#define NOOK_NOOP_ARG(why, x) ((void)(x))

#endif
