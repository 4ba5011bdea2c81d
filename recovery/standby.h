/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The standby: a device's next driver incarnation, started ahead of need (loaded, locked
 * down, its DMA arena's memory ready) and waiting without the device, which a restart hands
 * it (ADOPT) so that recovery does not wait for a driver program to start. nookd's side of
 * it, on the device's record (daemon/supervised.h); when one may start again after one died
 * soon is standby-backoff.h's to say.
 */
#ifndef NOOK_RECOVERY_STANDBY_H
#define NOOK_RECOVERY_STANDBY_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/base/err.h"

struct nookd_dev;
struct nook_vfio_dev;

/* The device's record is new: no standby, the watchers ready. */
void nookd_standby_init(struct nookd_dev *nd);

/* Start a standby for the device in @delay_ms (sooner if one is due sooner already). */
void nookd_standby_later(struct nookd_dev *nd, unsigned int delay_ms);

/*
 * Hand the device (@vdev's fds and @class_fd, a TAP or a sound channel) to the standby, if
 * there is one: it becomes the incarnation, with its pid, control socket and log pipe in
 * @ret_*. False: no standby, or it could not take the device (then it is gone, and the
 * caller spawns a driver from scratch).
 */
bool nookd_standby_adopt(struct nookd_dev *nd, struct nook_vfio_dev *vdev, int class_fd,
			 pid_t *ret_pid, int *ret_ctl, int *ret_log);

/*
 * A standby now, of the program nd->driver_path names (a live upgrade's new one; started even
 * under --no-standby), in place of the one there is: 0, or -errno with why.
 */
int nookd_standby_now(struct nookd_dev *nd, struct nook_err *err);

/* Let the standby go (the device is detached, or restarted from scratch). */
void nookd_standby_stop(struct nookd_dev *nd);

#endif
