/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The file system a driver process sees: a fresh tmpfs, read-only, holding only what the
 * dynamic loader needs, bind-mounted read-only from the host (/usr, the /bin, /lib and
 * /lib64 symlinks or directories as the host has them, /etc/ld.so.cache), and the driver
 * program at /nook/NAME. No /dev, /proc, /sys, /tmp or /home; nothing writable.
 *
 * nookd plans the root before it forks (reading the host's layout); the child, in its own
 * mount namespace, builds it and pivots into it, and the old root is detached.
 */
#ifndef NOOK_COMMON_SANDBOX_ROOT_H
#define NOOK_COMMON_SANDBOX_ROOT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/base/err.h"

/* Where the driver program appears in its root: NOOK_SANDBOX_EXE_DIR/NAME. */
#define NOOK_SANDBOX_EXE_DIR "/nook"

#define NOOK_SANDBOX_ROOT_MAX 8

enum nook_sandbox_root_kind {
	NOOK_SANDBOX_ROOT_DIR,	   /* a directory, bind-mounted read-only */
	NOOK_SANDBOX_ROOT_FILE,	   /* a file, bind-mounted read-only */
	NOOK_SANDBOX_ROOT_SYMLINK, /* a symlink, made anew with the host's target */
};

struct nook_sandbox_root_entry {
	enum nook_sandbox_root_kind kind;
	char src[PATH_MAX];	/* the host's path */
	char dst[NAME_MAX + 8]; /* the path in the new root, without the leading '/' */
	char link[256];		/* a symlink's target */
	/* When set, the file the child binds must still be this one (the driver program). */
	dev_t dev;
	ino_t ino;
};

struct nook_sandbox_root {
	char base[16]; /* a host directory the new root is mounted over before the pivot */
	struct nook_sandbox_root_entry entries[NOOK_SANDBOX_ROOT_MAX];
	unsigned int n;
	char exe_path[NAME_MAX + 16]; /* the driver program's path inside the new root */
};

/* Where building the root failed, for the message. */
enum nook_sandbox_root_stage {
	NOOK_SANDBOX_ROOT_PRIVATE,  /* making every mount private */
	NOOK_SANDBOX_ROOT_TMPFS,    /* mounting the tmpfs */
	NOOK_SANDBOX_ROOT_MKPOINT,  /* creating a mount point or symlink (entry) */
	NOOK_SANDBOX_ROOT_BIND,	    /* bind-mounting (entry) */
	NOOK_SANDBOX_ROOT_READONLY, /* making a bind mount (entry) or the root read-only */
	NOOK_SANDBOX_ROOT_PIVOT,    /* pivot_root and detaching the old root */
};

/*
 * Plan the root for the driver program at @exe (an absolute path without symlinks, for the
 * child binds it after it changed directory); its basename becomes its process name. Not
 * for a forked child.
 */
int nook_sandbox_root_plan(struct nook_sandbox_root *root, const char *exe, struct nook_err *err);

/*
 * In a new mount namespace: build the root and pivot into it. On failure @ret_stage and
 * @ret_entry (an index into root->entries, or -1) say where; -ESTALE if the driver program
 * was replaced since it was planned. Async-signal-safe.
 */
int nook_sandbox_root_enter(const struct nook_sandbox_root *root, int *ret_stage, int *ret_entry);

#endif
