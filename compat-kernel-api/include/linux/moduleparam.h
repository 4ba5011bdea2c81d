/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module parameters become KEY=VALUE arguments of the driver program: each module_param()
 * registers its variable at start-up (src/module.c parses and sets it).
 */
#ifndef NOOK_LINUX_MODULEPARAM_H
#define NOOK_LINUX_MODULEPARAM_H

#include <linux/types.h>
#include <linux/kernel.h>

#define __MODULE_STRING(x) __stringify(x)

enum nook_param_type {
	NOOK_PARAM_INT,
	NOOK_PARAM_UINT,
	NOOK_PARAM_BOOL,
	NOOK_PARAM_BINT,
	NOOK_PARAM_CHARP,
	NOOK_PARAM_SHORT,
	NOOK_PARAM_USHORT,
	NOOK_PARAM_ULONG,
};

#define nook_param_type_int NOOK_PARAM_INT
#define nook_param_type_uint NOOK_PARAM_UINT
#define nook_param_type_bool NOOK_PARAM_BOOL
/* bool as <stdbool.h> spells it once expanded; bint is an int taken as a boolean. */
#define nook_param_type__Bool NOOK_PARAM_BOOL
#define nook_param_type_bint NOOK_PARAM_BINT
#define nook_param_type_charp NOOK_PARAM_CHARP
#define nook_param_type_short NOOK_PARAM_SHORT
#define nook_param_type_ushort NOOK_PARAM_USHORT
#define nook_param_type_ulong NOOK_PARAM_ULONG

void nook_param_register(const char *name, enum nook_param_type type, void *var,
			 unsigned int max_elems, unsigned int *num);
void nook_param_describe(const char *name, const char *desc);

#define module_param_named(name, var, type, perm)                                    \
	static void __attribute__((constructor)) nook_param_##name(void)             \
	{                                                                            \
		nook_param_register(#name, nook_param_type_##type, &(var), 1, NULL); \
	}
#define module_param(name, type, perm) module_param_named(name, name, type, perm)
#define module_param_array_named(name, array, type, nump, perm)                  \
	static void __attribute__((constructor)) nook_param_##name(void)         \
	{                                                                        \
		nook_param_register(#name, nook_param_type_##type, (array),      \
				    sizeof(array) / sizeof((array)[0]), (nump)); \
	}
#define module_param_array(name, type, nump, perm) \
	module_param_array_named(name, name, type, nump, perm)
#define MODULE_PARM_DESC(name, desc)                                          \
	static void __attribute__((constructor)) nook_param_desc_##name(void) \
	{                                                                     \
		nook_param_describe(#name, desc);                             \
	}

#endif
