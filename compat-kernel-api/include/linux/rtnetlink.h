/* SPDX-License-Identifier: GPL-2.0-only */
/* The rtnl lock: ndo calls already run one at a time in the rtnl task. */
#ifndef NOOK_LINUX_RTNETLINK_H
#define NOOK_LINUX_RTNETLINK_H

#include <nook/noop.h>
#include <linux/mutex.h>
extern struct mutex nook_rtnl_mutex;
#define rtnl_lock() mutex_lock(&nook_rtnl_mutex)
#define rtnl_unlock() mutex_unlock(&nook_rtnl_mutex)
#define rtnl_trylock() mutex_trylock(&nook_rtnl_mutex)
#define rtnl_is_locked() mutex_is_locked(&nook_rtnl_mutex)
#define ASSERT_RTNL() NOOK_NOOP("ndo calls run one at a time, in the rtnl task")
#endif
