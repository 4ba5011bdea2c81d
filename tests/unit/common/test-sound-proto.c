// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/ipc/sound-proto: messages with fds, and where a card's socket is. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ipc/sound-proto.h"

static char dir[64];

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_send_recv_fds(void **state)
{
	struct nook_snd_req req = { .op = NOOK_SND_PCM_HW_PARAMS, .seq = 7 }, got;
	int sv[2], p[2], fds[2];
	char c = 0;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	req.hw_params.rate = 48000;
	assert_int_equal(nook_snd_send(sv[0], &req, sizeof(req), p, 2), 0);
	assert_int_equal(nook_snd_recv(sv[1], &got, sizeof(got), fds, 2), sizeof(got));
	assert_int_equal(got.op, NOOK_SND_PCM_HW_PARAMS);
	assert_int_equal(got.seq, 7);
	assert_int_equal(got.hw_params.rate, 48000);
	/* The received fds are the pipe's ends, and close on exec. */
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(write(fds[1], "x", 1), 1);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(c, 'x');
	for (int i = 0; i < 2; i++) {
		close(fds[i]);
		close(p[i]);
		close(sv[i]);
	}
}

static void test_extra_fds_closed(void **state)
{
	struct nook_snd_req req = { .op = NOOK_SND_HELLO }, got;
	int sv[2], p[2], fd[2], before;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	before = open_fds();
	/* One slot for two fds: the second is closed, not leaked; none wanted: both closed. */
	assert_int_equal(nook_snd_send(sv[0], &req, sizeof(req), p, 2), 0);
	assert_int_equal(nook_snd_recv(sv[1], &got, sizeof(got), fd, 1), sizeof(got));
	assert_true(fd[0] >= 0);
	close(fd[0]);
	assert_int_equal(nook_snd_send(sv[0], &req, sizeof(req), p, 2), 0);
	assert_int_equal(nook_snd_recv(sv[1], &got, sizeof(got), NULL, 0), sizeof(got));
	assert_int_equal(open_fds(), before);
	/* A message longer than the buffer is refused whole, its fds closed. */
	assert_int_equal(nook_snd_send(sv[0], &req, sizeof(req), p, 2), 0);
	fd[0] = fd[1] = 0;
	assert_int_equal(nook_snd_recv(sv[1], &got, 8, fd, 2), -EMSGSIZE);
	assert_int_equal(fd[0], -1);
	assert_int_equal(fd[1], -1);
	assert_int_equal(open_fds(), before);
	/* More fds than any message carries are refused. */
	assert_int_equal(nook_snd_send(sv[0], &req, sizeof(req), (int[]){ p[0], p[1], p[0], p[1] },
				       NOOK_SND_MAX_FDS + 1),
			 -EINVAL);
	for (int i = 0; i < 2; i++) {
		close(p[i]);
		close(sv[i]);
	}
}

static void test_peer_gone(void **state)
{
	struct nook_snd_req req = { .op = NOOK_SND_HELLO };
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	close(sv[0]);
	assert_int_equal(nook_snd_recv(sv[1], &req, sizeof(req), NULL, 0), -EPIPE);
	assert_int_equal(nook_snd_send(sv[1], &req, sizeof(req), NULL, 0), -EPIPE);
	close(sv[1]);
}

static void make_socket(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, name);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(s); /* the socket file stays: what the path lookup sees */
}

static void remove_entry(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void test_path_forms(void **state)
{
	char buf[PATH_MAX], want[PATH_MAX];

	snprintf(want, sizeof(want), "%s/0000:00:04.0", dir);
	assert_int_equal(nook_snd_socket_path("0000:00:04.0", buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_int_equal(nook_snd_socket_path("00:04.0", buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	snprintf(want, sizeof(want), "%s/0001:02:1f.7", dir);
	assert_int_equal(nook_snd_socket_path("0001:02:1F.7", buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_int_equal(nook_snd_socket_path("hw:0", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(nook_snd_socket_path("00:04.0", buf, 8), -ENAMETOOLONG);

	unsetenv("NOOK_SOUND_DIR");
	assert_int_equal(nook_snd_socket_path("00:04.0", buf, sizeof(buf)), 0);
	assert_string_equal(buf, NOOK_SND_DEFAULT_DIR "/0000:00:04.0");
	setenv("NOOK_SOUND_DIR", dir, 1);
}

static void test_first_card(void **state)
{
	char buf[PATH_MAX], want[PATH_MAX];
	FILE *f;

	assert_int_equal(nook_snd_socket_path(NULL, buf, sizeof(buf)), -ENOENT);
	/* Not cards: a file with a card's name, a socket with another name. */
	snprintf(buf, sizeof(buf), "%s/0000:00:01.0", dir);
	f = fopen(buf, "w");
	assert_non_null(f);
	fclose(f);
	make_socket("junk");
	assert_int_equal(nook_snd_socket_path("", buf, sizeof(buf)), -ENOENT);

	make_socket("0000:00:05.0");
	make_socket("0000:00:03.0");
	snprintf(want, sizeof(want), "%s/0000:00:03.0", dir);
	assert_int_equal(nook_snd_socket_path(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_int_equal(nook_snd_socket_path("", buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);

	remove_entry("0000:00:01.0");
	remove_entry("junk");
	remove_entry("0000:00:05.0");
	remove_entry("0000:00:03.0");
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nook-sound-proto-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("NOOK_SOUND_DIR", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_recv_fds), cmocka_unit_test(test_extra_fds_closed),
		cmocka_unit_test(test_peer_gone),     cmocka_unit_test(test_path_forms),
		cmocka_unit_test(test_first_card),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
