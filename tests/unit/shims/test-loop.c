// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of shims/loop: the io_uring event loop of a driver process. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/base/clock.h"
#include "shims/loop/loop.h"

struct counter {
	int calls;
	int fd_seen;
	uint32_t revents;
	int ret;
	int remove_self;
};

static int count_fn(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct counter *c = userdata;
	uint64_t v;

	c->calls++;
	c->fd_seen = fd;
	c->revents = revents;
	/* Consume the event, as a real handler would. */
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	if (c->remove_self)
		nook_loop_remove_fd(loop, fd);
	return c->ret;
}

static int efd_new(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	assert_true(fd >= 0);
	return fd;
}

static void efd_kick(int fd)
{
	uint64_t one = 1;

	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
}

static struct nook_loop *loop_new(void)
{
	struct nook_loop *loop = NULL;

	assert_int_equal(nook_loop_new(16, &loop), 0);
	return loop;
}

static void test_dispatches_ready_fd(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { 0 };
	int fd = efd_new();

	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 1000000000), 1);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.fd_seen, fd);
	assert_true(c.revents & POLLIN);

	/* The watch stays armed: a second event is delivered with no new add. */
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 1000000000), 1);
	assert_int_equal(c.calls, 2);

	nook_loop_free(loop);
	close(fd);
}

static void test_timeout_without_events(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { 0 };
	int fd = efd_new();
	int64_t t0;

	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	t0 = nook_now_ns();
	assert_int_equal(nook_loop_run_once(loop, 20000000), 0);
	/* The wait lasted about the deadline: not returned at once, not stuck. */
	assert_true(nook_now_ns() - t0 >= 15000000);
	assert_int_equal(c.calls, 0);
	nook_loop_free(loop);
	close(fd);
}

static void test_removed_fd_is_silent(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { 0 };
	int fd = efd_new();

	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	assert_int_equal(nook_loop_run_once(loop, 0), 0);
	assert_int_equal(nook_loop_remove_fd(loop, fd), 0);
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 20000000), 0);
	assert_int_equal(c.calls, 0);

	/* The fd can be watched again after removal. */
	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	assert_int_equal(nook_loop_run_once(loop, 1000000000), 1);
	assert_int_equal(c.calls, 1);
	nook_loop_free(loop);
	close(fd);
}

static void test_callback_removes_itself(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { .remove_self = 1 };
	int fd = efd_new();

	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 1000000000), 1);
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 20000000), 0);
	assert_int_equal(c.calls, 1);
	nook_loop_free(loop);
	close(fd);
}

static void test_callback_error_stops_the_loop(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { .ret = -EIO };
	int fd = efd_new();

	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	efd_kick(fd);
	assert_int_equal(nook_loop_run_once(loop, 1000000000), -EIO);
	nook_loop_free(loop);
	close(fd);
}

static void test_bad_arguments(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { 0 };
	int fd = efd_new();

	assert_int_equal(nook_loop_add_fd(loop, -1, POLLIN, count_fn, &c), -EINVAL);
	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, NULL, &c), -EINVAL);
	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), -EEXIST);
	assert_int_equal(nook_loop_remove_fd(loop, fd + 100), -ENOENT);
	nook_loop_free(loop);
	close(fd);
}

static void test_free_with_removal_in_flight(void **state)
{
	struct nook_loop *loop = loop_new();
	struct counter c = { 0 };
	int fd = efd_new();

	/* Freeing the loop right after a removal leaks nothing (LeakSanitizer checks). */
	assert_int_equal(nook_loop_add_fd(loop, fd, POLLIN, count_fn, &c), 0);
	assert_int_equal(nook_loop_run_once(loop, 0), 0);
	assert_int_equal(nook_loop_remove_fd(loop, fd), 0);
	nook_loop_free(loop);
	close(fd);
}

static void test_many_fds_one_wakeup(void **state)
{
	enum { N = 40 };
	struct nook_loop *loop = loop_new();
	struct counter c[N] = { 0 };
	int fds[N], total = 0;

	for (int i = 0; i < N; i++) {
		fds[i] = efd_new();
		assert_int_equal(nook_loop_add_fd(loop, fds[i], POLLIN, count_fn, &c[i]), 0);
	}
	for (int i = 0; i < N; i++)
		efd_kick(fds[i]);
	/* More watches than the 16-entry ring: every one still fires exactly once. */
	for (int tries = 0; tries < 10 && total < N; tries++) {
		int r = nook_loop_run_once(loop, 100000000);

		assert_true(r >= 0);
		total += r;
	}
	assert_int_equal(total, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(c[i].calls, 1);
		close(fds[i]);
	}
	nook_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatches_ready_fd),
		cmocka_unit_test(test_timeout_without_events),
		cmocka_unit_test(test_removed_fd_is_silent),
		cmocka_unit_test(test_callback_removes_itself),
		cmocka_unit_test(test_callback_error_stops_the_loop),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_free_with_removal_in_flight),
		cmocka_unit_test(test_many_fds_one_wakeup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
