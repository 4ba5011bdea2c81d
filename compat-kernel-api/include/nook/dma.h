/* SPDX-License-Identifier: GPL-2.0-only */
/* The DMA arena inside the compat layer (src/dma.c). Plain C types only. */
#ifndef NOOK_DMA_H
#define NOOK_DMA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
void *nook_arena_alloc(size_t size);
void nook_arena_free(const void *p);
bool nook_arena_contains(const void *p);
uint64_t nook_arena_iova(const void *p);
/* Bytes of the arena handed out and not given back: the DMA quota's measure. */
size_t nook_arena_in_use(void);
#endif
