/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_COMPLETION_H
#define NOOK_LINUX_COMPLETION_H

#include <linux/wait.h>

struct completion {
	unsigned int done;
	wait_queue_head_t wait;
};

#define DECLARE_COMPLETION(name) struct completion name = { 0, { LIST_HEAD_INIT(name.wait.head) } }
static inline void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}
#define reinit_completion(c) ((c)->done = 0)

void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout);
#define wait_for_completion_interruptible(c) \
	({                                   \
		wait_for_completion(c);      \
		0;                           \
	})
#define wait_for_completion_interruptible_timeout(c, t) ((long)wait_for_completion_timeout(c, t))
bool try_wait_for_completion(struct completion *c);
bool completion_done(struct completion *c);

#endif
