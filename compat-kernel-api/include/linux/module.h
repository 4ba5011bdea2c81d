/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A driver "module" is linked into its driver program: module_init/module_exit record the
 * entry points the program calls; MODULE_* metadata is kept for --help.
 */
#ifndef NOOK_LINUX_MODULE_H
#define NOOK_LINUX_MODULE_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/export.h>

struct module;
#define THIS_MODULE ((struct module *)0)

struct nook_module_entry {
	int (*init)(void);
	void (*exit)(void);
};
extern int (*nook_module_init_fn)(void);
extern void (*nook_module_exit_fn)(void);

#define module_init(fn)                                                        \
	static void __attribute__((constructor)) nook_register_init_##fn(void) \
	{                                                                      \
		nook_module_init_fn = (fn);                                    \
	}
#define module_exit(fn)                                                        \
	static void __attribute__((constructor)) nook_register_exit_##fn(void) \
	{                                                                      \
		nook_module_exit_fn = (fn);                                    \
	}

extern const char *nook_module_description;
#define MODULE_DESCRIPTION(text)                                                 \
	static void __attribute__((constructor)) nook_register_description(void) \
	{                                                                        \
		nook_module_description = (text);                                \
	}
#define MODULE_AUTHOR(text)
#define MODULE_LICENSE(text)
#define MODULE_VERSION(text)
#define MODULE_FIRMWARE(text)
#define MODULE_ALIAS(text)
#define MODULE_DEVICE_TABLE(type, name)
#define MODULE_SOFTDEP(text)
#define try_module_get(m) true
#define module_put(m) NOOK_NOOP_ARG("the driver is the whole program: nothing unloads it", m)
#define KBUILD_MODNAME NOOK_MODNAME

#endif
