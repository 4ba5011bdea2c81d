// SPDX-License-Identifier: GPL-2.0-only
/* Driver programs and their ID tables (see drivers.h). */
#include "common/base/child.h"
#include "common/base/clock.h"
#include "common/sandbox/sandbox.h"
#include "common/sandbox/seccomp.h"
#include "drivers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIST_IDS_TIMEOUT_MS 5000
#define LIST_IDS_MAX_OUTPUT (64 * 1024)

/* One hex field of at most @digits digits, or '*'. */
static int parse_field(const char **s, unsigned int digits, uint32_t *ret)
{
	const char *p = *s;
	uint32_t v = 0;
	unsigned int n = 0;

	if (*p == '*') {
		*ret = NOOK_PCI_ANY;
		*s = p + 1;
		return 0;
	}
	for (; n < digits; n++, p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		v = v << 4 | (uint32_t)d;
	}
	if (n == 0)
		return -EBADMSG;
	*ret = v;
	*s = p;
	return 0;
}

static int expect(const char **s, char c)
{
	if (**s != c)
		return -EBADMSG;
	(*s)++;
	return 0;
}

static int parse_line(const char *s, struct nook_driver_id *id)
{
	if (parse_field(&s, 4, &id->vendor) || expect(&s, ':') || parse_field(&s, 4, &id->device) ||
	    expect(&s, ' ') || parse_field(&s, 4, &id->subvendor) || expect(&s, ':') ||
	    parse_field(&s, 4, &id->subdevice) || expect(&s, ' ') ||
	    parse_field(&s, 6, &id->class) || expect(&s, '/') ||
	    parse_field(&s, 6, &id->class_mask) || *s != '\0')
		return -EBADMSG;
	if (id->class == NOOK_PCI_ANY || id->class_mask == NOOK_PCI_ANY)
		return -EBADMSG;
	return 0;
}

int nook_driver_ids_parse(const char *text, struct nook_driver_id **ret_ids, size_t *ret_n,
			  struct nook_err *err)
{
	struct nook_driver_id *ids = NULL;
	size_t n = 0, lineno = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[128];
		struct nook_driver_id *nids;

		lineno++;
		if (len >= sizeof(line)) {
			free(ids);
			return nook_err_set(err, -EBADMSG, "line %zu: too long", lineno);
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		if (!len)
			continue;
		nids = realloc(ids, (n + 1) * sizeof(*ids));
		if (!nids) {
			free(ids);
			return nook_err_set(err, -ENOMEM, "out of memory");
		}
		ids = nids;
		if (parse_line(line, &ids[n]) < 0) {
			free(ids);
			return nook_err_set(err, -EBADMSG,
					    "line %zu: '%s' is not "
					    "'VVVV:DDDD SSSS:ssss CLASS/MASK'",
					    lineno, line);
		}
		n++;
	}
	*ret_ids = ids;
	*ret_n = n;
	return 0;
}

bool nook_driver_id_match(const struct nook_driver_id *id, const struct nook_pci_info *dev)
{
	return (id->vendor == NOOK_PCI_ANY || id->vendor == dev->vendor) &&
	       (id->device == NOOK_PCI_ANY || id->device == dev->device) &&
	       (id->subvendor == NOOK_PCI_ANY || id->subvendor == dev->subvendor) &&
	       (id->subdevice == NOOK_PCI_ANY || id->subdevice == dev->subdevice) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

char *nook_driver_id_format(const struct nook_driver_id *id, char *buf, size_t len)
{
	char f[4][8];
	const uint32_t v[4] = { id->vendor, id->device, id->subvendor, id->subdevice };

	for (int i = 0; i < 4; i++)
		snprintf(f[i], sizeof(f[i]), v[i] == NOOK_PCI_ANY ? "*" : "%04x", v[i]);
	snprintf(buf, len, "%s:%s %s:%s %06x/%06x", f[0], f[1], f[2], f[3], id->class,
		 id->class_mask);
	return buf;
}

/* Read the child's stdout until EOF, the size cap or the deadline. */
static int read_bounded(int fd, char *buf, size_t cap, long long deadline)
{
	size_t len = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - nook_now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap - 1)
			return -EFBIG;
	}
	buf[len] = '\0';
	return 0;
}

/*
 * Root runs only what only root could have put there: the program (@fd, opened from @path)
 * and its directory belong to root and no one else may write to them (sudo's rule for what
 * it runs).
 */
static int check_owner(int fd, const char *path, struct nook_err *err)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	for (int i = 0; i < 2; i++) {
		const char *what = i ? dir : path;
		struct stat st;

		if ((i ? stat(dir, &st) : fstat(fd, &st)) < 0)
			return nook_err_set(err, -errno, "%s: %m", what);
		if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
			return nook_err_set(err, -EPERM,
					    "%s is %s: root runs no program others could have "
					    "changed (chown root, chmod go-w)",
					    what,
					    st.st_uid != 0 ? "not root's" : "writable by others");
	}
	return 0;
}

/*
 * The child that runs `--list-ids`, which runs the driver's module init: never as root. It
 * drops to the driver user (@uid, @gid) without a way back, under the start-up seccomp
 * filter a driver program starts under, and dies with its parent; the program is run from
 * @prog_fd, which root opened (the driver user may not reach its directory). Returns only
 * on failure.
 */
static void list_ids_child(int prog_fd, const char *path, int out_fd, uid_t uid, gid_t gid,
			   pid_t parent)
{
	char *const argv[] = { (char *)path, "--list-ids", NULL };
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(devnull, 2) < 0)
		return;
	if (geteuid() == 0 && nook_sandbox_drop_user(uid, gid) < 0)
		return;
	if (nook_sandbox_die_with_parent(parent) < 0 || nook_sandbox_no_new_privs() < 0 ||
	    nook_sandbox_seccomp_startup() < 0)
		return;
	syscall(SYS_execveat, prog_fd, "", argv, environ, AT_EMPTY_PATH);
}

/* Run `@path --list-ids` and parse what it prints. */
static int list_ids(const char *path, struct nook_driver *drv, struct nook_err *err)
{
	char *out = NULL;
	int pfd[2] = { -1, -1 }, prog_fd, status = 0, r;
	pid_t pid, parent = getpid();
	uid_t uid = 0;
	gid_t gid = 0;

	prog_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (prog_fd < 0)
		return nook_err_set(err, -errno, "cannot open it: %m");
	if (geteuid() == 0) {
		r = check_owner(prog_fd, path, err);
		if (r < 0) {
			close(prog_fd);
			return r;
		}
		nook_sandbox_default_user(&uid, &gid);
	}
	out = malloc(LIST_IDS_MAX_OUTPUT);
	if (!out || pipe2(pfd, O_CLOEXEC) < 0) {
		free(out);
		close(prog_fd);
		return nook_err_set(err, -errno, "cannot run it: %m");
	}
	pid = fork();
	if (pid == 0) {
		list_ids_child(prog_fd, path, pfd[1], uid, gid, parent);
		_exit(127);
	}
	close(prog_fd);
	close(pfd[1]);
	r = pid < 0 ? -errno :
		      read_bounded(pfd[0], out, LIST_IDS_MAX_OUTPUT,
				   nook_now_ms() + LIST_IDS_TIMEOUT_MS);
	close(pfd[0]);
	if (pid > 0) {
		int w;

		if (r < 0)
			kill(pid, SIGKILL);
		/* It closed its output: it should be gone, and may not keep nookd waiting. */
		w = nook_child_end(pid, 1000, 1000, &status);
		if (r == 0 && w < 0)
			r = w;
	}
	if (r < 0)
		nook_err_set(err, r, "--list-ids failed: %s", strerror(-r));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		r = nook_err_set(err, -EIO, "--list-ids did not exit 0");
	else
		r = nook_driver_ids_parse(out, &drv->ids, &drv->n_ids, err);
	free(out);
	return r;
}

static int cmp_driver(const void *a, const void *b)
{
	return strcmp(((const struct nook_driver *)a)->name, ((const struct nook_driver *)b)->name);
}

int nook_driver_load(const char *path, struct nook_driver *ret, struct nook_err *err)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *name = base + strlen(NOOK_DRIVER_PREFIX);
	struct nook_driver drv = { 0 };
	struct stat st;
	int r;

	if (strncmp(base, NOOK_DRIVER_PREFIX, strlen(NOOK_DRIVER_PREFIX)) || !*name ||
	    strlen(name) >= sizeof(drv.name))
		return nook_err_set(err, -EINVAL,
				    "%s is not a nook driver program (their names are "
				    "%sNAME)",
				    path, NOOK_DRIVER_PREFIX);
	if (*path != '/' || strlen(path) >= sizeof(drv.path))
		return nook_err_set(err, -EINVAL,
				    "%s: a driver program is named by its absolute path", path);
	if (stat(path, &st) < 0)
		return nook_err_set(err, -errno, "%s: %m", path);
	if (!S_ISREG(st.st_mode) || access(path, X_OK))
		return nook_err_set(err, -EINVAL, "%s is not an executable file", path);
	strcpy(drv.path, path);
	strcpy(drv.name, name);
	r = list_ids(path, &drv, err);
	if (r < 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		return nook_err_set(err, r, "%s is not a nook driver program that works: %s", path,
				    why);
	}
	*ret = drv;
	return 0;
}

static void discover_dir(const char *dir, struct nook_driver_set *set)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		const char *name = de->d_name + strlen(NOOK_DRIVER_PREFIX);
		struct nook_driver drv = { 0 }, *nd;
		struct nook_err err = { 0 };
		struct stat st;

		if (strncmp(de->d_name, NOOK_DRIVER_PREFIX, strlen(NOOK_DRIVER_PREFIX)) || !*name ||
		    strlen(name) >= sizeof(drv.name) || nook_drivers_find(set, name))
			continue;
		snprintf(drv.path, sizeof(drv.path), "%s/%s", dir, de->d_name);
		if (stat(drv.path, &st) < 0 || !S_ISREG(st.st_mode) || access(drv.path, X_OK))
			continue;
		strcpy(drv.name, name);
		if (list_ids(drv.path, &drv, &err) < 0) {
			fprintf(stderr, "nook: driver program %s left out: %s\n", drv.path,
				err.msg);
			continue;
		}
		nd = realloc(set->drivers, (set->n + 1) * sizeof(*nd));
		if (!nd) {
			free(drv.ids);
			break;
		}
		set->drivers = nd;
		set->drivers[set->n++] = drv;
	}
	if (d)
		closedir(d);
}

int nook_drivers_discover(const char *path, struct nook_driver_set *ret_set)
{
	struct nook_driver_set set = { 0 };
	char *copy = strdup(path ? path : ""), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		discover_dir(dir, &set);
	free(copy);
	if (set.n)
		qsort(set.drivers, set.n, sizeof(*set.drivers), cmp_driver);
	*ret_set = set;
	return 0;
}

void nook_drivers_free(struct nook_driver_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->drivers[i].ids);
	free(set->drivers);
	set->drivers = NULL;
	set->n = 0;
}

const struct nook_driver *nook_drivers_find(const struct nook_driver_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->drivers[i].name, name))
			return &set->drivers[i];
	return NULL;
}

const struct nook_driver *nook_drivers_match(const struct nook_driver_set *set,
					     const struct nook_pci_info *dev)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->drivers[i].n_ids; j++)
			if (nook_driver_id_match(&set->drivers[i].ids[j], dev))
				return &set->drivers[i];
	return NULL;
}
