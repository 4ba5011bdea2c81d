// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-client's own test, on the host: each of its modes against the unit tests' fake
 * card server (tests/unit/alsa-plugin/fake-server.c), which seals its rings and signals through
 * wake-up pairs as nookd does and keeps at most 8 connections. This proves the program speaks
 * the protocol and judges what it sees; that nookd holds is the VM scenario's to show.
 *
 * usage: hostile-fake PATH-TO-HOSTILE-CLIENT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/alsa-plugin/fake-server.h"

static char out[1 << 16];

/* Run hostile-client with @args (NULL-ended); its exit status, its output in out[]. */
static int run(const char *prog, const char *const *args)
{
	const char *argv[8] = { prog };
	size_t len = 0;
	int p[2], status;
	pid_t pid;
	ssize_t n;

	for (int i = 0; args[i] && i < 6; i++)
		argv[i + 1] = args[i];
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(prog, (char *const *)argv);
		fprintf(stderr, "cannot run %s: %s\n", prog, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	fputs(out, stdout);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int failed;

static void expect(const char *what, int ok)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failed += !ok;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/nook-hostile-XXXXXX";
	struct fake_server *fs;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: hostile-fake PATH-TO-HOSTILE-CLIENT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	setenv("NOOK_SOUND_DIR", dir, 1);
	fs = fake_server_start(dir);
	if (!fs) {
		fprintf(stderr, "cannot start the fake server in %s: %s\n", dir, strerror(errno));
		return 2;
	}

	rc = run(argv[1], (const char *const[]){ "truncate", FAKE_BDF, NULL });
	expect("truncate: every attempt on a sealed ring is refused (exit 0)", rc == 0);
	expect("truncate: ftruncate to 0 was tried and refused",
	       strstr(out, "ftruncate the ring to 0 bytes: refused") != NULL);

	rc = run(argv[1], (const char *const[]){ "block", FAKE_BDF, "5", NULL });
	expect("block: the stream ran, unread wake-ups and all, and STOP was answered (exit 0)",
	       rc == 0);
	expect("block: the wake-up fd filled up", strstr(out, "the wake-up fd is full") != NULL);

	rc = run(argv[1], (const char *const[]){ "flood", FAKE_BDF, "2000", NULL });
	expect("flood: every answer came and matched (exit 0)", rc == 0);

	/* The fake server keeps 8 connections and closes the others at once. */
	rc = run(argv[1], (const char *const[]){ "connections", FAKE_BDF, "40", "1", NULL });
	expect("connections: counted (exit 0)", rc == 0);
	expect("connections: 8 kept, 32 closed",
	       strstr(out, "8 kept open by the server (answering HELLO), 32 closed by it, "
			   "0 neither in 20 s, 0 not made") != NULL);
	expect("connections: all 8 still open after the hold",
	       strstr(out, "8 of the 8 kept connections were still open") != NULL);

	fake_server_free(fs);
	rmdir(dir);
	return failed ? 1 : 0;
}
