/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_PRINTK_H
#define NOOK_LINUX_PRINTK_H

#include <stdarg.h>
#include <linux/compiler_types.h>

/* printk: to the driver process's log (stderr, or nookd), with Linux's format extensions. */
int nook_printk(const char *fmt, ...) __printf(1, 2);
int nook_vprintk(const char *fmt, va_list ap);
#define printk nook_printk
#define vprintk nook_vprintk

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning pr_warn
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) nook_printk_debug(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
/* The *_once forms print the first time their call site is reached, as in Linux. */
#define nook_once(call)                     \
	({                                  \
		static bool __nook_done;    \
		if (!__nook_done) {         \
			__nook_done = true; \
			call;               \
		}                           \
	})
#define printk_once(fmt, ...) nook_once(printk(fmt, ##__VA_ARGS__))
#define pr_err_once(fmt, ...) nook_once(pr_err(fmt, ##__VA_ARGS__))
#define pr_warn_once(fmt, ...) nook_once(pr_warn(fmt, ##__VA_ARGS__))
#define pr_info_once(fmt, ...) nook_once(pr_info(fmt, ##__VA_ARGS__))
#define pr_err_ratelimited pr_err
#define pr_warn_ratelimited pr_warn
#define printk_ratelimit() 1

/* Debug messages print only when the driver program runs with --debug. */
extern int nook_debug;
#define nook_printk_debug(fmt, ...)                 \
	({                                          \
		if (nook_debug)                     \
			printk(fmt, ##__VA_ARGS__); \
		0;                                  \
	})

enum { DUMP_PREFIX_NONE, DUMP_PREFIX_ADDRESS, DUMP_PREFIX_OFFSET };
void print_hex_dump(const char *level, const char *prefix_str, int prefix_type, int rowsize,
		    int groupsize, const void *buf, size_t len, bool ascii);

#endif
