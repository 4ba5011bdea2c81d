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

struct code_probe {
	uint8_t *at;
	uint8_t byte;
	bool hit;
	char spec[32]; /* "probe:0x..." */
};

static struct code_probe *probes;
static unsigned int n_probes;

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

static struct code_probe *probe_at(const uint8_t *pc)
{
	for (unsigned int i = 0; i < n_probes; i++)
		if (probes[i].at == pc && !probes[i].hit)
			return &probes[i];
	return NULL;
}

/* Write @len bytes of code at @at (a page made writable) and let the CPU see them. */
static void put_code(uint8_t *at, const uint8_t *bytes, size_t len)
{
	memcpy(at, bytes, len);
	__builtin___clear_cache((char *)at, (char *)at + len);
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
	struct code_probe *probe = f ? NULL : probe_at(pc);

	if (probe) {
		put_code(probe->at, &probe->byte, 1);
		probe->hit = true;
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)probe->at;
		nook_fault_plan_fired(probe->spec);
		return;
	}
	if (!f) {
		signal(SIGTRAP, SIG_DFL);
		raise(SIGTRAP);
		return;
	}
	put_code(f->at, f->new_bytes, f->len);
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
			PROT_READ | PROT_WRITE | PROT_EXEC) < 0 ?
		       -errno :
		       0;
}

/* The first fault or probe installs the trap handler. */
static int catch_traps(char *err, size_t errlen)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO | SA_ONSTACK };

	if (n_faults || n_probes)
		return 0;
	if (sigaction(SIGTRAP, &sa, NULL) < 0) {
		snprintf(err, errlen, "cannot catch SIGTRAP: %m");
		return -errno;
	}
	return 0;
}

/*
 * Make [at, at + len) writable and have traps caught, for a @what ("fault", "probe") of
 * @spec; the caller then writes its int3 with put_code().
 */
static int prepare_trap(uint8_t *at, size_t len, const char *what, const char *spec, char *err,
			size_t errlen)
{
	int r = make_writable(at, len);

	if (r < 0) {
		snprintf(err, errlen, "%s '%s': cannot make the code writable: %s", what, spec,
			 strerror(-r));
		return r;
	}
	return catch_traps(err, errlen);
}

/* @vaddr's address in this process if [vaddr, vaddr + len) is this program's code, or NULL. */
static uint8_t *code_at(uintptr_t vaddr, size_t len)
{
	struct image img = { .vaddr = vaddr, .len = len };

	dl_iterate_phdr(find_image, &img);
	return img.code ? (uint8_t *)(img.bias + vaddr) : NULL;
}

int nook_code_probe_add(const char *spec, char *err, size_t errlen)
{
	const char *p = spec + strlen("probe:");
	struct code_probe *pr;
	unsigned long byte;
	uintptr_t vaddr;
	char *end;
	int r;

	if (strncmp(spec, "probe:", 6))
		return bad(err, errlen, spec, "not probe:VADDR:BYTE");
	if (n_probes == NOOK_CODE_PROBES) {
		snprintf(err, errlen, "more than %d probes", NOOK_CODE_PROBES);
		return -ENOSPC;
	}
	if (!probes && !(probes = calloc(NOOK_CODE_PROBES, sizeof(*probes))))
		return -ENOMEM;
	pr = &probes[n_probes];
	errno = 0;
	vaddr = (uintptr_t)strtoull(p, &end, 16);
	if (errno || *end != ':' || strncmp(p, "0x", 2) || end - p > 18)
		return bad(err, errlen, spec, "VADDR is a hexadecimal address (0x...)");
	byte = strtoul(end + 1, &end, 16);
	if (*end || byte > 0xff)
		return bad(err, errlen, spec,
			   "BYTE is the instruction's first byte, in hexadecimal");
	pr->at = code_at(vaddr, 1);
	if (!pr->at)
		return bad(err, errlen, spec, "VADDR is not in this program's code");
	if (pr->at[0] != byte)
		return bad(err, errlen, spec,
			   "the code there does not start with BYTE: the "
			   "probe was made for another build of this driver");
	if (probe_at(pr->at) || fault_at(pr->at))
		return bad(err, errlen, spec, "a probe or fault is there already");
	r = prepare_trap(pr->at, 1, "probe", spec, err, errlen);
	if (r < 0)
		return r;
	pr->byte = (uint8_t)byte;
	pr->hit = false;
	snprintf(pr->spec, sizeof(pr->spec), "probe:0x%lx", (unsigned long)vaddr);
	put_code(pr->at, &(const uint8_t){ INT3 }, 1);
	n_probes++;
	return 0;
}

int nook_code_fault_add(const char *spec, char *err, size_t errlen)
{
	uint8_t orig[MAX_INSN];
	const char *p = spec + strlen("code:"), *c1, *c2;
	struct code_fault *f;
	uintptr_t vaddr;
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
	vaddr = (uintptr_t)strtoull(p, &end, 16);
	if (errno || end != c1 || strncmp(p, "0x", 2))
		return bad(err, errlen, spec, "VADDR is a hexadecimal address (0x...)");
	if (parse_hex(c1 + 1, c2, orig, MAX_INSN, &orig_len) < 0 ||
	    parse_hex(c2 + 1, c2 + 1 + strlen(c2 + 1), f->new_bytes, MAX_INSN, &f->len) < 0 ||
	    f->len != orig_len)
		return bad(err, errlen, spec,
			   "ORIG and NEW are 1 to 15 bytes each, as many, in "
			   "lowercase hexadecimal");
	f->at = code_at(vaddr, f->len);
	if (!f->at)
		return bad(err, errlen, spec, "VADDR is not in this program's code");
	if (memcmp(f->at, orig, orig_len))
		return bad(err, errlen, spec,
			   "the code there is not ORIG: the plan was made for "
			   "another build of this driver");
	for (unsigned int i = 0; i < n_faults; i++)
		if (f->at < faults[i].at + faults[i].len && faults[i].at < f->at + f->len)
			return bad(err, errlen, spec, "overlaps another code fault");
	for (const uint8_t *b = f->at; b < f->at + f->len; b++)
		if (probe_at(b))
			return bad(err, errlen, spec, "overlaps a probe");
	r = prepare_trap(f->at, f->len, "fault", spec, err, errlen);
	if (r < 0)
		return r;
	snprintf(f->spec, sizeof(f->spec), "%s", spec);
	f->fired = false;
	put_code(f->at, &(const uint8_t){ INT3 }, 1);
	n_faults++;
	return 0;
}
