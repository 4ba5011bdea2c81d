// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sound class: the driver's card is served on the nook sound socket, or, supervised, to
 * nookd over its sound channel (shims/sound).
 */
#include <errno.h>
#include <stdio.h>

#include "driver-class.h"
#include "shims/sound/sound-shim.h"

/* ALSA drivers' buffers: 64 to 128 KiB per substream, a few descriptor pages. */
const size_t nook_driver_class_arena_size = 8u << 20;

int nook_driver_class_install(struct nook_loop *loop, const struct nook_driver_args *args)
{
	if (args->supervised && args->sound_fd < 0) {
		fprintf(stderr,
			"nook-driver-" NOOK_DRIVER_NAME
			": supervised, a sound card needs --sound-fd N (nookd passes it)\n");
		return -EINVAL;
	}
	return nook_sound_shim_install(loop, args->bdf, args->supervised ? args->sound_fd : -1);
}

const struct nook_err *nook_driver_class_error(void)
{
	return NULL;
}
