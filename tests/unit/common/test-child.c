// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/base/child: reaping a child within a deadline. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/base/child.h"
#include "common/base/clock.h"

static pid_t child_that(int exit_code, unsigned int sleep_s, bool ignore_term)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (ignore_term)
			signal(SIGTERM, SIG_IGN);
		if (sleep_s)
			sleep(sleep_s);
		_exit(exit_code);
	}
	return pid;
}

static void test_reaps_a_child_that_exits(void **state)
{
	pid_t pid = child_that(3, 0, false);
	int status = -1;

	assert_int_equal(nook_child_reap(pid, nook_now_ms() + 5000, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	/* Reaped: it is no child any more. */
	assert_int_equal(nook_child_reap(pid, nook_now_ms() + 10, NULL), -ECHILD);
}

static void test_gives_up_at_the_deadline(void **state)
{
	pid_t pid = child_that(0, 30, false);
	int64_t t0 = nook_now_ms();

	assert_int_equal(nook_child_reap(pid, t0 + 200, NULL), -ETIMEDOUT);
	assert_true(nook_now_ms() - t0 >= 200);
	assert_true(nook_now_ms() - t0 < 2000);
	/* Still a child, still to reap. */
	kill(pid, SIGKILL);
	assert_int_equal(nook_child_reap(pid, nook_now_ms() + 5000, NULL), 0);
}

static void test_end_kills_one_that_stays(void **state)
{
	pid_t pid = child_that(0, 30, true);
	int64_t t0 = nook_now_ms();
	int status = -1;

	assert_int_equal(nook_child_end(pid, 100, 5000, &status), 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_true(nook_now_ms() - t0 >= 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reaps_a_child_that_exits),
		cmocka_unit_test(test_gives_up_at_the_deadline),
		cmocka_unit_test(test_end_kills_one_that_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
