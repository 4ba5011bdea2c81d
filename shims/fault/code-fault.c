// SPDX-License-Identifier: GPL-2.0-only
/* Code faults (see code-fault.h). */
#include "code-fault.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <nook/fault-plan.h>

#define MAX_INSN 15 /* x86's longest instruction */
#define INT3 0xcc

struct code_fault {
	uint8_t *at;
	uint8_t new_bytes[MAX_INSN];
	size_t len;
	bool fired;
	char spec[NOOK_FAULT_SPEC_LEN];
};

static struct code_fault faults[NOOK_FAULT_PLAN_MAX];
static unsigned int n_faults;

/* Where the program is loaded, and whether [vaddr, vaddr + len) is executable code of it. */
struct image {
	uintptr_t vaddr;
	size_t len;
	uintptr_t bias;
	bool code;
};

static int find_image(struct dl_phdr_info *info, size_t size, void *data)
{
	struct image *img = data;

	/* The first object is the program itself. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && img->vaddr >= ph->p_vaddr &&
		    img->vaddr + img->len <= ph->p_vaddr + ph->p_filesz)
			img->code = true;
	}
	img->bias = info->dlpi_addr;
	return 1;
}

static int parse_hex(const char *s, const char *end, uint8_t *out, size_t max, size_t *ret_len)
{
	size_t n = (size_t)(end - s);

	if (n == 0 || n % 2 || n / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", s[2 * i]) ||
		    !strchr("0123456789abcdef", s[2 * i + 1]))
			return -EINVAL;
		out[i] = (uint8_t)v;
	}
	*ret_len = n / 2;
	return 0;
}

static struct code_fault *fault_at(const uint8_t *pc)
{
	for (unsigned int i = 0; i < n_faults; i++)
		if (faults[i].at == pc && !faults[i].fired)
			return &faults[i];
	return NULL;
}

/*
 * The driver reached a mutated instruction: put the mutation in, say so, run it. A trap
 * that is no planned fault's (a mutation that made an int3, say) ends the driver as an
 * unhandled SIGTRAP would.
 */
static void on_trap(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	uint8_t *pc = (uint8_t *)uc->uc_mcontext.gregs[REG_RIP] - 1;
	struct code_fault *f = fault_at(pc);

	if (!f) {
		signal(SIGTRAP, SIG_DFL);
		raise(SIGTRAP);
		return;
	}
	memcpy(f->at, f->new_bytes, f->len);
	__builtin___clear_cache((char *)f->at, (char *)f->at + f->len);
	f->fired = true;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)f->at;
	nook_fault_plan_fired(f->spec);
}

static int bad(char *err, size_t errlen, const char *spec, const char *why)
{
	snprintf(err, errlen, "fault '%s': %s", spec, why);
	return -EINVAL;
}

static int make_writable(uint8_t *at, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t first = (uintptr_t)at & ~(uintptr_t)(page - 1);
	uintptr_t last = ((uintptr_t)at + len - 1) & ~(uintptr_t)(page - 1);

	return mprotect((void *)first, last - first + (uintptr_t)page,
			PROT_READ | PROT_WRITE | PROT_EXEC) < 0 ? -errno : 0;
}

int nook_code_fault_add(const char *spec, char *err, size_t errlen)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	uint8_t orig[MAX_INSN];
	const char *p = spec + strlen("code:"), *c1, *c2;
	struct image img = { 0 };
	struct code_fault *f;
	size_t orig_len;
	char *end;
	int r;

	if (n_faults == NOOK_FAULT_PLAN_MAX) {
		snprintf(err, errlen, "more than %d code faults", NOOK_FAULT_PLAN_MAX);
		return -ENOSPC;
	}
	f = &faults[n_faults];
	c1 = strchr(p, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (strncmp(spec, "code:", 5) || !c2 || strlen(spec) >= sizeof(f->spec))
		return bad(err, errlen, spec, "not code:VADDR:ORIG:NEW");
	errno = 0;
	img.vaddr = (uintptr_t)strtoull(p, &end, 16);
	if (errno || end != c1 || strncmp(p, "0x", 2))
		return bad(err, errlen, spec, "VADDR is a hexadecimal address (0x...)");
	if (parse_hex(c1 + 1, c2, orig, MAX_INSN, &orig_len) < 0 ||
	    parse_hex(c2 + 1, c2 + 1 + strlen(c2 + 1), f->new_bytes, MAX_INSN, &f->len) < 0 ||
	    f->len != orig_len)
		return bad(err, errlen, spec, "ORIG and NEW are 1 to 15 bytes each, as many, in "
			   "lowercase hexadecimal");
	img.len = f->len;
	dl_iterate_phdr(find_image, &img);
	if (!img.code)
		return bad(err, errlen, spec, "VADDR is not in this program's code");
	f->at = (uint8_t *)(img.bias + img.vaddr);
	if (memcmp(f->at, orig, orig_len))
		return bad(err, errlen, spec, "the code there is not ORIG: the plan was made for "
			   "another build of this driver");
	for (unsigned int i = 0; i < n_faults; i++)
		if (f->at < faults[i].at + faults[i].len && faults[i].at < f->at + f->len)
			return bad(err, errlen, spec, "overlaps another code fault");
	r = make_writable(f->at, f->len);
	if (r < 0) {
		snprintf(err, errlen, "fault '%s': cannot make the code writable: %s", spec,
			 strerror(-r));
		return r;
	}
	if (n_faults == 0 && sigaction(SIGTRAP, &sa, NULL) < 0) {
		snprintf(err, errlen, "cannot catch SIGTRAP: %m");
		return -errno;
	}
	snprintf(f->spec, sizeof(f->spec), "%s", spec);
	f->fired = false;
	f->at[0] = INT3;
	__builtin___clear_cache((char *)f->at, (char *)f->at + 1);
	n_faults++;
	return 0;
}
