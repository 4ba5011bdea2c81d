// SPDX-License-Identifier: GPL-2.0-only
/* The history of a device's recoveries (see recovery-log.h). */
#include "recovery-log.h"

#include <stdio.h>
#include <string.h>

const char *nook_failure_kind_name(enum nook_failure_kind kind)
{
	switch (kind) {
	case NOOK_FAILURE_CRASH:
		return "crash";
	case NOOK_FAILURE_HANG:
		return "hang";
	case NOOK_FAILURE_FAIL_STOP:
		return "fail-stop";
	case NOOK_FAILURE_DMA_FAULT:
		return "dma-fault";
	case NOOK_FAILURE_PROTOCOL:
		return "protocol";
	case NOOK_FAILURE_EXIT:
		return "exit";
	case NOOK_FAILURE_START:
		return "start";
	case NOOK_FAILURE_SILENT:
		return "silent";
	}
	return "unknown";
}

void nook_recovery_log_init(struct nook_recovery_log *log)
{
	memset(log, 0, sizeof(*log));
}

static struct nook_recovery *newest(struct nook_recovery_log *log)
{
	if (!log->n)
		return NULL;
	return &log->entries[(log->first + log->n - 1) % NOOK_RECOVERY_KEEP];
}

void nook_recovery_begin(struct nook_recovery_log *log, enum nook_failure_kind kind,
			 const char *injected, uint64_t now_ms)
{
	struct nook_recovery *r;

	nook_recovery_close(log);
	if (log->n == NOOK_RECOVERY_KEEP) { /* the oldest makes room */
		log->first = (log->first + 1) % NOOK_RECOVERY_KEEP;
		log->n--;
	}
	r = &log->entries[(log->first + log->n) % NOOK_RECOVERY_KEEP];
	log->n++;
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	snprintf(r->injected, sizeof(r->injected), "%s", injected ? injected : "");
	r->detected_ms = now_ms;
	r->open = true;
}

void nook_recovery_stamp(struct nook_recovery_log *log, uint64_t wall_us)
{
	struct nook_recovery *r = newest(log);

	if (r)
		r->detected_wall_us = wall_us;
}

uint32_t nook_recovery_reached(struct nook_recovery_log *log, enum nook_recovery_phase phase,
			       uint64_t now_ms)
{
	struct nook_recovery *r = newest(log);
	uint64_t ms;

	if (!r || !r->open || phase >= NOOK_RECOVERY_PHASES)
		return 0;
	if (r->phase_ms[phase])
		return r->phase_ms[phase];
	ms = now_ms > r->detected_ms ? now_ms - r->detected_ms : 0;
	/* 0 means "not reached": a phase reached within the same millisecond counts as 1 */
	r->phase_ms[phase] = ms == 0 ? 1 : ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	if (phase == NOOK_RECOVERY_TRAFFIC)
		r->open = false;
	return r->phase_ms[phase];
}

void nook_recovery_close(struct nook_recovery_log *log)
{
	struct nook_recovery *r = newest(log);

	if (r)
		r->open = false;
}

const struct nook_recovery *nook_recovery_at(const struct nook_recovery_log *log, unsigned int i)
{
	if (i >= log->n)
		return NULL;
	return &log->entries[(log->first + i) % NOOK_RECOVERY_KEEP];
}

const struct nook_recovery *nook_recovery_last(const struct nook_recovery_log *log)
{
	return log->n ? nook_recovery_at(log, log->n - 1) : NULL;
}
