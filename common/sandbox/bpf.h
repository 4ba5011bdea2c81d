/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small assembler for seccomp filters in classic BPF.
 *
 * A filter is a run of rules, each "if the system call is NR then ..." ending in a return,
 * so the accumulator holds the system call number between rules and every jump is forward
 * and short. A rule that looks at arguments is a block: nook_bpf_block_begin(), tests that
 * return an action when they match, nook_bpf_block_end() with the action for the rest.
 * Argument tests look at the low 32 bits, which is all the kernel reads of an int, an
 * unsigned int (ioctl's request) or a flags word.
 *
 * Errors stick: a filter that grew too long or whose block jumps too far records the
 * error, and nook_bpf_install() refuses it.
 */
#ifndef NOOK_COMMON_SANDBOX_BPF_H
#define NOOK_COMMON_SANDBOX_BPF_H

#include <linux/filter.h>
#include <stdint.h>

#define NOOK_BPF_MAX_INSNS 512

struct nook_bpf {
	struct sock_filter insn[NOOK_BPF_MAX_INSNS];
	unsigned int len;
	int error;	 /* first error (negative errno), 0 while well formed */
	int block_start; /* index of the open block's jump, -1 when none is open */
};

void nook_bpf_init(struct nook_bpf *b);

/* Kill the process unless the call is a native x86_64 one (not i386, not x32). */
void nook_bpf_check_arch(struct nook_bpf *b, uint32_t kill_action);

/* Load the system call number (after a block or an explicit load elsewhere). */
void nook_bpf_load_nr(struct nook_bpf *b);

/* if nr == @nr: return @action */
void nook_bpf_rule(struct nook_bpf *b, int nr, uint32_t action);

/* Open a block for @nr; inside it, only tests and a closing nook_bpf_block_end(). */
void nook_bpf_block_begin(struct nook_bpf *b, int nr);

/* if (arg[@i] & @mask) != 0: return @action */
void nook_bpf_arg_any_set(struct nook_bpf *b, unsigned int i, uint32_t mask, uint32_t action);

/* if (arg[@i] & @mask) is in [@lo, @hi]: return @action */
void nook_bpf_arg_in(struct nook_bpf *b, unsigned int i, uint32_t mask, uint32_t lo, uint32_t hi,
		     uint32_t action);

/* if arg[@i] == @value (all 64 bits): return @action */
void nook_bpf_arg_eq64(struct nook_bpf *b, unsigned int i, uint64_t value, uint32_t action);

/* Return @action for whatever no test in the block matched, and close the block. */
void nook_bpf_block_end(struct nook_bpf *b, uint32_t action);

/* The last instruction: what every call no rule named gets. */
void nook_bpf_default(struct nook_bpf *b, uint32_t action);

/*
 * Install the filter on the calling thread (no_new_privs must be set, or the caller hold
 * CAP_SYS_ADMIN). Async-signal-safe: a forked child may call it.
 */
int nook_bpf_install(const struct nook_bpf *b);

#endif
