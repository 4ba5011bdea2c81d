// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/failure: how an incarnation's end is filed and told, from nookd's
 * verdict, the driver's last words and the wait status, as waitpid() gives it.
 */
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "recovery/failure.h"

/* Wait statuses as the kernel encodes them (<sys/wait.h> only decodes). */
#define EXITED(code) (((code)&0xff) << 8)
#define SIGNALED(sig) ((sig)&0x7f)

static struct nook_incarnation_end end(const char *verdict, int kind, const char *fatal,
				       const char *last, int status)
{
	return (struct nook_incarnation_end){ .verdict = verdict,
					      .verdict_kind = kind,
					      .fatal = fatal,
					      .last_line = last,
					      .status = status };
}

static void expect(struct nook_incarnation_end e, enum nook_failure_kind kind, const char *text)
{
	char buf[256];

	assert_int_equal(nook_failure_classify(&e), kind);
	nook_failure_describe(&e, buf, sizeof(buf));
	assert_string_equal(buf, text);
}

/* nookd killed it: its verdict is the story, whatever the signal that ended it. */
static void test_nookd_verdict_wins(void **state)
{
	expect(end("hung: no heartbeat for 3012 ms", NOOK_FAILURE_HANG, "SIGKILL", "",
		   SIGNALED(SIGKILL)),
	       NOOK_FAILURE_HANG, "hung: no heartbeat for 3012 ms");
	expect(end("silent: stopped receiving", NOOK_FAILURE_SILENT, "", "", SIGNALED(SIGKILL)),
	       NOOK_FAILURE_SILENT, "silent: stopped receiving");
}

/* The driver stopped itself on a fault it found: filed as fail-stop, told in its words. */
static void test_fail_stop(void **state)
{
	expect(end("", -1, "fail-stop: skb handed up twice", "", SIGNALED(SIGABRT)),
	       NOOK_FAILURE_FAIL_STOP, "fail-stop: skb handed up twice");
	expect(end("", -1, "fail-stop: DMA quota", "", EXITED(1)), NOOK_FAILURE_FAIL_STOP,
	       "fail-stop: DMA quota");
}

/* A crash: with the driver's own report of where, or the bare signal. */
static void test_crash(void **state)
{
	expect(end("", -1, "SIGSEGV at e1000_clean+0x3c (address 0x8)", "", SIGNALED(SIGSEGV)),
	       NOOK_FAILURE_CRASH, "killed by SIGSEGV at e1000_clean+0x3c (address 0x8)");
	expect(end("", -1, "", "", SIGNALED(SIGBUS)), NOOK_FAILURE_CRASH,
	       "killed by signal 7 (Bus error)");
}

/* An exit: with its report, its last log line, or nothing at all. */
static void test_exit(void **state)
{
	expect(end("", -1, "", "", EXITED(0)), NOOK_FAILURE_EXIT, "exited");
	expect(end("", -1, "", "probe failed: -19", EXITED(1)), NOOK_FAILURE_EXIT,
	       "exited with status 1: probe failed: -19");
	expect(end("", -1, "", "", EXITED(3)), NOOK_FAILURE_EXIT, "exited with status 3");
	expect(end("", -1, "out of memory", "x", EXITED(2)), NOOK_FAILURE_EXIT,
	       "exited with status 2: out of memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nookd_verdict_wins),
		cmocka_unit_test(test_fail_stop),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
