/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Planned faults: a fault-injection campaign's trial gives a fresh driver incarnation its
 * faults on the command line (nook-driver-NAME --fault SPEC, from tests/fault/nook-swifi),
 * and each fires at the Nth time the driver passes its point. Two classes are planned here:
 *
 *   iface:KIND:N:ARG  the kernel API the driver calls misbehaves, as Linux's own fault
 *                     injection (failslab, fail_page_alloc) makes it:
 *       alloc        the Nth heap allocation and the ARG-1 after it return NULL
 *       dma-map      the Nth streaming DMA mapping and the ARG-1 after it fail
 *       request-irq  the Nth request_irq() fails (-EBUSY)
 *       timer-late   the Nth timer to expire runs ARG ms late
 *       sleep-early  the Nth sleep (msleep, usleep_range, schedule_timeout) returns at once
 *   dev:KIND:N:ARG    the device misbehaves, as hardware does (Carburizer's fault model):
 *       mmio-ones    from the Nth register read on, every read returns all ones (the
 *                    device is gone: surprise removal)
 *       mmio-random  register reads N .. N+ARG-1 return random bits
 *       desc-corrupt at the Nth interrupt, one random 32-bit word of the driver's coherent
 *                    DMA memory (its descriptor rings) gets random bits
 *       irq-lost     from the Nth interrupt on, none reaches the driver
 *       irq-storm    from the Nth interrupt on, the line keeps firing with nothing pending
 *
 * A campaign first measures how often its workload passes each site, to draw N from: the
 * spec "count" plans no fault but has every site counted (nook_fault_plan_passes()).
 *
 * The third class, code faults (code:...), mutates the driver's machine code; the driver
 * program applies those itself (shims/fault). Random bits come from a generator seeded
 * by the spec, so a trial replays the same way.
 */
#ifndef NOOK_FAULT_PLAN_H
#define NOOK_FAULT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nook_fault_site {
	NOOK_FAULT_SITE_ALLOC,
	NOOK_FAULT_SITE_DMA_MAP,
	NOOK_FAULT_SITE_REQUEST_IRQ,
	NOOK_FAULT_SITE_TIMER,
	NOOK_FAULT_SITE_SLEEP,
	NOOK_FAULT_SITE_MMIO_READ,
	NOOK_FAULT_SITE_IRQ,
	NOOK_FAULT_SITES,
};

#define NOOK_FAULT_PLAN_MAX 16
#define NOOK_FAULT_SPEC_LEN 128

/*
 * Which sites have a planned fault (bit 1 << site): hot paths test this and call into the
 * plan only when their bit is set.
 */
extern unsigned int nook_fault_plan_sites;

/*
 * Add an iface: or dev: fault. -EINVAL with @err (@errlen bytes) saying what is wrong;
 * -ENOSPC past NOOK_FAULT_PLAN_MAX.
 */
int nook_fault_plan_add(const char *spec, char *err, size_t errlen);

/* The driver passed a failing site (alloc, dma-map, request-irq): true if it must fail now. */
bool nook_fault_plan_fail(enum nook_fault_site site);

/* Whether @site has a planned fault at all: the cheap test that guards each site. */
static inline bool nook_fault_planned(enum nook_fault_site site)
{
	return __builtin_expect((nook_fault_plan_sites >> site) & 1, 0);
}

/* A failing site's whole test: planned, and due at this pass. */
static inline bool nook_fault_fails(enum nook_fault_site site)
{
	return nook_fault_planned(site) && nook_fault_plan_fail(site);
}

/* A timer expires now: how many ms it is to be held back (0: run it). */
unsigned int nook_fault_plan_timer_late_ms(void);

/* A sleep begins: true if it is to return at once. */
bool nook_fault_plan_sleep_early(void);

/* A register read returned @v (@width bytes): what the driver sees instead. */
uint32_t nook_fault_plan_mmio_read(uint32_t v, unsigned int width);

enum nook_fault_irq {
	NOOK_FAULT_IRQ_DELIVER, /* as usual */
	NOOK_FAULT_IRQ_LOSE,	/* the interrupt never reaches the driver */
	NOOK_FAULT_IRQ_STORM,	/* deliver it, and keep firing the line */
};

/*
 * An interrupt arrives: what becomes of it. For desc-corrupt, @corrupt is called with a
 * random seed so that the DMA layer picks and corrupts one word of coherent memory.
 */
enum nook_fault_irq nook_fault_plan_irq(void (*corrupt)(uint64_t seed));

/*
 * Each planned fault (code faults too) reports once, when it first fires: @fn gets its
 * spec. @fn may be called from a signal handler (a code fault's trap): async-signal-safe.
 * Without a reporter, the plan says it on stderr.
 */
typedef void (*nook_fault_fired_fn)(const char *spec);
void nook_fault_plan_set_reporter(nook_fault_fired_fn fn);
void nook_fault_plan_fired(const char *spec);

/* The site's name, as "count" reports it and a plan's --passes take it ("mmio-read"). */
const char *nook_fault_site_name(enum nook_fault_site site);

/* How often the driver passed @site since its count began (its fault planned, or "count"). */
unsigned long nook_fault_plan_passes(enum nook_fault_site site);

/* How many planned faults have fired so far. */
unsigned int nook_fault_plan_fired_count(void);

#endif
