// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/fd-store: what nookd says to systemd's fd store, read off a notify
 * socket of the test's own (NOTIFY_SOCKET) as systemd reads it, and the fds handed back at
 * start (LISTEN_FDS, LISTEN_FDNAMES) taken by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/fd-store.h"

static struct {
	char dir[64]; /* short: the notify socket's path must fit a sun_path */
	int sock;     /* the "service manager's" end */
	struct nookd d;
} T;

static int setup(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	memset(&T.d, 0, sizeof(T.d));
	T.d.cfg.fd_store = true;
	snprintf(T.dir, sizeof(T.dir), "/tmp/nook-fd-store-XXXXXX");
	if (!mkdtemp(T.dir))
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", T.dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	/* out of the way of fds 3 and 4, where systemd would hand kept fds over */
	T.sock = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	close(fd);
	if (T.sock < 0)
		return -1;
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	return 0;
}

static int teardown(void **state)
{
	char path[PATH_MAX + 16];

	close(T.sock);
	snprintf(path, sizeof(path), "%s/notify", T.dir);
	unlink(path);
	rmdir(T.dir);
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

/* The next notification: its text, and the fd it carried (-1: none); false when none came. */
static bool next_message(char *text, size_t len, int *ret_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { text, len - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(T.sock, &mh, MSG_CMSG_CLOEXEC);

	*ret_fd = -1;
	if (n < 0)
		return false;
	text[n] = '\0';
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
	return true;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* put: the name's old fd forgotten, then the new one stored under KIND@BDF (':' as '_'). */
static void test_put_and_drop(void **state)
{
	char text[256];
	int p[2], fd;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	nookd_fdstore_put(&T.d, NOOK_FDS_CTL, "0000:00:03.0", p[0]);
	assert_true(next_message(text, sizeof(text), &fd));
	assert_string_equal(text, "FDSTOREREMOVE=1\nFDNAME=ctl@0000_00_03.0");
	assert_int_equal(fd, -1);
	assert_true(next_message(text, sizeof(text), &fd));
	assert_string_equal(text, "FDSTORE=1\nFDNAME=ctl@0000_00_03.0");
	assert_true(fd >= 0);
	assert_true(same_file(fd, p[0]));
	close(fd);
	assert_false(next_message(text, sizeof(text), &fd));

	nookd_fdstore_drop(&T.d, NOOK_FDS_TAP, "0000:00:03.0");
	assert_true(next_message(text, sizeof(text), &fd));
	assert_string_equal(text, "FDSTOREREMOVE=1\nFDNAME=tap@0000_00_03.0");
	assert_int_equal(fd, -1);

	/* without a store (not under systemd's service manager) nothing is said */
	T.d.cfg.fd_store = false;
	nookd_fdstore_put(&T.d, NOOK_FDS_CTL, "0000:00:03.0", p[0]);
	nookd_fdstore_drop(&T.d, NOOK_FDS_CTL, "0000:00:03.0");
	assert_false(next_message(text, sizeof(text), &fd));
	close(p[0]);
	close(p[1]);
}

/* A pipe whose ends are above fd 64, clear of 3 and 4. */
static void high_pipe(int p[2])
{
	int lo[2];

	assert_int_equal(pipe2(lo, O_CLOEXEC), 0);
	for (int i = 0; i < 2; i++) {
		p[i] = fcntl(lo[i], F_DUPFD_CLOEXEC, 64);
		assert_true(p[i] >= 64);
		close(lo[i]);
	}
}

/*
 * At start the kept fds come as LISTEN_FDS from fd 3 on, named in LISTEN_FDNAMES: each is
 * taken once by name; those nobody took are closed, and systemd is told to forget them.
 */
static void test_load_take_release(void **state)
{
	char text[256], env[32];
	int p[2], q[2], fd;

	/* fds 3 and 4 as systemd would pass them (this process has nothing there yet) */
	assert_int_equal(fcntl(3, F_GETFD), -1);
	assert_int_equal(fcntl(4, F_GETFD), -1);
	high_pipe(p);
	high_pipe(q);
	assert_int_equal(dup2(p[0], 3), 3);
	assert_int_equal(dup2(q[0], 4), 4);
	snprintf(env, sizeof(env), "%d", (int)getpid());
	setenv("LISTEN_PID", env, 1);
	setenv("LISTEN_FDS", "2", 1);
	setenv("LISTEN_FDNAMES", "tap@0000_00_03.0:log@0000_00_04.0", 1);

	nookd_fdstore_load(&T.d);
	assert_null(getenv("LISTEN_FDS")); /* not for the drivers nookd starts */
	assert_int_equal(nookd_fdstore_take(&T.d, NOOK_FDS_CTL, "0000:00:03.0"), -1);
	fd = nookd_fdstore_take(&T.d, NOOK_FDS_TAP, "0000:00:03.0");
	assert_int_equal(fd, 3);
	assert_true(same_file(fd, p[0]));
	assert_int_equal(nookd_fdstore_take(&T.d, NOOK_FDS_TAP, "0000:00:03.0"), -1); /* once */
	nookd_fdstore_release_rest(&T.d);
	assert_int_equal(fcntl(4, F_GETFD), -1); /* the log nobody took is closed */
	assert_true(next_message(text, sizeof(text), &fd));
	assert_string_equal(text, "FDSTOREREMOVE=1\nFDNAME=log@0000_00_04.0");
	assert_false(next_message(text, sizeof(text), &fd));
	assert_int_equal(fcntl(3, F_GETFD) >= 0, 1); /* the taken one is the taker's */
	close(3);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_and_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_take_release, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
