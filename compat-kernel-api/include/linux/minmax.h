/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_MINMAX_H
#define NOOK_LINUX_MINMAX_H
#define min(x, y)                       \
	({                              \
		__typeof__(x) _x = (x); \
		__typeof__(y) _y = (y); \
		_x < _y ? _x : _y;      \
	})
#define max(x, y)                       \
	({                              \
		__typeof__(x) _x = (x); \
		__typeof__(y) _y = (y); \
		_x > _y ? _x : _y;      \
	})
#define min3(x, y, z) min(min(x, y), z)
#define max3(x, y, z) max(max(x, y), z)
#define min_t(type, x, y)          \
	({                         \
		type _x = (x);     \
		type _y = (y);     \
		_x < _y ? _x : _y; \
	})
#define max_t(type, x, y)          \
	({                         \
		type _x = (x);     \
		type _y = (y);     \
		_x > _y ? _x : _y; \
	})
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(__typeof__(val), val, lo, hi)
#define min_not_zero(x, y)                                           \
	({                                                           \
		__typeof__(x) __x = (x);                             \
		__typeof__(y) __y = (y);                             \
		__x == 0 ? __y : ((__y == 0) ? __x : min(__x, __y)); \
	})
#endif
