// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of shims/crash: the report a dying driver process writes about itself. */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "shims/crash/crash.h"

/* Named frames the backtrace must show (the test links with -rdynamic). */
__attribute__((noinline)) void nook_test_fault_here(volatile int *p);
__attribute__((noinline)) void nook_test_fault_here(volatile int *p)
{
	*p = 42;
}

__attribute__((noinline)) void nook_test_abort_here(void);
__attribute__((noinline)) void nook_test_abort_here(void)
{
	abort();
}

/* Run @fn in a child with the handler installed; return its report and wait status. */
static char *run_child(void (*fn)(void), int *ret_status)
{
	static char report[8192];
	size_t len = 0;
	ssize_t n;
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (nook_crash_install(p[1], "nook-driver-test 0000:00:04.0") < 0)
			_exit(99);
		fn();
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], report + len, sizeof(report) - 1 - len)) > 0)
		len += (size_t)n;
	report[len] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, ret_status, 0), pid);
	return report;
}

static void segv_child(void)
{
	nook_test_fault_here(NULL);
}

static void abort_child(void)
{
	nook_test_abort_here();
}

static void test_segv_report(void **state)
{
	int status;
	char *r = run_child(segv_child, &status);

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
	/* the head names the signal, the address and the faulting function */
	assert_non_null(strstr(r, "FATAL: nook-driver-test 0000:00:04.0: SIGSEGV at address 0x0 "
				  "in nook_test_fault_here+0x"));
	assert_non_null(strstr(r, "backtrace:"));
	assert_non_null(strstr(r, "nook_test_fault_here"));
}

static void test_abort_report(void **state)
{
	int status;
	char *r = run_child(abort_child, &status);

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	/* abort() sends the signal to itself: a sender, no fault address */
	assert_non_null(strstr(r, "SIGABRT sent by pid "));
	assert_null(strstr(r, "at address"));
	assert_non_null(strstr(r, "nook_test_abort_here"));
}

static void kill_child(void)
{
	kill(getpid(), SIGSEGV);
	pause();
}

/* A SIGSEGV someone sent (kill -SEGV) is told apart from a fault: no made-up address. */
static void test_sent_signal_report(void **state)
{
	int status;
	char *r = run_child(kill_child, &status);

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
	assert_non_null(strstr(r, "SIGSEGV sent by pid "));
	assert_null(strstr(r, "at address"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segv_report),
		cmocka_unit_test(test_sent_signal_report),
		cmocka_unit_test(test_abort_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
