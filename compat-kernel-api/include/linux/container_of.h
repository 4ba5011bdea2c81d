/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_CONTAINER_OF_H
#define NOOK_LINUX_CONTAINER_OF_H
#include <stddef.h>
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#endif
