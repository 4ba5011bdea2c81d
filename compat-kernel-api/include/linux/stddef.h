/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_STDDEF_H
#define NOOK_LINUX_STDDEF_H
#include <stddef.h>
#include <stdbool.h>
/* __struct_group and __DECLARE_FLEX_ARRAY, which the UAPI headers use. */
#include_next <linux/stddef.h>
#define sizeof_field(TYPE, MEMBER) sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))
#define struct_group(NAME, MEMBERS...) __struct_group(/* no tag */, NAME, /* no attrs */, MEMBERS)
#define DECLARE_FLEX_ARRAY(TYPE, NAME) __DECLARE_FLEX_ARRAY(TYPE, NAME)
#endif
