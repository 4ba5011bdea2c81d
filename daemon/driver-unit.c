// SPDX-License-Identifier: GPL-2.0-only
/* A driver process's scope unit (see driver-unit.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-bus.h>

#include "common/base/pci-addr.h"
#include "driver-unit.h"
#include "log.h"

struct placing {
	char addr[NOOK_PCI_ADDR_LEN];
	char driver[32];
	pid_t pid;
};

/* The scope's name for @pid of the device at @addr. */
static void unit_name(const char *addr, pid_t pid, char *buf, size_t len)
{
	/* a PCI address is made of what a unit name may hold: hex digits, ':' and '.' */
	snprintf(buf, len, "nook-driver-%s-%d.scope", addr, (int)pid);
}

static int on_placed(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct placing *p = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);

	if (e)
		nookd_log(LOG_WARNING, p->addr, p->driver, NULL,
			  "cannot give driver pid %d a scope of its own (%s): it runs in nookd's "
			  "cgroup, without limits of its own",
			  (int)p->pid, e->message ? e->message : e->name);
	free(p);
	return 0;
}

void nookd_driver_unit_place(struct nookd *d, const char *addr, const char *driver, pid_t pid,
			     bool standby)
{
	sd_bus_message *m = NULL;
	struct placing *p;
	char name[96], desc[160];
	int r;

	if (!d->bus || !d->cfg.driver_units)
		return;
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	snprintf(p->driver, sizeof(p->driver), "%s", driver);
	p->pid = pid;
	unit_name(addr, pid, name, sizeof(name));
	snprintf(desc, sizeof(desc), "nook %s driver%s of %s", driver, standby ? " (standby)" : "",
		 addr);
	r = sd_bus_message_new_method_call(d->bus, &m, "org.freedesktop.systemd1",
					   "/org/freedesktop/systemd1",
					   "org.freedesktop.systemd1.Manager",
					   "StartTransientUnit");
	if (r >= 0)
		r = sd_bus_message_append(m, "ss", name, "fail");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "(sv)");
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)", "Description", "s", desc,
					  "PIDs", "au", 1, (uint32_t)pid, "CollectMode", "s",
					  "inactive-or-failed", "MemoryMax", "t",
					  (uint64_t)NOOK_DRIVER_MEMORY_MAX, "TasksMax", "t",
					  (uint64_t)NOOK_DRIVER_TASKS_MAX);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_message_append(m, "a(sa(sv))", 0);
	if (r >= 0)
		r = sd_bus_call_async(d->bus, NULL, m, on_placed, p, 0);
	sd_bus_message_unref(m);
	if (r < 0) {
		nookd_log(LOG_WARNING, addr, driver, NULL,
			  "cannot ask systemd for a scope for driver pid %d: %s", (int)pid,
			  strerror(-r));
		free(p);
	}
}
