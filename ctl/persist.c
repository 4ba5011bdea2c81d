// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach --persist and detach --persist (see nookctl.h): a device's entry in nookd's devices
 * directory, which nookd reads at its start and on `systemctl reload nookd`, as driverctl
 * keeps its overrides. nookctl writes BDF.conf there, all at once (a file written beside it,
 * then renamed), and reads it back with nookd's own parser before it says it is done.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/base/dirs.h"
#include "common/base/pci-addr.h"
#include "daemon/devices-conf.h"
#include "nookctl.h"

const char *nookctl_devices_dir(void)
{
	const char *dir = getenv("NOOK_DEVICES_DIR");

	return dir && *dir ? dir : "/etc/nook/devices.d";
}

/* DIR/DDDD:BB:DD.F.conf, the entry nookctl writes for @addr. */
static int entry_path(const char *addr, char *path, size_t len)
{
	struct nook_pci_addr a;
	char bdf[NOOK_PCI_ADDR_LEN];

	if (nook_pci_addr_parse(addr, &a) < 0)
		return -EINVAL;
	snprintf(path, len, "%s/%s.conf", nookctl_devices_dir(), nook_pci_addr_format(&a, bdf));
	return 0;
}

int nookctl_persist_write(const struct nookctl_attach_args *a, char *ret_path, size_t len)
{
	struct nook_device_conf check;
	struct nook_err err = { 0 };
	char tmp[PATH_MAX + 8];
	FILE *f;
	int fd, r;

	if (entry_path(a->addr, ret_path, len) < 0)
		return nookctl_die("'%s' is not a PCI address", a->addr);
	/* the devices directory and those above it: a fresh system has no /etc/nook */
	r = nook_make_parents(ret_path);
	if (r < 0)
		return nookctl_die("cannot make %s: %s", nookctl_devices_dir(), strerror(-r));
	snprintf(tmp, sizeof(tmp), "%s.new", ret_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return nookctl_die("cannot write %s: %m", tmp);
	}
	fprintf(f, "# written by nookctl attach --persist; nookctl detach --persist removes it\n");
	fprintf(f, "address=%s\n", a->addr);
	if (a->driver)
		fprintf(f, "driver=%s\n", a->driver);
	if (a->ifname)
		fprintf(f, "ifname=%s\n", a->ifname);
	for (int i = 0; i < a->n_params; i++)
		fprintf(f, "param=%s\n", a->params[i]);
	if (a->force)
		fprintf(f, "force=yes\n");
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
		unlink(tmp);
		return nookctl_die("cannot write %s: %m", tmp);
	}
	/* What nookd will read must be what it can read: nookd's own parser says. */
	if (nook_device_conf_parse(tmp, &check, &err) < 0) {
		unlink(tmp);
		return nookctl_die("not persisted: %s", err.msg);
	}
	if (rename(tmp, ret_path) < 0) {
		unlink(tmp);
		return nookctl_die("cannot put %s in place: %m", ret_path);
	}
	return 0;
}

struct named_by {
	struct nook_pci_addr addr;
	char files[512];
};

static void find_entry(const struct nook_device_conf *conf, const struct nook_err *err, void *ctx)
{
	struct named_by *n = ctx;
	struct nook_pci_addr a;
	size_t len = strlen(n->files);

	if (conf && nook_pci_addr_parse(conf->address, &a) == 0 && a.domain == n->addr.domain &&
	    a.bus == n->addr.bus && a.dev == n->addr.dev && a.fn == n->addr.fn)
		snprintf(n->files + len, sizeof(n->files) - len, "%s%s", len ? ", " : "",
			 conf->file);
}

int nookctl_persist_forget(const char *addr, bool forget)
{
	struct named_by n = { 0 };
	char path[PATH_MAX];

	if (nook_pci_addr_parse(addr, &n.addr) < 0 || entry_path(addr, path, sizeof(path)) < 0)
		return 0;
	if (forget) {
		if (unlink(path) == 0)
			printf("%s: %s removed: nookd no longer attaches it when it starts\n", addr,
			       path);
		else if (errno != ENOENT)
			return nookctl_die("cannot remove %s: %m", path);
	}
	nook_device_conf_each(nookctl_devices_dir(), find_entry, &n);
	if (*n.files)
		printf("%s: %s still %s it: nookd attaches it again when it starts%s\n", addr,
		       n.files, strchr(n.files, ',') ? "name" : "names",
		       forget ? " (nookctl wrote none of them: remove them by hand)" :
				" (nookctl detach --persist forgets it)");
	return 0;
}
