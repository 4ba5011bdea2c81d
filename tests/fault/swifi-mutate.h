/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SWIFI planner's mutations of one decoded instruction, shared by swifi-code.c (which
 * picks the instruction) and swifi-mutate.c (which mutates it). Internal to the planner.
 */
#ifndef NOOK_SWIFI_MUTATE_H
#define NOOK_SWIFI_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <Zydis/Zydis.h>

#include "swifi-code.h"

struct swifi_planner {
	ZydisDecoder decoder;
	ZydisFormatter formatter;
	struct swifi_rng *rng;
};

struct swifi_insn {
	uint64_t off; /* from the function's start */
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
};

/* A function's instructions, decoded. */
struct swifi_func_code {
	const struct swifi_func *func;
	struct swifi_insn *insns;
	size_t n;
};

/*
 * Makes mutation f->type of instruction i of fc in f->new (which holds a copy of its bytes),
 * and says what it did in what[0..size), e.g. "use rcx instead of rdx". False if the
 * instruction does not admit the mutation; f->new is then to be thrown away.
 */
bool swifi_mutate(const struct swifi_planner *p, const struct swifi_func_code *fc, size_t i,
		  struct swifi_code_fault *f, char *what, size_t size);

#endif
