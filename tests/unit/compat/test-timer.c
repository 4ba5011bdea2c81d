// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of timers, workqueues and delayed work, on the fake host. */
#include <linux/kernel.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
#include <linux/sched.h>
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

static bool never(void *arg)
{
	return false;
}

static bool flag_set(void *arg)
{
	return *(bool *)arg;
}

static void run_ms(long long ms)
{
	nook_kernel_run_until(never, NULL, (long long)nook_host_now_ns() + ms * 1000000);
}

/* --- timers fire once, in deadline order (even when the loop comes late), not early */

struct stamp_timer {
	struct timer_list t;
	const char *name;
	uint64_t fired_ns;
};

static void stamp(struct timer_list *t)
{
	struct stamp_timer *s = from_timer(s, t, t);

	s->fired_ns = nook_host_now_ns();
	note(s->name);
}

static void test_timers_fire_in_order(void **state)
{
	struct stamp_timer a = { .name = "a " }, b = { .name = "b " }, c = { .name = "c " };
	uint64_t t0 = nook_host_now_ns();

	trace[0] = '\0';
	timer_setup(&a.t, stamp, 0);
	timer_setup(&b.t, stamp, 0);
	timer_setup(&c.t, stamp, 0);
	mod_timer(&a.t, jiffies + 30);
	mod_timer(&b.t, jiffies + 10);
	mod_timer(&c.t, jiffies + 20);
	assert_true(timer_pending(&a.t));
	run_ms(60);
	assert_string_equal(trace, "b c a ");
	assert_true(b.fired_ns - t0 >= 9000000);
	assert_true(a.fired_ns - t0 >= 29000000);
	assert_false(timer_pending(&a.t));
}

static void test_mod_and_del_timer(void **state)
{
	struct stamp_timer a = { .name = "a " }, b = { .name = "b " };

	trace[0] = '\0';
	timer_setup(&a.t, stamp, 0);
	timer_setup(&b.t, stamp, 0);
	mod_timer(&a.t, jiffies + 10);
	mod_timer(&b.t, jiffies + 10);
	/* Moving a pending timer returns 1; deleting one stops it. */
	assert_int_equal(mod_timer(&a.t, jiffies + 40), 1);
	assert_int_equal(del_timer(&b.t), 1);
	assert_int_equal(del_timer(&b.t), 0);
	run_ms(20);
	assert_string_equal(trace, "");
	run_ms(40);
	assert_string_equal(trace, "a ");
}

/* A timer callback re-arming itself: a periodic watchdog, as drivers write them. */
static int periodic_count;
static void periodic(struct timer_list *t)
{
	if (++periodic_count < 5)
		mod_timer(t, jiffies + 2);
}

static void test_timer_rearms_itself(void **state)
{
	struct timer_list t;

	periodic_count = 0;
	timer_setup(&t, periodic, 0);
	mod_timer(&t, jiffies + 2);
	run_ms(60);
	assert_int_equal(periodic_count, 5);
	assert_false(timer_pending(&t));
}

/* --- work items run in a task, may sleep, and run in queueing order */

struct note_work {
	struct work_struct w;
	const char *name;
	bool sleep;
};

static void note_work_fn(struct work_struct *w)
{
	struct note_work *nw = container_of(w, struct note_work, w);

	if (nw->sleep)
		msleep(5);
	note(nw->name);
}

static void test_work_runs_in_order_and_may_sleep(void **state)
{
	struct note_work a = { .name = "a ", .sleep = true }, b = { .name = "b " };

	trace[0] = '\0';
	INIT_WORK(&a.w, note_work_fn);
	INIT_WORK(&b.w, note_work_fn);
	assert_true(schedule_work(&a.w));
	assert_true(schedule_work(&b.w));
	/* Queued twice while pending: runs once. */
	assert_false(schedule_work(&b.w));
	assert_true(work_pending(&b.w));
	run_ms(30);
	assert_string_equal(trace, "a b ");
	assert_false(work_pending(&b.w));
}

static struct delayed_work da, db;
static uint64_t da_ran_ns, db_ran_ns;

static void delayed_fn(struct work_struct *w)
{
	struct delayed_work *d = to_delayed_work(w);

	*(d == &da ? &da_ran_ns : &db_ran_ns) = nook_host_now_ns();
}

static void test_delayed_work_waits_and_cancels(void **state)
{
	uint64_t t0 = nook_host_now_ns();

	da_ran_ns = db_ran_ns = 0;
	INIT_DELAYED_WORK(&da, delayed_fn);
	INIT_DELAYED_WORK(&db, delayed_fn);
	assert_true(schedule_delayed_work(&da, msecs_to_jiffies(20)));
	assert_true(schedule_delayed_work(&db, msecs_to_jiffies(20)));
	assert_true(delayed_work_pending(&da));
	run_ms(5);
	assert_true(cancel_delayed_work_sync(&db));
	assert_false(delayed_work_pending(&db));
	run_ms(40);
	assert_false(delayed_work_pending(&da));
	/* da ran, not before its delay; the cancelled db never did. */
	assert_true(da_ran_ns - t0 >= 19000000);
	assert_int_equal(db_ran_ns, 0);
}

/* A work item that cancels itself on another queue would deadlock in Linux; the common
 * case, cancel_work_sync() from a task while the item sleeps, waits for it to finish. */
static bool work_finished;
static void slow_work_fn(struct work_struct *w)
{
	msleep(20);
	work_finished = true;
}

static struct work_struct slow;
static bool cancel_returned_after_finish;
static int canceller(void *data)
{
	msleep(5);
	cancel_work_sync(&slow);
	cancel_returned_after_finish = work_finished;
	*(bool *)data = true;
	return 0;
}

static void test_cancel_work_sync_waits_for_a_running_item(void **state)
{
	bool done = false;

	work_finished = false;
	INIT_WORK(&slow, slow_work_fn);
	schedule_work(&slow);
	nook_task_create(canceller, &done, "canceller");
	assert_int_equal(nook_kernel_run_until(flag_set, &done, -1), 0);
	assert_true(cancel_returned_after_finish);
}

static int setup(void **state)
{
	return nook_kernel_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_order),
		cmocka_unit_test(test_mod_and_del_timer),
		cmocka_unit_test(test_timer_rearms_itself),
		cmocka_unit_test(test_work_runs_in_order_and_may_sleep),
		cmocka_unit_test(test_delayed_work_waits_and_cancels),
		cmocka_unit_test(test_cancel_work_sync_waits_for_a_running_item),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
