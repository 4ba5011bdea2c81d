// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real host (see host.h and nook/host.h): heap with a quota, the VFIO DMA arena, the
 * clock, the log on stderr, fail-stop, the VFIO device, and waiting on io_uring for the
 * device's interrupt eventfds and whatever else the driver program watches.
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nook/host.h>

#include "common/base/clock.h"
#include "shims/crash/crash.h"
#include "common/vfio/dma.h"
#include "vfio-host.h"
#include "shims/loop/loop.h"
#include "common/vfio/vfio.h"

struct nook_host_pci {
	struct nook_vfio_dev *vfio;
	int irq_type;
	unsigned int irq_count;
	const int *irq_fds;
};

static struct {
	struct nook_host_config cfg;
	struct nook_host_pci pci;
	struct nook_dma_arena *arena;
	struct nook_loop *loop;
	long long heap;
	int stop;
	int delivered;
} H;

/* --- memory */

void *nook_host_alloc(size_t size)
{
	void *p;

	if (H.cfg.heap_quota && H.heap + (long long)size > (long long)H.cfg.heap_quota) {
		char msg[160];

		/* A driver holding this much of kmalloc's memory is leaking it: stop it. */
		snprintf(msg, sizeof(msg),
			 "heap quota exceeded: the driver holds %lld KiB and asks "
			 "for %zu KiB more (quota %zu KiB): it leaks memory",
			 H.heap >> 10, size >> 10, H.cfg.heap_quota >> 10);
		nook_host_fatal(msg);
	}
	p = malloc(size);
	if (p)
		H.heap += (long long)malloc_usable_size(p);
	return p;
}

void nook_host_free(void *p)
{
	if (p)
		H.heap -= (long long)malloc_usable_size(p);
	free(p);
}

int nook_host_dma_arena(struct nook_host_arena *ret)
{
	if (!H.arena)
		return -ENODEV;
	*ret = (struct nook_host_arena){ nook_dma_base(H.arena), nook_dma_iova_base(H.arena),
					 nook_dma_size(H.arena) };
	return 0;
}

/* --- clock, log, fail-stop */

uint64_t nook_host_now_ns(void)
{
	return (uint64_t)nook_now_ns();
}

void nook_host_log(int level, const char *msg)
{
	size_t n = strlen(msg);

	/* One write per message, so lines from a crash report do not interleave. */
	fprintf(stderr, "<%d>%s: %.*s\n", level, H.cfg.name ? H.cfg.name : "nook",
		(int)(n && msg[n - 1] == '\n' ? n - 1 : n), msg);
}

void nook_host_fatal(const char *what)
{
	fprintf(stderr, "<0>%s: FATAL: %s\n", H.cfg.name ? H.cfg.name : "nook", what);
	fflush(stderr);
	nook_crash_set_cause(what);
	/* abort() raises SIGABRT: the crash handler reports where, then the process dies. */
	abort();
}

/* --- the device */

struct nook_host_pci *nook_host_device(void)
{
	return &H.pci;
}

int nook_host_pci_config_read(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			      uint32_t *ret_value)
{
	return nook_vfio_config_read(dev->vfio, off, width, ret_value);
}

int nook_host_pci_config_write(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			       uint32_t value)
{
	return nook_vfio_config_write(dev->vfio, off, width, value);
}

int nook_host_pci_bar(struct nook_host_pci *dev, unsigned int bar, uint64_t *ret_size,
		      unsigned int *ret_flags)
{
	uint32_t v = 0;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX)
		return -EINVAL;
	*ret_size = dev->vfio->regions[bar].size;
	*ret_flags = 0;
	if (!*ret_size)
		return 0;
	nook_vfio_config_read(dev->vfio, 0x10 + 4 * bar, 4, &v);
	if (v & 1) {
		*ret_flags = NOOK_HOST_BAR_IO;
	} else {
		*ret_flags = NOOK_HOST_BAR_MEM;
		if ((v & 0x6) == 0x4)
			*ret_flags |= NOOK_HOST_BAR_MEM64;
		if (v & 0x8)
			*ret_flags |= NOOK_HOST_BAR_PREFETCH;
	}
	return 0;
}

void *nook_host_pci_bar_map(struct nook_host_pci *dev, unsigned int bar)
{
	struct nook_err err = { 0 };
	void *map;

	if (nook_vfio_map_bar(dev->vfio, bar, &map, &err) < 0) {
		nook_host_log(3, err.msg);
		return NULL;
	}
	return map;
}

int nook_host_pci_bar_read(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			   unsigned int width, uint32_t *ret_value)
{
	uint64_t v = 0;
	int r = nook_vfio_region_read(dev->vfio, bar, off, width, &v);

	*ret_value = (uint32_t)v;
	return r;
}

int nook_host_pci_bar_write(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			    unsigned int width, uint32_t value)
{
	return nook_vfio_region_write(dev->vfio, bar, off, width, value);
}

static const unsigned int vfio_index[] = {
	[NOOK_HOST_IRQ_INTX] = VFIO_PCI_INTX_IRQ_INDEX,
	[NOOK_HOST_IRQ_MSI] = VFIO_PCI_MSI_IRQ_INDEX,
	[NOOK_HOST_IRQ_MSIX] = VFIO_PCI_MSIX_IRQ_INDEX,
};

unsigned int nook_host_pci_irq_count(struct nook_host_pci *dev, int type)
{
	uint32_t count = 0;

	if (type < 0 || type > NOOK_HOST_IRQ_MSIX)
		return 0;
	return nook_vfio_irq_count(dev->vfio, vfio_index[type], &count, NULL) < 0 ? 0 : count;
}

static int on_irq(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	uint64_t v;
	unsigned int vector = (unsigned int)(uintptr_t)userdata;

	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	H.delivered++;
	nook_kernel_irq(&H.pci, vector);
	return 0;
}

int nook_host_pci_irq_enable(struct nook_host_pci *dev, int type, unsigned int count)
{
	struct nook_err err = { 0 };
	int r;

	if (type < 0 || type > NOOK_HOST_IRQ_MSIX)
		return -EINVAL;
	r = nook_vfio_irq_enable(dev->vfio, vfio_index[type], count, &dev->irq_fds, &err);
	if (r < 0) {
		nook_host_log(3, err.msg);
		return r;
	}
	for (unsigned int i = 0; i < count; i++) {
		r = nook_loop_add_fd(H.loop, dev->irq_fds[i], POLLIN, on_irq, (void *)(uintptr_t)i);
		if (r < 0)
			return r;
	}
	dev->irq_type = type;
	dev->irq_count = count;
	return 0;
}

int nook_host_pci_irq_disable(struct nook_host_pci *dev)
{
	for (unsigned int i = 0; i < dev->irq_count; i++)
		nook_loop_remove_fd(H.loop, dev->irq_fds[i]);
	dev->irq_count = 0;
	dev->irq_type = -1;
	return nook_vfio_irq_disable(dev->vfio);
}

int nook_host_pci_irq_unmask(struct nook_host_pci *dev)
{
	return nook_vfio_irq_unmask(dev->vfio);
}

/* --- waiting */

int nook_host_wait(int64_t deadline_ns)
{
	int64_t timeout = -1;
	int r;

	if (H.stop)
		return -ECANCELED;
	if (deadline_ns >= 0) {
		timeout = deadline_ns - (int64_t)nook_host_now_ns();
		if (timeout < 0)
			timeout = 0;
	}
	H.delivered = 0;
	r = nook_loop_run_once(H.loop, timeout);
	if (r < 0)
		return r;
	return H.stop ? -ECANCELED : r;
}

void nook_host_request_stop(int code)
{
	H.stop = code ? code : 1;
}

void nook_host_resume(void)
{
	H.stop = 0;
}

struct nook_loop *nook_host_loop(void)
{
	return H.loop;
}

int nook_host_make_loop(const char *name, struct nook_err *err)
{
	int r;

	if (H.loop)
		return 0;
	r = nook_loop_new(256, &H.loop);
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot set up io_uring: %s%s", name, strerror(-r),
				    r == -EPERM || r == -ENOSYS ?
					    " (is io_uring turned off? see "
					    "the sysctl kernel.io_uring_disabled)" :
					    "");
	return 0;
}

int nook_host_prepare(const struct nook_host_config *cfg, struct nook_err *err)
{
	int r;

	H.cfg = *cfg;
	r = nook_host_make_loop(cfg->name, err);
	if (r < 0)
		return r;
	return nook_dma_arena_new(-1, NOOK_DMA_DEFAULT_IOVA, cfg->arena_size, &H.arena, err);
}

int nook_host_start(struct nook_vfio_dev *dev, const struct nook_host_config *cfg,
		    struct nook_err *err)
{
	int r;

	if (!H.arena) {
		r = nook_host_prepare(cfg, err);
		if (r < 0)
			return r;
	}
	H.cfg.name = cfg->name;
	H.pci = (struct nook_host_pci){ .vfio = dev, .irq_type = -1 };
	return nook_dma_arena_map(H.arena, dev->container_fd, err);
}

void nook_host_shutdown(void)
{
	if (H.pci.vfio)
		nook_vfio_irq_disable(H.pci.vfio);
	nook_dma_arena_free(H.arena);
	H.arena = NULL;
	nook_loop_free(H.loop);
	H.loop = NULL;
	nook_vfio_close(H.pci.vfio);
	H.pci.vfio = NULL;
}
