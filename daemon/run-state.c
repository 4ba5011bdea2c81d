// SPDX-License-Identifier: GPL-2.0-only
/* nookd's record of its attached devices, for the nookd after it (see run-state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bind.h"
#include "common/base/dirs.h"
#include "devices-conf.h"
#include "log.h"
#include "run-state.h"
#include "supervised.h"
#include "supervisor.h"

static bool enabled(const struct nookd *d)
{
	return d->cfg.state_dir && *d->cfg.state_dir;
}

static void file_of(const struct nookd *d, const char *addr, char *path, size_t len)
{
	snprintf(path, len, "%s/%s.conf", d->cfg.state_dir, addr);
}

void nookd_run_state_save(struct nookd *d, const struct nook_device *dev)
{
	const struct nookd_dev *nd = nookd_dev_of((struct nook_device *)dev);
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	const struct nook_driver *drv;
	char shadow[256];
	FILE *f;
	int fd, r;

	if (!enabled(d) || !nd)
		return;
	file_of(d, dev->addr, path, sizeof(path));
	/* the state directory, if nothing made it (systemd's RuntimeDirectory= does) */
	r = nook_make_parents(path);
	if (r < 0)
		goto fail;
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	fprintf(f,
		"# nookd's record of a device it attached: for the nookd after it "
		"(not a devices.d entry)\n"
		"address=%s\ndriver=%s\nkernel-driver=%s\nforce=%s\n",
		dev->addr, dev->driver, dev->orig_driver, dev->force ? "yes" : "no");
	/* a program not the driver's own: one an upgrade (--driver PATH) moved it to */
	drv = nook_drivers_find(&d->drivers, dev->driver);
	if (!drv || strcmp(drv->path, nd->driver_path))
		fprintf(f, "program=%s\n", nd->driver_path);
	if (dev->cls == NOOK_CLASS_NET && *dev->interfaces)
		fprintf(f, "ifname=%s\n", dev->interfaces);
	for (unsigned int i = 0; i < dev->n_params; i++)
		fprintf(f, "param=%s\n", dev->params[i]);
	/* the net shadow's ethtool settings, one a line */
	if (nook_net_shadow_replay(&dev->shadow, shadow, sizeof(shadow)))
		for (char *save = NULL, *l = strtok_r(shadow, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			fprintf(f, "ethtool=%s\n", l);
	r = fflush(f) == 0 ? 0 : -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r == 0)
		return;
	unlink(tmp);
fail:
	nookd_log(LOG_WARNING, dev->addr, dev->driver, NULL,
		  "cannot record the device in %s (%s): a nookd started after this one "
		  "ends without detaching will not know it",
		  d->cfg.state_dir, strerror(-r));
}

void nookd_run_state_forget(struct nookd *d, const char *addr)
{
	char path[PATH_MAX];

	if (!enabled(d))
		return;
	file_of(d, addr, path, sizeof(path));
	if (unlink(path) < 0 && errno != ENOENT)
		nookd_log(LOG_WARNING, addr, NULL, NULL, "cannot remove %s: %m", path);
}

struct restore {
	struct nookd *d;
	unsigned int n;
};

/* The device could not be attached again: back to the kernel driver only this file knew. */
static void give_back(struct nookd *d, const struct nook_device_conf *c, const char *why)
{
	struct nook_err err = { 0 };

	if (nook_bind_release(d->cfg.sysfs_root, c->address, c->kernel_driver, &err) < 0)
		nookd_log(LOG_ERR, c->address, c->driver, NULL,
			  "a nookd before this one left it attached, and it cannot be attached "
			  "again (%s); giving it back to %s failed too: %s",
			  why, *c->kernel_driver ? c->kernel_driver : "no driver", err.msg);
	else
		nookd_log(LOG_WARNING, c->address, c->driver, NULL,
			  "a nookd before this one left it attached, and it cannot be attached "
			  "again (%s): given back to %s",
			  why, *c->kernel_driver ? c->kernel_driver : "no driver");
	nookd_run_state_forget(d, c->address);
}

/*
 * nookd_attach(), waiting a little while the device is busy: a driver of the nookd before
 * (a sound card's, which dies with it) may still be on its way out, holding the device.
 */
static int attach_again(struct nookd *d, const char *addr, const struct nook_attach_opts *o,
			struct nook_device **ret_dev, struct nook_err *err)
{
	int r;

	for (int tries = 0;; tries++) {
		r = nookd_attach(d, addr, o, ret_dev, err);
		if (r != -EBUSY || tries == 25)
			return r;
		usleep(200 * 1000);
	}
}

/*
 * The ethtool settings the record kept, back in the device's net shadow, and in its record
 * again (an attach rewrote it from the shadow, empty until now).
 */
static void shadow_again(struct nookd *d, struct nook_device *dev, const struct nook_device_conf *c)
{
	if (!*c->ethtool)
		return;
	if (nook_net_shadow_record(&dev->shadow, c->ethtool) < 0)
		nookd_log(LOG_WARNING, dev->addr, dev->driver, NULL,
			  "the recorded ethtool settings are not ones nook knows: not kept (%s)",
			  c->ethtool);
	else
		nookd_run_state_save(d, dev);
}

static void restore_one(const struct nook_device_conf *c, const struct nook_err *perr, void *ctx)
{
	struct restore *rs = ctx;
	const char *params[NOOK_MAX_PARAMS];
	struct nook_attach_opts o = {
		.params = params,
		.kernel_driver = c ? c->kernel_driver : NULL,
		.program = c && *c->program ? c->program : NULL,
	};
	struct nook_device *dev;
	struct nook_err err = { 0 };
	int r;

	if (!c) {
		nookd_log(LOG_WARNING, NULL, NULL, NULL, "skipped a record of a device: %s",
			  perr->msg);
		return;
	}
	o.driver = c->driver;
	o.ifname = *c->ifname ? c->ifname : NULL;
	o.force = c->force;
	for (size_t i = 0; i < c->n_params; i++)
		params[o.n_params++] = c->params[i];
	/* a NIC's driver that ran on, its fds kept by systemd: taken over as it runs */
	r = nookd_adopt(rs->d, c, &dev, &err);
	if (r > 0) {
		shadow_again(rs->d, dev, c);
		rs->n++;
		return;
	}
	if (r == 0)
		r = attach_again(rs->d, c->address, &o, &dev, &err);
	if (r == 0)
		shadow_again(rs->d, dev, c); /* replayed when its driver says what it is (NETDEV) */
	if (r < 0) {
		give_back(rs->d, c, err.msg);
		return;
	}
	rs->n++;
	nookd_log(LOG_NOTICE, dev->addr, dev->driver, NULL,
		  "attached again: a nookd before this one ended without detaching it; "
		  "%s has it when it is detached",
		  *dev->orig_driver ? dev->orig_driver : "no kernel driver");
}

unsigned int nookd_run_state_restore(struct nookd *d)
{
	struct restore rs = { .d = d };

	if (enabled(d))
		nook_device_conf_each_kind(d->cfg.state_dir, NOOK_CONF_RUN_STATE, restore_one, &rs);
	return rs.n;
}
