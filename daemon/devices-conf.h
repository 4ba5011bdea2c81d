/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The devices nookd attaches when it starts: one file per device in /etc/nook/devices.d,
 * named *.conf, read in name order. Lines are KEY=VALUE; a line that starts with '#' is a
 * comment ('#' elsewhere is part of a value):
 *
 *   address=0000:00:04.0   (required)
 *   driver=e1000           (default: the driver whose ID table takes the device)
 *   ifname=nook0           (default: nook%d)
 *   param=KEY=VALUE        (a module parameter; repeatable)
 *   force=yes              (attach even if the device's interface is up and addressed)
 *
 * A key but param= is given at most once; a line is at most NOOK_DEVICE_CONF_LINE_MAX bytes
 * (its newline aside). A file that breaks either rule is an error, as any malformed line.
 *
 * nookd's own record of a device it has attached (run-state.h) is a file of the same form
 * with two keys more, which a devices.d file may not use:
 *
 *   kernel-driver=e1000    (the kernel driver the device had before nook; "" for none)
 *   program=/usr/libexec/nook/nook-driver-e1000   (the driver program it runs)
 *   ethtool=ring-rx=256    (a setting the net shadow replays; repeatable)
 */
#ifndef NOOK_DAEMON_DEVICES_CONF_H
#define NOOK_DAEMON_DEVICES_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/base/err.h"
#include "registry.h"

#define NOOK_DEVICE_CONF_LINE_MAX 511

struct nook_device_conf {
	char file[256];
	char address[32];
	char driver[32];
	char ifname[16];
	char params[NOOK_MAX_PARAMS][NOOK_PARAM_LEN];
	size_t n_params;
	bool force;
	/* NOOK_CONF_RUN_STATE only */
	bool has_kernel_driver;
	char kernel_driver[32];
	char program[PATH_MAX];
	char ethtool[NOOK_DEVICE_CONF_LINE_MAX + 1]; /* KEY=VALUE lines, as the net shadow's */
};

/* What a file is: a devices.d entry, or nookd's record of an attached device. */
enum nook_conf_kind { NOOK_CONF_DEVICES_D, NOOK_CONF_RUN_STATE };

/* Parse one file. -EINVAL with the file and line named in @err for anything malformed. */
int nook_device_conf_parse(const char *path, struct nook_device_conf *ret_conf,
			   struct nook_err *err);
int nook_device_conf_parse_kind(const char *path, enum nook_conf_kind kind,
				struct nook_device_conf *ret_conf, struct nook_err *err);

/*
 * Every *.conf of @dir in name order, each parsed; @fn gets each good one, and the
 * error of each bad one (which is skipped). A missing @dir is no error.
 */
int nook_device_conf_each(const char *dir,
			  void (*fn)(const struct nook_device_conf *conf,
				     const struct nook_err *err, void *ctx),
			  void *ctx);
int nook_device_conf_each_kind(const char *dir, enum nook_conf_kind kind,
			       void (*fn)(const struct nook_device_conf *conf,
					  const struct nook_err *err, void *ctx),
			       void *ctx);

#endif
