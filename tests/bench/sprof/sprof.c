// SPDX-License-Identifier: GPL-2.0-only
/*
 * sprof: a sampling profiler for a nook driver program, preloaded (LD_PRELOAD) into it. A
 * developer's tool for the TCG guest, where perf records no samples: it samples on the
 * process's CPU-time timer (ITIMER_PROF, so at the kernel's tick), takes a backtrace of
 * what was interrupted, and when the program exits writes the samples and the program's
 * mappings to NOOK_SPROF.PID, for sprof-report.py to resolve to functions. Only a program
 * whose name starts with NOOK_SPROF_COMM (default "nook-driver-") is sampled, so a wrapper
 * (nice, a shell) that execs it, or forks on the way, is not.
 *
 * The samples say where time went only roughly. Time in a system call is counted at the
 * call's site in user space. In a TCG guest samples crowd onto the instruction after a
 * device access: QEMU delivers the guest's timer interrupt only once the access has
 * released QEMU's lock, so a tick due during it lands after it; a device access's share is
 * an upper bound (for e1000's transmit doorbell, timing showed a quarter of what the
 * samples said). So the system calls the program makes through libc (read, write, readv,
 * writev, ioctl) are also timed, each call, and their totals written with the process's
 * CPU time: a measured share, though a call's wall time includes the interrupts taken
 * during it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define SPROF_DEPTH 10
#define SPROF_MAX (1U << 17)

struct sample {
	unsigned char depth;
	void *pc[SPROF_DEPTH];
};

static struct sample *samples;
static volatile sig_atomic_t n_samples;
static pid_t sampled_pid;

enum { CALL_READ, CALL_WRITE, CALL_READV, CALL_WRITEV, CALL_IOCTL, N_CALLS };
static const char *const call_names[N_CALLS] = { "read", "write", "readv", "writev", "ioctl" };
static struct {
	unsigned long long n, ns;
} calls[N_CALLS];

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Call libc's @real(...) and, in the sampled program, add the time it took to calls[@idx]. */
#define TIMED(idx, real, ...)                                         \
	({                                                            \
		unsigned long long t0_ = sampled_pid ? now_ns() : 0;  \
		__typeof__(real(__VA_ARGS__)) r_ = real(__VA_ARGS__); \
		if (sampled_pid) {                                    \
			int e_ = errno;                               \
			calls[idx].n++;                               \
			calls[idx].ns += now_ns() - t0_;              \
			errno = e_;                                   \
		}                                                     \
		r_;                                                   \
	})

ssize_t read(int fd, void *buf, size_t n)
{
	static ssize_t (*real)(int, void *, size_t);

	if (!real)
		real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	return TIMED(CALL_READ, real, fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return TIMED(CALL_WRITE, real, fd, buf, n);
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (!real)
		real = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "readv");
	return TIMED(CALL_READV, real, fd, iov, n);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	static ssize_t (*real)(int, const struct iovec *, int);

	if (!real)
		real = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
	return TIMED(CALL_WRITEV, real, fd, iov, n);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	return TIMED(CALL_IOCTL, real, fd, req, arg);
}

static void on_prof(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	(void)sig, (void)si, (void)uc;

	/* The unwinder walks through the signal frame to what was interrupted. */
	if (n_samples < (sig_atomic_t)SPROF_MAX) {
		struct sample *s = &samples[n_samples];

		s->depth = (unsigned char)backtrace(s->pc, SPROF_DEPTH);
		n_samples++;
	}
	errno = saved;
}

static void sprof_write(void)
{
	static const struct itimerval off;
	const char *base = getenv("NOOK_SPROF");
	char path[4096], line[1024];
	struct rusage ru;
	FILE *f, *maps;

	/* A child forked without exec inherits the atexit handler, not the timer. */
	if (!base || getpid() != sampled_pid)
		return;
	setitimer(ITIMER_PROF, &off, NULL);
	snprintf(path, sizeof(path), "%s.%d", base, (int)sampled_pid);
	f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "sprof: cannot write %s: %m\n", path);
		return;
	}
	maps = fopen("/proc/self/maps", "re");
	while (maps && fgets(line, sizeof(line), maps))
		fprintf(f, "M %s", line);
	if (maps)
		fclose(maps);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(f, "T %llu\n",
			(unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
					1000000000ULL +
				(unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) *
					1000);
	for (int i = 0; i < N_CALLS; i++)
		fprintf(f, "C %s %llu %llu\n", call_names[i], calls[i].n, calls[i].ns);
	for (sig_atomic_t i = 0; i < n_samples; i++) {
		fputc('S', f);
		for (int d = 0; d < samples[i].depth; d++)
			fprintf(f, " %p", samples[i].pc[d]);
		fputc('\n', f);
	}
	fclose(f);
	fprintf(stderr, "sprof: %d samples in %s\n", (int)n_samples, path);
}

__attribute__((constructor)) static void sprof_start(void)
{
	const char *comm = getenv("NOOK_SPROF_COMM");
	struct itimerval every_ms = { { 0, 1000 }, { 0, 1000 } };
	struct sigaction sa = { .sa_sigaction = on_prof, .sa_flags = SA_SIGINFO | SA_RESTART };
	void *warm[2];

	if (!getenv("NOOK_SPROF"))
		return;
	if (!comm)
		comm = "nook-driver-";
	if (strncmp(program_invocation_short_name, comm, strlen(comm)) != 0)
		return;
	samples = calloc(SPROF_MAX, sizeof(*samples));
	if (!samples)
		return;
	/* The first backtrace() loads the unwinder: not in a signal handler. */
	backtrace(warm, 2);
	sampled_pid = getpid();
	sigaction(SIGPROF, &sa, NULL);
	atexit(sprof_write);
	setitimer(ITIMER_PROF, &every_ms, NULL);
}
