/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * There is no user space behind a driver process's ioctls: their arguments are the
 * process's own memory, copied plainly.
 */
#ifndef NOOK_LINUX_UACCESS_H
#define NOOK_LINUX_UACCESS_H
#include <linux/string.h>
static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, (const void *)from, n);
	return 0;
}
static inline unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy((void *)to, from, n);
	return 0;
}
#define get_user(x, ptr)      \
	({                    \
		(x) = *(ptr); \
		0;            \
	})
#define put_user(x, ptr)      \
	({                    \
		*(ptr) = (x); \
		0;            \
	})
#endif
