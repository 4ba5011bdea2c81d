// SPDX-License-Identifier: GPL-2.0-only
/*
 * A test program, never installed: test-spawn.c and the sandbox VM scenario start it with
 * nook_spawn_driver() in a driver's place, and it reports what it finds over fd 3 (the
 * control socket's number), one "key value" line per fact, then "end".
 *
 *   sandbox-probe report  the sandbox as seen from inside, before and after
 *                         nook_sandbox_lock_down(), and what the filters let through
 *                         (its io_uring rings made before the lock-down, as a driver's)
 *   sandbox-probe wait    lock down, report what the filters let through, say "ready",
 *                         wait until fd 3 closes (for a look from outside at /proc/PID),
 *                         exit 0
 *   sandbox-probe x32     lock down, then make an x32 system call (it must kill us)
 *   sandbox-probe i386    lock down, then make an i386 system call (it must kill us)
 *
 * A call the filter traps raises SIGSYS; the handler notes the system call and jumps back.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <liburing.h>
#include <setjmp.h>
#include <signal.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shims/loop/loop.h"
#include "common/sandbox/ring.h"
#include "common/sandbox/seccomp.h"

#define OUT 3

static sigjmp_buf trap_jmp;
static volatile int trapped_nr = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	trapped_nr = si->si_syscall;
	siglongjmp(trap_jmp, 1);
}

static void say(const char *key, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n = snprintf(line, sizeof(line), "%s ", key);

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - 1 - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (send(OUT, line, (size_t)n, MSG_NOSIGNAL) < 0)
		_exit(3);
}

/* "ok", "errno N" or "sigsys NAME" for what a call did. */
#define PROBE(key, call)                                                        \
	do {                                                                    \
		long r_;                                                        \
		trapped_nr = -1;                                                \
		if (sigsetjmp(trap_jmp, 1) == 0) {                              \
			errno = 0;                                              \
			r_ = (long)(call);                                      \
			if (r_ < 0)                                             \
				say(key, "errno %d", errno);                    \
			else                                                    \
				say(key, "ok");                                 \
		} else {                                                        \
			const char *n_ = nook_sandbox_syscall_name(trapped_nr); \
			say(key, "sigsys %s", n_ ? n_ : "?");                   \
		}                                                               \
	} while (0)

static void report_ids(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	struct rlimit rl;
	struct utsname u;
	char fds[256] = "";

	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	say("uid", "%u %u %u", ru, eu, su);
	say("gid", "%u %u %u", rg, eg, sg);
	say("no_new_privs", "%d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	say("dumpable", "%d", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	getrlimit(RLIMIT_MEMLOCK, &rl);
	say("memlock", "%llu %llu", (unsigned long long)rl.rlim_cur,
	    (unsigned long long)rl.rlim_max);
	getrlimit(RLIMIT_NOFILE, &rl);
	say("nofile", "%llu %llu", (unsigned long long)rl.rlim_cur,
	    (unsigned long long)rl.rlim_max);
	uname(&u);
	say("hostname", "%s", u.nodename);
	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%s%d",
				 fds[0] ? "," : "", fd);
	say("fds", "%s", fds);
	/* Which file each passed fd is, for the test to compare with what it passed. */
	for (int fd = 4; fd < 8; fd++) {
		struct stat st;
		char key[16];

		snprintf(key, sizeof(key), "ino:%d", fd);
		if (fstat(fd, &st) == 0)
			say(key, "%llu", (unsigned long long)st.st_ino);
	}
}

static void report_exists(const char *path)
{
	char key[32];

	snprintf(key, sizeof(key), "before:exists:%s", path);
	PROBE(key, access(path, F_OK));
}

/* The root as the loader left it: read-only opens work, and only what it needs is there. */
static void report_root(void)
{
	static const char *const absent[] = { "/dev", "/proc", "/sys",
					      "/tmp", "/home", "/etc/passwd" };

	for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		report_exists(absent[i]);
	PROBE("before:open-ro:/etc/ld.so.cache", open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC));
	PROBE("before:open-rw:/etc/ld.so.cache", open("/etc/ld.so.cache", O_RDWR | O_CLOEXEC));
	PROBE("before:socket", socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

/* Made before the lock-down, as a driver program makes its loop's ring (host.h). */
static struct io_uring ring;
static bool ring_made;
static struct nook_loop *loop;

/* A ring restricted to NOP, and the driver's own event loop. */
static void make_rings(void)
{
	static const uint8_t ops[] = { IORING_OP_NOP }, bad[] = { IORING_OP_OPENAT };
	int r = io_uring_queue_init(4, &ring, IORING_SETUP_R_DISABLED);

	if (r < 0) {
		say("ring", "setup %d", r);
		return;
	}
	ring_made = true;
	say("ring:restrict-openat", "%d", nook_sandbox_ring_restrict(ring.ring_fd, bad, 1, 0));
	say("ring:restrict", "%d", nook_sandbox_ring_restrict(ring.ring_fd, ops, 1, 0));
	say("loop:new", "%d", nook_loop_new(8, &loop));
}

/* No new ring once locked down, and nothing to register on the one there is. */
static void report_no_new_ring(void)
{
	struct io_uring_params params = { 0 };
	struct io_uring_probe *probe = calloc(1, sizeof(*probe) + 8 * sizeof(probe->ops[0]));

	PROBE("after:io_uring_setup", syscall(SYS_io_uring_setup, 4, &params));
	PROBE("after:io_uring_register",
	      syscall(SYS_io_uring_register, ring.ring_fd, IORING_REGISTER_PROBE, probe, 8));
	free(probe);
}

static int loop_calls;

static int on_loop_fd(struct nook_loop *l, int fd, uint32_t revents, void *userdata)
{
	uint64_t v;

	loop_calls++;
	return read(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -EIO;
}

/* The loop made before the lock-down serves after it, through io_uring_enter alone. */
static void report_loop(void)
{
	int efd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);

	if (!loop || efd < 0) {
		say("loop", "none");
		return;
	}
	PROBE("loop:add", nook_loop_add_fd(loop, efd, POLLIN, on_loop_fd, NULL));
	PROBE("loop:run", nook_loop_run_once(loop, 1000000000));
	say("loop:calls", "%d", loop_calls);
	PROBE("loop:remove", nook_loop_remove_fd(loop, efd));
	PROBE("loop:timeout", nook_loop_run_once(loop, 10000000));
	PROBE("loop:free", (nook_loop_free(loop), 0));
	loop = NULL;
	close(efd);
}

/* The ring restricted to NOP: a NOP completes, an open is refused inside io_uring. */
static void report_ring(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	report_no_new_ring();
	report_loop();
	if (!ring_made)
		return;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/etc/ld.so.cache", O_RDONLY, 0);
	io_uring_sqe_set_data64(sqe, 2);
	io_uring_submit(&ring);
	/* A refused request may complete before the NOP does: tell them apart by user_data. */
	for (int i = 0; i < 2 && io_uring_wait_cqe(&ring, &cqe) == 0; i++) {
		say(cqe->user_data == 1 ? "ring:nop" : "ring:openat", "%d", cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
}

/*
 * TUN's ioctls, asked of the control socket: the filter judges the request before the
 * kernel looks at the fd, so one it lets through fails with ENOTTY here (no TAP needed,
 * and none made persistent or given away if the filter let it through).
 */
static void report_tun(void)
{
	PROBE("after:tunsetoffload", ioctl(OUT, TUNSETOFFLOAD, 0UL));
	PROBE("after:tunsetoffload-size", ioctl(OUT, TUNSETOFFLOAD ^ 0x00100000u, 0UL));
	PROBE("after:tunsetpersist", ioctl(OUT, TUNSETPERSIST, 1UL));
	PROBE("after:tunsetowner", ioctl(OUT, TUNSETOWNER, 1000UL));
	PROBE("after:tunsetgroup", ioctl(OUT, TUNSETGROUP, 1000UL));
	PROBE("after:tunsetiff", ioctl(OUT, TUNSETIFF, &(char[64]){ 0 }));
	PROBE("after:tunsetcarrier", ioctl(OUT, TUNSETCARRIER, &(int){ 1 }));
	PROBE("after:tungetdevnetns", ioctl(OUT, TUNGETDEVNETNS));
}

static void report_locked(void)
{
	PROBE("after:open-ro:/etc/ld.so.cache", open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC));
	PROBE("after:socket", socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	PROBE("after:socket-unix", socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	PROBE("after:kill-other", kill(1, 0));
	PROBE("after:kill-self", kill(getpid(), 0));
	PROBE("after:mmap-exec",
	      mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	PROBE("after:mmap-rw",
	      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	PROBE("after:isatty", ioctl(0, TCGETS, &(char[64]){ 0 }));
	PROBE("after:fionread", ioctl(OUT, FIONREAD, &(int){ 0 }));
	report_tun();
	PROBE("after:setuid-root", setuid(0));
	PROBE("after:fork", syscall(SYS_fork));
	PROBE("after:ptrace", syscall(SYS_ptrace, 0, 0, 0, 0));
	PROBE("after:memfd", memfd_create("probe", MFD_CLOEXEC));
	report_ring();
}

static int lock_down(void)
{
	int r = nook_sandbox_lock_down();

	say("lock_down", "%d", r);
	say("seccomp", "%d", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	return r;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO | SA_NODEFER };
	const char *mode = argc > 1 ? argv[1] : "report";
	char c;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
	say("seccomp_at_start", "%d", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
	if (!strcmp(mode, "report")) {
		report_ids();
		report_root();
		make_rings();
		if (lock_down() == 0)
			report_locked();
	} else if (!strcmp(mode, "wait")) {
		make_rings();
		if (lock_down() == 0)
			report_locked();
		say("ready", "%d", getpid());
		while (read(OUT, &c, 1) > 0)
			;
		return 0; /* nobody is left to tell */
	} else if (!strcmp(mode, "x32")) {
		lock_down();
		PROBE("x32", syscall(0x40000000 | SYS_getpid));
	} else if (!strcmp(mode, "i386")) {
		long r = 20; /* getpid in the i386 table */

		lock_down();
		__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
		say("i386", "survived %ld", r);
	}
	say("end", "%s", mode);
	return 0;
}
