/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fault planner's random numbers: splitmix64 (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014). A plan must be the same for a seed on every
 * machine and C library, which rand() does not promise; splitmix64 is a few lines, passes
 * BigCrush, and takes any 64-bit seed, 0 included.
 */
#ifndef NOOK_SWIFI_RNG_H
#define NOOK_SWIFI_RNG_H

#include <stdint.h>

struct swifi_rng {
	uint64_t state;
};

static inline void swifi_rng_init(struct swifi_rng *rng, uint64_t seed)
{
	rng->state = seed;
}

static inline uint64_t swifi_rng_next(struct swifi_rng *rng)
{
	uint64_t z = (rng->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * A number in [0, n), n > 0, without modulo bias: draws in the incomplete last span of 2^64
 * are redrawn (at most half of them when n is just above 2^63, a vanishing share for the
 * small n of a plan).
 */
static inline uint64_t swifi_rng_below(struct swifi_rng *rng, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;

	do {
		x = swifi_rng_next(rng);
	} while (x >= limit);
	return x % n;
}

/* A number in [lo, hi], lo <= hi. */
static inline uint64_t swifi_rng_range(struct swifi_rng *rng, uint64_t lo, uint64_t hi)
{
	return lo + swifi_rng_below(rng, hi - lo + 1);
}

#endif
