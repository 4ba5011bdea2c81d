// SPDX-License-Identifier: GPL-2.0-only
/* nookd's D-Bus API (see bus.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base/clock.h"
#include "bus.h"
#include "bus-polkit.h"
#include "supervisor.h"

static struct {
	ev_io io;
	ev_timer timer;
	ev_prepare prepare;
	sd_bus_slot *slots[5];
} B;

/* --- driving sd-bus from libev */

static void bus_process(struct nookd *d)
{
	int r;

	while ((r = sd_bus_process(d->bus, NULL)) > 0)
		;
	if (r < 0 && r != -EBUSY) {
		fprintf(stderr, "nookd: lost the bus: %s; stopping\n", strerror(-r));
		ev_break(d->loop, EVBREAK_ALL);
	}
}

static void on_bus_io(struct ev_loop *loop, ev_io *w, int revents)
{
	bus_process(w->data);
}

static void on_bus_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	bus_process(w->data);
}

/* Before each wait: poll what sd-bus wants polled, until when it wants. */
static void on_bus_prepare(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct nookd *d = w->data;
	int fd = sd_bus_get_fd(d->bus), ev = sd_bus_get_events(d->bus);
	uint64_t until;

	ev_io_stop(loop, &B.io);
	ev_io_set(&B.io, fd, ((ev & POLLIN) ? EV_READ : 0) | ((ev & POLLOUT) ? EV_WRITE : 0));
	ev_io_start(loop, &B.io);
	ev_timer_stop(loop, &B.timer);
	if (sd_bus_get_timeout(d->bus, &until) >= 0 && until != UINT64_MAX) {
		uint64_t now_us = (uint64_t)nook_now_ns() / 1000;

		ev_timer_set(&B.timer, until > now_us ? (double)(until - now_us) / 1e6 : 0.0, 0.0);
		ev_timer_start(loop, &B.timer);
	}
}

/* --- helpers */

static int path_of(const struct nook_device *dev, char **ret_path)
{
	return sd_bus_path_encode(NOOK_BUS_DEVICE_PREFIX, dev->addr, ret_path);
}

/*
 * Changing anything is for root, or for whom polkit authorizes (bus-polkit.h): 0, or
 * NOOKD_POLKIT_PENDING (return it: the call comes again with polkit's answer), or an error.
 */
static int authorize(sd_bus_message *m, sd_bus_error *error)
{
	return nookd_polkit_authorize(m, NOOKD_POLKIT_ACTION, error);
}

static int fail(sd_bus_error *error, const struct nook_err *err)
{
	const char *name = SD_BUS_ERROR_FAILED;

	if (err->code == -EINVAL)
		name = SD_BUS_ERROR_INVALID_ARGS;
	else if (err->code == -EPERM || err->code == -EACCES)
		name = SD_BUS_ERROR_ACCESS_DENIED;
	return sd_bus_error_set(error, name, err->msg);
}

static struct nook_device *find_device(struct nookd *d, const char *addr, sd_bus_error *error)
{
	struct nook_device *dev = nook_registry_find(&d->reg, addr);

	if (!dev)
		sd_bus_error_setf(error, "org.nook.Nook1.Error.NotAttached",
				  "%s is not attached to nook (nookctl list shows what is)", addr);
	return dev;
}

/*
 * The device named by a method's address argument; a change must be authorized first. 0
 * with @ret_dev; NOOKD_POLKIT_PENDING (the method returns it, unanswered); or an error.
 */
static int read_device(sd_bus_message *m, struct nookd *d, bool change, sd_bus_error *error,
		       struct nook_device **ret_dev)
{
	const char *addr;
	int r;

	r = change ? authorize(m, error) : 0;
	if (r != 0)
		return r;
	r = sd_bus_message_read(m, "s", &addr);
	if (r < 0)
		return r;
	*ret_dev = find_device(d, addr, error);
	return *ret_dev ? 0 : -ENODEV;
}

/* --- org.nook.Nook1.Manager */

static int read_attach_options(sd_bus_message *m, struct nook_attach_opts *o, const char **params,
			       size_t max)
{
	const char *key;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r < 0)
			return r;
		if (!strcmp(key, "driver"))
			r = sd_bus_message_read(m, "v", "s", &o->driver);
		else if (!strcmp(key, "ifname"))
			r = sd_bus_message_read(m, "v", "s", &o->ifname);
		else if (!strcmp(key, "force")) {
			int force = 0;

			r = sd_bus_message_read(m, "v", "b", &force);
			o->force = force;
		} else if (!strcmp(key, "params")) {
			r = sd_bus_message_enter_container(m, 'v', "as");
			if (r >= 0)
				r = sd_bus_message_enter_container(m, 'a', "s");
			while (r >= 0 && o->n_params < max &&
			       (r = sd_bus_message_read(m, "s", &params[o->n_params])) > 0)
				o->n_params++;
			if (r >= 0 && o->n_params == max && sd_bus_message_at_end(m, false) == 0)
				return -E2BIG;
			if (r >= 0)
				r = sd_bus_message_exit_container(m);
			if (r >= 0)
				r = sd_bus_message_exit_container(m);
		} else
			return -ENOENT;
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int method_attach(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	const char *params[NOOK_MAX_PARAMS];
	struct nook_attach_opts o = { .params = params };
	struct nook_err err = { 0 };
	struct nook_device *dev;
	const char *addr;
	char *path = NULL;
	int r;

	r = authorize(m, error);
	if (r != 0)
		return r;
	r = sd_bus_message_read(m, "s", &addr);
	if (r >= 0)
		r = read_attach_options(m, &o, params, NOOK_MAX_PARAMS);
	if (r == -ENOENT)
		return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS,
					"unknown attach option (driver, ifname, params, force)");
	if (r == -E2BIG)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "too many module parameters: at most %d", NOOK_MAX_PARAMS);
	if (r < 0)
		return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS,
					"malformed attach options");
	if (nookd_attach(d, addr, &o, &dev, &err) < 0)
		return fail(error, &err);
	r = path_of(dev, &path);
	if (r >= 0)
		r = sd_bus_reply_method_return(m, "o", path);
	free(path);
	return r;
}

static void detach_done(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	sd_bus_message *m = ctx;

	if (r < 0)
		sd_bus_reply_method_errorf(m, SD_BUS_ERROR_FAILED, "%s", err->msg);
	else
		sd_bus_reply_method_return(m, "");
	sd_bus_message_unref(m);
}

static int method_detach(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_device *dev;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	/* The reply goes out once the driver has stopped and the kernel has the device. */
	if (nookd_detach(d, dev, detach_done, sd_bus_message_ref(m)) < 0) {
		sd_bus_message_unref(m);
		return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "%s is being detached already",
					 dev->addr);
	}
	return 1;
}

static void upgrade_done(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	sd_bus_message *m = ctx;

	if (r < 0)
		sd_bus_reply_method_errorf(m, SD_BUS_ERROR_FAILED, "%s", err->msg);
	else
		sd_bus_reply_method_return(m, "s", err->msg);
	sd_bus_message_unref(m);
}

static int method_upgrade(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	const char *path;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	r = sd_bus_message_read(m, "s", &path);
	if (r < 0)
		return r;
	/* The reply goes out once the new program runs the device, or was rolled back. */
	r = nookd_upgrade(d, dev, path, upgrade_done, sd_bus_message_ref(m), &err);
	if (r < 0) {
		sd_bus_message_unref(m);
		return fail(error, &err);
	}
	return 1;
}

static int method_restart_or_reset(sd_bus_message *m, void *userdata, sd_bus_error *error,
				   bool reset)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	r = reset ? nookd_reset_failed(d, dev, &err) : nookd_restart(d, dev, &err);
	if (r < 0)
		return fail(error, &err);
	return sd_bus_reply_method_return(m, "");
}

static int method_restart(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	return method_restart_or_reset(m, userdata, error, false);
}

static int method_reset_failed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	return method_restart_or_reset(m, userdata, error, true);
}

static int method_debug(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	if (nookd_debug(d, dev, &err) < 0)
		return fail(error, &err);
	return sd_bus_reply_method_return(m, "u", (uint32_t)dev->pid);
}

static void ethtool_done(struct nookd *d, void *ctx, int r, const char *text)
{
	sd_bus_message *m = ctx, *reply = NULL;
	char *copy, *line, *save = NULL;

	if (r < 0) {
		sd_bus_reply_method_errorf(m, SD_BUS_ERROR_FAILED, "%s: %s",
					   r == -ETIMEDOUT || r == -ESRCH ?
						   "the driver did not answer" :
						   "the driver refused",
					   strerror(-r));
		sd_bus_message_unref(m);
		return;
	}
	copy = strdup(text);
	r = copy ? sd_bus_message_new_method_return(m, &reply) : -ENOMEM;
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "{ss}");
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; r >= 0 && line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq || eq == line)
			continue;
		*eq = '\0';
		r = sd_bus_message_append(reply, "{ss}", line, eq + 1);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		sd_bus_send(NULL, reply, NULL);
	else
		sd_bus_reply_method_errorf(m, SD_BUS_ERROR_FAILED, "%s", strerror(-r));
	free(copy);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
}

static int method_ethtool(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	int r;

	/* Reading what ethtool would show is anyone's, as with Linux's ethtool -i. */
	r = read_device(m, d, false, error, &dev);
	if (r < 0)
		return r;
	/* The reply goes out when the driver has answered. */
	if (nookd_ethtool(d, dev, NULL, ethtool_done, sd_bus_message_ref(m), &err) < 0) {
		sd_bus_message_unref(m);
		return fail(error, &err);
	}
	return 1;
}

/* a{ss} into "key=value" lines; -EINVAL for a key or value with '=' or a newline in it. */
static int read_settings(sd_bus_message *m, char *buf, size_t size)
{
	const char *k, *v;
	size_t len = 0;
	int r, n;

	r = sd_bus_message_enter_container(m, 'a', "{ss}");
	while (r >= 0 && (r = sd_bus_message_read(m, "{ss}", &k, &v)) > 0) {
		if (!*k || strpbrk(k, "=\n") || strchr(v, '\n'))
			return -EINVAL;
		n = snprintf(buf + len, size - len, "%s=%s\n", k, v);
		if (n < 0 || (size_t)n >= size - len)
			return -E2BIG;
		len += (size_t)n;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int method_ethtool_set(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	char text[256] = "";
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	r = read_settings(m, text, sizeof(text));
	if (r < 0)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "%s",
					 r == -E2BIG ? "too many settings at once" :
						       "settings are KEY=VALUE pairs");
	if (nookd_ethtool(d, dev, text, ethtool_done, sd_bus_message_ref(m), &err) < 0) {
		sd_bus_message_unref(m);
		return fail(error, &err);
	}
	return 1;
}

static int method_inject(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	const char *kind;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	r = sd_bus_message_read(m, "s", &kind);
	if (r < 0)
		return r;
	if (nookd_inject(d, dev, kind, &err) < 0)
		return fail(error, &err);
	return sd_bus_reply_method_return(m, "");
}

static int method_inject_plan(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	const char *specs[NOOKD_MAX_PLANNED];
	struct nookd *d = userdata;
	struct nook_err err = { 0 };
	struct nook_device *dev;
	unsigned int n = 0;
	const char *s;
	int r;

	r = read_device(m, d, true, error, &dev);
	if (r != 0)
		return r;
	r = sd_bus_message_enter_container(m, 'a', "s");
	while (r >= 0 && (r = sd_bus_message_read(m, "s", &s)) > 0) {
		if (n == NOOKD_MAX_PLANNED)
			return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
						 "a trial plans at most %d faults",
						 NOOKD_MAX_PLANNED);
		specs[n++] = s;
	}
	if (r < 0)
		return r;
	if (nookd_inject_plan(d, dev, specs, n, &err) < 0)
		return fail(error, &err);
	return sd_bus_reply_method_return(m, "");
}

static int method_get_device(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nook_device *dev;
	char *path = NULL;
	int r;

	r = read_device(m, userdata, false, error, &dev);
	if (r < 0)
		return r;
	r = path_of(dev, &path);
	if (r >= 0)
		r = sd_bus_reply_method_return(m, "o", path);
	free(path);
	return r;
}

static int method_list_devices(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	sd_bus_message *reply = NULL;
	int r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "o");
	for (struct nook_device *dev = d->reg.devices; r >= 0 && dev; dev = dev->next) {
		char *path = NULL;

		r = path_of(dev, &path);
		if (r >= 0)
			r = sd_bus_message_append(reply, "o", path);
		free(path);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static int method_list_drivers(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct nookd *d = userdata;
	sd_bus_message *reply = NULL;
	char id[64];
	int r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(sas)");
	for (size_t i = 0; r >= 0 && i < d->drivers.n; i++) {
		const struct nook_driver *drv = &d->drivers.drivers[i];

		r = sd_bus_message_open_container(reply, 'r', "sas");
		if (r >= 0)
			r = sd_bus_message_append(reply, "s", drv->name);
		if (r >= 0)
			r = sd_bus_message_open_container(reply, 'a', "s");
		for (size_t j = 0; r >= 0 && j < drv->n_ids; j++)
			r = sd_bus_message_append(reply, "s",
						  nook_driver_id_format(&drv->ids[j], id,
									sizeof(id)));
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
		if (r >= 0)
			r = sd_bus_message_close_container(reply);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_NAMES("Attach", "sa{sv}", SD_BUS_PARAM(address) SD_BUS_PARAM(options),
				 "o", SD_BUS_PARAM(device), method_attach,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Detach", "s", SD_BUS_PARAM(address), "", , method_detach,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Restart", "s", SD_BUS_PARAM(address), "", , method_restart,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Upgrade", "ss", SD_BUS_PARAM(address) SD_BUS_PARAM(driver), "s",
				 SD_BUS_PARAM(outcome), method_upgrade, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("ResetFailed", "s", SD_BUS_PARAM(address), "", ,
				 method_reset_failed, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Debug", "s", SD_BUS_PARAM(address), "u", SD_BUS_PARAM(pid),
				 method_debug, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Ethtool", "s", SD_BUS_PARAM(address), "a{ss}", SD_BUS_PARAM(info),
				 method_ethtool, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("EthtoolSet", "sa{ss}",
				 SD_BUS_PARAM(address) SD_BUS_PARAM(settings), "a{ss}",
				 SD_BUS_PARAM(info), method_ethtool_set,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("Inject", "ss", SD_BUS_PARAM(address) SD_BUS_PARAM(fault), "", ,
				 method_inject, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("InjectPlan", "sas", SD_BUS_PARAM(address) SD_BUS_PARAM(faults),
				 "", , method_inject_plan, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("GetDevice", "s", SD_BUS_PARAM(address), "o", SD_BUS_PARAM(device),
				 method_get_device, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("ListDevices", "", , "ao", SD_BUS_PARAM(devices),
				 method_list_devices, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("ListDrivers", "", , "a(sas)", SD_BUS_PARAM(drivers),
				 method_list_drivers, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

/* --- org.nook.Nook1.Device */

static int prop_string(sd_bus *bus, const char *path, const char *iface, const char *prop,
		       sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;
	const char *v = "";

	if (!strcmp(prop, "Address"))
		v = dev->addr;
	else if (!strcmp(prop, "Driver"))
		v = dev->driver;
	else if (!strcmp(prop, "State"))
		v = nook_dev_state_name(dev->state);
	else if (!strcmp(prop, "LastFailure"))
		v = dev->last_failure;
	else if (!strcmp(prop, "KernelDriver"))
		v = dev->orig_driver;
	else if (!strcmp(prop, "Class"))
		v = nook_dev_class_name(dev->cls);
	return sd_bus_message_append(reply, "s", v);
}

static int prop_interfaces(sd_bus *bus, const char *path, const char *iface, const char *prop,
			   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;
	int r = sd_bus_message_open_container(reply, 'a', "s");

	if (r >= 0 && *dev->interfaces)
		r = sd_bus_message_append(reply, "s", dev->interfaces);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_parameters(sd_bus *bus, const char *path, const char *iface, const char *prop,
			   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;
	int r = sd_bus_message_open_container(reply, 'a', "s");

	for (unsigned int i = 0; r >= 0 && i < dev->n_params; i++)
		r = sd_bus_message_append(reply, "s", dev->params[i]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_pid(sd_bus *bus, const char *path, const char *iface, const char *prop,
		    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;

	return sd_bus_message_append(reply, "u", (uint32_t)(dev->pid > 0 ? dev->pid : 0));
}

static int prop_standby_pid(sd_bus *bus, const char *path, const char *iface, const char *prop,
			    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;

	return sd_bus_message_append(reply, "u",
				     (uint32_t)(dev->standby_pid > 0 ? dev->standby_pid : 0));
}

static int prop_statistics(sd_bus *bus, const char *path, const char *iface, const char *prop,
			   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_nic_counters *c = &((const struct nook_device *)userdata)->counters;
	const struct {
		const char *name;
		uint64_t v;
	} kv[] = {
#define COUNTER_KV(name) { #name, c->name },
		NOOK_NIC_COUNTERS(COUNTER_KV)
#undef COUNTER_KV
	};
	int r = sd_bus_message_open_container(reply, 'a', "{st}");

	for (size_t i = 0; r >= 0 && i < sizeof(kv) / sizeof(kv[0]); i++)
		r = sd_bus_message_append(reply, "{st}", kv[i].name, kv[i].v);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/*
 * (failure, detected_usec, injected, started_ms, ready_ms, carrier_ms, traffic_ms), oldest
 * first; detected_usec is wall-clock time (µs since the epoch), as systemd's timestamps are.
 */
static int prop_recoveries(sd_bus *bus, const char *path, const char *iface, const char *prop,
			   sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_recovery_log *log = &((const struct nook_device *)userdata)->recoveries;
	const struct nook_recovery *e;
	uint64_t mono_ms = nookd_now_ms(), wall_us = nookd_wall_us();
	int r = sd_bus_message_open_container(reply, 'a', "(stsuuuu)");

	for (unsigned int i = 0; r >= 0 && (e = nook_recovery_at(log, i)); i++)
		r = sd_bus_message_append(reply, "(stsuuuu)", nook_failure_kind_name(e->kind),
					  e->detected_wall_us ?
						  e->detected_wall_us :
						  wall_us - (mono_ms - e->detected_ms) * 1000,
					  e->injected, e->phase_ms[NOOK_RECOVERY_STARTED],
					  e->phase_ms[NOOK_RECOVERY_READY],
					  e->phase_ms[NOOK_RECOVERY_CARRIER],
					  e->phase_ms[NOOK_RECOVERY_TRAFFIC]);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* The newest fault-injection trial: (planned faults, its driver's pid, how many fired). */
static int prop_fault(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;

	return sd_bus_message_append(reply, "(suu)", dev->fault_plan,
				     (uint32_t)(dev->fault_pid > 0 ? dev->fault_pid : 0),
				     dev->faults_fired);
}

static int prop_debug(sd_bus *bus, const char *path, const char *iface, const char *prop,
		      sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct nook_device *dev = userdata;

	return sd_bus_message_append(reply, "b", (int)dev->debug);
}

static const sd_bus_vtable device_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Address", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Driver", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Class", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("KernelDriver", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Parameters", "as", prop_parameters, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("State", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("StateSinceUsec", "t", NULL, offsetof(struct nook_device, state_since_us),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Pid", "u", prop_pid, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("StandbyPid", "u", prop_standby_pid, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Restarts", "u", NULL, offsetof(struct nook_device, restarts),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Debugging", "b", prop_debug, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Interfaces", "as", prop_interfaces, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("LastFailure", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("LastRecoveryMs", "t", NULL, offsetof(struct nook_device, last_recovery_ms),
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Recoveries", "a(stsuuuu)", prop_recoveries, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Fault", "(suu)", prop_fault, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	/* Changes with every packet: read it, do not wait for a signal. */
	SD_BUS_PROPERTY("Statistics", "a{st}", prop_statistics, 0, 0),
	SD_BUS_VTABLE_END,
};

static int find_device_object(sd_bus *bus, const char *path, const char *iface, void *userdata,
			      void **ret_found, sd_bus_error *error)
{
	struct nookd *d = userdata;
	struct nook_device *dev;
	char *addr = NULL;
	int r;

	r = sd_bus_path_decode(path, NOOK_BUS_DEVICE_PREFIX, &addr);
	if (r <= 0)
		return r;
	dev = nook_registry_find(&d->reg, addr);
	free(addr);
	if (!dev)
		return 0;
	*ret_found = dev;
	return 1;
}

static int enumerate_devices(sd_bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
			     sd_bus_error *error)
{
	struct nookd *d = userdata;
	char **nodes = calloc(d->reg.n + 1, sizeof(*nodes));
	size_t i = 0;

	if (!nodes)
		return -ENOMEM;
	for (struct nook_device *dev = d->reg.devices; dev && i < d->reg.n; dev = dev->next)
		if (path_of(dev, &nodes[i]) >= 0)
			i++;
	*ret_nodes = nodes;
	return 0;
}

/* --- the supervisor's hooks */

static void on_added(struct nookd *d, struct nook_device *dev)
{
	char *path = NULL;

	if (path_of(dev, &path) >= 0)
		sd_bus_emit_object_added(d->bus, path);
	free(path);
}

static void on_changed(struct nookd *d, struct nook_device *dev)
{
	char *path = NULL;

	if (path_of(dev, &path) >= 0 && nook_registry_find(&d->reg, dev->addr) == dev)
		sd_bus_emit_properties_changed(d->bus, path, NOOK_BUS_DEVICE_IFACE, "State",
					       "StateSinceUsec", "Pid", "StandbyPid", "Restarts",
					       "Debugging", "Interfaces", "LastFailure",
					       "LastRecoveryMs", "Recoveries", "Fault", NULL);
	free(path);
}

static void on_removed(struct nookd *d, struct nook_device *dev)
{
	char *path = NULL;

	if (path_of(dev, &path) >= 0)
		sd_bus_emit_object_removed(d->bus, path);
	free(path);
}

int nookd_bus_start(struct nookd *d)
{
	int r;

	r = sd_bus_open_system(&d->bus);
	if (r < 0) {
		fprintf(stderr, "nookd: cannot connect to the system bus: %s (is dbus running?)\n",
			strerror(-r));
		return r;
	}
	r = sd_bus_add_object_vtable(d->bus, &B.slots[0], NOOK_BUS_PATH, NOOK_BUS_MANAGER_IFACE,
				     manager_vtable, d);
	if (r >= 0)
		r = sd_bus_add_fallback_vtable(d->bus, &B.slots[1], NOOK_BUS_DEVICE_PREFIX,
					       NOOK_BUS_DEVICE_IFACE, device_vtable,
					       find_device_object, d);
	if (r >= 0)
		r = sd_bus_add_node_enumerator(d->bus, &B.slots[2], NOOK_BUS_DEVICE_PREFIX,
					       enumerate_devices, d);
	if (r >= 0)
		r = sd_bus_add_object_manager(d->bus, &B.slots[3], NOOK_BUS_PATH);
	if (r < 0) {
		fprintf(stderr, "nookd: cannot publish the D-Bus objects: %s\n", strerror(-r));
		return r;
	}
	r = sd_bus_request_name(d->bus, NOOK_BUS_NAME, 0);
	if (r < 0) {
		fprintf(stderr, "nookd: cannot own %s on the system bus: %s%s\n", NOOK_BUS_NAME,
			strerror(-r),
			r == -EEXIST ? " (another nookd is running)" :
			r == -EACCES ? " (the D-Bus policy org.nook.Nook1.conf is not installed, "
				       "or nookd is not root)" :
				       "");
		return r;
	}
	d->added = on_added;
	d->changed = on_changed;
	d->removed = on_removed;
	ev_io_init(&B.io, on_bus_io, sd_bus_get_fd(d->bus), EV_READ);
	ev_timer_init(&B.timer, on_bus_timer, 0.0, 0.0);
	ev_prepare_init(&B.prepare, on_bus_prepare);
	B.io.data = B.timer.data = B.prepare.data = d;
	ev_prepare_start(d->loop, &B.prepare);
	return 0;
}

void nookd_bus_stop(struct nookd *d)
{
	ev_prepare_stop(d->loop, &B.prepare);
	ev_io_stop(d->loop, &B.io);
	ev_timer_stop(d->loop, &B.timer);
	d->added = d->changed = d->removed = NULL;
	for (size_t i = 0; i < sizeof(B.slots) / sizeof(B.slots[0]); i++)
		B.slots[i] = sd_bus_slot_unref(B.slots[i]);
	nookd_polkit_forget_all();
	sd_bus_flush(d->bus);
	d->bus = sd_bus_flush_close_unref(d->bus);
}
