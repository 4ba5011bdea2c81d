// SPDX-License-Identifier: GPL-2.0-only
/* The NIC class: the driver's net_device becomes a TAP interface (shims/net). */
#include <stdio.h>

#define NOOK_DRIVER_PREFIX "nook-driver-" NOOK_DRIVER_NAME

#include "driver-class.h"
#include "common/base/err.h"
#include "shims/net/netdev-shim.h"
#include "supervised.h"

/*
 * Descriptor rings and every packet buffer in flight: 64 MiB unless the driver's program says
 * how much its rings can hold at most (pinning the arena is part of each start).
 */
#ifndef NOOK_DRIVER_ARENA_MIB
#define NOOK_DRIVER_ARENA_MIB 64
#endif
const size_t nook_driver_class_arena_size = (size_t)NOOK_DRIVER_ARENA_MIB << 20;

int nook_driver_class_install(struct nook_loop *loop, const struct nook_driver_args *args)
{
	struct nook_netdev_shim_config net = { .ifname = args->ifname, .tap_fd = args->tap_fd };
	int r;

	if (args->supervised)
		nook_supervised_netdev_config(&net);
	r = nook_netdev_shim_install(loop, &net);
	if (r < 0)
		fprintf(stderr, NOOK_DRIVER_PREFIX ": --supervised needs --tap-fd\n");
	return r;
}

const struct nook_err *nook_driver_class_error(void)
{
	const struct nook_err *e = nook_netdev_shim_error();

	return e->code ? e : NULL;
}
