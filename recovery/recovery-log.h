/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The history of a device's recoveries, newest last: how each failure was detected, which
 * fault (if any) had been injected, and how long the way back took, each phase measured
 * from the detection: the new incarnation started, took the device (READY), saw carrier,
 * and handed up its first received frame (traffic flows again: the recovery's end).
 * Pure bookkeeping: every call takes the time.
 */
#ifndef NOOK_RECOVERY_LOG_H
#define NOOK_RECOVERY_LOG_H

#include <stdbool.h>
#include <stdint.h>

#define NOOK_RECOVERY_KEEP 32
#define NOOK_RECOVERY_KIND_LEN 16

/* How a failure was detected. */
enum nook_failure_kind {
	NOOK_FAILURE_CRASH,	/* died of a signal */
	NOOK_FAILURE_HANG,	/* missed its heartbeats: killed */
	NOOK_FAILURE_FAIL_STOP, /* stopped itself on a fault it detected (bad output, quota) */
	NOOK_FAILURE_DMA_FAULT, /* the IOMMU refused its device's DMA: killed */
	NOOK_FAILURE_PROTOCOL,	/* spoke nonsense on the control channel: killed */
	NOOK_FAILURE_EXIT,	/* exited on its own */
	NOOK_FAILURE_START,	/* could not be started */
	NOOK_FAILURE_SILENT,	/* alive but not doing its job (stall-detect.h): killed */
};

const char *nook_failure_kind_name(enum nook_failure_kind kind);

enum nook_recovery_phase {
	NOOK_RECOVERY_STARTED,
	NOOK_RECOVERY_READY,
	NOOK_RECOVERY_CARRIER, /* a NIC's carrier; a sound card's first stream started again */
	NOOK_RECOVERY_TRAFFIC,
	NOOK_RECOVERY_PHASES,
};

struct nook_recovery {
	enum nook_failure_kind kind;
	char injected[NOOK_RECOVERY_KIND_LEN]; /* the injected fault's name, "" for none */
	uint64_t detected_ms;
	uint64_t detected_wall_us; /* the same, by the wall clock (0: not told) */
	/* ms from detection to each phase; 0: not reached (yet) */
	uint32_t phase_ms[NOOK_RECOVERY_PHASES];
	bool open; /* still under way: later phases may still be reached */
};

struct nook_recovery_log {
	struct nook_recovery entries[NOOK_RECOVERY_KEEP];
	unsigned int n;	    /* how many are kept (at most NOOK_RECOVERY_KEEP) */
	unsigned int first; /* index of the oldest */
};

void nook_recovery_log_init(struct nook_recovery_log *log);

/* A failure detected at @now_ms starts a recovery (closing any still open). */
void nook_recovery_begin(struct nook_recovery_log *log, enum nook_failure_kind kind,
			 const char *injected, uint64_t now_ms);
/*
 * The newest recovery's detection by the wall clock, kept as it was then: one reckoned from
 * the monotonic clock at each question would move by a fraction of a millisecond.
 */
void nook_recovery_stamp(struct nook_recovery_log *log, uint64_t wall_us);

/*
 * The open recovery reached @phase at @now_ms (only the first time counts; phases before
 * it that were skipped stay 0). Returns the ms since detection, or 0 when none is open.
 * Reaching TRAFFIC closes it.
 */
uint32_t nook_recovery_reached(struct nook_recovery_log *log, enum nook_recovery_phase phase,
			       uint64_t now_ms);

/* Close the open recovery where it stands (the device went away, or failed again). */
void nook_recovery_close(struct nook_recovery_log *log);

/* The @i-th kept recovery, oldest first; NULL past the end. */
const struct nook_recovery *nook_recovery_at(const struct nook_recovery_log *log, unsigned int i);

/* The newest, NULL if none. */
const struct nook_recovery *nook_recovery_last(const struct nook_recovery_log *log);

#endif
