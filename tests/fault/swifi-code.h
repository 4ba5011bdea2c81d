/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Code faults of the SWIFI planner: one x86-64 instruction of a driver function mutated as
 * the fault-injection literature did (Rio and Nooks' SWIFI, G-SWFIT's operators), described
 * by its bytes before and after and in words.
 */
#ifndef NOOK_SWIFI_CODE_H
#define NOOK_SWIFI_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "swifi-elf.h"
#include "swifi-rng.h"

/* The mutations; their names (swifi_mutation_name) are the plan's "type". */
enum swifi_mutation {
	SWIFI_BIT_FLIP,
	SWIFI_SWAP_REGISTER,
	SWIFI_CORRUPT_POINTER,
	SWIFI_DELETE_INSTRUCTION,
	SWIFI_DELETE_BRANCH,
	SWIFI_INVERT_BRANCH,
	SWIFI_REMOVE_INIT,
	SWIFI_OFF_BY_ONE,
	SWIFI_N_MUTATIONS,
};

/* x86's longest instruction. */
#define SWIFI_MAX_INSN 15

struct swifi_code_fault {
	enum swifi_mutation type;
	const struct swifi_func *func;
	uint64_t vaddr;	  /* of the instruction */
	unsigned int len; /* of orig and new */
	uint8_t orig[SWIFI_MAX_INSN];
	uint8_t new[SWIFI_MAX_INSN];
	char before[128];      /* orig, formatted (Intel syntax) */
	char after[256];       /* new, formatted: one or more instructions */
	char description[512]; /* "FUNCTION+0xOFF: WHAT: BEFORE -> AFTER" */
};

const char *swifi_mutation_name(enum swifi_mutation type);

/*
 * Plans n code faults into funcs (n_funcs > 0) with random numbers from rng: for each, a
 * mutation type (uniform among the 8), then a function (weighted by size) and an instruction
 * of it that admits the type and overlaps no fault planned before; after a bounded number of
 * functions without one, a bit flip instead. faults[0..n) receive them. -ENOSPC if no
 * instruction is left, -ENOMEM.
 */
int swifi_code_plan(const struct swifi_func *funcs, size_t n_funcs, struct swifi_rng *rng,
		    struct swifi_code_fault *faults, size_t n);

#endif
