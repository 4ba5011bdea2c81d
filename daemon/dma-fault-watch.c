// SPDX-License-Identifier: GPL-2.0-only
/* The IOMMU's reports of refused DMA, from /dev/kmsg (see dma-fault-watch.h). */
#include "dma-fault-watch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int nook_dma_fault_watch_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* The address in "[BB:DD.F]" (Intel's form, segment 0) or after "device=" (AMD's). */
static int fault_device(const char *msg, char bdf[NOOK_PCI_ADDR_LEN])
{
	struct nook_pci_addr a;
	char buf[16];
	const char *p;
	size_t n;

	if ((p = strstr(msg, "Request device ["))) {
		p += strlen("Request device [");
		n = strcspn(p, "]");
	} else if ((p = strstr(msg, "device="))) {
		p += strlen("device=");
		n = strcspn(p, " ]");
	} else {
		return 0;
	}
	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	if (nook_pci_addr_parse(buf, &a) < 0)
		return 0;
	nook_pci_addr_format(&a, bdf);
	return 1;
}

int nook_dma_fault_parse(const char *msg, char bdf[NOOK_PCI_ADDR_LEN], char *what, size_t what_len)
{
	const char *addr, *reason;
	const char *dir;

	if (strstr(msg, "DMAR: [DMA Write") || strstr(msg, "DMAR: [DMA Read")) {
		dir = strstr(msg, "DMA Write") ? "write" : "read";
		addr = strstr(msg, "fault addr ");
		addr = addr ? addr + strlen("fault addr ") : "?";
		reason = strstr(msg, "[fault reason ");
	} else if (strstr(msg, "IO_PAGE_FAULT")) {
		dir = "access";
		addr = strstr(msg, "address=");
		addr = addr ? addr + strlen("address=") : "?";
		reason = NULL;
	} else {
		return 0;
	}
	if (!fault_device(msg, bdf))
		return 0;
	snprintf(what, what_len, "its device's DMA %s to %.*s was refused by the IOMMU%s%.*s", dir,
		 (int)strcspn(addr, " ]"), addr, reason ? " " : "",
		 reason ? (int)strcspn(reason, "\n") : 0, reason ? reason : "");
	return 1;
}

int nook_dma_fault_watch_read(int fd, nook_dma_fault_fn fn, void *ctx)
{
	/* One record per read(); the kernel's records are at most about 1 KiB of text. */
	char rec[2048], bdf[NOOK_PCI_ADDR_LEN], what[256];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		const char *msg;

		if (n < 0) {
			if (errno == EPIPE) /* the log overran us: go on from what is there */
				continue;
			return errno == EINTR ? 0 : -errno;
		}
		if (n == 0)
			return -EAGAIN;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		rec[strcspn(rec, "\n")] = '\0'; /* continuation lines (key=value) are not ours */
		if (nook_dma_fault_parse(msg, bdf, what, sizeof(what)))
			fn(ctx, bdf, what);
	}
}
