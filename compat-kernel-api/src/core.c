// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver process's kernel loop: run what is runnable (tasks, due timers, softirqs),
 * then wait for the host until the next deadline. See nook/kernel.h.
 */
#include <linux/kernel.h>
#include <linux/timer.h>
#include <linux/netdevice.h>
#include <nook/host.h>
#include <nook/kernel.h>

#include "internal.h"

void nook_fatal(const char *what)
{
	nook_printk_flush();
	nook_host_fatal(what);
}

void nook_bug(const char *file, int line, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "kernel BUG at %s:%d: %s", file, line, what);
	nook_printk_flush();
	nook_host_fatal(msg);
}

void nook_warn(const char *file, int line, const char *what)
{
	printk(KERN_WARNING "WARNING at %s:%d: %s\n", file, line, what);
}

int nook_kernel_init(void)
{
	return nook_workqueue_init();
}

/*
 * Run everything that can run now; true if anything did. What is due is judged once per
 * pass, at one reading of the clock: a read can cost a microsecond and more where the
 * clock is not the TSC (an HPET, in a VM), and the loop passes thousands of times a second.
 */
static bool run_ready(void)
{
	bool any = false, again;

	do {
		uint64_t now = nook_host_now_ns();

		again = nook_timers_run(now) > 0;
		again |= nook_softirq_run();
		again |= nook_sched_run(now);
		any |= again;
	} while (again);
	return any;
}

static long long earliest(long long a, long long b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int nook_kernel_step(long long deadline_ns)
{
	long long next;
	int r;

	next = earliest(nook_timers_next_ns(), nook_sched_next_ns());
	next = earliest(next, deadline_ns);
	/*
	 * What ran may have finished what the caller waits for (a probe, say): look at the
	 * host without sleeping, so the caller sees it before the next event, however late.
	 */
	if (run_ready())
		next = (long long)nook_host_now_ns();
	/* A storming line (a planned fault) fires again at every turn of the loop. */
	if (nook_irq_storm_fire())
		next = (long long)nook_host_now_ns();
	nook_irq_unmask_due();
	r = nook_host_wait(next);
	if (r < 0)
		return r;
	run_ready();
	/* INTx fired: its bottom halves have run, so the device may interrupt again. */
	nook_irq_unmask_due();
	return r;
}

int nook_kernel_run_until(bool (*done)(void *arg), void *arg, long long deadline_ns)
{
	while (!done(arg)) {
		int r;

		if (deadline_ns >= 0 && (long long)nook_host_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		r = nook_kernel_step(deadline_ns);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Every generated stub (stubs.list) ends here. */
void nook_stub_called(const char *name) __attribute__((noreturn));
void nook_stub_called(const char *name)
{
	char msg[160];

	snprintf(msg, sizeof(msg),
		 "the driver called %s(), which nook's compat layer does not "
		 "implement yet (compat-kernel-api/stubs.list)",
		 name);
	nook_printk_flush();
	nook_host_fatal(msg);
}
