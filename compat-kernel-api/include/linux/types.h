/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_TYPES_H
#define NOOK_LINUX_TYPES_H

/* __u8 .. __u64, __le16 .. __be64, __sum16, __wsum: the system's UAPI definitions. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/compiler_types.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

/*
 * Linux's uint64_t and int64_t are u64 and s64 (long long on x86-64); the C library's are
 * long. Kernel code sees Linux's, so a driver may hand a u64 pointer where it declared a
 * uint64_t one, as pcnet32 does. <stdint.h> comes first, so that its own typedefs are done
 * before the names are taken over; host headers included after this see the same types.
 */
#include <stdint.h>
#define uint64_t u64
#define int64_t s64

typedef long ssize_t;
typedef long long loff_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef u64 resource_size_t;
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;
typedef unsigned int fmode_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long long ktime_t;
typedef u64 netdev_features_t;
typedef unsigned short umode_t;
typedef u32 __portpair;
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned short ushort;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned long ulong;
typedef unsigned int uint;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long long counter;
} atomic64_t;

typedef atomic64_t atomic_long_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
};
#define rcu_head callback_head

#define DECLARE_BITMAP(name, bits) unsigned long name[((bits) + 63) / 64]

#endif
