// SPDX-License-Identifier: GPL-2.0-only
/* PCI devices added while nookd runs, from the kernel's uevents (see hotplug.h). */
#include "hotplug.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "common/base/pci-addr.h"

struct nookd_hotplug {
	struct ev_loop *loop;
	ev_io io;
	int fd;
	nookd_hotplug_fn fn;
	void *ctx;
};

const char *nookd_hotplug_parse(const char *msg, size_t len, char *addr, size_t addr_len)
{
	const char *action = NULL, *subsystem = NULL, *slot = NULL;
	struct nook_pci_addr a;
	size_t off = 0;

	/* The header, "ACTION@DEVPATH", then the variables; each string NUL-ended in @len. */
	while (off < len) {
		const char *s = msg + off;
		size_t n = strnlen(s, len - off);

		if (n == len - off)
			break; /* not ended: not a string of this message */
		if (!strncmp(s, "ACTION=", 7))
			action = s + 7;
		else if (!strncmp(s, "SUBSYSTEM=", 10))
			subsystem = s + 10;
		else if (!strncmp(s, "PCI_SLOT_NAME=", 14))
			slot = s + 14;
		off += n + 1;
	}
	if (!action || !subsystem || !slot || strcmp(action, "add") || strcmp(subsystem, "pci"))
		return NULL;
	if (addr_len < NOOK_PCI_ADDR_LEN || nook_pci_addr_parse(slot, &a) < 0)
		return NULL;
	return nook_pci_addr_format(&a, addr);
}

static void on_uevent(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd_hotplug *h = w->data;
	char buf[8192], addr[NOOK_PCI_ADDR_LEN];

	for (int i = 0; i < 64; i++) {
		struct sockaddr_nl from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1 };
		ssize_t n = recvmsg(h->fd, &m, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS)
				continue; /* events were lost; the next ones still count */
			return;
		}
		/* Only the kernel's own (port 0), not a process's forgery. */
		if (from.nl_pid != 0 || (m.msg_flags & MSG_TRUNC))
			continue;
		if (nookd_hotplug_parse(buf, (size_t)n, addr, sizeof(addr)))
			h->fn(addr, h->ctx);
	}
}

int nookd_hotplug_start(struct ev_loop *loop, nookd_hotplug_fn fn, void *ctx,
			struct nookd_hotplug **ret)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	struct nookd_hotplug *h = calloc(1, sizeof(*h));
	int r;

	if (!h)
		return -ENOMEM;
	h->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		       NETLINK_KOBJECT_UEVENT);
	if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		if (h->fd >= 0)
			close(h->fd);
		free(h);
		return r;
	}
	h->loop = loop;
	h->fn = fn;
	h->ctx = ctx;
	ev_io_init(&h->io, on_uevent, h->fd, EV_READ);
	h->io.data = h;
	ev_io_start(loop, &h->io);
	*ret = h;
	return 0;
}

void nookd_hotplug_stop(struct nookd_hotplug *h)
{
	if (!h)
		return;
	ev_io_stop(h->loop, &h->io);
	close(h->fd);
	free(h);
}
