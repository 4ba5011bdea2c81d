/* SPDX-License-Identifier: GPL-2.0-only */
/* The linked-in driver module, as its driver program sees it. Plain C types only. */
#ifndef NOOK_MODULE_H
#define NOOK_MODULE_H

/* Set a module parameter from "KEY=VALUE" (arrays: "KEY=V1,V2"). -ENOENT: no such key. */
int nook_module_param_set(const char *arg);
void nook_module_params_list(void (*fn)(const char *name, const char *desc, void *ctx), void *ctx);
int nook_module_init(void);
/* Run module_exit in a task, stepping the loop until it returns or @deadline_ns. */
int nook_module_exit(long long deadline_ns);
extern const char *nook_module_description;

#endif
