// SPDX-License-Identifier: GPL-2.0-only
/* Tasklets: bottom halves the loop runs right after interrupts, in atomic context. */
#include <linux/kernel.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>

#include "internal.h"

static LIST_HEAD(tasklets);

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->entry);
	t->func = func;
	t->data = data;
}

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->entry);
	t->callback = callback;
	t->use_callback = true;
}

void tasklet_schedule(struct tasklet_struct *t)
{
	if (t->nook_scheduled)
		return;
	t->nook_scheduled = true;
	list_add_tail(&t->entry, &tasklets);
}

void tasklet_kill(struct tasklet_struct *t)
{
	if (t->nook_scheduled) {
		list_del_init(&t->entry);
		t->nook_scheduled = false;
	}
}

static bool tasklets_run(void)
{
	bool ran = false;

	while (!list_empty(&tasklets)) {
		struct tasklet_struct *t =
			list_first_entry(&tasklets, struct tasklet_struct, entry);

		list_del_init(&t->entry);
		t->nook_scheduled = false;
		if (t->nook_disabled) {
			/* Kept for when it is enabled again: the next pass sees it. */
			tasklet_schedule(t);
			break;
		}
		if (t->use_callback)
			t->callback(t);
		else
			t->func(t->data);
		ran = true;
	}
	return ran;
}

bool nook_softirq_run(void)
{
	bool ran = tasklets_run();

	ran |= nook_napi_run();
	return ran;
}
