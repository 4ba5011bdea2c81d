// SPDX-License-Identifier: GPL-2.0-only
/*
 * sprof: a sampling profiler for a nook driver program, preloaded (LD_PRELOAD) into it. A
 * developer's tool for the TCG guest, where perf records no samples: it samples on the
 * process's CPU-time timer (ITIMER_PROF, so at the kernel's tick), takes a backtrace of
 * what was interrupted, and when the program exits writes the samples and the program's
 * mappings to NOOK_SPROF.PID, for sprof-report.py to resolve to functions.
 *
 * Time spent in a system call is counted at the call's site in user space, and the time
 * of a long device access (QEMU emulates a doorbell's whole transmit inside the access)
 * shows on the instruction after it. Only a program whose name starts with
 * NOOK_SPROF_COMM (default "nook-driver-") is sampled, so a wrapper (nice, a shell) that
 * execs it, or forks on the way, is not.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
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
