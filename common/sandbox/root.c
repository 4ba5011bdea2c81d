// SPDX-License-Identifier: GPL-2.0-only
/* The read-only root of a driver process (see root.h). */
#include "root.h"
#include "common/base/dirs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The host's top-level entries the loader may go through, as symlinks or directories. */
static const char *const loader_paths[] = { "usr", "bin", "lib", "lib64" };

/* Bind mounts get these; the tmpfs too. No device nodes, no set-id programs, nothing to write. */
#define RO_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV)

static int add_entry(struct nook_sandbox_root *root, enum nook_sandbox_root_kind kind,
		     const char *src, const char *dst)
{
	struct nook_sandbox_root_entry *e;

	if (root->n >= NOOK_SANDBOX_ROOT_MAX)
		return -E2BIG;
	e = &root->entries[root->n];
	e->kind = kind;
	if (snprintf(e->src, sizeof(e->src), "%s", src) >= (int)sizeof(e->src) ||
	    snprintf(e->dst, sizeof(e->dst), "%s", dst) >= (int)sizeof(e->dst))
		return -ENAMETOOLONG;
	if (kind == NOOK_SANDBOX_ROOT_SYMLINK) {
		ssize_t n = readlink(src, e->link, sizeof(e->link) - 1);

		if (n < 0)
			return -errno;
		if ((size_t)n >= sizeof(e->link) - 1)
			return -ENAMETOOLONG;
		e->link[n] = '\0';
	}
	root->n++;
	return 0;
}

static int plan_loader(struct nook_sandbox_root *root, struct nook_err *err)
{
	struct stat st;
	int r;

	for (unsigned int i = 0; i < sizeof(loader_paths) / sizeof(loader_paths[0]); i++) {
		char src[64];

		snprintf(src, sizeof(src), "/%s", loader_paths[i]);
		if (lstat(src, &st) < 0) {
			if (errno == ENOENT && i > 0)
				continue;
			return nook_err_set(err, -errno, "the driver's root needs %s: %s", src,
					    strerror(errno));
		}
		r = add_entry(root,
			      S_ISLNK(st.st_mode) ? NOOK_SANDBOX_ROOT_SYMLINK :
						    NOOK_SANDBOX_ROOT_DIR,
			      src, loader_paths[i]);
		if (r < 0)
			return nook_err_set(err, r, "the driver's root: %s: %s", src, strerror(-r));
	}
	/* Without its cache the loader still searches the default directories. */
	if (stat("/etc/ld.so.cache", &st) == 0 && S_ISREG(st.st_mode)) {
		r = add_entry(root, NOOK_SANDBOX_ROOT_FILE, "/etc/ld.so.cache", "etc/ld.so.cache");
		if (r < 0)
			return nook_err_set(err, r, "the driver's root: %s", strerror(-r));
	}
	return 0;
}

int nook_sandbox_root_plan(struct nook_sandbox_root *root, const char *exe, struct nook_err *err)
{
	static const char *const bases[] = { "/tmp", "/mnt", "/run" };
	const char *name = strrchr(exe, '/');
	char dst[NAME_MAX + 8];
	struct stat st;
	int r;

	memset(root, 0, sizeof(*root));
	for (unsigned int i = 0; i < sizeof(bases) / sizeof(bases[0]) && !root->base[0]; i++)
		if (stat(bases[i], &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(root->base, sizeof(root->base), "%s", bases[i]);
	if (!root->base[0])
		return nook_err_set(err, -ENOENT,
				    "the driver's root is built over /tmp, /mnt or "
				    "/run, and none of them is a directory");
	r = plan_loader(root, err);
	if (r < 0)
		return r;
	if (exe[0] != '/' || !name[1] || strlen(name + 1) > NAME_MAX)
		return nook_err_set(err, -EINVAL, "'%s' is not an absolute path to a program", exe);
	snprintf(dst, sizeof(dst), "%s/%s", NOOK_SANDBOX_EXE_DIR + 1, name + 1);
	snprintf(root->exe_path, sizeof(root->exe_path), "/%s", dst);
	if (stat(exe, &st) < 0)
		return nook_err_set(err, -errno, "%s: %s", exe, strerror(errno));
	r = add_entry(root, NOOK_SANDBOX_ROOT_FILE, exe, dst);
	if (r < 0)
		return nook_err_set(err, r, "the driver's root: %s: %s", exe, strerror(-r));
	root->entries[root->n - 1].dev = st.st_dev;
	root->entries[root->n - 1].ino = st.st_ino;
	return 0;
}

static int make_point(const struct nook_sandbox_root_entry *e)
{
	/* an entry's path is a name or two below the new root, relative to the cwd */
	int r = strlen(e->dst) >= NAME_MAX + 8 ? -ENAMETOOLONG : nook_make_parents(e->dst), fd;

	if (r < 0)
		return r;
	switch (e->kind) {
	case NOOK_SANDBOX_ROOT_DIR:
		return mkdir(e->dst, 0755) < 0 ? -errno : 0;
	case NOOK_SANDBOX_ROOT_SYMLINK:
		return symlink(e->link, e->dst) < 0 ? -errno : 0;
	case NOOK_SANDBOX_ROOT_FILE:
		fd = open(e->dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
		return 0;
	}
	return -EINVAL;
}

/*
 * Detached copies of what is bound into the root, taken before the tmpfs goes up: a
 * source under the directory it covers stays reachable.
 */
static int clone_sources(const struct nook_sandbox_root *root, int *trees, int *ret_entry)
{
	for (unsigned int i = 0; i < root->n; i++) {
		if (root->entries[i].kind == NOOK_SANDBOX_ROOT_SYMLINK)
			continue;
		*ret_entry = (int)i;
		trees[i] = (int)syscall(SYS_open_tree, AT_FDCWD, root->entries[i].src,
					OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (trees[i] < 0)
			return -errno;
		if (root->entries[i].ino) {
			struct stat st;

			if (fstat(trees[i], &st) < 0)
				return -errno;
			if (st.st_dev != root->entries[i].dev || st.st_ino != root->entries[i].ino)
				return -ESTALE;
		}
	}
	*ret_entry = -1;
	return 0;
}

/* Attach a clone at its mount point; a bind mount is made read-only by a remount. */
static int attach_read_only(const struct nook_sandbox_root_entry *e, int tree, int *ret_stage)
{
	*ret_stage = NOOK_SANDBOX_ROOT_BIND;
	if (syscall(SYS_move_mount, tree, "", AT_FDCWD, e->dst, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return -errno;
	*ret_stage = NOOK_SANDBOX_ROOT_READONLY;
	if (mount(NULL, e->dst, NULL, MS_REMOUNT | MS_BIND | RO_FLAGS, NULL) < 0)
		return -errno;
	return 0;
}

static int populate(const struct nook_sandbox_root *root, const int *trees, int *ret_stage,
		    int *ret_entry)
{
	int r;

	for (unsigned int i = 0; i < root->n; i++) {
		const struct nook_sandbox_root_entry *e = &root->entries[i];

		*ret_entry = (int)i;
		*ret_stage = NOOK_SANDBOX_ROOT_MKPOINT;
		r = make_point(e);
		if (r < 0)
			return r;
		if (e->kind != NOOK_SANDBOX_ROOT_SYMLINK) {
			r = attach_read_only(e, trees[i], ret_stage);
			if (r < 0)
				return r;
		}
	}
	*ret_entry = -1;
	return 0;
}

static void close_trees(const int *trees, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (trees[i] >= 0)
			close(trees[i]);
}

/* The tmpfs over root->base, filled, made read-only; the cwd is left at its top. */
static int build(const struct nook_sandbox_root *root, int *ret_stage, int *ret_entry)
{
	int trees[NOOK_SANDBOX_ROOT_MAX], r;

	for (unsigned int i = 0; i < NOOK_SANDBOX_ROOT_MAX; i++)
		trees[i] = -1;
	*ret_stage = NOOK_SANDBOX_ROOT_BIND;
	r = clone_sources(root, trees, ret_entry);
	if (r < 0)
		goto out;
	*ret_stage = NOOK_SANDBOX_ROOT_TMPFS;
	if (mount("nook-driver", root->base, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") < 0 ||
	    chdir(root->base) < 0) {
		r = -errno;
		goto out;
	}
	r = populate(root, trees, ret_stage, ret_entry);
	if (r < 0)
		goto out;
	*ret_stage = NOOK_SANDBOX_ROOT_READONLY;
	if (mount(NULL, ".", NULL, MS_REMOUNT | RO_FLAGS | MS_NOEXEC, NULL) < 0)
		r = -errno;
out:
	close_trees(trees, root->n);
	return r;
}

int nook_sandbox_root_enter(const struct nook_sandbox_root *root, int *ret_stage, int *ret_entry)
{
	int r;

	*ret_entry = -1;
	/*
	 * The modes given below are meant whatever umask nookd runs with (its unit's is 0077):
	 * the driver's user must reach what its root holds. Only this child's umask changes.
	 */
	umask(022);
	/* Nothing done here may propagate back to the host's mounts. */
	*ret_stage = NOOK_SANDBOX_ROOT_PRIVATE;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	r = build(root, ret_stage, ret_entry);
	if (r < 0)
		return r;
	/*
	 * pivot_root(".", ".") stacks the old root on top of the new one; detaching the top
	 * of the stack leaves the new root alone, with no directory needed for the old.
	 */
	*ret_stage = NOOK_SANDBOX_ROOT_PIVOT;
	if (syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return -errno;
	return 0;
}
