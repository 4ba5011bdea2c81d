// SPDX-License-Identifier: GPL-2.0-only
/* ALSA DMA buffers: coherent memory from the driver process's DMA arena. */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <sound/memalloc.h>

int snd_dma_alloc_dir_pages(int type, struct device *dev, enum dma_data_direction dir, size_t size,
			    struct snd_dma_buffer *dmab)
{
	if (!size)
		return -ENXIO;
	dmab->dev.type = type;
	dmab->dev.dev = dev;
	dmab->dev.dir = dir;
	dmab->bytes = 0;
	dmab->addr = 0;
	dmab->private_data = NULL;
	dmab->area = dma_alloc_coherent(dev, PAGE_ALIGN(size), &dmab->addr, GFP_KERNEL);
	if (!dmab->area)
		return -ENOMEM;
	dmab->bytes = size;
	return 0;
}

int snd_dma_alloc_pages(int type, struct device *dev, size_t size, struct snd_dma_buffer *dmab)
{
	return snd_dma_alloc_dir_pages(type, dev, DMA_BIDIRECTIONAL, size, dmab);
}

void snd_dma_free_pages(struct snd_dma_buffer *dmab)
{
	if (!dmab->area)
		return;
	dma_free_coherent(dmab->dev.dev, PAGE_ALIGN(dmab->bytes), dmab->area, dmab->addr);
	dmab->area = NULL;
}

static void devm_dma_release(void *data)
{
	snd_dma_free_pages(data);
	kfree(data);
}

struct snd_dma_buffer *snd_devm_alloc_dir_pages(struct device *dev, int type,
						enum dma_data_direction dir, size_t size)
{
	struct snd_dma_buffer *dmab = kzalloc(sizeof(*dmab), GFP_KERNEL);

	if (!dmab)
		return NULL;
	if (snd_dma_alloc_dir_pages(type, dev, dir, size, dmab) < 0) {
		kfree(dmab);
		return NULL;
	}
	if (devm_add_action_or_reset(dev, devm_dma_release, dmab))
		return NULL;
	return dmab;
}
