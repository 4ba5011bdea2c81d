/* SPDX-License-Identifier: GPL-2.0-only */
/* Mutexes: a task that finds one taken sleeps until its owner lets go. */
#ifndef NOOK_LINUX_MUTEX_H
#define NOOK_LINUX_MUTEX_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/wait.h>

struct mutex {
	struct task_struct *owner;
	wait_queue_head_t waiters;
};

#define DEFINE_MUTEX(m) struct mutex m = { NULL, { LIST_HEAD_INIT(m.waiters.head) } }
static inline void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_waitqueue_head(&m->waiters);
}
#define mutex_destroy(m) NOOK_NOOP_ARG("a debug hook, off in Debian's kernel", m)

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
int mutex_trylock(struct mutex *m);
#define mutex_lock_interruptible(m) \
	({                          \
		mutex_lock(m);      \
		0;                  \
	})
#define mutex_lock_killable(m) \
	({                     \
		mutex_lock(m); \
		0;             \
	})
#define mutex_lock_nested(m, sub) mutex_lock(m)
#define mutex_is_locked(m) ((m)->owner != NULL)
#define lockdep_assert_held_mutex(m) NOOK_NOOP_ARG("lockdep, off in Debian's kernel", m)

#endif
