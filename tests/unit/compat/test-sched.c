// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the compat layer's execution model: cooperative tasks, sleeping, wait
 * queues, completions and mutexes, on the fake host.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/delay.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <nook/host.h>
#include <nook/kernel.h>

#include <setjmp.h>
#include <cmocka.h>

#include "fake-host.h"

static char trace[256];

static void note(const char *s)
{
	strlcat(trace, s, sizeof(trace));
}

static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

static int run_for(long long ms)
{
	return nook_kernel_run_until(flag_set, &(bool){ false },
				     (long long)nook_host_now_ns() + ms * 1000000);
}

/* --- tasks interleave only where they sleep */

static int sleeper_a(void *data)
{
	note("a1 ");
	msleep(200);
	note("a2 ");
	return 0;
}

static int sleeper_b(void *data)
{
	note("b1 ");
	msleep(5);
	note("b2 ");
	*(bool *)data = true;
	return 0;
}

static void test_tasks_switch_where_they_sleep(void **state)
{
	bool done = false;
	uint64_t t0 = nook_host_now_ns();

	trace[0] = '\0';
	assert_non_null(nook_task_create(sleeper_a, NULL, "a"));
	assert_non_null(nook_task_create(sleeper_b, &done, "b"));
	assert_int_equal(nook_kernel_run_until(flag_set, &done, -1), 0);
	/* b slept less than a, so it finished first; each ran alone up to its sleep. */
	assert_string_equal(trace, "b1 a1 b2 ");
	assert_true(nook_host_now_ns() - t0 >= 5000000);
	run_for(300);
	assert_string_equal(trace, "b1 a1 b2 a2 ");
	/* The test itself runs in the loop's own context, not in a task. */
	assert_null(nook_current());
}

/* --- completions */

static struct completion comp;
static unsigned long left;

static int waiter(void *data)
{
	note("wait ");
	left = wait_for_completion_timeout(&comp, msecs_to_jiffies(1000));
	note("woken ");
	*(bool *)data = true;
	return 0;
}

static int completer(void *data)
{
	msleep(10);
	note("complete ");
	complete(&comp);
	return 0;
}

static void test_completion_wakes_the_waiter(void **state)
{
	bool done = false;

	trace[0] = '\0';
	init_completion(&comp);
	nook_task_create(waiter, &done, "waiter");
	nook_task_create(completer, NULL, "completer");
	assert_int_equal(nook_kernel_run_until(flag_set, &done, -1), 0);
	assert_string_equal(trace, "wait complete woken ");
	/* Woken long before the one-second timeout. */
	assert_true(left > 900 && left <= 1000);
}

static int timeout_waiter(void *data)
{
	left = wait_for_completion_timeout(&comp, msecs_to_jiffies(30));
	*(bool *)data = true;
	return 0;
}

static void test_completion_times_out(void **state)
{
	bool done = false;
	uint64_t t0 = nook_host_now_ns();

	init_completion(&comp);
	left = 12345;
	nook_task_create(timeout_waiter, &done, "timeout");
	assert_int_equal(nook_kernel_run_until(flag_set, &done, -1), 0);
	assert_int_equal(left, 0);
	assert_true(nook_host_now_ns() - t0 >= 30000000);
	/* ... and the deadline is kept: no more than a little late. */
	assert_true(nook_host_now_ns() - t0 < 500000000);
}

/* --- mutexes: a contended lock puts the second task to sleep until the first lets go */

static DEFINE_MUTEX(lock);

static int holder(void *data)
{
	mutex_lock(&lock);
	note("h-in ");
	msleep(15);
	note("h-out ");
	mutex_unlock(&lock);
	return 0;
}

static int contender(void *data)
{
	msleep(1);
	note("c-try ");
	mutex_lock(&lock);
	note("c-in ");
	mutex_unlock(&lock);
	*(bool *)data = true;
	return 0;
}

static void test_mutex_excludes(void **state)
{
	bool done = false;

	trace[0] = '\0';
	nook_task_create(holder, NULL, "holder");
	nook_task_create(contender, &done, "contender");
	assert_int_equal(nook_kernel_run_until(flag_set, &done, -1), 0);
	assert_string_equal(trace, "h-in c-try h-out c-in ");
}

/* --- assert_spin_locked is real: a driver that says it holds a lock and does not stops */

static DEFINE_SPINLOCK(guarded);

static void assert_unheld(void *arg)
{
	assert_spin_locked(&guarded);
}

static void test_assert_spin_locked(void **state)
{
	char why[256];

	spin_lock(&guarded);
	assert_spin_locked(&guarded);
	spin_unlock(&guarded);
	assert_int_equal(fake_host_expect_fatal(assert_unheld, NULL, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "spin_is_locked"));
}

/* --- udelay spins (allowed anywhere) and really waits */

static void test_udelay_waits(void **state)
{
	uint64_t t0 = nook_host_now_ns();

	udelay(2000);
	assert_true(nook_host_now_ns() - t0 >= 2000000);
}

/* --- jiffies follow the clock */

static void test_jiffies_advance(void **state)
{
	unsigned long j0 = jiffies;
	uint64_t t0 = nook_host_now_ns();

	while (nook_host_now_ns() - t0 < 25000000)
		;
	assert_true(time_after(jiffies, j0 + 20));
	assert_true(time_before(jiffies, j0 + 200));
	assert_int_equal(msecs_to_jiffies(1000), HZ);
}

static int setup(void **state)
{
	return nook_kernel_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasks_switch_where_they_sleep),
		cmocka_unit_test(test_completion_wakes_the_waiter),
		cmocka_unit_test(test_completion_times_out),
		cmocka_unit_test(test_mutex_excludes),
		cmocka_unit_test(test_assert_spin_locked),
		cmocka_unit_test(test_udelay_waits),
		cmocka_unit_test(test_jiffies_advance),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
