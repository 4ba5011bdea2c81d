/* SPDX-License-Identifier: GPL-2.0-only */
/* Default values of ALSA drivers' per-card module parameters (index, id, enable, ...). */
#ifndef NOOK_SOUND_INITVAL_H
#define NOOK_SOUND_INITVAL_H

#define SNDRV_AUTO_PORT 1
#define SNDRV_AUTO_IRQ 0xffff
#define SNDRV_AUTO_DMA 0xffff
#define SNDRV_AUTO_DMA_SIZE 0x7fffffff

#define SNDRV_DEFAULT_IDX1 (-1)
#define SNDRV_DEFAULT_STR1 NULL
#define SNDRV_DEFAULT_ENABLE1 1
#define SNDRV_DEFAULT_PORT1 SNDRV_AUTO_PORT
#define SNDRV_DEFAULT_IRQ1 SNDRV_AUTO_IRQ
#define SNDRV_DEFAULT_DMA1 SNDRV_AUTO_DMA
#define SNDRV_DEFAULT_DMA_SIZE1 SNDRV_AUTO_DMA_SIZE
#define SNDRV_DEFAULT_PTR1 SNDRV_DEFAULT_STR1

#define SNDRV_DEFAULT_IDX                     \
	{                                     \
		[0 ...(SNDRV_CARDS - 1)] = -1 \
	}
#define SNDRV_DEFAULT_STR                       \
	{                                       \
		[0 ...(SNDRV_CARDS - 1)] = NULL \
	}
#define SNDRV_DEFAULT_ENABLE                    \
	{                                       \
		1, [1 ...(SNDRV_CARDS - 1)] = 0 \
	}
#define SNDRV_DEFAULT_ENABLE_PNP             \
	{                                    \
		[0 ...(SNDRV_CARDS - 1)] = 1 \
	}
#define SNDRV_DEFAULT_ENABLE_ISAPNP SNDRV_DEFAULT_ENABLE_PNP
#define SNDRV_DEFAULT_PORT                                 \
	{                                                  \
		[0 ...(SNDRV_CARDS - 1)] = SNDRV_AUTO_PORT \
	}
#define SNDRV_DEFAULT_IRQ                                 \
	{                                                 \
		[0 ...(SNDRV_CARDS - 1)] = SNDRV_AUTO_IRQ \
	}
#define SNDRV_DEFAULT_DMA                                 \
	{                                                 \
		[0 ...(SNDRV_CARDS - 1)] = SNDRV_AUTO_DMA \
	}
#define SNDRV_DEFAULT_DMA_SIZE                                 \
	{                                                      \
		[0 ...(SNDRV_CARDS - 1)] = SNDRV_AUTO_DMA_SIZE \
	}
#define SNDRV_DEFAULT_PTR SNDRV_DEFAULT_STR

#endif
