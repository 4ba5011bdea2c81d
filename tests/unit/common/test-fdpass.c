// SPDX-License-Identifier: GPL-2.0-only
/* fds beside a message on a unix socket: what is attached arrives, in order; extras close. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/ipc/fdpass.h"

/* Send "x" with @n fds (each one end of a fresh pipe, read ends kept in @ret_keep). */
static void send_pipes(int sock, unsigned int n, int *ret_keep)
{
	union {
		char buf[NOOK_FDPASS_SPACE(4)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { "x", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int w[4];

	assert_true(n <= 4);
	for (unsigned int i = 0; i < n; i++) {
		int p[2];

		assert_int_equal(pipe(p), 0);
		ret_keep[i] = p[0];
		w[i] = p[1];
	}
	nook_fdpass_attach(&mh, ctl.buf, w, n);
	if (!n)
		assert_null(mh.msg_control);
	assert_int_equal(sendmsg(sock, &mh, 0), 1);
	/* The sender's copies go: what arrives is the receiver's only hold on each write end. */
	for (unsigned int i = 0; i < n; i++)
		close(w[i]);
}

/* Receive one message; the fds it carried as take() leaves them. */
static unsigned int recv_take(int sock, int *ret_fds, unsigned int max)
{
	union {
		char buf[NOOK_FDPASS_SPACE(8)];
		struct cmsghdr align;
	} ctl;
	char c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };

	assert_int_equal(recvmsg(sock, &mh, MSG_CMSG_CLOEXEC), 1);
	return nook_fdpass_take(&mh, ret_fds, max);
}

/* A pipe whose write end is closed everywhere reads end-of-file at once. */
static bool writer_gone(int read_fd)
{
	char c;

	fcntl(read_fd, F_SETFL, O_NONBLOCK);
	return read(read_fd, &c, 1) == 0;
}

static void test_fds_arrive_in_order(void **state)
{
	int sv[2], keep[4], got[4] = { -1, -1, -1, -1 };

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	send_pipes(sv[0], 3, keep);
	assert_int_equal(recv_take(sv[1], got, 4), 3);
	for (int i = 0; i < 3; i++) {
		char c = (char)('a' + i);

		/* got[i] is the write end of the pipe read through keep[i]. */
		assert_int_equal(write(got[i], &c, 1), 1);
		assert_int_equal(read(keep[i], &c, 1), 1);
		assert_int_equal(c, 'a' + i);
		close(got[i]);
		close(keep[i]);
	}
	assert_int_equal(got[3], -1);
	close(sv[0]);
	close(sv[1]);
}

static void test_extra_fds_are_closed_and_counted(void **state)
{
	int sv[2], keep[4], got[2] = { -1, -1 };

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	send_pipes(sv[0], 4, keep);
	/* Four were sent; two kept: the caller can tell it was sent more than it wanted. */
	assert_int_equal(recv_take(sv[1], got, 2), 4);
	assert_false(writer_gone(keep[0]));
	assert_false(writer_gone(keep[1]));
	/* The two it did not keep are closed, not leaked. */
	assert_true(writer_gone(keep[2]));
	assert_true(writer_gone(keep[3]));
	for (int i = 0; i < 4; i++)
		close(keep[i]);
	close(got[0]);
	close(got[1]);

	/* A message without fds carries none. */
	send_pipes(sv[0], 0, keep);
	assert_int_equal(recv_take(sv[1], got, 2), 0);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fds_arrive_in_order),
		cmocka_unit_test(test_extra_fds_are_closed_and_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
