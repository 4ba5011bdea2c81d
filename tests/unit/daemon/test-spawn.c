// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/spawn.c and common/sandbox: sandbox-probe, started the way nookd starts
 * a driver, reports what it sees from inside (ids, no_new_privs, seccomp, its fds, host name,
 * memlock limit, its root, what the filters let through), and the test looks at it from
 * outside (/proc/PID); a failing step comes back as one clear error.
 *
 *   test-spawn PROBE          the tests (root and namespaces needed, else exit 77)
 *   test-spawn --hold PROBE   start PROBE in "wait" mode, print "pid N", and stop it when a
 *                             line (or EOF) arrives on stdin, printing "exit STATUS" (for
 *                             the sandbox VM scenario)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/eventfd.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/spawn.h"

#define NOBODY 65534
#define MAX_LINES 96

static const char *probe_path;

struct probe {
	pid_t pid;
	int sock; /* our end of its control socket (its fd 3) */
	char lines[MAX_LINES][256];
	unsigned int n;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void probe_cfg(struct nook_spawn_cfg *cfg, char **argv, const int *fds, unsigned int n)
{
	*cfg = (struct nook_spawn_cfg){
		.name = "test-probe",
		.exe = probe_path,
		.argv = argv,
		.fds = fds,
		.n_fds = n,
		.uid = NOBODY,
		.gid = NOBODY,
		.stdout_fd = -1,
		.stderr_fd = -1,
	};
}

/* Spawn the probe in @mode with @extra fds after its control socket. */
static int start(struct probe *p, const char *mode, struct nook_spawn_cfg *over, const int *extra,
		 unsigned int n_extra, struct nook_err *err)
{
	char *argv[] = { "sandbox-probe", (char *)mode, NULL };
	struct nook_spawn_cfg cfg;
	int sp[2], fds[8];
	int r;

	memset(p, 0, sizeof(*p));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	fds[0] = sp[1];
	for (unsigned int i = 0; i < n_extra; i++)
		fds[1 + i] = extra[i];
	probe_cfg(&cfg, argv, fds, 1 + n_extra);
	if (over) {
		over->argv = argv;
		over->fds = fds;
		over->n_fds = 1 + n_extra;
		cfg = *over;
	}
	r = nook_spawn_driver(&cfg, &p->pid, err);
	if (r < 0)
		print_message("nook_spawn_driver: %s\n", err->msg);
	close(sp[1]);
	p->sock = sp[0];
	return r;
}

/* Read its lines until "end ..." or "ready ...", EOF, or 10 s. */
static void read_lines(struct probe *p)
{
	int64_t deadline = now_ms() + 10000;

	while (p->n < MAX_LINES && now_ms() < deadline) {
		struct pollfd pfd = { .fd = p->sock, .events = POLLIN };
		char *line = p->lines[p->n];
		ssize_t len;

		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			continue;
		len = recv(p->sock, line, sizeof(p->lines[0]) - 1, 0);
		if (len <= 0)
			return;
		line[len] = '\0';
		line[strcspn(line, "\n")] = '\0';
		p->n++;
		if (!strncmp(line, "end ", 4) || !strncmp(line, "ready ", 6))
			return;
	}
}

static const char *value(const struct probe *p, const char *key)
{
	size_t len = strlen(key);

	for (unsigned int i = 0; i < p->n; i++)
		if (!strncmp(p->lines[i], key, len) && p->lines[i][len] == ' ')
			return p->lines[i] + len + 1;
	return NULL;
}

static void expect(const struct probe *p, const char *key, const char *want)
{
	const char *got = value(p, key);

	if (!got || strcmp(got, want)) {
		print_error("probe reported %s = '%s', expected '%s'\n", key,
			    got ? got : "(nothing)", want);
		fail();
	}
}

/* Its exit status (-1: not our child); it is killed after 10 s. */
static int wait_exit(pid_t pid)
{
	int64_t deadline = now_ms() + 10000;
	int status = 0;
	pid_t r;

	while ((r = waitpid(pid, &status, WNOHANG)) != pid) {
		if (r < 0)
			return -1;
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
	return status;
}

static void finish(struct probe *p, int want_status)
{
	close(p->sock);
	assert_int_equal(wait_exit(p->pid), want_status);
}

/* A limit any process may set: below the hard limit (raising it is tested apart). */
static uint64_t memlock_below_hard_limit(void)
{
	struct rlimit rl;

	getrlimit(RLIMIT_MEMLOCK, &rl);
	return rl.rlim_max == RLIM_INFINITY ? 64 << 20 : (rl.rlim_max / 2) & ~4095ull;
}

static bool capable(int cap)
{
	char status[4096], *line;
	unsigned long long eff;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, status, sizeof(status) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	status[n] = '\0';
	line = strstr(status, "\nCapEff:\t");
	return line && sscanf(line + 9, "%llx", &eff) == 1 && (eff >> cap & 1);
}

/* The file fd @fd is, for comparing with what the probe reports for its copy. */
static void expect_same_file(const struct probe *p, const char *key, int fd)
{
	struct stat st;
	char buf[32];

	assert_int_equal(fstat(fd, &st), 0);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)st.st_ino);
	expect(p, key, buf);
}

/* Its root, before lock-down: what the loader needs, nothing else, nothing to write. */
static void expect_root_inside(const struct probe *p)
{
	expect(p, "before:exists:/dev", "errno 2");
	expect(p, "before:exists:/proc", "errno 2");
	expect(p, "before:exists:/sys", "errno 2");
	expect(p, "before:exists:/tmp", "errno 2");
	expect(p, "before:exists:/home", "errno 2");
	expect(p, "before:exists:/etc/passwd", "errno 2");
	expect(p, "before:open-ro:/etc/ld.so.cache", "ok");
	expect(p, "before:open-rw:/etc/ld.so.cache", "errno 13");
	expect(p, "before:socket", "sigsys socket");
}

/* Locked down: no files, no sockets, no processes, signals to itself only. */
static void expect_locked_down(const struct probe *p)
{
	expect(p, "lock_down", "0");
	expect(p, "seccomp", "2");
	expect(p, "after:open-ro:/etc/ld.so.cache", "errno 13");
	expect(p, "after:socket", "sigsys socket");
	expect(p, "after:socket-unix", "sigsys socket");
	expect(p, "after:kill-other", "sigsys kill");
	expect(p, "after:kill-self", "ok");
	expect(p, "after:mmap-exec", "sigsys mmap");
	expect(p, "after:mmap-rw", "ok");
	expect(p, "after:isatty", "errno 25");
	expect(p, "after:fionread", "ok");
	/* Of TUN's ioctls only the one the net shim needs: the socket then says ENOTTY. */
	expect(p, "after:tunsetpersist", "sigsys ioctl");
	expect(p, "after:tunsetowner", "sigsys ioctl");
	expect(p, "after:tunsetgroup", "sigsys ioctl");
	expect(p, "after:tunsetiff", "sigsys ioctl");
	expect(p, "after:tunsetcarrier", "sigsys ioctl");
	expect(p, "after:tungetdevnetns", "sigsys ioctl");
	expect(p, "after:tunsetoffload-size", "sigsys ioctl");
	expect(p, "after:tunsetoffload", "errno 25");
	expect(p, "after:setuid-root", "sigsys setuid");
	expect(p, "after:fork", "sigsys fork");
	expect(p, "after:ptrace", "sigsys ptrace");
	expect(p, "after:memfd", "ok");
	/* Its ring, made before and restricted to NOP: an open inside io_uring is refused. */
	expect(p, "ring:restrict-openat", "-1");
	expect(p, "ring:restrict", "0");
	expect(p, "ring:nop", "0");
	expect(p, "ring:openat", "-13");
	/* No new, unrestricted ring after the lock-down, and nothing to register. */
	expect(p, "after:io_uring_setup", "sigsys io_uring_setup");
	expect(p, "after:io_uring_register", "sigsys io_uring_register");
	/* The event loop made before serves after it. */
	expect(p, "loop:new", "0");
	expect(p, "loop:add", "ok");
	expect(p, "loop:run", "ok");
	expect(p, "loop:calls", "1");
	expect(p, "loop:remove", "ok");
	expect(p, "loop:timeout", "ok");
	expect(p, "loop:free", "ok");
}

static void test_probe_sees_its_sandbox(void **state)
{
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	struct probe p;
	struct utsname u;
	struct rlimit rl;
	char buf[64];
	int pipefd[2], efd, leak;

	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	efd = eventfd(0, EFD_CLOEXEC);
	assert_true(efd >= 0);
	leak = dup(STDIN_FILENO); /* not close-on-exec, and not passed: must not reach it */
	assert_true(leak >= 0);
	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.memlock = memlock_below_hard_limit();
	cfg.hostname = "nook-test";
	assert_int_equal(start(&p, "report", &cfg, (int[]){ pipefd[1], efd }, 2, &err), 0);
	read_lines(&p);
	close(leak);

	expect(&p, "seccomp_at_start", "2");
	expect(&p, "uid", "65534 65534 65534");
	expect(&p, "gid", "65534 65534 65534");
	expect(&p, "no_new_privs", "1");
	expect(&p, "dumpable", "1");
	snprintf(buf, sizeof(buf), "%llu %llu", (unsigned long long)cfg.memlock,
		 (unsigned long long)cfg.memlock);
	expect(&p, "memlock", buf);
	/* nofile 0 leaves it as nookd has it */
	getrlimit(RLIMIT_NOFILE, &rl);
	snprintf(buf, sizeof(buf), "%llu %llu", (unsigned long long)rl.rlim_cur,
		 (unsigned long long)rl.rlim_max);
	expect(&p, "nofile", buf);
	expect(&p, "hostname", "nook-test");
	uname(&u);
	assert_string_not_equal(u.nodename, "nook-test");
	expect(&p, "fds", "0,1,2,3,4,5");
	expect_same_file(&p, "ino:4", pipefd[1]);
	expect_same_file(&p, "ino:5", efd);
	expect_root_inside(&p);
	expect_locked_down(&p);
	expect(&p, "end", "report");
	finish(&p, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	close(efd);
}

static void read_proc(pid_t pid, const char *file, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	close(fd);
}

static void expect_status(const char *status, const char *line)
{
	if (!strstr(status, line)) {
		print_error("/proc/PID/status lacks '%s'\n", line);
		fail();
	}
}

/* Its namespaces differ from ours. */
static void expect_own_namespaces(pid_t pid)
{
	static const char *const ns[] = { "mnt", "net", "ipc", "uts" };

	for (unsigned int i = 0; i < 4; i++) {
		char path[64], mine[64], its[64];
		ssize_t a, b;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i]);
		b = readlink(path, its, sizeof(its) - 1);
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i]);
		a = readlink(path, mine, sizeof(mine) - 1);
		assert_true(a > 0 && b > 0);
		mine[a] = its[b] = '\0';
		assert_string_not_equal(mine, its);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory @path, sorted, each followed by a space. */
static void list_dir(const char *path, char *buf, size_t len)
{
	char *names[32];
	unsigned int n = 0;
	struct dirent *de;
	DIR *d = opendir(path);

	assert_non_null(d);
	while ((de = readdir(d)) && n < 32)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		snprintf(buf + strlen(buf), len - strlen(buf), "%s ", names[i]);
		free(names[i]);
	}
}

/* Its root holds what the host's layout calls for and nothing else; nothing can be created. */
static void expect_root(pid_t pid)
{
	static const char *const names[] = { "bin", "etc", "lib", "lib64", "nook", "usr" };
	char path[128], want[128] = "", got[128];
	struct stat st;

	for (unsigned int i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), !strcmp(names[i], "etc") ? "/etc/ld.so.cache" : "/%s",
			 names[i]);
		if (!strcmp(names[i], "nook") || lstat(path, &st) == 0)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s ", names[i]);
	}
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	list_dir(path, got, sizeof(got));
	assert_string_equal(got, want);
	snprintf(path, sizeof(path), "/proc/%d/root/nook", (int)pid);
	list_dir(path, got, sizeof(got));
	assert_string_equal(got, "sandbox-probe ");
	if (strstr(want, "etc ")) {
		snprintf(path, sizeof(path), "/proc/%d/root/etc", (int)pid);
		list_dir(path, got, sizeof(got));
		assert_string_equal(got, "ld.so.cache ");
	}
	snprintf(path, sizeof(path), "/proc/%d/root/new-file", (int)pid);
	assert_int_equal(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644), -1);
	assert_int_equal(errno, EROFS);
	snprintf(path, sizeof(path), "/proc/%d/root/usr/new-file", (int)pid);
	assert_int_equal(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644), -1);
	assert_int_equal(errno, EROFS);
}

static void test_probe_from_outside(void **state)
{
	struct nook_err err = { 0 };
	struct nook_spawn_cfg cfg;
	struct probe p;
	char status[4096];
	const char *groups;

	/* As nookd starts a driver: its fds bounded, the OOM killer's first choice. */
	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.nofile = 64;
	cfg.oom_first = true;
	assert_int_equal(start(&p, "wait", &cfg, NULL, 0, &err), 0);
	read_lines(&p);
	assert_non_null(value(&p, "ready"));
	read_proc(p.pid, "oom_score_adj", status, sizeof(status));
	assert_string_equal(status, "1000\n");
	read_proc(p.pid, "limits", status, sizeof(status));
	assert_non_null(strstr(status, "\nMax open files            64                   64 "));
	read_proc(p.pid, "status", status, sizeof(status));
	expect_status(status, "\nUid:\t65534\t65534\t65534\t65534\n");
	expect_status(status, "\nGid:\t65534\t65534\t65534\t65534\n");
	/* No supplementary group: no digit on the line. */
	groups = strstr(status, "\nGroups:");
	assert_non_null(groups);
	groups += 8;
	assert_int_equal(strcspn(groups, "0123456789\n"), strcspn(groups, "\n"));
	expect_status(status, "\nCapPrm:\t0000000000000000\n");
	expect_status(status, "\nCapEff:\t0000000000000000\n");
	expect_status(status, "\nNoNewPrivs:\t1\n");
	expect_status(status, "\nSeccomp:\t2\n");
	expect_status(status, "\nSeccomp_filters:\t2\n");
	expect_own_namespaces(p.pid);
	expect_root(p.pid);
	finish(&p, 0);
}

/*
 * nookd dies: its drivers die with it. An intermediate process stands in for nookd; we
 * are the subreaper the orphaned probe falls to, and hold its control socket open so that
 * only the parent-death signal can end it.
 */
static void test_probe_dies_with_nookd(void **state)
{
	int sp[2], pp[2], status;
	pid_t mid, pid = 0;

	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
	assert_int_equal(pipe2(pp, O_CLOEXEC), 0);
	mid = fork();
	assert_true(mid >= 0);
	if (mid == 0) {
		char *argv[] = { "sandbox-probe", "wait", NULL };
		struct nook_spawn_cfg cfg;
		struct nook_err err = { 0 };

		probe_cfg(&cfg, argv, &sp[1], 1);
		if (nook_spawn_driver(&cfg, &pid, &err) < 0 ||
		    write(pp[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		_exit(0);
	}
	close(pp[1]);
	close(sp[1]);
	assert_int_equal(read(pp[0], &pid, sizeof(pid)), sizeof(pid));
	close(pp[0]);
	assert_int_equal(wait_exit(mid), 0);
	status = wait_exit(pid);
	close(sp[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

/* A system call from another ABI kills the process outright: no handler runs. */
static void test_x32_call_kills(void **state)
{
	struct nook_err err = { 0 };
	struct probe p;
	int status;

	assert_int_equal(start(&p, "x32", NULL, NULL, 0, &err), 0);
	read_lines(&p);
	expect(&p, "lock_down", "0");
	assert_null(value(&p, "x32"));
	close(p.sock);
	status = wait_exit(p.pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void test_i386_call_kills(void **state)
{
	struct nook_err err = { 0 };
	struct probe p;
	int status;

	assert_int_equal(start(&p, "i386", NULL, NULL, 0, &err), 0);
	read_lines(&p);
	expect(&p, "lock_down", "0");
	assert_null(value(&p, "i386"));
	close(p.sock);
	status = wait_exit(p.pid);
	assert_true(WIFSIGNALED(status));
	if (WTERMSIG(status) == SIGSEGV) {
		print_message("no i386 system calls on this kernel (int 0x80 faults): skipped\n");
		skip();
	}
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void expect_msg(const struct nook_err *err, const char *part)
{
	if (!strstr(err->msg, part)) {
		print_error("message '%s' lacks '%s'\n", err->msg, part);
		fail();
	}
}

/*
 * Raising RLIMIT_MEMLOCK past the hard limit for the DMA arena: done with CAP_SYS_RESOURCE,
 * refused with a clear message without it (some containers drop it).
 */
static void test_memlock_raised(void **state)
{
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	struct rlimit rl;
	struct probe p;
	char want[64];
	int r;

	getrlimit(RLIMIT_MEMLOCK, &rl);
	if (rl.rlim_max == RLIM_INFINITY) {
		print_message("RLIMIT_MEMLOCK has no hard limit here: nothing to raise; skipped\n");
		skip();
	}
	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.memlock = rl.rlim_max + (64 << 20);
	r = start(&p, "report", &cfg, NULL, 0, &err);
	if (!capable(CAP_SYS_RESOURCE)) {
		assert_int_equal(r, -EPERM);
		expect_msg(&err, "cannot set its RLIMIT_MEMLOCK to ");
		expect_msg(&err, "(nookd needs CAP_SYS_RESOURCE)");
		close(p.sock);
		return;
	}
	assert_int_equal(r, 0);
	read_lines(&p);
	snprintf(want, sizeof(want), "%llu %llu", (unsigned long long)cfg.memlock,
		 (unsigned long long)cfg.memlock);
	expect(&p, "memlock", want);
	finish(&p, 0);
}

/*
 * nookd's unit gives it UMask=0077: the root it builds for a driver (the directories above
 * the program and the libraries) is open to the driver's user all the same.
 */
static void test_umask_of_nookd(void **state)
{
	struct nook_err err = { 0 };
	struct probe p;
	mode_t old = umask(077);
	int r = start(&p, "report", NULL, NULL, 0, &err);

	umask(old);
	assert_int_equal(r, 0);
	read_lines(&p);
	expect(&p, "lock_down", "0");
	expect(&p, "end", "report");
	finish(&p, 0);
}

static void test_missing_program(void **state)
{
	char *argv[] = { "nook-driver-none", NULL };
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	pid_t pid = 0;

	probe_cfg(&cfg, argv, NULL, 0);
	cfg.exe = "/nonexistent/nook-driver-none";
	assert_int_equal(nook_spawn_driver(&cfg, &pid, &err), -ENOENT);
	assert_int_equal(err.code, -ENOENT);
	expect_msg(&err, "test-probe: cannot start /nonexistent/nook-driver-none: No such file");
	assert_int_equal(pid, 0);
}

/* Refused in the child, reported through the pipe. */
static void test_root_user_refused(void **state)
{
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	struct probe p;

	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.uid = 0;
	cfg.gid = 0;
	assert_int_equal(start(&p, "report", &cfg, NULL, 0, &err), -EINVAL);
	expect_msg(&err, "test-probe: cannot start sandbox-probe: cannot run it as uid 0 gid 0: "
			 "a driver never runs as root");
	close(p.sock);
}

static void test_bad_fd_refused(void **state)
{
	struct nook_err err = { 0 };
	struct probe p;

	assert_int_equal(start(&p, "report", NULL, (int[]){ 1000 }, 1, &err), -EBADF);
	expect_msg(&err, "cannot start sandbox-probe: cannot pass it its file descriptors: "
			 "Bad file descriptor");
	close(p.sock);
}

/* A program the driver user may not execute: the exec in the child fails. */
static void test_unexecutable_program(void **state)
{
	char dir[] = "/tmp/nook-spawn-XXXXXX", path[64], cmd[256];
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	struct probe p;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sandbox-probe", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 0700 '%s'", probe_path, path, path);
	assert_int_equal(system(cmd), 0);
	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.exe = path;
	assert_int_equal(start(&p, "report", &cfg, NULL, 0, &err), -EACCES);
	expect_msg(&err, "cannot execute ");
	expect_msg(&err, " as uid 65534: Permission denied (the driver user must be allowed to "
			 "read and execute it)");
	close(p.sock);
	unlink(path);
	rmdir(dir);
}

/* For the VM scenario: a probe to look at from a shell, run as nookd would run a driver. */
static int hold(void)
{
	struct nook_spawn_cfg cfg;
	struct nook_err err = { 0 };
	struct probe p;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int status;

	probe_cfg(&cfg, NULL, NULL, 0);
	cfg.uid = NOOK_SPAWN_DEFAULT_ID;
	cfg.gid = NOOK_SPAWN_DEFAULT_ID;
	cfg.memlock = 128 << 20;
	cfg.hostname = "nook-probe";
	if (start(&p, "wait", &cfg, NULL, 0, &err) < 0) {
		fprintf(stderr, "test-spawn: %s\n", err.msg);
		return 1;
	}
	read_lines(&p);
	for (unsigned int i = 0; i < p.n; i++)
		printf("probe: %s\n", p.lines[i]);
	printf("pid %d\n", (int)p.pid);
	fflush(stdout);
	poll(&pfd, 1, 120000);
	close(p.sock);
	status = wait_exit(p.pid);
	printf("exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

/* Root, and namespaces this kernel lets us make, or there is nothing to test. */
static const char *cannot_test(void)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return "needs root (namespaces, mounts, a user to drop to)";
	pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) < 0);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return "cannot enter new mount, network, IPC and UTS namespaces here";
	return NULL;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_sees_its_sandbox),
		cmocka_unit_test(test_probe_from_outside),
		cmocka_unit_test(test_probe_dies_with_nookd),
		cmocka_unit_test(test_x32_call_kills),
		cmocka_unit_test(test_i386_call_kills),
		cmocka_unit_test(test_memlock_raised),
		cmocka_unit_test(test_umask_of_nookd),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_root_user_refused),
		cmocka_unit_test(test_bad_fd_refused),
		cmocka_unit_test(test_unexecutable_program),
	};
	bool holding = argc == 3 && !strcmp(argv[1], "--hold");
	const char *why;

	if (argc < 2 || (argc == 3 && !holding) || argc > 3) {
		fprintf(stderr, "usage: test-spawn [--hold] SANDBOX-PROBE\n");
		return 2;
	}
	probe_path = argv[holding ? 2 : 1];
	why = cannot_test();
	if (why) {
		printf("test-spawn: skipped: %s\n", why);
		return 77;
	}
	return holding ? hold() : cmocka_run_group_tests(tests, NULL, NULL);
}
