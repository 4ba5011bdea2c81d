/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a driver process died. A fatal signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
 * SIGSYS) is caught on an alternate stack; the handler writes one report (the signal, the
 * faulting address, a symbolized backtrace) to a file descriptor, then dies of the same
 * signal, so the supervisor both reads the report and sees the signal in the exit status.
 */
#ifndef NOOK_SHIMS_CRASH_H
#define NOOK_SHIMS_CRASH_H

#include <stdint.h>

/*
 * Install the handlers; reports go to @fd (stderr). @name
 * (e.g. "nook-driver-e1000 0000:00:04.0") heads each report and must outlive the process.
 */
int nook_crash_install(int fd, const char *name);

/*
 * Also hand the finished report to @fn (from the signal handler: @fn must be
 * async-signal-safe). A supervised driver sends it to nookd this way.
 */
/*
 * The driver is about to stop itself (abort()) for @cause, a fault it detected: the report
 * then says "fail-stop: @cause" instead of naming the signal. @cause must outlive the call.
 */
void nook_crash_set_cause(const char *cause);

typedef void (*nook_crash_reporter)(int signo, uintptr_t addr, const char *report);
void nook_crash_set_reporter(nook_crash_reporter fn);

#endif
