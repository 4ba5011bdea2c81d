// SPDX-License-Identifier: GPL-2.0-only
/* Confining a driver process (see sandbox.h). */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_PLACED 64

static void sort_fds(int *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Close every fd from @from up except the @n (sorted, all >= @from) in @skip. */
static int close_all_but(unsigned int from, const int *skip, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if ((unsigned int)skip[i] > from &&
		    syscall(SYS_close_range, from, (unsigned int)skip[i] - 1, 0) < 0)
			return -errno;
		from = (unsigned int)skip[i] + 1;
	}
	return syscall(SYS_close_range, from, ~0u, 0) < 0 ? -errno : 0;
}

int nook_sandbox_place_fds(const int *fds, unsigned int n, int *keep, unsigned int n_keep)
{
	int tmp[MAX_PLACED], kept[MAX_PLACED];

	if (n > MAX_PLACED || n_keep > MAX_PLACED)
		return -EINVAL;
	/* Copies above every target first, so that placing one never overwrites another. */
	for (unsigned int i = 0; i < n + n_keep; i++) {
		int fd = i < n ? fds[i] : keep[i - n];
		int copy = fcntl(fd, F_DUPFD_CLOEXEC, (int)n);

		if (copy < 0)
			return -errno;
		if (i < n)
			tmp[i] = copy;
		else
			keep[i - n] = kept[i - n] = copy;
	}
	for (unsigned int i = 0; i < n; i++)
		if (dup3(tmp[i], (int)i, 0) < 0)
			return -errno;
	sort_fds(kept, n_keep);
	return close_all_but(n, kept, n_keep);
}

int nook_sandbox_reset_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL); /* fails harmlessly for glibc's own */
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL) < 0 ? -errno : 0;
}

int nook_sandbox_unshare(int *ret_failed)
{
	static const int flags[] = { CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS };

	for (unsigned int i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (unshare(flags[i]) < 0) {
			*ret_failed = flags[i];
			return -errno;
		}
	return 0;
}

const char *nook_sandbox_namespace_name(int flag)
{
	switch (flag) {
	case CLONE_NEWNS:
		return "mount";
	case CLONE_NEWNET:
		return "network";
	case CLONE_NEWIPC:
		return "IPC";
	case CLONE_NEWUTS:
		return "UTS";
	default:
		return "unknown";
	}
}

int nook_sandbox_set_hostname(const char *name)
{
	return sethostname(name, strlen(name)) < 0 ? -errno : 0;
}

int nook_sandbox_set_memlock(uint64_t bytes)
{
	struct rlimit rl = { .rlim_cur = bytes, .rlim_max = bytes };

	if (!bytes)
		return 0;
	return setrlimit(RLIMIT_MEMLOCK, &rl) < 0 ? -errno : 0;
}

int nook_sandbox_set_nofile(unsigned int n)
{
	struct rlimit rl = { .rlim_cur = n, .rlim_max = n };

	if (!n)
		return 0;
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

int nook_sandbox_oom_first(void)
{
	static const char most[] = "1000";
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, most, sizeof(most) - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : n == (ssize_t)sizeof(most) - 1 ? 0 : -EIO;
}

int nook_sandbox_drop_user(uid_t uid, gid_t gid)
{
	if (uid == 0 || gid == 0 || uid == (uid_t)-1 || gid == (gid_t)-1)
		return -EINVAL;
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	return 0;
}

static bool has_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return true;
	for (unsigned int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective || data[i].permitted || data[i].inheritable)
			return true;
	return false;
}

int nook_sandbox_check_user(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
		return -EPERM;
	if (getgroups(0, NULL) != 0 || has_capabilities())
		return -EPERM;
	/* The real test: asking for root back must fail. */
	if (setuid(0) == 0 || setgid(0) == 0 || errno != EPERM)
		return -EPERM;
	return 0;
}

int nook_sandbox_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return -errno;
	/* The parent may have died before the setting took: then nothing will send it. */
	return getppid() == parent ? 0 : -ESRCH;
}

int nook_sandbox_no_new_privs(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -errno : 0;
}

int nook_sandbox_set_dumpable(void)
{
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0 ? -errno : 0;
}

void nook_sandbox_default_user(uid_t *ret_uid, gid_t *ret_gid)
{
	struct passwd *pw = getpwnam(NOOK_SANDBOX_USER);

	*ret_uid = pw ? pw->pw_uid : NOOK_SANDBOX_FALLBACK_ID;
	*ret_gid = pw ? pw->pw_gid : NOOK_SANDBOX_FALLBACK_ID;
}
