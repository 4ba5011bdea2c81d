/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks. Kernel code in a driver process runs on one thread and switches tasks only
 * where it may sleep, and interrupt handlers run between tasks, never inside one: so a
 * spinlock excludes nothing that could run concurrently. It is kept as a depth count, so
 * that sleeping with one held is caught (a bug in Linux too) and fail-stops.
 */
#ifndef NOOK_LINUX_SPINLOCK_H
#define NOOK_LINUX_SPINLOCK_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/bottom_half.h>
#include <linux/bug.h>

typedef struct {
	int held;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

typedef struct {
	int held;
} rwlock_t;

/* How many spinlocks the running context holds (sleeping then is a bug). */
extern int nook_spin_depth;

#define __SPIN_LOCK_UNLOCKED(name) \
	{                          \
		0                  \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = { 0 }
#define DEFINE_RAW_SPINLOCK(name) raw_spinlock_t name = { 0 }
#define spin_lock_init(l) ((l)->held = 0)
#define raw_spin_lock_init(l) ((l)->held = 0)
#define rwlock_init(l) ((l)->held = 0)

static inline void nook_spin_acquire(int *held)
{
	(*held)++;
	nook_spin_depth++;
	barrier();
}

static inline void nook_spin_release(int *held)
{
	barrier();
	(*held)--;
	nook_spin_depth--;
}

#define spin_lock(l) nook_spin_acquire(&(l)->held)
#define spin_unlock(l) nook_spin_release(&(l)->held)
#define spin_lock_bh(l) spin_lock(l)
#define spin_unlock_bh(l) spin_unlock(l)
#define spin_lock_irq(l) spin_lock(l)
#define spin_unlock_irq(l) spin_unlock(l)
#define spin_lock_irqsave(l, flags) \
	do {                        \
		(flags) = 0;        \
		spin_lock(l);       \
	} while (0)
#define spin_unlock_irqrestore(l, flags) \
	do {                             \
		(void)(flags);           \
		spin_unlock(l);          \
	} while (0)
#define spin_trylock(l)       \
	({                    \
		spin_lock(l); \
		1;            \
	})
#define spin_is_locked(l) ((l)->held > 0)
#define raw_spin_lock(l) spin_lock(l)
#define raw_spin_unlock(l) spin_unlock(l)
#define raw_spin_lock_irqsave(l, f) spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)
#define read_lock(l) nook_spin_acquire(&(l)->held)
#define read_unlock(l) nook_spin_release(&(l)->held)
#define write_lock(l) nook_spin_acquire(&(l)->held)
#define write_unlock(l) nook_spin_release(&(l)->held)
#define read_lock_bh read_lock
#define read_unlock_bh read_unlock
#define write_lock_bh write_lock
#define write_unlock_bh write_unlock
#define write_lock_irqsave(l, f) \
	do {                     \
		(f) = 0;         \
		write_lock(l);   \
	} while (0)
#define write_unlock_irqrestore(l, f) \
	do {                          \
		(void)(f);            \
		write_unlock(l);      \
	} while (0)
/* Real, as in an SMP kernel: a driver that says it holds the lock and does not is broken. */
#define assert_spin_locked(l) BUG_ON(!spin_is_locked(l))
#define lockdep_assert_held(l) NOOK_NOOP_ARG("lockdep, off in Debian's kernel", l)

#endif
