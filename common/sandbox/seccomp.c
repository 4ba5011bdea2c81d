// SPDX-License-Identifier: GPL-2.0-only
/* The seccomp allow-lists of a driver process (see seccomp.h). */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALLOW SECCOMP_RET_ALLOW
#define TRAP SECCOMP_RET_TRAP
#define KILL SECCOMP_RET_KILL_PROCESS
#define FAIL(e) (SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* open(2)'s flags that write or create: refused even while the root is read-only. */
#define OPEN_WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | __O_TMPFILE)

#if defined(__x86_64__)

/*
 * What a supervised driver program does once it runs: region I/O on the VFIO device fd,
 * the DMA arena (memfd, mmap, VFIO's map ioctl), waiting on the io_uring loop it made
 * before the lock-down (io_uring_enter only) and its eventfds and timerfds, the control
 * socket nookd connected, signals and the cooperative task switch (ucontext saves the
 * signal mask), clocks, exits.
 */
static const int driver_calls[] = {
	SYS_read,
	SYS_write,
	SYS_readv,
	SYS_writev,
	SYS_pread64,
	SYS_pwrite64,
	SYS_close,
	SYS_lseek,
	SYS_fstat,
	SYS_newfstatat,
	SYS_fcntl,
	SYS_dup,
	SYS_dup2,
	SYS_dup3,
	SYS_poll,
	SYS_ppoll,
	SYS_munmap,
	SYS_madvise,
	SYS_brk,
	SYS_mremap,
	SYS_io_uring_enter,
	SYS_eventfd2,
	SYS_memfd_create,
	SYS_ftruncate,
	SYS_timerfd_create,
	SYS_timerfd_settime,
	SYS_timerfd_gettime,
	SYS_signalfd4,
	SYS_sendmsg,
	SYS_recvmsg,
	SYS_sendto,
	SYS_recvfrom,
	SYS_rt_sigaction,
	SYS_rt_sigprocmask,
	SYS_rt_sigreturn,
	SYS_sigaltstack,
	SYS_clock_gettime,
	SYS_clock_getres,
	SYS_clock_nanosleep,
	SYS_nanosleep,
	SYS_gettimeofday,
	SYS_getpid,
	SYS_gettid,
	SYS_getuid,
	SYS_geteuid,
	SYS_getgid,
	SYS_getegid,
	SYS_getresuid,
	SYS_getresgid,
	SYS_uname,
	SYS_sched_yield,
	SYS_sched_getaffinity,
	SYS_futex,
	SYS_getrandom,
	SYS_restart_syscall,
	SYS_exit,
	SYS_exit_group,
};

/*
 * What only the start-up needs on top: the exec itself, the dynamic loader (it opens and
 * maps the libraries read-only and executable, sets up TLS), the C library's start-up,
 * the event loop's ring (made, restricted to the loop's operations and enabled; ring.h),
 * and the lock-down (prctl, seccomp). A ring made after the lock-down would be
 * unrestricted, and what it does (openat, socket, connect) never passes through seccomp;
 * io_uring_register has nothing left to do on the loop's ring, which refuses it once
 * restricted. liburing calls neither once a ring runs: submissions and waits are
 * io_uring_enter, a wait's timeout one of its arguments.
 */
static const int startup_calls[] = {
	SYS_execve, SYS_execveat, SYS_arch_prctl,     SYS_set_tid_address,   SYS_set_robust_list,
	SYS_rseq,   SYS_access,	  SYS_faccessat,      SYS_faccessat2,	     SYS_readlink,
	SYS_getcwd, SYS_getppid,  SYS_io_uring_setup, SYS_io_uring_register, SYS_seccomp,
};

/* prctl options for both phases: harmless questions, and naming oneself. */
static const int prctl_reads[] = {
	PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_NAME,
	PR_GET_NAME,	  PR_GET_SECCOMP,  PR_GET_NO_NEW_PRIVS,
};

static void rules(struct nook_bpf *b, const int *nrs, size_t n, uint32_t action)
{
	for (size_t i = 0; i < n; i++)
		nook_bpf_rule(b, nrs[i], action);
}

/* Read-only opens for the loader at start-up; no opening anything once locked down. */
static void rules_open(struct nook_bpf *b, bool startup)
{
	if (startup) {
		nook_bpf_block_begin(b, SYS_openat);
		nook_bpf_arg_any_set(b, 2, OPEN_WRITE_FLAGS, FAIL(EACCES));
		nook_bpf_block_end(b, ALLOW);
		nook_bpf_block_begin(b, SYS_open);
		nook_bpf_arg_any_set(b, 1, OPEN_WRITE_FLAGS, FAIL(EACCES));
		nook_bpf_block_end(b, ALLOW);
	} else {
		nook_bpf_rule(b, SYS_openat, FAIL(EACCES));
		nook_bpf_rule(b, SYS_open, FAIL(EACCES));
	}
	nook_bpf_rule(b, SYS_creat, FAIL(EACCES));
	/* Its flags sit in a struct the filter cannot read; the C library falls back. */
	nook_bpf_rule(b, SYS_openat2, FAIL(ENOSYS));
}

/*
 * ioctl: VFIO's whole family (';', no size bits); of TUN's, TUNSETOFFLOAD alone, the one the
 * net shim issues on its TAP (the offloads the driver does for the kernel; nookd sets the
 * interface's carrier, address and MTU itself), matched whole, size bits and all; the file
 * ioctls FIONREAD, FIONBIO, FIOCLEX and FIONCLEX. The other TUN ioctls would let a driver
 * make its interface outlive nook (TUNSETPERSIST), hand it to a user (TUNSETOWNER,
 * TUNSETGROUP), attach to another (TUNSETIFF, TUNSETQUEUE), filter or steer the host's
 * traffic, or get the host's network namespace (TUNGETDEVNETNS). TCGETS is isatty(): "not
 * a terminal".
 */
static void rules_ioctl(struct nook_bpf *b)
{
	nook_bpf_block_begin(b, SYS_ioctl);
	nook_bpf_arg_in(b, 1, 0xffffffffu, 0x3b00, 0x3bff, ALLOW);
	nook_bpf_arg_in(b, 1, 0xffffffffu, TUNSETOFFLOAD, TUNSETOFFLOAD, ALLOW);
	nook_bpf_arg_in(b, 1, 0xffffffffu, FIONREAD, FIONREAD, ALLOW);
	nook_bpf_arg_in(b, 1, 0xffffffffu, FIONBIO, FIONBIO, ALLOW);
	nook_bpf_arg_in(b, 1, 0xffffffffu, FIONCLEX, FIOCLEX, ALLOW);
	nook_bpf_arg_in(b, 1, 0xffffffffu, TCGETS, TCGETS, FAIL(ENOTTY));
	nook_bpf_block_end(b, TRAP);
}

/* Executable mappings are the loader's business; a locked-down driver makes none. */
static void rules_memory(struct nook_bpf *b, bool startup)
{
	if (startup) {
		nook_bpf_rule(b, SYS_mmap, ALLOW);
		nook_bpf_rule(b, SYS_mprotect, ALLOW);
		return;
	}
	nook_bpf_block_begin(b, SYS_mmap);
	nook_bpf_arg_any_set(b, 2, PROT_EXEC, TRAP);
	nook_bpf_block_end(b, ALLOW);
	nook_bpf_block_begin(b, SYS_mprotect);
	nook_bpf_arg_any_set(b, 2, PROT_EXEC, TRAP);
	nook_bpf_block_end(b, ALLOW);
}

/* Signals go to the process itself only (abort(), the crash handler's re-raise). */
static void rules_signals(struct nook_bpf *b, pid_t self)
{
	nook_bpf_block_begin(b, SYS_kill);
	nook_bpf_arg_in(b, 0, 0xffffffffu, (uint32_t)self, (uint32_t)self, ALLOW);
	nook_bpf_block_end(b, TRAP);
	nook_bpf_block_begin(b, SYS_tgkill);
	nook_bpf_arg_in(b, 0, 0xffffffffu, (uint32_t)self, (uint32_t)self, ALLOW);
	nook_bpf_block_end(b, TRAP);
}

static void rules_prctl(struct nook_bpf *b, bool startup)
{
	nook_bpf_block_begin(b, SYS_prctl);
	for (size_t i = 0; i < ARRAY_SIZE(prctl_reads); i++)
		nook_bpf_arg_in(b, 0, 0xffffffffu, (uint32_t)prctl_reads[i],
				(uint32_t)prctl_reads[i], ALLOW);
	if (startup) {
		nook_bpf_arg_in(b, 0, 0xffffffffu, PR_SET_NO_NEW_PRIVS, PR_SET_NO_NEW_PRIVS, ALLOW);
		nook_bpf_arg_in(b, 0, 0xffffffffu, PR_SET_DUMPABLE, PR_SET_DUMPABLE, ALLOW);
	}
	nook_bpf_block_end(b, TRAP);
}

/* Reading limits (pthread_getattr_np() asks for the stack's); setting them only at start. */
static void rules_limits(struct nook_bpf *b, bool startup)
{
	nook_bpf_rule(b, SYS_getrlimit, ALLOW);
	if (startup) {
		nook_bpf_rule(b, SYS_prlimit64, ALLOW);
		return;
	}
	nook_bpf_block_begin(b, SYS_prlimit64);
	nook_bpf_arg_eq64(b, 2, 0, ALLOW);
	nook_bpf_block_end(b, TRAP);
}

int nook_sandbox_filter_build(enum nook_sandbox_filter which, pid_t self, struct nook_bpf *b)
{
	bool startup = which == NOOK_SANDBOX_FILTER_STARTUP;

	nook_bpf_init(b);
	nook_bpf_check_arch(b, KILL);
	/*
	 * ioctl first: it is the hot call that needs the filter run (the kernel caches the
	 * verdict for calls allowed whatever their arguments); VFIO unmasks INTx with it.
	 */
	rules_ioctl(b);
	rules(b, driver_calls, ARRAY_SIZE(driver_calls), ALLOW);
	if (startup)
		rules(b, startup_calls, ARRAY_SIZE(startup_calls), ALLOW);
	rules_open(b, startup);
	rules_memory(b, startup);
	rules_signals(b, self);
	rules_prctl(b, startup);
	rules_limits(b, startup);
	nook_bpf_default(b, TRAP);
	return b->error;
}

#include "common/sandbox/syscall-names.h"

const char *nook_sandbox_syscall_name(long nr)
{
	if (nr < 0 || (unsigned long)nr >= ARRAY_SIZE(sandbox_syscall_names))
		return NULL;
	return sandbox_syscall_names[nr];
}

#else /* !__x86_64__ */

int nook_sandbox_filter_build(enum nook_sandbox_filter which, pid_t self, struct nook_bpf *b)
{
	nook_bpf_init(b);
	return -EOPNOTSUPP;
}

const char *nook_sandbox_syscall_name(long nr)
{
	return NULL;
}

#endif

int nook_sandbox_seccomp_startup(void)
{
	struct nook_bpf b;
	int r = nook_sandbox_filter_build(NOOK_SANDBOX_FILTER_STARTUP, getpid(), &b);

	return r < 0 ? r : nook_bpf_install(&b);
}

int nook_sandbox_lock_down(void)
{
	static struct nook_bpf b;
	int r;

	/* Set already by nookd's child; set again so that a driver run by hand is confined too. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	/* gdb and core dumps for the unprivileged driver (exec may have cleared it). */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return -errno;
	r = nook_sandbox_filter_build(NOOK_SANDBOX_FILTER_DRIVER, getpid(), &b);
	return r < 0 ? r : nook_bpf_install(&b);
}
