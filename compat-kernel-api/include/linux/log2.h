/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_LOG2_H
#define NOOK_LINUX_LOG2_H
#define ilog2(n) ((n) ? 63 - __builtin_clzll((unsigned long long)(n)) : -1)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n)-1)) == 0))
#define roundup_pow_of_two(n) ((n) <= 1 ? 1UL : 1UL << (64 - __builtin_clzl((unsigned long)(n)-1)))
#define rounddown_pow_of_two(n) (1UL << ilog2(n))
#define order_base_2(n) ((n) > 1 ? ilog2((n)-1) + 1 : 0)
#endif
