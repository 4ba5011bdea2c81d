/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_ERRNO_H
#define NOOK_LINUX_ERRNO_H
/* EPERM ... : the system's UAPI values. */
#include <asm-generic/errno.h>
/* Kernel-internal codes, never seen by user space. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ENOTSUPP 524
#define EPROBE_DEFER 517
#endif
