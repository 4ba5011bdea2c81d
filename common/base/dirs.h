/* SPDX-License-Identifier: GPL-2.0-only */
/* Directories made as needed, as mkdir -p does. */
#ifndef NOOK_COMMON_DIRS_H
#define NOOK_COMMON_DIRS_H

/*
 * Make each directory above @path's last component that is not there yet (mode 0755): for
 * "/run/nook/sound/X", /run, /run/nook and /run/nook/sound. A relative @path is taken from
 * the working directory. 0, or a negative errno (-ENAMETOOLONG beyond PATH_MAX).
 */
int nook_make_parents(const char *path);

#endif
