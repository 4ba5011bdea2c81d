/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI devices that appear while nookd runs (hot-plug, a bus rescan), from the kernel's
 * uevents: nookd attaches the ones its devices directory names, as it does at start, so an
 * entry written for a device not yet there takes effect when the device comes.
 */
#ifndef NOOK_DAEMON_HOTPLUG_H
#define NOOK_DAEMON_HOTPLUG_H

#include <stddef.h>
#include <ev.h>

struct nookd_hotplug;

/* Called with the full PCI address of each device the kernel added. */
typedef void (*nookd_hotplug_fn)(const char *addr, void *ctx);

int nookd_hotplug_start(struct ev_loop *loop, nookd_hotplug_fn fn, void *ctx,
			struct nookd_hotplug **ret);
void nookd_hotplug_stop(struct nookd_hotplug *h);

/*
 * One uevent as the kernel sends it ("ACTION@DEVPATH", then "KEY=VALUE" strings, each ended
 * by a NUL, @len bytes in all): the PCI address when it says a PCI device was added, else
 * NULL. Exposed for the unit test; the message is untrusted, read within @len only.
 */
const char *nookd_hotplug_parse(const char *msg, size_t len, char *addr, size_t addr_len);

#endif
