// SPDX-License-Identifier: GPL-2.0-only
/*
 * A live driver upgrade (supervisor.h): the new program started as the standby, the device
 * handed to it as a recovery hands it over, and rolled back to the old program if the new
 * one does not come up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "drivers.h"
#include "pci-scan.h"
#include "recovery/standby.h"
#include "run-state.h"
#include "supervised.h"

/* The upgrade is over: @r 0 (the new program runs the device), or -errno with @msg. */
static void finish(struct nookd_dev *nd, int r, const char *msg)
{
	nookd_done_fn done = nd->upgrade_done;
	void *ctx = nd->upgrade_ctx;
	struct nook_err err = { .code = r };

	ev_timer_stop(nd->d->loop, &nd->upgrade_timer);
	nd->upgrade = UPGRADE_NONE;
	nd->upgrade_done = NULL;
	nd->upgrade_ctx = NULL;
	*nd->upgrade_from = '\0';
	nookd_run_state_save(nd->d, nd->dev); /* the program it runs now, new or old */
	if (msg)
		snprintf(err.msg, sizeof(err.msg), "%s", msg);
	if (done)
		done(nd->d, ctx, r, &err);
}

/* The new program did not come up: the old one is the device's program again. */
static void back_to_old(struct nookd_dev *nd)
{
	snprintf(nd->driver_path, sizeof(nd->driver_path), "%s", nd->upgrade_from);
}

static void on_settled(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nookd_dev *nd = w->data;

	if (nd->dev->standby_pid <= 0) {
		nookd_upgrade_standby_died(nd);
		return;
	}
	nookd_dev_log(nd, "upgrade: handing the device to %s (pid %d)", nd->driver_path,
		      (int)nd->dev->standby_pid);
	nd->upgrade = UPGRADE_HANDING_OVER;
	nookd_dev_stop(nd, END_RESTART);
	nookd_dev_set_state(nd, NOOK_DEV_STARTING);
}

void nookd_upgrade_init(struct nookd_dev *nd)
{
	ev_init(&nd->upgrade_timer, on_settled);
	nd->upgrade_timer.data = nd;
}

void nookd_upgrade_running(struct nookd_dev *nd)
{
	char msg[sizeof(nd->driver_path) + 64];

	if (nd->upgrade != UPGRADE_HANDING_OVER)
		return;
	nookd_dev_logp(nd, LOG_NOTICE, NULL, "upgraded from %s to %s (pid %d)", nd->upgrade_from,
		       nd->driver_path, (int)nd->dev->pid);
	snprintf(msg, sizeof(msg), "%s runs the device (pid %d)", nd->driver_path,
		 (int)nd->dev->pid);
	finish(nd, 0, msg);
}

bool nookd_upgrade_failed(struct nookd_dev *nd, const char *why)
{
	struct nook_err err = { 0 };
	char msg[sizeof(err.msg)];
	int r;

	if (nd->upgrade == UPGRADE_STANDING_BY) {
		/* The old program failed meanwhile: its recovery hands the device to the new one. */
		ev_timer_stop(nd->d->loop, &nd->upgrade_timer);
		nd->upgrade = UPGRADE_HANDING_OVER;
		return false;
	}
	if (nd->upgrade != UPGRADE_HANDING_OVER)
		return false;
	snprintf(msg, sizeof(msg),
		 "%.120s did not bring the device up (%.160s); rolled back to %.120s",
		 nd->driver_path, why, nd->upgrade_from);
	nookd_dev_logp(nd, LOG_WARNING, NULL, "upgrade: %s", msg);
	back_to_old(nd);
	nd->upgrade = UPGRADE_NONE; /* what follows is the old program's, not the upgrade's */
	r = nookd_dev_launch(nd, &err);
	finish(nd, -EIO, msg);
	/* If the old program did not start either, that is a failure of the device's. */
	return r == 0;
}

void nookd_upgrade_standby_died(struct nookd_dev *nd)
{
	char msg[sizeof(((struct nook_err *)0)->msg)];

	if (nd->upgrade != UPGRADE_STANDING_BY)
		return;
	snprintf(msg, sizeof(msg),
		 "%.120s died before it took the device (%.160s); %.120s runs the device as "
		 "before (pid %d)",
		 nd->driver_path, *nd->standby_end ? nd->standby_end : "it is gone",
		 nd->upgrade_from, (int)nd->dev->pid);
	nookd_dev_logp(nd, LOG_WARNING, NULL, "upgrade: %s", msg);
	back_to_old(nd);
	finish(nd, -EIO, msg);
	/* The new program's death says nothing of the old one's standbys: one starts again. */
	nook_standby_backoff_init(&nd->standby_backoff);
	nookd_standby_later(nd, 1000);
}

void nookd_upgrade_cancel(struct nookd_dev *nd, const char *why)
{
	if (nd->upgrade == UPGRADE_NONE)
		return;
	back_to_old(nd);
	finish(nd, -ECANCELED, why);
}

/* The new program is the device's driver and takes the device: 0, or why not. */
static int check_program(struct nookd_dev *nd, const char *path, struct nook_err *err)
{
	struct nook_device *dev = nd->dev;
	struct nook_driver drv;
	struct nook_pci_info info;
	int r = nook_driver_load(path, &drv, err);

	if (r < 0)
		return r;
	if (strcmp(drv.name, dev->driver))
		r = nook_err_set(err, -EINVAL,
				 "%s is the %s driver, and %s runs %s: an upgrade keeps the driver "
				 "(nookctl detach, then attach --driver, changes it)",
				 path, drv.name, dev->addr, dev->driver);
	else if ((r = nook_pci_lookup(nd->d->cfg.sysfs_root, dev->addr, &info, err)) >= 0 &&
		 !nook_drivers_match(&(struct nook_driver_set){ &drv, 1 }, &info))
		r = nook_err_set(err, -EINVAL,
				 "%s does not take %s, a %04x:%04x device (its --list-ids says "
				 "what it takes)",
				 path, dev->addr, info.vendor, info.device);
	free(drv.ids);
	return r;
}

int nookd_upgrade(struct nookd *d, struct nook_device *dev, const char *path, nookd_done_fn done,
		  void *ctx, struct nook_err *err)
{
	struct nookd_dev *nd = nookd_dev_of(dev);
	char want[PATH_MAX];
	int r;

	if (nd->done)
		return nook_err_set(err, -EALREADY, "%s is being detached", dev->addr);
	if (nd->upgrade != UPGRADE_NONE)
		return nook_err_set(err, -EALREADY, "%s is being upgraded to %s already", dev->addr,
				    nd->driver_path);
	if (dev->debug)
		return nook_err_set(err, -EBUSY,
				    "%s is under a debugger: nookctl restart %s ends that first",
				    dev->addr, dev->addr);
	if (dev->state != NOOK_DEV_RUNNING || dev->pid <= 0)
		return nook_err_set(err, -EAGAIN,
				    "%s is %s: only a running driver is upgraded (nookctl status "
				    "%s says why it is not)",
				    dev->addr, nook_dev_state_name(dev->state), dev->addr);
	snprintf(want, sizeof(want), "%s", path && *path ? path : nd->driver_path);
	r = check_program(nd, want, err);
	if (r < 0)
		return r;
	snprintf(nd->upgrade_from, sizeof(nd->upgrade_from), "%s", nd->driver_path);
	snprintf(nd->driver_path, sizeof(nd->driver_path), "%s", want);
	r = nookd_standby_now(nd, err);
	if (r < 0) {
		back_to_old(nd);
		*nd->upgrade_from = '\0';
		nookd_standby_later(nd, 1000);
		return r;
	}
	nd->upgrade = UPGRADE_STANDING_BY;
	nd->upgrade_done = done;
	nd->upgrade_ctx = ctx;
	nookd_dev_log(nd, "upgrade: %s stands by (pid %d); the device goes to it in %u ms", want,
		      (int)dev->standby_pid, NOOKD_UPGRADE_SETTLE_MS);
	ev_timer_set(&nd->upgrade_timer, NOOKD_UPGRADE_SETTLE_MS / 1000.0, 0.0);
	ev_timer_start(d->loop, &nd->upgrade_timer);
	return 0;
}
