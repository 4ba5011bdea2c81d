// SPDX-License-Identifier: GPL-2.0-only
/* A small assembler for seccomp filters in classic BPF (see bpf.h). */
#include "bpf.h"

#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#if __BYTE_ORDER != __LITTLE_ENDIAN
#error "argument offsets below assume a little-endian machine"
#endif

/* Set on the system call number of an x32 call, which reports AUDIT_ARCH_X86_64 too. */
#define X32_SYSCALL_BIT 0x40000000u

#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define OFF_ARG_HI(i) (OFF_ARG_LO(i) + 4)

static void emit(struct nook_bpf *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (b->len >= NOOK_BPF_MAX_INSNS) {
		if (!b->error)
			b->error = -E2BIG;
		return;
	}
	b->insn[b->len++] = (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
}

static void emit_load(struct nook_bpf *b, uint32_t off)
{
	emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, off);
}

static void emit_ret(struct nook_bpf *b, uint32_t action)
{
	emit(b, BPF_RET | BPF_K, 0, 0, action);
}

void nook_bpf_init(struct nook_bpf *b)
{
	b->len = 0;
	b->error = 0;
	b->block_start = -1;
}

void nook_bpf_check_arch(struct nook_bpf *b, uint32_t kill_action)
{
	emit_load(b, OFF_ARCH);
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	emit_ret(b, kill_action);
	emit_load(b, OFF_NR);
	emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 1, X32_SYSCALL_BIT);
	emit_ret(b, kill_action);
}

void nook_bpf_load_nr(struct nook_bpf *b)
{
	emit_load(b, OFF_NR);
}

void nook_bpf_rule(struct nook_bpf *b, int nr, uint32_t action)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)nr);
	emit_ret(b, action);
}

void nook_bpf_block_begin(struct nook_bpf *b, int nr)
{
	if (b->block_start >= 0 && !b->error)
		b->error = -EINVAL;
	b->block_start = (int)b->len;
	/* The jump over the block is filled in by nook_bpf_block_end(). */
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint32_t)nr);
}

void nook_bpf_arg_any_set(struct nook_bpf *b, unsigned int i, uint32_t mask, uint32_t action)
{
	emit_load(b, OFF_ARG_LO(i));
	emit(b, BPF_JMP | BPF_JSET | BPF_K, 0, 1, mask);
	emit_ret(b, action);
}

void nook_bpf_arg_in(struct nook_bpf *b, unsigned int i, uint32_t mask, uint32_t lo, uint32_t hi,
		     uint32_t action)
{
	emit_load(b, OFF_ARG_LO(i));
	emit(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, mask);
	emit(b, BPF_JMP | BPF_JGE | BPF_K, 0, 2, lo);
	emit(b, BPF_JMP | BPF_JGT | BPF_K, 1, 0, hi);
	emit_ret(b, action);
}

void nook_bpf_arg_eq64(struct nook_bpf *b, unsigned int i, uint64_t value, uint32_t action)
{
	emit_load(b, OFF_ARG_HI(i));
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 3, (uint32_t)(value >> 32));
	emit_load(b, OFF_ARG_LO(i));
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)value);
	emit_ret(b, action);
}

void nook_bpf_block_end(struct nook_bpf *b, uint32_t action)
{
	unsigned int skip;

	emit_ret(b, action);
	if (b->block_start < 0) {
		if (!b->error)
			b->error = -EINVAL;
		return;
	}
	/* Past the block: a mismatch skips it with the system call number still loaded. */
	skip = b->len - (unsigned int)b->block_start - 1;
	if (skip > 255 && !b->error)
		b->error = -ERANGE;
	b->insn[b->block_start].jf = (uint8_t)skip;
	b->block_start = -1;
}

void nook_bpf_default(struct nook_bpf *b, uint32_t action)
{
	emit_ret(b, action);
}

int nook_bpf_install(const struct nook_bpf *b)
{
	struct sock_fprog prog = { .len = (unsigned short)b->len,
				   .filter = (struct sock_filter *)b->insn };

	if (b->error)
		return b->error;
	if (b->block_start >= 0)
		return -EINVAL;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
