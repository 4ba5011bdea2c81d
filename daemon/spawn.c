// SPDX-License-Identifier: GPL-2.0-only
/*
 * Starting a confined driver process (see spawn.h). The child reports a failed step
 * through a close-on-exec pipe: one struct spawn_report, or nothing when the exec
 * succeeded and closed the pipe. Everything the child does is async-signal-safe; every
 * string it needs was prepared before the fork.
 */
#include "common/base/child.h"
#include "common/base/clock.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/sandbox/root.h"
#include "common/sandbox/sandbox.h"
#include "common/sandbox/seccomp.h"

#define MAX_FDS 32
#define DEFAULT_TIMEOUT_MS 10000

enum spawn_step {
	STEP_SIGNALS = 1,
	STEP_UNSHARE,
	STEP_HOSTNAME,
	STEP_ROOT,
	STEP_FDS,
	STEP_MEMLOCK,
	STEP_NICE,
	STEP_NOFILE,
	STEP_OOM,
	STEP_USER,
	STEP_CHECK_USER,
	STEP_PARENT,
	STEP_NO_NEW_PRIVS,
	STEP_DUMPABLE,
	STEP_SECCOMP,
	STEP_EXEC,
};

struct spawn_report {
	int step;
	int error;  /* positive errno */
	int detail; /* the namespace flag, or the root's stage */
	int entry;  /* the root's entry, or -1 */
};

/* What the child needs, all of it ready before the fork. */
struct spawn_plan {
	const struct nook_spawn_cfg *cfg;
	char exe[PATH_MAX]; /* cfg->exe, absolute */
	struct nook_sandbox_root root;
	int fds[3 + MAX_FDS];
	unsigned int n_fds;
	int report_fd;
	pid_t parent;
	uid_t uid;
	gid_t gid;
	char *const *envp;
};

static _Noreturn void child_fail(int fd, int step, int r, int detail, int entry)
{
	struct spawn_report rep = { .step = step, .error = -r, .detail = detail, .entry = entry };

	/* A short write cannot happen on a pipe for so few bytes; nothing to do if it fails. */
	if (write(fd, &rep, sizeof(rep)) < 0)
		_exit(127);
	_exit(127);
}

/* From namespaces to the exec; returns only on failure, as child_fail() reports. */
static _Noreturn void child_run(struct spawn_plan *p)
{
	const struct nook_spawn_cfg *cfg = p->cfg;
	int r, detail = 0, entry = -1;

	if ((r = nook_sandbox_reset_signals()) < 0)
		child_fail(p->report_fd, STEP_SIGNALS, r, 0, -1);
	setsid(); /* its own session: no controlling terminal, no signals meant for nookd's */
	/* While nookd's /proc is still its view: the sandbox's root has none. */
	if (cfg->oom_first && (r = nook_sandbox_oom_first()) < 0)
		child_fail(p->report_fd, STEP_OOM, r, 0, -1);
	if ((r = nook_sandbox_unshare(&detail)) < 0)
		child_fail(p->report_fd, STEP_UNSHARE, r, detail, -1);
	if (cfg->hostname && (r = nook_sandbox_set_hostname(cfg->hostname)) < 0)
		child_fail(p->report_fd, STEP_HOSTNAME, r, 0, -1);
	if ((r = nook_sandbox_root_enter(&p->root, &detail, &entry)) < 0)
		child_fail(p->report_fd, STEP_ROOT, r, detail, entry);
	if ((r = nook_sandbox_place_fds(p->fds, p->n_fds, &p->report_fd, 1)) < 0)
		child_fail(p->report_fd, STEP_FDS, r, 0, -1);
	if ((r = nook_sandbox_set_memlock(cfg->memlock)) < 0)
		child_fail(p->report_fd, STEP_MEMLOCK, r, 0, -1);
	if (cfg->nice && setpriority(PRIO_PROCESS, 0, cfg->nice) < 0)
		child_fail(p->report_fd, STEP_NICE, -errno, 0, -1);
	if ((r = nook_sandbox_set_nofile(cfg->nofile)) < 0)
		child_fail(p->report_fd, STEP_NOFILE, r, 0, -1);
	if ((r = nook_sandbox_drop_user(p->uid, p->gid)) < 0)
		child_fail(p->report_fd, STEP_USER, r, 0, -1);
	if ((r = nook_sandbox_check_user(p->uid, p->gid)) < 0)
		child_fail(p->report_fd, STEP_CHECK_USER, r, 0, -1);
	/* After the last credential change: changing them clears the parent-death signal. */
	if (!p->cfg->outlive_parent && (r = nook_sandbox_die_with_parent(p->parent)) < 0)
		child_fail(p->report_fd, STEP_PARENT, r, 0, -1);
	if ((r = nook_sandbox_no_new_privs()) < 0)
		child_fail(p->report_fd, STEP_NO_NEW_PRIVS, r, 0, -1);
	if ((r = nook_sandbox_set_dumpable()) < 0)
		child_fail(p->report_fd, STEP_DUMPABLE, r, 0, -1);
	if ((r = nook_sandbox_seccomp_startup()) < 0)
		child_fail(p->report_fd, STEP_SECCOMP, r, 0, -1);
	execve(p->root.exe_path, cfg->argv, p->envp);
	child_fail(p->report_fd, STEP_EXEC, -errno, 0, -1);
}

static const char *hint_for(int step, int error)
{
	if (error == EPERM && (step == STEP_UNSHARE || step == STEP_ROOT))
		return " (nookd needs CAP_SYS_ADMIN)";
	if (error == EPERM && step == STEP_HOSTNAME)
		return " (nookd needs CAP_SYS_ADMIN, and systemd's ProtectHostname= forbids it)";
	if (error == ENOSPC && step == STEP_UNSHARE)
		return " (a limit in /proc/sys/user/ on namespaces is reached)";
	if (error == EINVAL && step == STEP_UNSHARE)
		return " (the kernel lacks this namespace)";
	if (error == EPERM && step == STEP_MEMLOCK)
		return " (nookd needs CAP_SYS_RESOURCE)";
	if ((error == EACCES || error == EPERM) && step == STEP_NICE)
		return " (nookd needs CAP_SYS_NICE)";
	if (error == EPERM && step == STEP_USER)
		return " (nookd needs CAP_SETUID and CAP_SETGID)";
	if (error == EACCES && step == STEP_EXEC)
		return " (the driver user must be allowed to read and execute it)";
	if (error == ENOENT && step == STEP_EXEC)
		return " (its dynamic loader is missing from the sandbox's root)";
	if (error == EINVAL && step == STEP_SECCOMP)
		return " (the kernel lacks seccomp filters)";
	return "";
}

static int format_root(const struct spawn_plan *p, const struct spawn_report *rep, char *buf,
		       size_t len)
{
	const struct nook_sandbox_root_entry *e = rep->entry >= 0 && rep->entry < (int)p->root.n ?
							  &p->root.entries[rep->entry] :
							  NULL;
	const char *src = e ? e->src : "?";

	switch (rep->detail) {
	case NOOK_SANDBOX_ROOT_PRIVATE:
		return snprintf(buf, len, "cannot make its mounts private");
	case NOOK_SANDBOX_ROOT_TMPFS:
		return snprintf(buf, len, "cannot mount a tmpfs over %s for its root",
				p->root.base);
	case NOOK_SANDBOX_ROOT_MKPOINT:
		return snprintf(buf, len, "cannot create /%s in its root", e ? e->dst : "?");
	case NOOK_SANDBOX_ROOT_BIND:
		if (rep->error == ESTALE)
			return snprintf(buf, len, "%.300s was replaced while it started; try again",
					src);
		return snprintf(buf, len, "cannot bind-mount %.300s into its root", src);
	case NOOK_SANDBOX_ROOT_READONLY:
		return e ? snprintf(buf, len, "cannot make /%s read-only in its root", e->dst) :
			   snprintf(buf, len, "cannot make its root read-only");
	default:
		return snprintf(buf, len, "cannot pivot into its root");
	}
}

static void format_step(const struct spawn_plan *p, const struct spawn_report *rep, char *buf,
			size_t len)
{
	const struct nook_spawn_cfg *cfg = p->cfg;

	switch (rep->step) {
	case STEP_SIGNALS:
		snprintf(buf, len, "cannot reset its signals");
		break;
	case STEP_UNSHARE:
		snprintf(buf, len, "cannot enter a new %s namespace",
			 nook_sandbox_namespace_name(rep->detail));
		break;
	case STEP_HOSTNAME:
		snprintf(buf, len, "cannot set its host name");
		break;
	case STEP_ROOT:
		format_root(p, rep, buf, len);
		break;
	case STEP_FDS:
		snprintf(buf, len, "cannot pass it its file descriptors");
		break;
	case STEP_MEMLOCK:
		snprintf(buf, len, "cannot set its RLIMIT_MEMLOCK to %llu bytes",
			 (unsigned long long)cfg->memlock);
		break;
	case STEP_NICE:
		snprintf(buf, len, "cannot set its nice value to %d", cfg->nice);
		break;
	case STEP_NOFILE:
		snprintf(buf, len, "cannot set its RLIMIT_NOFILE to %u", cfg->nofile);
		break;
	case STEP_OOM:
		snprintf(buf, len, "cannot raise its oom_score_adj to 1000");
		break;
	case STEP_USER:
		snprintf(buf, len,
			 rep->error == EINVAL ?
				 "cannot run it as uid %u gid %u: a driver never runs as root" :
				 "cannot drop to uid %u gid %u",
			 (unsigned int)p->uid, (unsigned int)p->gid);
		break;
	case STEP_CHECK_USER:
		snprintf(buf, len,
			 "after dropping to uid %u gid %u it could still regain "
			 "privileges",
			 (unsigned int)p->uid, (unsigned int)p->gid);
		break;
	case STEP_PARENT:
		snprintf(buf, len, "cannot tie its life to nookd's");
		break;
	case STEP_NO_NEW_PRIVS:
		snprintf(buf, len, "cannot set no_new_privs");
		break;
	case STEP_DUMPABLE:
		snprintf(buf, len, "cannot make it dumpable");
		break;
	case STEP_SECCOMP:
		snprintf(buf, len, "cannot install its seccomp filter");
		break;
	case STEP_EXEC:
		snprintf(buf, len, "cannot execute %.300s as uid %u", p->exe, (unsigned int)p->uid);
		break;
	default:
		snprintf(buf, len, "step %d failed", rep->step);
		break;
	}
}

static int report_error(const struct spawn_plan *p, const struct spawn_report *rep,
			struct nook_err *err)
{
	const char *prog = strrchr(p->cfg->exe, '/');
	char what[384];

	format_step(p, rep, what, sizeof(what));
	/* For these the errno says nothing more than the sentence. */
	if ((rep->step == STEP_USER && rep->error == EINVAL) || rep->step == STEP_CHECK_USER ||
	    (rep->step == STEP_ROOT && rep->error == ESTALE))
		return nook_err_set(err, -(rep->error ? rep->error : EPERM),
				    "%s: cannot start %s: %s", p->cfg->name,
				    prog ? prog + 1 : p->cfg->exe, what);
	return nook_err_set(err, -(rep->error ? rep->error : EIO), "%s: cannot start %s: %s: %s%s",
			    p->cfg->name, prog ? prog + 1 : p->cfg->exe, what, strerror(rep->error),
			    hint_for(rep->step, rep->error));
}

/*
 * Reap a child that failed or was killed; it exits right after reporting. One that SIGKILL
 * does not end within a second (stuck in the kernel) is left for nookd's SIGCHLD handling
 * to reap, rather than stopping nookd with it.
 */
static void reap(pid_t pid)
{
	nook_child_end(pid, 1000, 1000, NULL);
}

/*
 * Wait for the child's report or for its exec to close the pipe: 1 if it reported
 * (@rep filled), 0 if it exec'd, -ETIMEDOUT.
 */
static int wait_report(int fd, unsigned int timeout_ms, struct spawn_report *rep)
{
	int64_t deadline = nook_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - nook_now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		n = read(fd, rep, sizeof(*rep));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return n == (ssize_t)sizeof(*rep) ? 1 : n == 0 ? 0 : -EIO;
	}
}

static int check_cfg(const struct nook_spawn_cfg *cfg, struct nook_err *err)
{
	const char *name = cfg->name ? cfg->name : "driver";

	if (!cfg->name || !cfg->exe || !cfg->argv || !cfg->argv[0])
		return nook_err_set(err, -EINVAL,
				    "%s: cannot start a driver without a program "
				    "and its arguments",
				    name);
	if (cfg->n_fds > MAX_FDS || (cfg->n_fds && !cfg->fds))
		return nook_err_set(err, -EINVAL, "%s: cannot pass a driver more than %d fds", name,
				    MAX_FDS);
	return 0;
}

/* The driver program (its absolute path, for the child binds it into the root) and the root. */
static int plan_program(struct spawn_plan *p, struct nook_err *err)
{
	const struct nook_spawn_cfg *cfg = p->cfg;
	struct stat st;

	if (!realpath(cfg->exe, p->exe))
		return nook_err_set(err, -errno, "%s: cannot start %s: %s", cfg->name, cfg->exe,
				    strerror(errno));
	if (stat(p->exe, &st) < 0 || !S_ISREG(st.st_mode))
		return nook_err_set(err, -EACCES, "%s: cannot start %s: not a regular file",
				    cfg->name, cfg->exe);
	return nook_sandbox_root_plan(&p->root, p->exe, err);
}

/* stdin is /dev/null; stdout and stderr nookd's own unless given; then cfg->fds from 3. */
static void plan_fds(struct spawn_plan *p, int devnull)
{
	const struct nook_spawn_cfg *cfg = p->cfg;

	p->fds[0] = devnull;
	p->fds[1] = cfg->stdout_fd > 0 ? cfg->stdout_fd : STDOUT_FILENO;
	p->fds[2] = cfg->stderr_fd > 0 ? cfg->stderr_fd : STDERR_FILENO;
	for (unsigned int i = 0; i < cfg->n_fds; i++)
		p->fds[3 + i] = cfg->fds[i];
	p->n_fds = 3 + cfg->n_fds;
}

/* Fork with every signal blocked, so that none of nookd's handlers runs in the child. */
static pid_t fork_child(struct spawn_plan *p)
{
	sigset_t all, old;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0)
		child_run(p);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

static int await_child(struct spawn_plan *p, pid_t pid, int rfd, struct nook_err *err)
{
	const struct nook_spawn_cfg *cfg = p->cfg;
	unsigned int timeout = cfg->timeout_ms ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;
	struct spawn_report rep;
	int r = wait_report(rfd, timeout, &rep);

	if (r == 0)
		return 0;
	if (r < 0)
		kill(pid, SIGKILL);
	reap(pid);
	if (r == -ETIMEDOUT)
		return nook_err_set(err, r,
				    "%s: cannot start %s: it did not reach exec within "
				    "%u ms and was killed",
				    cfg->name, cfg->exe, timeout);
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot start %s: its start-up report was lost: %s",
				    cfg->name, cfg->exe, strerror(-r));
	return report_error(p, &rep, err);
}

int nook_spawn_driver(const struct nook_spawn_cfg *cfg, pid_t *ret_pid, struct nook_err *err)
{
	static char *const default_env[] = NOOK_SPAWN_ENV;
	struct spawn_plan *p;
	int devnull = -1, pipefd[2] = { -1, -1 }, r;
	pid_t pid;

	r = check_cfg(cfg, err);
	if (r < 0)
		return r;
	p = calloc(1, sizeof(*p));
	if (!p)
		return nook_err_set(err, -ENOMEM, "%s: cannot start a driver: out of memory",
				    cfg->name);
	p->cfg = cfg;
	p->parent = getpid();
	p->envp = cfg->envp ? cfg->envp : default_env;
	nook_sandbox_default_user(&p->uid, &p->gid);
	if (cfg->uid != NOOK_SPAWN_DEFAULT_ID)
		p->uid = cfg->uid;
	if (cfg->gid != (gid_t)NOOK_SPAWN_DEFAULT_ID)
		p->gid = cfg->gid;
	r = plan_program(p, err);
	if (r < 0)
		goto out;
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		r = nook_err_set(err, -errno, "%s: cannot start %s: %s", cfg->name, cfg->exe,
				 strerror(errno));
		goto out;
	}
	plan_fds(p, devnull);
	p->report_fd = pipefd[1];
	pid = fork_child(p);
	if (pid < 0) {
		r = nook_err_set(err, -errno, "%s: cannot start %s: fork: %s", cfg->name, cfg->exe,
				 strerror(errno));
		goto out;
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	r = await_child(p, pid, pipefd[0], err);
	if (r == 0)
		*ret_pid = pid;
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (devnull >= 0)
		close(devnull);
	free(p);
	return r;
}
