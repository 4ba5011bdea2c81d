// SPDX-License-Identifier: GPL-2.0-only
/*
 * The eight mutations of an x86-64 instruction, after the SWIFI literature: Rio's and Nooks'
 * fault types (bit flips, register and pointer corruption, deleted instructions and
 * branches, inverted branches, off-by-one errors; Ng and Chen, "The systematic improvement of
 * fault tolerance in the Rio file cache", FTCS 1999; Swift et al., "Improving the reliability
 * of commodity operating systems", SOSP 2003), and G-SWFIT's emulation of missing
 * constructs (Duraes and Madeira, "Emulation of software faults", TSE 2006: MIA/MIFS missing
 * if, MVIV missing variable initialisation, WLEC wrong logical expression).
 *
 * Except the bit flip, a mutation yields whole instructions that the processor will execute
 * as such; an instruction whose change would just crash the driver at once (a branch, call,
 * return, push, pop or any other change of the stack pointer) is not mutated, as G-SWFIT
 * leaves them alone: such a fault tests nothing a segfault test does not.
 */
#include "swifi-mutate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define NOP 0x90

static ZydisRegister enclosing(ZydisRegister reg)
{
	return ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
}

static bool is_gpr(ZydisRegister reg)
{
	switch (ZydisRegisterGetClass(reg)) {
	case ZYDIS_REGCLASS_GPR8:
	case ZYDIS_REGCLASS_GPR16:
	case ZYDIS_REGCLASS_GPR32:
	case ZYDIS_REGCLASS_GPR64:
		return true;
	default:
		return false;
	}
}

/* ah, ch, dh, bh: not encodable beside a REX prefix, so never swapped in or out. */
static bool is_high_byte(ZydisRegister reg)
{
	return reg >= ZYDIS_REGISTER_AH && reg <= ZYDIS_REGISTER_BH;
}

/*
 * The registers of reg's class and width that a swap may bring in instead of reg: any other
 * general-purpose register but the stack and frame pointers, whose use in place of a data
 * register is a crash more than a wrong value. Returns how many, at most 16, in out.
 */
static size_t swap_candidates(ZydisRegister reg, ZydisRegister avoid, ZydisRegister *out)
{
	ZydisRegisterClass class = ZydisRegisterGetClass(reg);
	size_t n = 0;

	for (ZydisRegister r = ZYDIS_REGISTER_AL; r <= ZYDIS_REGISTER_R15; r++) {
		ZydisRegister e = enclosing(r);

		if (ZydisRegisterGetClass(r) != class || is_high_byte(r) || e == enclosing(reg) ||
		    e == ZYDIS_REGISTER_RSP || e == ZYDIS_REGISTER_RBP ||
		    (avoid != ZYDIS_REGISTER_NONE && e == enclosing(avoid)))
			continue;
		out[n++] = r;
	}
	return n;
}

/* Draws the next element of a random permutation of a[0..n), from index j on. */
static size_t shuffle_next(struct swifi_rng *rng, size_t *a, size_t n, size_t j)
{
	size_t pick = j + swifi_rng_below(rng, n - j);
	size_t v = a[pick];

	a[pick] = a[j];
	a[j] = v;
	return v;
}

static void identity(size_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = i;
}

/* A conditional jump, Jcc: 0x70-0x7f rel8 or 0x0f 0x80-0x8f rel32 (not jrcxz or loop). */
static bool is_jcc(const ZydisDecodedInstruction *ins)
{
	return (ins->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT && (ins->opcode & 0xf0) == 0x70) ||
	       (ins->opcode_map == ZYDIS_OPCODE_MAP_0F && (ins->opcode & 0xf0) == 0x80);
}

static bool writes_rsp(const struct swifi_insn *in)
{
	for (unsigned i = 0; i < in->ins.operand_count; i++) {
		const ZydisDecodedOperand *o = &in->ops[i];

		if (o->type == ZYDIS_OPERAND_TYPE_REGISTER &&
		    enclosing(o->reg.value) == ZYDIS_REGISTER_RSP &&
		    (o->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE))
			return true;
	}
	return false;
}

/*
 * An instruction that computes or moves data, the kind a mutation other than a bit flip or
 * a branch's may change: not a transfer of control, not a change of the stack pointer (push,
 * pop, leave, sub rsp), not padding or a trap (nop, endbr64, int3, ud2, pause) whose change
 * does nothing or just stops the driver.
 */
static bool is_data_insn(const struct swifi_insn *in)
{
	switch (in->ins.meta.category) {
	case ZYDIS_CATEGORY_COND_BR:
	case ZYDIS_CATEGORY_UNCOND_BR:
	case ZYDIS_CATEGORY_CALL:
	case ZYDIS_CATEGORY_RET:
	case ZYDIS_CATEGORY_INTERRUPT:
	case ZYDIS_CATEGORY_SYSCALL:
	case ZYDIS_CATEGORY_SYSRET:
	case ZYDIS_CATEGORY_NOP:
	case ZYDIS_CATEGORY_WIDENOP:
		return false;
	default:
		break;
	}
	switch (in->ins.mnemonic) {
	case ZYDIS_MNEMONIC_NOP:
	case ZYDIS_MNEMONIC_ENDBR64:
	case ZYDIS_MNEMONIC_INT3:
	case ZYDIS_MNEMONIC_UD2:
	case ZYDIS_MNEMONIC_PAUSE:
		return false;
	default:
		return !writes_rsp(in);
	}
}

/*
 * Re-encodes a modified request in place of the instruction: at most as long as it, padded
 * with NOPs. An instruction with a RIP-relative operand must keep its length: its offset
 * counts from the instruction's end.
 */
static bool encode_into(const ZydisEncoderRequest *req, const struct swifi_insn *in,
			struct swifi_code_fault *f)
{
	uint8_t buf[ZYDIS_MAX_INSTRUCTION_LENGTH];
	ZyanUSize len = sizeof(buf);

	if (!ZYAN_SUCCESS(ZydisEncoderEncodeInstruction(req, buf, &len)) || len > f->len)
		return false;
	if (len != f->len && (in->ins.attributes & ZYDIS_ATTRIB_IS_RELATIVE))
		return false;
	memcpy(f->new, buf, len);
	memset(f->new + len, NOP, f->len - len);
	return true;
}

static bool to_request(const struct swifi_insn *in, ZydisEncoderRequest *req)
{
	return ZYAN_SUCCESS(ZydisEncoderDecodedInstructionToEncoderRequest(
		&in->ins, in->ops, in->ins.operand_count_visible, req));
}

/* A random bit of a random byte: Rio's and Nooks' bit flips, any instruction. */
static bool bit_flip(const struct swifi_planner *p, const struct swifi_insn *in,
		     struct swifi_code_fault *f, char *what, size_t size)
{
	unsigned byte = swifi_rng_below(p->rng, f->len);
	unsigned bit = swifi_rng_below(p->rng, 8);

	f->new[byte] ^= 1u << bit;
	snprintf(what, size, "flip bit %u of byte %u", bit, byte);
	return true;
}

/*
 * The register of an explicit operand replaced by another of its width: a value computed
 * into, or read from, the wrong variable. Tries every (operand, register) pair in a random
 * order until one encodes into the instruction's length.
 */
static bool swap_register(const struct swifi_planner *p, const struct swifi_insn *in,
			  struct swifi_code_fault *f, char *what, size_t size)
{
	struct {
		uint8_t op;
		ZydisRegister reg;
	} pairs[ZYDIS_MAX_OPERAND_COUNT * 16];
	size_t order[ZYDIS_MAX_OPERAND_COUNT * 16];
	size_t n = 0;

	if (!is_data_insn(in))
		return false;
	for (unsigned op = 0; op < in->ins.operand_count_visible; op++) {
		const ZydisDecodedOperand *o = &in->ops[op];
		ZydisRegister regs[16];
		size_t n_regs;

		if (o->type != ZYDIS_OPERAND_TYPE_REGISTER ||
		    o->visibility != ZYDIS_OPERAND_VISIBILITY_EXPLICIT || !is_gpr(o->reg.value) ||
		    is_high_byte(o->reg.value) || enclosing(o->reg.value) == ZYDIS_REGISTER_RSP)
			continue;
		n_regs = swap_candidates(o->reg.value, ZYDIS_REGISTER_NONE, regs);
		for (size_t r = 0; r < n_regs; r++) {
			pairs[n].op = op;
			pairs[n++].reg = regs[r];
		}
	}
	identity(order, n);
	for (size_t j = 0; j < n; j++) {
		size_t c = shuffle_next(p->rng, order, n, j);
		ZydisEncoderRequest req;
		ZydisRegister old = in->ops[pairs[c].op].reg.value;

		if (!to_request(in, &req))
			return false;
		req.operands[pairs[c].op].reg.value = pairs[c].reg;
		if (!encode_into(&req, in, f))
			continue;
		snprintf(what, size, "use %s instead of %s", ZydisRegisterGetString(pairs[c].reg),
			 ZydisRegisterGetString(old));
		return true;
	}
	return false;
}

/* The explicit memory operand of an instruction (lea's address included), or -1. */
static int memory_operand(const struct swifi_insn *in)
{
	for (unsigned op = 0; op < in->ins.operand_count_visible; op++) {
		const ZydisDecodedOperand *o = &in->ops[op];

		if (o->type == ZYDIS_OPERAND_TYPE_MEMORY &&
		    o->visibility == ZYDIS_OPERAND_VISIBILITY_EXPLICIT &&
		    (o->mem.type == ZYDIS_MEMOP_TYPE_MEM || o->mem.type == ZYDIS_MEMOP_TYPE_AGEN))
			return op;
	}
	return -1;
}

/* Whether v fits a signed field of bits bits. */
static bool fits_signed(int64_t v, unsigned bits)
{
	return bits >= 64 || (v >= -(INT64_C(1) << (bits - 1)) && v < (INT64_C(1) << (bits - 1)));
}

static int64_t sign_extend(uint64_t v, unsigned bits)
{
	return bits >= 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* Writes the low bits bits of v at f->new[off], little-endian. */
static void put_le(struct swifi_code_fault *f, unsigned off, uint64_t v, unsigned bits)
{
	for (unsigned i = 0; i < bits / 8; i++)
		f->new[off + i] = v >> (8 * i);
}

static const char *signed_hex(int64_t v, char *buf, size_t size)
{
	snprintf(buf, size, "%s0x%" PRIx64, v < 0 ? "-" : "", v < 0 ? -(uint64_t)v : (uint64_t)v);
	return buf;
}

/*
 * The displacement of a memory operand moved to a neighbouring field (a small multiple of 8
 * bytes away, as a pointer to the wrong member of a structure), or a bit of it flipped: edited
 * in place, so the instruction keeps its encoding.
 */
static bool corrupt_disp(const struct swifi_planner *p, const struct swifi_insn *in,
			 struct swifi_code_fault *f, char *what, size_t size)
{
	const unsigned bits = in->ins.raw.disp.size;
	const int64_t old = in->ins.raw.disp.value;
	int64_t new;
	char a[24], b[24];

	/* EVEX's 8-bit displacements are scaled: no multiple of 8 there. None in drivers. */
	if (bits == 0 || in->ins.encoding != ZYDIS_INSTRUCTION_ENCODING_LEGACY)
		return false;
	if (swifi_rng_below(p->rng, 2)) {
		int64_t delta = 8 * (int64_t)swifi_rng_range(p->rng, 1, 4);

		new = old + (swifi_rng_below(p->rng, 2) ? delta : -delta);
		if (!fits_signed(new, bits))
			new = old - (new - old);
	} else {
		new = sign_extend((uint64_t)old ^ (UINT64_C(1) << swifi_rng_below(p->rng, bits)),
				  bits);
	}
	put_le(f, in->ins.raw.disp.offset, (uint64_t) new, bits);
	/* A RIP-relative offset means nothing to a reader; the global's address does. */
	if (in->ins.attributes & ZYDIS_ATTRIB_IS_RELATIVE)
		snprintf(what, size,
			 "corrupt a pointer (address 0x%" PRIx64 " instead of 0x%" PRIx64 ")",
			 f->vaddr + f->len + new, f->vaddr + f->len + old);
	else
		snprintf(what, size, "corrupt a pointer (offset %s instead of %s)",
			 signed_hex(new, a, sizeof(a)), signed_hex(old, b, sizeof(b)));
	return true;
}

/* The base register of a memory operand swapped: the access goes through another pointer. */
static bool corrupt_base(const struct swifi_planner *p, const struct swifi_insn *in, int op,
			 struct swifi_code_fault *f, char *what, size_t size)
{
	const ZydisDecodedOperandMem *mem = &in->ops[op].mem;
	ZydisRegister regs[16];
	size_t order[16], n;

	if (ZydisRegisterGetClass(mem->base) != ZYDIS_REGCLASS_GPR64 ||
	    mem->base == ZYDIS_REGISTER_RSP)
		return false;
	n = swap_candidates(mem->base, mem->index, regs);
	identity(order, n);
	for (size_t j = 0; j < n; j++) {
		ZydisRegister reg = regs[shuffle_next(p->rng, order, n, j)];
		ZydisEncoderRequest req;

		if (!to_request(in, &req))
			return false;
		req.operands[op].mem.base = reg;
		if (!encode_into(&req, in, f))
			continue;
		snprintf(what, size, "corrupt a pointer (address through %s instead of %s)",
			 ZydisRegisterGetString(reg), ZydisRegisterGetString(mem->base));
		return true;
	}
	return false;
}

static bool corrupt_pointer(const struct swifi_planner *p, const struct swifi_insn *in,
			    struct swifi_code_fault *f, char *what, size_t size)
{
	int op = memory_operand(in);

	if (op < 0 || !is_data_insn(in))
		return false;
	/* Either kind first, with even odds; the other if the first cannot be made. */
	if (swifi_rng_below(p->rng, 2))
		return corrupt_disp(p, in, f, what, size) || corrupt_base(p, in, op, f, what, size);
	return corrupt_base(p, in, op, f, what, size) || corrupt_disp(p, in, f, what, size);
}

static bool delete_instruction(const struct swifi_insn *in, struct swifi_code_fault *f, char *what,
			       size_t size)
{
	if (!is_data_insn(in))
		return false;
	memset(f->new, NOP, f->len);
	snprintf(what, size, "delete an instruction");
	return true;
}

/* G-SWFIT's missing "if": the branch around a block never taken, the block always run. */
static bool delete_branch(const struct swifi_insn *in, struct swifi_code_fault *f, char *what,
			  size_t size)
{
	if (!is_jcc(&in->ins))
		return false;
	memset(f->new, NOP, f->len);
	snprintf(what, size, "delete a branch (never taken)");
	return true;
}

/*
 * A condition inverted: Jcc's condition is the opcode's low nibble, and its low bit negates
 * it (jz 0x74 / jnz 0x75; near forms 0x0f 0x84 / 0x0f 0x85). The opcode sits just before the
 * relative offset, after any prefix.
 */
static bool invert_branch(const struct swifi_insn *in, struct swifi_code_fault *f, char *what,
			  size_t size)
{
	unsigned pos;

	if (!is_jcc(&in->ins) || in->ins.raw.imm[0].size == 0)
		return false;
	pos = in->ins.raw.imm[0].offset - 1;
	if (f->new[pos] != in->ins.opcode)
		return false;
	f->new[pos] ^= 1;
	snprintf(what, size, "invert a branch");
	return true;
}

static bool is_store(const struct swifi_insn *in)
{
	switch (in->ins.mnemonic) {
	case ZYDIS_MNEMONIC_MOV:
	/* Vector stores: how GCC initialises a structure (pxor xmm0, xmm0; movups [rdi], xmm0). */
	case ZYDIS_MNEMONIC_MOVUPS:
	case ZYDIS_MNEMONIC_MOVAPS:
	case ZYDIS_MNEMONIC_MOVDQU:
	case ZYDIS_MNEMONIC_MOVDQA:
	case ZYDIS_MNEMONIC_MOVQ:
	case ZYDIS_MNEMONIC_MOVD:
		break;
	default:
		return false;
	}
	return in->ins.operand_count_visible == 2 && in->ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY &&
	       in->ops[0].mem.type == ZYDIS_MEMOP_TYPE_MEM &&
	       (in->ops[1].type == ZYDIS_OPERAND_TYPE_REGISTER ||
		in->ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE);
}

/* G-SWFIT's missing variable initialisation (MVIV): a store of a value to memory removed. */
static bool remove_init(const struct swifi_insn *in, struct swifi_code_fault *f, char *what,
			size_t size)
{
	if (!is_store(in) || !is_data_insn(in))
		return false;
	memset(f->new, NOP, f->len);
	snprintf(what, size, "remove an initialisation");
	return true;
}

/*
 * A loop bound or limit check off by one: cmp's immediate +-1, when a conditional jump
 * follows within 2 instructions (the cmp decides a branch, not a setcc or cmov's value). The
 * immediate is edited in place. An immediate as wide as the compared operand (cmp ax,
 * 0xbaba) is read unsigned, a narrower one (cmp eax, -1 as 0x83 /7 ib) sign-extended; no
 * change wraps around its encoded size or crosses zero (0 to -1 is 0xff in a byte compare: a
 * wrap, not a bound one off).
 */
static bool off_by_one(const struct swifi_planner *p, const struct swifi_func_code *fc, size_t i,
		       struct swifi_code_fault *f, char *what, size_t size)
{
	const struct swifi_insn *in = &fc->insns[i];
	const unsigned bits = in->ins.raw.imm[0].size;
	bool branch = false, extended;
	int64_t old;
	int first;

	if (in->ins.mnemonic != ZYDIS_MNEMONIC_CMP || in->ins.operand_count_visible != 2 ||
	    in->ops[1].type != ZYDIS_OPERAND_TYPE_IMMEDIATE || bits == 0 || bits > 32)
		return false;
	for (size_t j = i + 1; j <= i + 2 && j < fc->n; j++)
		branch = branch || is_jcc(&fc->insns[j].ins);
	if (!branch)
		return false;
	extended = in->ops[0].size > bits;
	if (extended)
		old = sign_extend(in->ins.raw.imm[0].value.u, bits);
	else
		old = (int64_t)(in->ins.raw.imm[0].value.u & ((UINT64_C(1) << bits) - 1));
	first = swifi_rng_below(p->rng, 2) ? 1 : -1;
	for (int d = first, tries = 0; tries < 2; d = -d, tries++) {
		int64_t new = old + d;

		if (extended ? !fits_signed(new, bits) || (old < 0) != (new < 0) :
			       new < 0 || new >= (INT64_C(1) << bits))
			continue;
		put_le(f, in->ins.raw.imm[0].offset, (uint64_t) new, bits);
		snprintf(what, size,
			 "off by one in a comparison (%" PRId64 " instead of %" PRId64 ")", new,
			 old);
		return true;
	}
	return false;
}

bool swifi_mutate(const struct swifi_planner *p, const struct swifi_func_code *fc, size_t i,
		  struct swifi_code_fault *f, char *what, size_t size)
{
	const struct swifi_insn *in = &fc->insns[i];

	switch (f->type) {
	case SWIFI_BIT_FLIP:
		return bit_flip(p, in, f, what, size);
	case SWIFI_SWAP_REGISTER:
		return swap_register(p, in, f, what, size);
	case SWIFI_CORRUPT_POINTER:
		return corrupt_pointer(p, in, f, what, size);
	case SWIFI_DELETE_INSTRUCTION:
		return delete_instruction(in, f, what, size);
	case SWIFI_DELETE_BRANCH:
		return delete_branch(in, f, what, size);
	case SWIFI_INVERT_BRANCH:
		return invert_branch(in, f, what, size);
	case SWIFI_REMOVE_INIT:
		return remove_init(in, f, what, size);
	case SWIFI_OFF_BY_ONE:
		return off_by_one(p, fc, i, f, what, size);
	default:
		return false;
	}
}
