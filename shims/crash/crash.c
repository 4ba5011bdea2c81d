// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver process's own fatal-signal report (see crash.h). Everything the handler does
 * is async-signal-safe: it formats into a stack buffer and write()s; backtrace() is called
 * once at install time so that its lazy loading does not happen inside the handler.
 */
#include "crash.h"
#include "common/sandbox/seccomp.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

/* si_code of a SIGSYS from a seccomp filter (asm-generic/siginfo.h; glibc lacks it). */
#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

#define CRASH_STACK_SIZE (64 * 1024)
#define CRASH_MAX_FRAMES 48

static volatile int crash_fd = 2;
static nook_crash_reporter crash_reporter;
/* The whole report, for the reporter: kept aside as it is written. */
static char crash_report[2048];
static size_t crash_report_len;
static const char *crash_name = "nook driver";
static const char *volatile crash_cause;
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS };

struct crash_buf {
	char data[512];
	size_t len;
};

static void buf_str(struct crash_buf *b, const char *s)
{
	while (*s && b->len < sizeof(b->data))
		b->data[b->len++] = *s++;
}

static void buf_hex(struct crash_buf *b, uintptr_t v)
{
	char tmp[2 + 2 * sizeof(v) + 1];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v && i > 2);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	buf_str(b, tmp + i);
}

static void buf_dec(struct crash_buf *b, unsigned int v)
{
	char tmp[12];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	buf_str(b, tmp + i);
}

static void buf_flush(struct crash_buf *b)
{
	size_t off = 0;

	for (size_t i = 0; i < b->len && crash_report_len < sizeof(crash_report) - 1; i++)
		crash_report[crash_report_len++] = b->data[i];
	while (off < b->len) {
		ssize_t n = write(crash_fd, b->data + off, b->len - off);

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			off += (size_t)n;
	}
	b->len = 0;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV";
	case SIGBUS:
		return "SIGBUS";
	case SIGILL:
		return "SIGILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGABRT:
		return "SIGABRT";
	case SIGSYS:
		return "SIGSYS";
	default:
		return "signal";
	}
}

/* "symbol+0xoff" for @pc, "?" when the dynamic symbol table does not know it. */
static void buf_sym(struct crash_buf *b, uintptr_t pc)
{
	Dl_info info = { 0 };

	if (dladdr((void *)pc, &info) && info.dli_sname) {
		buf_str(b, info.dli_sname);
		buf_str(b, "+");
		buf_hex(b, pc - (uintptr_t)info.dli_saddr);
	} else {
		buf_str(b, "?");
	}
}

/*
 * One frame as "#N symbol+0xoff (object) [pc]", from the dynamic symbol table (driver
 * programs link with -rdynamic). A return address is looked up one byte back: after a call
 * to a noreturn function it points past the caller's end, into the next function. The
 * interrupted instruction itself (@fault_pc) is exact and is looked up as it is.
 */
static void crash_frame(struct crash_buf *b, int i, uintptr_t pc, uintptr_t fault_pc)
{
	uintptr_t at = i > 0 && pc != fault_pc ? pc - 1 : pc;
	Dl_info info = { 0 };

	buf_str(b, "  #");
	buf_dec(b, (unsigned int)i);
	buf_str(b, " ");
	buf_sym(b, at);
	if (dladdr((void *)at, &info) && info.dli_fname) {
		buf_str(b, " (");
		buf_str(b, info.dli_fname);
		buf_str(b, ")");
	}
	buf_str(b, " [");
	buf_hex(b, pc);
	buf_str(b, "]\n");
	buf_flush(b);
}

static uintptr_t crash_pc(void *uctx)
{
#if defined(__x86_64__)
	return (uintptr_t)((ucontext_t *)uctx)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return (uintptr_t)((ucontext_t *)uctx)->uc_mcontext.pc;
#else
	return 0;
#endif
}

/* "SIGSEGV at address 0x...", "SIGTERM sent by pid N", "SIGSYS: system call ..." */
static void buf_signal(struct crash_buf *b, int sig, const siginfo_t *si)
{
	buf_str(b, signal_name(sig));
	if (si->si_code <= 0) { /* kill(), tgkill(), sigqueue(): no fault, a sender */
		buf_str(b, " sent by pid ");
		buf_dec(b, (unsigned int)si->si_pid);
	} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
		buf_str(b, " at address ");
		buf_hex(b, (uintptr_t)si->si_addr);
	} else if (sig == SIGSYS && si->si_code == SYS_SECCOMP) {
		const char *name = nook_sandbox_syscall_name(si->si_syscall);

		buf_str(b, ": system call ");
		buf_str(b, name ? name : "?");
		buf_str(b, " (");
		buf_dec(b, (unsigned int)si->si_syscall);
		buf_str(b, ") is not allowed");
	}
}

static void crash_handler(int sig, siginfo_t *si, void *uctx)
{
	void *frames[CRASH_MAX_FRAMES];
	struct crash_buf b = { .len = 0 };
	Dl_info where = { 0 };
	/* The driver stopped itself for a fault it found (nook_crash_set_cause()). */
	bool stopped = sig == SIGABRT && crash_cause;
	int n;

	buf_str(&b, "FATAL: ");
	buf_str(&b, crash_name);
	buf_str(&b, ": ");
	if (stopped) {
		/* the cause says it all; where abort() was called is in the backtrace */
		buf_str(&b, "fail-stop: ");
		buf_str(&b, crash_cause);
	} else {
		buf_signal(&b, sig, si);
	}
	if (!stopped && dladdr((void *)crash_pc(uctx), &where) && where.dli_sname) {
		buf_str(&b, " in ");
		buf_sym(&b, crash_pc(uctx));
	}
	buf_str(&b, "\nbacktrace:\n");
	buf_flush(&b);
	n = backtrace(frames, CRASH_MAX_FRAMES);
	for (int i = 0; i < n; i++)
		crash_frame(&b, i, (uintptr_t)frames[i], crash_pc(uctx));
	crash_report[crash_report_len] = '\0';
	if (crash_reporter)
		crash_reporter(sig, (uintptr_t)si->si_addr, crash_report);

	/* Die of the same signal, so the exit status tells the supervisor what happened. */
	signal(sig, SIG_DFL);
	raise(sig);
}

void nook_crash_set_cause(const char *cause)
{
	static char copy[256];
	size_t n = 0;

	while (n < sizeof(copy) - 1 && cause[n]) {
		copy[n] = cause[n];
		n++;
	}
	copy[n] = '\0';
	crash_cause = copy;
}

void nook_crash_set_reporter(nook_crash_reporter fn)
{
	crash_reporter = fn;
}

int nook_crash_install(int fd, const char *name)
{
	struct sigaction sa = { .sa_sigaction = crash_handler,
				.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESETHAND };
	void *warm[1];
	stack_t ss;

	crash_fd = fd;
	if (name)
		crash_name = name;
	backtrace(warm, 1);

	ss.ss_sp = malloc(CRASH_STACK_SIZE);
	if (!ss.ss_sp)
		return -ENOMEM;
	ss.ss_size = CRASH_STACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) < 0)
		return -errno;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		if (sigaction(crash_signals[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}
