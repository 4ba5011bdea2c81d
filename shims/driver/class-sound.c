// SPDX-License-Identifier: GPL-2.0-only
/* The sound class: the driver's card is served on the nook sound socket (shims/sound). */
#include <errno.h>
#include <stdio.h>

#include "driver-class.h"
#include "sound-shim.h"

int nook_driver_class_install(struct nook_loop *loop, const struct nook_driver_args *args)
{
	if (args->supervised) {
		fprintf(stderr, "nook-driver-" NOOK_DRIVER_NAME
			": nookd does not supervise sound cards yet: run the driver standalone\n");
		return -EOPNOTSUPP;
	}
	return nook_sound_shim_install(loop, args->bdf);
}

const struct nook_err *nook_driver_class_error(void)
{
	return NULL;
}
