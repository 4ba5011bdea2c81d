// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA arena (see dma.h).
 */
#include "dma.h"

#include <errno.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "dma-alloc.h"

struct nook_dma_arena {
	int container_fd;
	int memfd;
	uint8_t *base;
	size_t size;
	uint64_t iova;
	struct nook_range_alloc *ra;
};

/* Spell out why pinning the arena failed, when the locked-memory limit is the reason. */
static int map_error(int r, size_t size, struct nook_err *err)
{
	struct rlimit rl;

	if ((r == -ENOMEM || r == -EPERM) && getrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < size)
		return nook_err_set(err, r,
				    "RLIMIT_MEMLOCK (%llu KiB) is below the DMA arena's %zu KiB: "
				    "raise it (ulimit -l, or LimitMEMLOCK= in the service)",
				    (unsigned long long)rl.rlim_cur / 1024, size / 1024);
	return nook_err_set(err, r, "cannot map the DMA arena (%zu KiB) for the device: %s",
			    size / 1024, strerror(-r));
}

int nook_dma_arena_new(int container_fd, uint64_t iova, size_t size,
		       struct nook_dma_arena **ret_arena, struct nook_err *err)
{
	long page = sysconf(_SC_PAGESIZE);
	struct nook_dma_arena *a;
	int r;

	if (!size || size % (size_t)page || iova % (uint64_t)page)
		return nook_err_set(err, -EINVAL,
				    "DMA arena: size %zu and IOVA 0x%llx must be "
				    "non-zero multiples of the page size",
				    size, (unsigned long long)iova);
	a = calloc(1, sizeof(*a));
	if (!a)
		return nook_err_set(err, -ENOMEM, "DMA arena: out of memory");
	*a = (struct nook_dma_arena){
		.container_fd = -1, .memfd = -1, .base = MAP_FAILED, .size = size, .iova = iova
	};

	a->memfd = memfd_create("nook-dma-arena", MFD_CLOEXEC);
	if (a->memfd < 0 || ftruncate(a->memfd, (off_t)size) < 0) {
		r = nook_err_set(err, -errno, "DMA arena: cannot create its memory: %s",
				 strerror(errno));
		goto fail;
	}
	a->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, a->memfd, 0);
	if (a->base == MAP_FAILED) {
		r = nook_err_set(err, -errno, "DMA arena: cannot map its memory: %s",
				 strerror(errno));
		goto fail;
	}
	r = nook_range_alloc_new(size, &a->ra);
	if (r < 0) {
		nook_err_set(err, r, "DMA arena: out of memory");
		goto fail;
	}
	if (container_fd >= 0) {
		r = nook_dma_arena_map(a, container_fd, err);
		if (r < 0)
			goto fail;
	}
	*ret_arena = a;
	return 0;
fail:
	nook_dma_arena_free(a);
	return r;
}

int nook_dma_arena_map(struct nook_dma_arena *a, int container_fd, struct nook_err *err)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)a->base,
		.iova = a->iova,
		.size = a->size,
	};

	if (a->container_fd >= 0)
		return nook_err_set(err, -EBUSY, "DMA arena: mapped for DMA already");
	if (ioctl(container_fd, VFIO_IOMMU_MAP_DMA, &map) < 0)
		return map_error(-errno, a->size, err);
	a->container_fd = container_fd;
	return 0;
}

void nook_dma_arena_free(struct nook_dma_arena *a)
{
	if (!a)
		return;
	if (a->container_fd >= 0) {
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap),
			.iova = a->iova,
			.size = a->size,
		};

		/* Unmap before munmap: the device must never reach pages given back. */
		ioctl(a->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
	}
	if (a->base != MAP_FAILED)
		munmap(a->base, a->size);
	if (a->memfd >= 0)
		close(a->memfd);
	nook_range_alloc_free_all(a->ra);
	free(a);
}

void *nook_dma_alloc(struct nook_dma_arena *a, size_t size, size_t align, uint64_t *ret_iova)
{
	uint64_t off;

	if (nook_range_alloc(a->ra, size, align ? align : 64, &off) < 0)
		return NULL;
	memset(a->base + off, 0, size);
	if (ret_iova)
		*ret_iova = a->iova + off;
	return a->base + off;
}

int nook_dma_release(struct nook_dma_arena *a, void *p)
{
	uint8_t *b = p;

	if (b < a->base || b >= a->base + a->size)
		return -EFAULT;
	return nook_range_release(a->ra, (uint64_t)(b - a->base));
}

int nook_dma_virt_to_iova(const struct nook_dma_arena *a, const void *p, uint64_t *ret_iova)
{
	const uint8_t *b = p;

	if (b < a->base || b >= a->base + a->size)
		return -EFAULT;
	*ret_iova = a->iova + (uint64_t)(b - a->base);
	return 0;
}

void *nook_dma_iova_to_virt(const struct nook_dma_arena *a, uint64_t iova)
{
	if (iova < a->iova || iova - a->iova >= a->size)
		return NULL;
	return a->base + (iova - a->iova);
}

void *nook_dma_base(const struct nook_dma_arena *a)
{
	return a->base;
}

uint64_t nook_dma_iova_base(const struct nook_dma_arena *a)
{
	return a->iova;
}

size_t nook_dma_size(const struct nook_dma_arena *a)
{
	return a->size;
}

size_t nook_dma_in_use(const struct nook_dma_arena *a)
{
	return (size_t)nook_range_in_use(a->ra);
}

int nook_dma_memfd(const struct nook_dma_arena *a)
{
	return a->memfd;
}
