/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BUG() and friends fail-stop the driver process: a driver that finds its own state broken
 * is restarted by nookd rather than trusted to go on. WARN() logs and goes on, as in Linux.
 */
#ifndef NOOK_LINUX_BUG_H
#define NOOK_LINUX_BUG_H

#include <linux/compiler.h>

void nook_bug(const char *file, int line, const char *what) __attribute__((noreturn));
void nook_warn(const char *file, int line, const char *what);

#define BUG() nook_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond)                                                       \
	do {                                                               \
		if (unlikely(cond))                                        \
			nook_bug(__FILE__, __LINE__, "BUG_ON(" #cond ")"); \
	} while (0)
#define WARN_ON(cond)                                                        \
	({                                                                   \
		int __c = !!(cond);                                          \
		if (unlikely(__c))                                           \
			nook_warn(__FILE__, __LINE__, "WARN_ON(" #cond ")"); \
		unlikely(__c);                                               \
	})
#define WARN_ON_ONCE(cond)                                                        \
	({                                                                        \
		static bool __w;                                                  \
		int __c = !!(cond);                                               \
		if (unlikely(__c) && !__w) {                                      \
			__w = true;                                               \
			nook_warn(__FILE__, __LINE__, "WARN_ON_ONCE(" #cond ")"); \
		}                                                                 \
		unlikely(__c);                                                    \
	})
#define WARN(cond, fmt...)                                                \
	({                                                                \
		int __c = !!(cond);                                       \
		if (unlikely(__c)) {                                      \
			printk(KERN_WARNING fmt);                         \
			nook_warn(__FILE__, __LINE__, "WARN(" #cond ")"); \
		}                                                         \
		unlikely(__c);                                            \
	})
#define WARN_ONCE(cond, fmt...) WARN(cond, fmt)
#define BUILD_BUG() BUILD_BUG_ON(1)

#endif
