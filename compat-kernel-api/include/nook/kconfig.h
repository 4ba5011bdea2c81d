/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel configuration every driver is compiled with: a 64-bit x86 uniprocessor with
 * PCI and networking, as nook's execution model presents it (one thread per driver).
 * Per-driver options are in each driver's meson.build.
 */
#ifndef NOOK_KCONFIG_H
#define NOOK_KCONFIG_H

#define __KERNEL__ 1
#define CONFIG_64BIT 1
#define CONFIG_X86 1
#define CONFIG_X86_64 1
#define CONFIG_PCI 1
#define CONFIG_NET 1
#define CONFIG_INET 1
#define CONFIG_IPV6 1
#define CONFIG_HZ 1000
#define CONFIG_NR_CPUS 1
#define CONFIG_PAGE_OFFSET 0
#define CONFIG_PM 1
#define CONFIG_PM_SLEEP 1

#define IS_ENABLED(option) __nook_is_defined(option)
#define IS_BUILTIN(option) __nook_is_defined(option)
#define IS_MODULE(option) 0
#define IS_REACHABLE(option) __nook_is_defined(option)
/* 1 when @option is defined as 1, else 0 (the preprocessor placeholder trick). */
#define __nook_arg_placeholder_1 0,
#define __nook_is_defined(x) ___nook_is_defined(x)
#define ___nook_is_defined(val) ____nook_is_defined(__nook_arg_placeholder_##val)
#define ____nook_is_defined(arg1_or_junk) __nook_take_second(arg1_or_junk 1, 0)
#define __nook_take_second(ignored, val, ...) val

#endif
