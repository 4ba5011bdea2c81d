/* SPDX-License-Identifier: GPL-2.0-only */
/* ALSA's DMA buffer allocation: buffers come from the driver process's DMA arena. */
#ifndef NOOK_SOUND_MEMALLOC_H
#define NOOK_SOUND_MEMALLOC_H

#include <linux/dma-direction.h>
#include <linux/types.h>

struct device;

#define SNDRV_DMA_TYPE_UNKNOWN 0
#define SNDRV_DMA_TYPE_CONTINUOUS 1
#define SNDRV_DMA_TYPE_DEV 2
#define SNDRV_DMA_TYPE_DEV_WC 5
#define SNDRV_DMA_TYPE_VMALLOC 7
#define SNDRV_DMA_TYPE_NONCONTIG 8
#define SNDRV_DMA_TYPE_DEV_SG SNDRV_DMA_TYPE_DEV
#define SNDRV_DMA_TYPE_DEV_WC_SG SNDRV_DMA_TYPE_DEV_WC

struct snd_dma_device {
	int type;
	enum dma_data_direction dir;
	bool need_sync;
	struct device *dev;
};

struct snd_dma_buffer {
	struct snd_dma_device dev;
	unsigned char *area;
	dma_addr_t addr;
	size_t bytes;
	void *private_data;
};

int snd_dma_alloc_pages(int type, struct device *dev, size_t size, struct snd_dma_buffer *dmab);
int snd_dma_alloc_dir_pages(int type, struct device *dev, enum dma_data_direction dir, size_t size,
			    struct snd_dma_buffer *dmab);
void snd_dma_free_pages(struct snd_dma_buffer *dmab);
struct snd_dma_buffer *snd_devm_alloc_dir_pages(struct device *dev, int type,
						enum dma_data_direction dir, size_t size);
static inline struct snd_dma_buffer *snd_devm_alloc_pages(struct device *dev, int type, size_t size)
{
	return snd_devm_alloc_dir_pages(dev, type, DMA_BIDIRECTIONAL, size);
}
static inline dma_addr_t snd_sgbuf_get_addr(struct snd_dma_buffer *dmab, size_t offset)
{
	return dmab->addr + offset;
}

#endif
