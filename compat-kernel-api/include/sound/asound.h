/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ALSA's user-space ABI (formats, hw_params, control elements), from the system's UAPI
 * header. That header pulls in the C library's <stdlib.h> and <time.h> for user space;
 * kernel code has neither, so they are kept out and the one type it needs is given here.
 */
#ifndef NOOK_SOUND_ASOUND_H
#define NOOK_SOUND_ASOUND_H

#include <linux/types.h>

#ifndef __time_t_defined
#define __time_t_defined 1
typedef long time_t;
#endif
#ifndef NOOK_HAVE_TIMESPEC
#define NOOK_HAVE_TIMESPEC
struct timespec {
	long tv_sec;
	long tv_nsec;
};
#endif

#if !defined(_STDLIB_H) && !defined(_TIME_H)
#define _STDLIB_H 1
#define _TIME_H 1
#define NOOK_ASOUND_BLOCKED_LIBC
#endif
#include_next <sound/asound.h>
#ifdef NOOK_ASOUND_BLOCKED_LIBC
#undef _STDLIB_H
#undef _TIME_H
#undef NOOK_ASOUND_BLOCKED_LIBC
#endif

#endif
