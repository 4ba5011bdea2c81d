// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver process's event loop, on io_uring: one multishot poll per watched fd, and
 * a timed wait for completions (see loop.h).
 */
#include "common/base/clock.h"
#include "loop.h"
#include "common/sandbox/ring.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

/* user_data of our own bookkeeping requests (poll removals): nothing to dispatch. */
#define LOOP_INTERNAL 0

struct loop_source {
	int fd;
	uint32_t events;
	nook_loop_fd_fn fn;
	void *userdata;
	/* Removed by the user; freed when the kernel retires its poll. */
	bool removed;
	/* On the loop's list of removed sources whose poll is still in flight. */
	struct loop_source *next_removed, **pprev_removed;
};

struct nook_loop {
	struct io_uring ring;
	/* Indexed by fd: a driver process holds few, small fds. */
	struct loop_source **sources;
	int nsources;
	struct loop_source *removed;
};

static void loop_forget_removed(struct loop_source *src)
{
	*src->pprev_removed = src->next_removed;
	if (src->next_removed)
		src->next_removed->pprev_removed = src->pprev_removed;
	free(src);
}

int nook_loop_new(unsigned int entries, struct nook_loop **ret_loop)
{
	struct nook_loop *loop;
	int r;

	loop = calloc(1, sizeof(*loop));
	if (!loop)
		return -ENOMEM;
	/* Created disabled, restricted to the operations this loop uses, then enabled (ring.h). */
	r = io_uring_queue_init(entries ? entries : 64, &loop->ring, IORING_SETUP_R_DISABLED);
	if (r == 0) {
		static const uint8_t ops[] = { IORING_OP_POLL_ADD, IORING_OP_POLL_REMOVE };

		r = nook_sandbox_ring_restrict(loop->ring.ring_fd, ops, sizeof(ops), 0);
		if (r < 0)
			io_uring_queue_exit(&loop->ring);
	}
	if (r < 0) {
		free(loop);
		return r;
	}
	*ret_loop = loop;
	return 0;
}

/*
 * Cancel every poll and wait (up to a second) until the kernel has retired them: an armed
 * poll holds a reference to its file, and a TAP stays attached until that goes.
 */
static void loop_retire_all(struct nook_loop *loop)
{
	struct __kernel_timespec ts = { .tv_nsec = 10000000 };
	int64_t deadline = nook_now_ns() + 1000000000;
	struct io_uring_cqe *cqe;
	unsigned int head, seen;

	for (int fd = 0; fd < loop->nsources; fd++)
		if (loop->sources[fd])
			nook_loop_remove_fd(loop, fd);
	while (loop->removed && nook_now_ns() < deadline) {
		if (io_uring_submit(&loop->ring) < 0)
			break;
		if (io_uring_wait_cqe_timeout(&loop->ring, &cqe, &ts) < 0)
			continue;
		seen = 0;
		io_uring_for_each_cqe(&loop->ring, head, cqe)
		{
			struct loop_source *src = io_uring_cqe_get_data(cqe);

			seen++;
			if (src && !(cqe->flags & IORING_CQE_F_MORE))
				loop_forget_removed(src);
		}
		io_uring_cq_advance(&loop->ring, seen);
	}
}

void nook_loop_free(struct nook_loop *loop)
{
	if (!loop)
		return;
	loop_retire_all(loop);
	io_uring_queue_exit(&loop->ring);
	for (int i = 0; i < loop->nsources; i++)
		free(loop->sources[i]);
	while (loop->removed)
		loop_forget_removed(loop->removed);
	free(loop->sources);
	free(loop);
}

/* An SQE, submitting what is queued first when the submission ring is full. */
static struct io_uring_sqe *loop_get_sqe(struct nook_loop *loop)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&loop->ring);

	if (!sqe && io_uring_submit(&loop->ring) >= 0)
		sqe = io_uring_get_sqe(&loop->ring);
	return sqe;
}

static int loop_arm(struct nook_loop *loop, struct loop_source *src)
{
	struct io_uring_sqe *sqe = loop_get_sqe(loop);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_multishot(sqe, src->fd, src->events);
	io_uring_sqe_set_data(sqe, src);
	return 0;
}

int nook_loop_add_fd(struct nook_loop *loop, int fd, uint32_t events, nook_loop_fd_fn fn,
		     void *userdata)
{
	struct loop_source *src;
	int r;

	if (fd < 0 || !fn)
		return -EINVAL;
	if (fd >= loop->nsources) {
		int n = fd + 16;
		struct loop_source **s = realloc(loop->sources, n * sizeof(*s));

		if (!s)
			return -ENOMEM;
		for (int i = loop->nsources; i < n; i++)
			s[i] = NULL;
		loop->sources = s;
		loop->nsources = n;
	}
	if (loop->sources[fd])
		return -EEXIST;

	src = calloc(1, sizeof(*src));
	if (!src)
		return -ENOMEM;
	*src = (struct loop_source){ .fd = fd, .events = events, .fn = fn, .userdata = userdata };
	r = loop_arm(loop, src);
	if (r < 0) {
		free(src);
		return r;
	}
	loop->sources[fd] = src;
	return 0;
}

int nook_loop_remove_fd(struct nook_loop *loop, int fd)
{
	struct io_uring_sqe *sqe;
	struct loop_source *src;

	if (fd < 0 || fd >= loop->nsources || !loop->sources[fd])
		return -ENOENT;
	src = loop->sources[fd];
	sqe = loop_get_sqe(loop);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_remove(sqe, (uint64_t)(uintptr_t)src);
	io_uring_sqe_set_data64(sqe, LOOP_INTERNAL);
	/* The fd may be closed and reused at once: forget it now, free on the last CQE. */
	src->removed = true;
	loop->sources[fd] = NULL;
	src->next_removed = loop->removed;
	if (loop->removed)
		loop->removed->pprev_removed = &src->next_removed;
	src->pprev_removed = &loop->removed;
	loop->removed = src;
	return 0;
}

/* One completion: returns 1 when a callback ran, 0 when none did, or a negative errno. */
static int loop_dispatch(struct nook_loop *loop, struct io_uring_cqe *cqe)
{
	struct loop_source *src = io_uring_cqe_get_data(cqe);
	bool more = cqe->flags & IORING_CQE_F_MORE;
	int r;

	if (!src)
		return 0;
	if (src->removed) {
		if (!more)
			loop_forget_removed(src);
		return 0;
	}
	if (cqe->res < 0)
		return cqe->res;
	/* The kernel ends a multishot poll on its own at times (e.g. CQ overflow): re-arm. */
	if (!more) {
		r = loop_arm(loop, src);
		if (r < 0)
			return r;
	}
	r = src->fn(loop, src->fd, (uint32_t)cqe->res, src->userdata);
	return r < 0 ? r : 1;
}

int nook_loop_run_once(struct nook_loop *loop, int64_t timeout_ns)
{
	struct __kernel_timespec ts, *tsp = NULL;
	struct io_uring_cqe *cqe;
	unsigned int head, seen = 0;
	int r, ran = 0, err = 0;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	r = io_uring_submit(&loop->ring);
	if (r < 0)
		return r;
	r = io_uring_wait_cqe_timeout(&loop->ring, &cqe, tsp);
	if (r == -ETIME || r == -EINTR)
		return 0;
	if (r < 0)
		return r;

	/*
	 * Drain the whole completion queue on every wake-up; on an error stop right after the
	 * failing completion and leave the rest queued for the next call.
	 */
	io_uring_for_each_cqe(&loop->ring, head, cqe)
	{
		seen++;
		r = loop_dispatch(loop, cqe);
		if (r < 0) {
			err = r;
			break;
		}
		ran += r;
	}
	io_uring_cq_advance(&loop->ring, seen);
	return err ? err : ran;
}
