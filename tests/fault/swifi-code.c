// SPDX-License-Identifier: GPL-2.0-only
/*
 * Code faults: a driver function is decoded with Zydis from the program file's bytes, an
 * instruction that admits the chosen mutation is picked, and the mutation is made on a copy of
 * its bytes, never longer than the original (a shorter result is padded with one-byte NOPs).
 * The mutations themselves are in swifi-mutate.c.
 */
#include "swifi-code.h"
#include "swifi-mutate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Functions tried for a fault's mutation before a bit flip is planned instead. Every
 * mutation but off-by-one admits an instruction in most functions of a driver, so 32 tries
 * fall back only when the driver has (nearly) no instruction of that kind.
 */
#define TRIES_PER_FAULT 32

static const char *const mutation_names[SWIFI_N_MUTATIONS] = {
	[SWIFI_BIT_FLIP] = "bit-flip",
	[SWIFI_SWAP_REGISTER] = "swap-register",
	[SWIFI_CORRUPT_POINTER] = "corrupt-pointer",
	[SWIFI_DELETE_INSTRUCTION] = "delete-instruction",
	[SWIFI_DELETE_BRANCH] = "delete-branch",
	[SWIFI_INVERT_BRANCH] = "invert-branch",
	[SWIFI_REMOVE_INIT] = "remove-init",
	[SWIFI_OFF_BY_ONE] = "off-by-one",
};

const char *swifi_mutation_name(enum swifi_mutation type)
{
	return type < SWIFI_N_MUTATIONS ? mutation_names[type] : NULL;
}

/* Intel syntax, lowercase hex without padding, as objdump -M intel prints it: jz 0x1a3c0. */
static int planner_init(struct swifi_planner *p, struct swifi_rng *rng)
{
	static const struct {
		ZydisFormatterProperty property;
		ZyanUPointer value;
	} props[] = {
		{ ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE },
		{ ZYDIS_FORMATTER_PROP_DISP_PADDING, ZYDIS_PADDING_DISABLED },
		{ ZYDIS_FORMATTER_PROP_IMM_PADDING, ZYDIS_PADDING_DISABLED },
		{ ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE, ZYDIS_PADDING_DISABLED },
	};

	if (!ZYAN_SUCCESS(ZydisDecoderInit(&p->decoder, ZYDIS_MACHINE_MODE_LONG_64,
					   ZYDIS_STACK_WIDTH_64)) ||
	    !ZYAN_SUCCESS(ZydisFormatterInit(&p->formatter, ZYDIS_FORMATTER_STYLE_INTEL)))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (!ZYAN_SUCCESS(ZydisFormatterSetProperty(&p->formatter, props[i].property,
							    props[i].value)))
			return -EINVAL;
	p->rng = rng;
	return 0;
}

/*
 * Decodes a function from its start, instruction after instruction. Decoding stops at the
 * first byte sequence that is no instruction: what follows it (data, if a compiler put any in
 * .text) is not a place for a code fault.
 */
static int decode_func(const struct swifi_planner *p, const struct swifi_func *func,
		       struct swifi_func_code *fc)
{
	size_t cap = 0;
	uint64_t off = 0;

	*fc = (struct swifi_func_code){ .func = func };
	while (off < func->size) {
		struct swifi_insn *in;

		if (fc->n == cap) {
			struct swifi_insn *grown;

			cap = cap ? 2 * cap : 64;
			grown = reallocarray(fc->insns, cap, sizeof(*grown));
			if (!grown) {
				free(fc->insns);
				fc->insns = NULL;
				return -ENOMEM;
			}
			fc->insns = grown;
		}
		in = &fc->insns[fc->n];
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&p->decoder, func->code + off,
							 func->size - off, &in->ins, in->ops)))
			break;
		in->off = off;
		off += in->ins.length;
		fc->n++;
	}
	return 0;
}

/* Whether bytes[0..len) is whole instructions, the last one ending at len. */
static bool decodes_exactly(const struct swifi_planner *p, const uint8_t *bytes, unsigned len)
{
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	unsigned off = 0;

	while (off < len) {
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&p->decoder, bytes + off, len - off, &ins,
							 ops)))
			return false;
		off += ins.length;
	}
	return true;
}

static void format_insn(const struct swifi_planner *p, const ZydisDecodedInstruction *ins,
			const ZydisDecodedOperand *ops, uint64_t vaddr, char *buf, size_t size)
{
	if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&p->formatter, ins, ops,
							  ins->operand_count_visible, buf, size,
							  vaddr, NULL)))
		snprintf(buf, size, "(unformattable)");
}

/* Appends str to buf (of size bytes, holding a string), "; " first if buf is not empty. */
static void append(char *buf, size_t size, const char *str)
{
	size_t used = strlen(buf);

	snprintf(buf + used, size - used, "%s%s", used ? "; " : "", str);
}

/*
 * Formats what the processor will read from the new bytes on: instructions until the new
 * bytes are covered, the last one reading on into the bytes that follow them (next) if a bit
 * flip made it longer. A run of padding NOPs reads "nop x5" rather than five "nop"s.
 */
static void format_new(const struct swifi_planner *p, const struct swifi_code_fault *f,
		       const uint8_t *next, size_t next_len, char *buf, size_t size)
{
	uint8_t bytes[2 * SWIFI_MAX_INSN];
	size_t total = f->len, off = 0;

	if (next_len > SWIFI_MAX_INSN)
		next_len = SWIFI_MAX_INSN;
	memcpy(bytes, f->new, f->len);
	memcpy(bytes + f->len, next, next_len);
	total += next_len;
	buf[0] = '\0';
	while (off < f->len) {
		ZydisDecodedInstruction ins;
		ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
		char text[96];
		size_t run = 0;

		while (off + run < f->len && bytes[off + run] == 0x90)
			run++;
		if (run > 0) {
			if (run == 1)
				snprintf(text, sizeof(text), "nop");
			else
				snprintf(text, sizeof(text), "nop x%zu", run);
			append(buf, size, text);
			off += run;
			continue;
		}
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&p->decoder, bytes + off, total - off,
							 &ins, ops))) {
			append(buf, size, "(bad)");
			return;
		}
		format_insn(p, &ins, ops, f->vaddr + off, text, sizeof(text));
		append(buf, size, text);
		off += ins.length;
	}
}

/* The mnemonic the new bytes start with, for an inverted branch's "jz -> jnz". */
static const char *new_mnemonic(const struct swifi_planner *p, const struct swifi_code_fault *f)
{
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];

	if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&p->decoder, f->new, f->len, &ins, ops)))
		return "(bad)";
	return ZydisMnemonicGetString(ins.mnemonic);
}

/*
 * Checks a mutation's result and describes it. The new bytes must differ from the original
 * ones, and decode to whole instructions for every mutation but a bit flip, whose point is
 * that they need not.
 */
static bool finish_fault(const struct swifi_planner *p, const struct swifi_func_code *fc,
			 const struct swifi_insn *in, const char *what, struct swifi_code_fault *f)
{
	const struct swifi_func *func = fc->func;
	uint64_t end = in->off + in->ins.length;

	if (memcmp(f->orig, f->new, f->len) == 0)
		return false;
	if (f->type != SWIFI_BIT_FLIP && !decodes_exactly(p, f->new, f->len))
		return false;
	format_insn(p, &in->ins, in->ops, f->vaddr, f->before, sizeof(f->before));
	format_new(p, f, func->code + end, func->size - end, f->after, sizeof(f->after));
	/* A bit flip in an unused field (REX.R of "or r11d, 1") changes nothing: a trial lost. */
	if (strcmp(f->before, f->after) == 0)
		return false;
	if (f->type == SWIFI_INVERT_BRANCH)
		snprintf(f->description, sizeof(f->description), "%s+0x%" PRIx64 ": %s: %s -> %s",
			 func->name, in->off, what, ZydisMnemonicGetString(in->ins.mnemonic),
			 new_mnemonic(p, f));
	else
		snprintf(f->description, sizeof(f->description), "%s+0x%" PRIx64 ": %s: %s -> %s",
			 func->name, in->off, what, f->before, f->after);
	return true;
}

/* Whether [vaddr, vaddr + len) shares a byte with one of the faults planned before. */
static bool overlaps(const struct swifi_code_fault *faults, size_t n, uint64_t vaddr, unsigned len)
{
	for (size_t i = 0; i < n; i++)
		if (vaddr < faults[i].vaddr + faults[i].len && faults[i].vaddr < vaddr + len)
			return true;
	return false;
}

/*
 * Tries the instructions of a function in a random order (a Fisher-Yates shuffle drawn as it
 * goes); the first that admits the mutation is thus uniform among those that do. 1 if one
 * did, 0 if none, -ENOMEM.
 */
static int try_func(const struct swifi_planner *p, const struct swifi_func_code *fc,
		    enum swifi_mutation type, struct swifi_code_fault *faults, size_t k)
{
	struct swifi_code_fault *f = &faults[k];
	size_t *order;

	order = malloc(fc->n * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < fc->n; i++)
		order[i] = i;
	for (size_t j = 0; j < fc->n; j++) {
		size_t pick = j + swifi_rng_below(p->rng, fc->n - j);
		size_t i = order[pick];
		const struct swifi_insn *in = &fc->insns[i];
		char what[96];

		order[pick] = order[j];
		order[j] = i;
		if (overlaps(faults, k, fc->func->vaddr + in->off, in->ins.length))
			continue;
		*f = (struct swifi_code_fault){
			.type = type,
			.func = fc->func,
			.vaddr = fc->func->vaddr + in->off,
			.len = in->ins.length,
		};
		memcpy(f->orig, fc->func->code + in->off, f->len);
		memcpy(f->new, f->orig, f->len);
		if (swifi_mutate(p, fc, i, f, what, sizeof(what)) &&
		    finish_fault(p, fc, in, what, f)) {
			free(order);
			return 1;
		}
	}
	free(order);
	return 0;
}

/*
 * A function with probability proportional to its size: every byte of the driver's code is
 * as likely to be hit, as with Rio's and Nooks' injection at random code locations. Picking
 * functions uniformly would make a 20-byte ethtool getter as likely as a 2-kB receive path.
 */
static const struct swifi_func *pick_func(const struct swifi_func *funcs, size_t n_funcs,
					  uint64_t total, struct swifi_rng *rng)
{
	uint64_t x = swifi_rng_below(rng, total);

	for (size_t i = 0; i < n_funcs; i++) {
		if (x < funcs[i].size)
			return &funcs[i];
		x -= funcs[i].size;
	}
	return &funcs[n_funcs - 1];
}

static int plan_one(const struct swifi_planner *p, const struct swifi_func *funcs, size_t n_funcs,
		    uint64_t total, enum swifi_mutation type, struct swifi_code_fault *faults,
		    size_t k)
{
	for (int t = 0; t < TRIES_PER_FAULT; t++) {
		struct swifi_func_code fc;
		int r;

		r = decode_func(p, pick_func(funcs, n_funcs, total, p->rng), &fc);
		if (r < 0)
			return r;
		r = fc.n ? try_func(p, &fc, type, faults, k) : 0;
		free(fc.insns);
		if (r != 0)
			return r;
	}
	return 0;
}

int swifi_code_plan(const struct swifi_func *funcs, size_t n_funcs, struct swifi_rng *rng,
		    struct swifi_code_fault *faults, size_t n)
{
	struct swifi_planner p;
	uint64_t total = 0;
	int r;

	if (n_funcs == 0)
		return -ENOSPC;
	r = planner_init(&p, rng);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n_funcs; i++)
		total += funcs[i].size;
	for (size_t k = 0; k < n; k++) {
		enum swifi_mutation type = swifi_rng_below(rng, SWIFI_N_MUTATIONS);

		r = plan_one(&p, funcs, n_funcs, total, type, faults, k);
		if (r == 0)
			r = plan_one(&p, funcs, n_funcs, total, SWIFI_BIT_FLIP, faults, k);
		if (r < 0)
			return r;
		if (r == 0)
			return -ENOSPC;
	}
	return 0;
}
