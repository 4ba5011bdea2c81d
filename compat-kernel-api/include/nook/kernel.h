/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compat layer as a driver program (or a test) drives it: start it, then step its loop.
 * Plain C types only.
 */
#ifndef NOOK_KERNEL_H
#define NOOK_KERNEL_H

#include <stdbool.h>

int nook_kernel_init(void);

/*
 * Run what is runnable (tasks, due timers, interrupt bottom halves), wait for the host up
 * to the next timer, a sleeping task's wake-up or @deadline_ns (-1: none), then run what
 * that made runnable. Returns the host's event count or a negative errno.
 */
int nook_kernel_step(long long deadline_ns);

/* Step until @done(@arg) holds; -ETIMEDOUT at @deadline_ns (-1: none). */
int nook_kernel_run_until(bool (*done)(void *arg), void *arg, long long deadline_ns);

#endif
