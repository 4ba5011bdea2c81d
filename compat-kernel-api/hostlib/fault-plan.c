// SPDX-License-Identifier: GPL-2.0-only
/* Planned faults (see nook/fault-plan.h); libc side. */
#include <nook/fault-plan.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind {
	K_ALLOC,
	K_DMA_MAP,
	K_REQUEST_IRQ,
	K_TIMER_LATE,
	K_SLEEP_EARLY,
	K_MMIO_ONES,
	K_MMIO_RANDOM,
	K_DESC_CORRUPT,
	K_IRQ_LOST,
	K_IRQ_STORM,
};

/* How many passes a fault holds for, from its Nth on. */
enum span {
	SPAN_ONCE,    /* the Nth pass only */
	SPAN_ARG,     /* ARG passes */
	SPAN_FOREVER, /* every pass from the Nth on */
};

/* Each kind: its class, name, site, the ARG it takes, and how long it holds. */
static const struct kind_info {
	const char *cls, *name;
	enum nook_fault_site site;
	unsigned int arg_min, arg_max;
	enum span span;
} kinds[] = {
	[K_ALLOC] = { "iface", "alloc", NOOK_FAULT_SITE_ALLOC, 1, 1000, SPAN_ARG },
	[K_DMA_MAP] = { "iface", "dma-map", NOOK_FAULT_SITE_DMA_MAP, 1, 1000, SPAN_ARG },
	[K_REQUEST_IRQ] = { "iface", "request-irq", NOOK_FAULT_SITE_REQUEST_IRQ, 1, 1, SPAN_ONCE },
	[K_TIMER_LATE] = { "iface", "timer-late", NOOK_FAULT_SITE_TIMER, 1, 60000, SPAN_ONCE },
	[K_SLEEP_EARLY] = { "iface", "sleep-early", NOOK_FAULT_SITE_SLEEP, 0, 0, SPAN_ONCE },
	[K_MMIO_ONES] = { "dev", "mmio-ones", NOOK_FAULT_SITE_MMIO_READ, 0, 0, SPAN_FOREVER },
	[K_MMIO_RANDOM] = { "dev", "mmio-random", NOOK_FAULT_SITE_MMIO_READ, 1, 1000, SPAN_ARG },
	[K_DESC_CORRUPT] = { "dev", "desc-corrupt", NOOK_FAULT_SITE_IRQ, 0, 0, SPAN_ONCE },
	[K_IRQ_LOST] = { "dev", "irq-lost", NOOK_FAULT_SITE_IRQ, 0, 0, SPAN_FOREVER },
	[K_IRQ_STORM] = { "dev", "irq-storm", NOOK_FAULT_SITE_IRQ, 0, 0, SPAN_FOREVER },
};

struct planned {
	enum kind kind;
	unsigned long n, arg;
	bool fired;
	uint64_t rng;
	char spec[NOOK_FAULT_SPEC_LEN];
};

unsigned int nook_fault_plan_sites;
static struct planned plan[NOOK_FAULT_PLAN_MAX];
static unsigned int n_plan;
/* How often the driver passed each site so far (the Nth pass is number N). */
static unsigned long passes[NOOK_FAULT_SITES];
static nook_fault_fired_fn reporter;
static volatile unsigned int fired_count;

/* splitmix64: a small generator whose stream the spec fixes, so a trial replays alike. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int parse_number(const char *s, const char *end, unsigned long *ret)
{
	unsigned long v = 0;

	if (s == end || end - s > 9)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*ret = v;
	return 0;
}

static int bad(char *err, size_t errlen, const char *spec, const char *why)
{
	snprintf(err, errlen, "fault '%s': %s", spec, why);
	return -EINVAL;
}

const char *nook_fault_site_name(enum nook_fault_site site)
{
	static const char *const names[NOOK_FAULT_SITES] = {
		[NOOK_FAULT_SITE_ALLOC] = "alloc",
		[NOOK_FAULT_SITE_DMA_MAP] = "dma-map",
		[NOOK_FAULT_SITE_REQUEST_IRQ] = "request-irq",
		[NOOK_FAULT_SITE_TIMER] = "timer",
		[NOOK_FAULT_SITE_SLEEP] = "sleep",
		[NOOK_FAULT_SITE_MMIO_READ] = "mmio-read",
		[NOOK_FAULT_SITE_IRQ] = "irq",
	};

	return site < NOOK_FAULT_SITES ? names[site] : NULL;
}

unsigned long nook_fault_plan_passes(enum nook_fault_site site)
{
	return site < NOOK_FAULT_SITES ? passes[site] : 0;
}

int nook_fault_plan_add(const char *spec, char *err, size_t errlen)
{
	const char *cls_end, *kind_end, *n_end;
	struct planned *p;
	uint64_t seed = 0;
	size_t i;

	if (n_plan == NOOK_FAULT_PLAN_MAX) {
		snprintf(err, errlen, "more than %d planned faults", NOOK_FAULT_PLAN_MAX);
		return -ENOSPC;
	}
	if (strlen(spec) >= NOOK_FAULT_SPEC_LEN)
		return bad(err, errlen, spec, "too long");
	if (!strcmp(spec, "count")) {
		/* every site counted, none planned: due() finds nothing to fire */
		nook_fault_plan_sites = (1u << NOOK_FAULT_SITES) - 1;
		return 0;
	}
	cls_end = strchr(spec, ':');
	kind_end = cls_end ? strchr(cls_end + 1, ':') : NULL;
	n_end = kind_end ? strchr(kind_end + 1, ':') : NULL;
	if (!n_end)
		return bad(err, errlen, spec, "not CLASS:KIND:N:ARG");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].cls) == (size_t)(cls_end - spec) &&
		    !strncmp(spec, kinds[i].cls, (size_t)(cls_end - spec)) &&
		    strlen(kinds[i].name) == (size_t)(kind_end - cls_end - 1) &&
		    !strncmp(cls_end + 1, kinds[i].name, (size_t)(kind_end - cls_end - 1)))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return bad(err, errlen, spec,
			   "no such fault (iface: alloc, dma-map, request-irq, "
			   "timer-late, sleep-early; dev: mmio-ones, mmio-random, desc-corrupt, "
			   "irq-lost, irq-storm)");
	p = &plan[n_plan];
	p->kind = (enum kind)i;
	if (parse_number(kind_end + 1, n_end, &p->n) < 0 || p->n < 1)
		return bad(err, errlen, spec, "N is a whole number from 1");
	if (parse_number(n_end + 1, n_end + 1 + strlen(n_end + 1), &p->arg) < 0 ||
	    p->arg < kinds[i].arg_min || p->arg > kinds[i].arg_max) {
		snprintf(err, errlen, "fault '%s': ARG of %s is a whole number from %u to %u", spec,
			 kinds[i].name, kinds[i].arg_min, kinds[i].arg_max);
		return -EINVAL;
	}
	for (const char *c = spec; *c; c++)
		seed = seed * 131 + (unsigned char)*c;
	p->rng = seed;
	p->fired = false;
	snprintf(p->spec, sizeof(p->spec), "%s", spec);
	n_plan++;
	nook_fault_plan_sites |= 1u << kinds[i].site;
	return 0;
}

void nook_fault_plan_set_reporter(nook_fault_fired_fn fn)
{
	reporter = fn;
}

/* Async-signal-safe: a code fault's trap reports from its signal handler. */
void nook_fault_plan_fired(const char *spec)
{
	static const char head[] = "<3>nook: planned fault fired: ";
	char line[NOOK_FAULT_SPEC_LEN + sizeof(head) + 1];
	size_t n = strlen(spec);

	fired_count++;
	if (reporter) {
		reporter(spec);
		return;
	}
	if (n > NOOK_FAULT_SPEC_LEN - 1)
		n = NOOK_FAULT_SPEC_LEN - 1;
	memcpy(line, head, sizeof(head) - 1);
	memcpy(line + sizeof(head) - 1, spec, n);
	line[sizeof(head) - 1 + n] = '\n';
	if (write(STDERR_FILENO, line, sizeof(head) + n) < 0)
		return;
}

unsigned int nook_fault_plan_fired_count(void)
{
	return fired_count;
}

/* The plan's faults at @site that are due at this pass; each reports the first time. */
static struct planned *due(enum nook_fault_site site, unsigned long pass, struct planned *after)
{
	struct planned *p = after ? after + 1 : plan;

	for (; p < plan + n_plan; p++) {
		const struct kind_info *k = &kinds[p->kind];
		unsigned long span = k->span == SPAN_ARG     ? p->arg :
				     k->span == SPAN_FOREVER ? ~0UL :
							       1;

		if (k->site != site || pass < p->n)
			continue;
		if (pass - p->n >= span)
			continue;
		if (!p->fired) {
			p->fired = true;
			nook_fault_plan_fired(p->spec);
		}
		return p;
	}
	return NULL;
}

static unsigned long pass(enum nook_fault_site site)
{
	return ++passes[site];
}

bool nook_fault_plan_fail(enum nook_fault_site site)
{
	return due(site, pass(site), NULL) != NULL;
}

unsigned int nook_fault_plan_timer_late_ms(void)
{
	struct planned *p = due(NOOK_FAULT_SITE_TIMER, pass(NOOK_FAULT_SITE_TIMER), NULL);

	return p ? (unsigned int)p->arg : 0;
}

bool nook_fault_plan_sleep_early(void)
{
	return due(NOOK_FAULT_SITE_SLEEP, pass(NOOK_FAULT_SITE_SLEEP), NULL) != NULL;
}

uint32_t nook_fault_plan_mmio_read(uint32_t v, unsigned int width)
{
	uint32_t mask = width >= 4 ? ~0U : (1U << (width * 8)) - 1;
	struct planned *p = due(NOOK_FAULT_SITE_MMIO_READ, pass(NOOK_FAULT_SITE_MMIO_READ), NULL);

	if (!p)
		return v;
	if (p->kind == K_MMIO_ONES)
		return mask;
	return (uint32_t)next_random(&p->rng) & mask;
}

enum nook_fault_irq nook_fault_plan_irq(void (*corrupt)(uint64_t seed))
{
	unsigned long n = pass(NOOK_FAULT_SITE_IRQ);
	enum nook_fault_irq what = NOOK_FAULT_IRQ_DELIVER;

	for (struct planned *p = due(NOOK_FAULT_SITE_IRQ, n, NULL); p;
	     p = due(NOOK_FAULT_SITE_IRQ, n, p)) {
		if (p->kind == K_DESC_CORRUPT && corrupt)
			corrupt(next_random(&p->rng));
		else if (p->kind == K_IRQ_LOST)
			what = NOOK_FAULT_IRQ_LOSE;
		else if (p->kind == K_IRQ_STORM && what != NOOK_FAULT_IRQ_LOSE)
			what = NOOK_FAULT_IRQ_STORM;
	}
	return what;
}
