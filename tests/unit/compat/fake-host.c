// SPDX-License-Identifier: GPL-2.0-only
/* The fake host (see fake-host.h). Compiled against the C library. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake-host.h"

static long long heap_in_use;
static char last_log[1024];

void *nook_host_alloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		heap_in_use += (long long)malloc_usable_size(p);
	return p;
}

void nook_host_free(void *p)
{
	if (p)
		heap_in_use -= (long long)malloc_usable_size(p);
	free(p);
}

long long fake_host_heap_in_use(void)
{
	return heap_in_use;
}

int nook_host_dma_arena(struct nook_host_arena *ret)
{
	static void *arena;

	if (!arena && posix_memalign(&arena, 4096, FAKE_ARENA_SIZE))
		return -ENOMEM;
	*ret = (struct nook_host_arena){ arena, FAKE_ARENA_IOVA, FAKE_ARENA_SIZE };
	return 0;
}

uint64_t nook_host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int last_level = -1;
static unsigned int log_lines;

void nook_host_log(int level, const char *msg)
{
	snprintf(last_log, sizeof(last_log), "%s", msg);
	last_level = level;
	log_lines++;
	fprintf(stderr, "<%d>%s", level, msg);
	if (!*msg || msg[strlen(msg) - 1] != '\n')
		fputc('\n', stderr);
}

const char *fake_host_last_log(void)
{
	return last_log;
}

int fake_host_last_log_level(void)
{
	return last_level;
}

unsigned int fake_host_log_lines(void)
{
	return log_lines;
}

void nook_host_fatal(const char *what)
{
	fprintf(stderr, "FATAL: %s\n", what);
	fflush(stderr);
	/* At once, as the real host's abort(): no exit handlers (nor a leak report on what the
	 * stopped code still held). */
	_exit(99);
}

int fake_host_expect_fatal(void (*fn)(void *arg), void *arg, char *why, size_t size)
{
	int fds[2], status;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return -errno;
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(fds[1], 2);
		fn(arg);
		_exit(0); /* no fatal stop: the parent sees exit status 0 */
	}
	close(fds[1]);
	while (len < size - 1 && (n = read(fds[0], why + len, size - 1 - len)) > 0)
		len += (size_t)n;
	why[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 99 ? 0 : -ENOENT;
}

/* --- the fake PCI device */

struct nook_host_pci {
	uint8_t config[256];
	uint8_t bar0[4096];
	uint8_t io2[32]; /* BAR 2: I/O ports */
	int irq_type;
	unsigned int irq_count;
};

static struct nook_host_pci fake_dev;
static unsigned int pending_irqs[64], npending, unmasks;

struct nook_host_pci *fake_host_pci(uint16_t vendor, uint16_t device, uint32_t class_rev,
				    uint16_t subvendor, uint16_t subdevice)
{
	memset(&fake_dev, 0, sizeof(fake_dev));
	memcpy(fake_dev.config + 0x00, &vendor, 2);
	memcpy(fake_dev.config + 0x02, &device, 2);
	memcpy(fake_dev.config + 0x08, &class_rev, 4);
	memcpy(fake_dev.config + 0x2c, &subvendor, 2);
	memcpy(fake_dev.config + 0x2e, &subdevice, 2);
	fake_dev.config[0x3d] = 1; /* INTA */
	fake_dev.irq_type = -1;
	return &fake_dev;
}

int nook_host_pci_config_read(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			      uint32_t *ret_value)
{
	uint32_t v = 0;

	if (off + width > sizeof(dev->config))
		return -EINVAL;
	memcpy(&v, dev->config + off, width);
	*ret_value = v;
	return 0;
}

int nook_host_pci_config_write(struct nook_host_pci *dev, unsigned int off, unsigned int width,
			       uint32_t value)
{
	if (off + width > sizeof(dev->config))
		return -EINVAL;
	memcpy(dev->config + off, &value, width);
	return 0;
}

int nook_host_pci_bar(struct nook_host_pci *dev, unsigned int bar, uint64_t *ret_size,
		      unsigned int *ret_flags)
{
	*ret_size = bar == 0 ? sizeof(dev->bar0) : bar == 2 ? sizeof(dev->io2) : 0;
	*ret_flags = bar == 0 ? NOOK_HOST_BAR_MEM : bar == 2 ? NOOK_HOST_BAR_IO : 0;
	return 0;
}

void *nook_host_pci_bar_map(struct nook_host_pci *dev, unsigned int bar)
{
	return bar == 0 ? dev->bar0 : NULL;
}

int nook_host_pci_bar_read(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			   unsigned int width, uint32_t *ret_value)
{
	uint8_t *space = bar == 0 ? dev->bar0 : bar == 2 ? dev->io2 : NULL;
	size_t size = bar == 0 ? sizeof(dev->bar0) : sizeof(dev->io2);
	uint32_t v = 0;

	if (!space || off + width > size)
		return -EINVAL;
	memcpy(&v, space + off, width);
	*ret_value = v;
	return 0;
}

int nook_host_pci_bar_write(struct nook_host_pci *dev, unsigned int bar, uint64_t off,
			    unsigned int width, uint32_t value)
{
	uint8_t *space = bar == 0 ? dev->bar0 : bar == 2 ? dev->io2 : NULL;
	size_t size = bar == 0 ? sizeof(dev->bar0) : sizeof(dev->io2);

	if (!space || off + width > size)
		return -EINVAL;
	memcpy(space + off, &value, width);
	return 0;
}

unsigned int nook_host_pci_irq_count(struct nook_host_pci *dev, int type)
{
	return type == NOOK_HOST_IRQ_INTX || type == NOOK_HOST_IRQ_MSI ? 1 : 0;
}

int nook_host_pci_irq_enable(struct nook_host_pci *dev, int type, unsigned int count)
{
	dev->irq_type = type;
	dev->irq_count = count;
	return 0;
}

int nook_host_pci_irq_disable(struct nook_host_pci *dev)
{
	dev->irq_type = -1;
	return 0;
}

int nook_host_pci_irq_unmask(struct nook_host_pci *dev)
{
	unmasks++;
	return 0;
}

unsigned int fake_host_unmask_count(void)
{
	return unmasks;
}

void fake_host_raise_irq(unsigned int vector)
{
	if (npending < 64)
		pending_irqs[npending++] = vector;
}

/* Deliver queued interrupts at once; otherwise sleep until the deadline (at most 1 s). */
int nook_host_wait(int64_t deadline_ns)
{
	unsigned int n = npending;
	int64_t now = (int64_t)nook_host_now_ns();

	if (n) {
		npending = 0;
		for (unsigned int i = 0; i < n; i++)
			nook_kernel_irq(&fake_dev, pending_irqs[i]);
		return (int)n;
	}
	if (deadline_ns < 0 || deadline_ns - now > 1000000000)
		deadline_ns = now + 1000000000;
	if (deadline_ns > now) {
		struct timespec ts = { (deadline_ns - now) / 1000000000,
				       (deadline_ns - now) % 1000000000 };

		nanosleep(&ts, NULL);
	}
	return 0;
}
