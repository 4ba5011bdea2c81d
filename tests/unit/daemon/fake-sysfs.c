// SPDX-License-Identifier: GPL-2.0-only
/* A fake /sys and a model of the kernel's PCI binding (see fake-sysfs.h). */
#include "fake-sysfs.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/bind.h"

char fake_root[PATH_MAX];
char fake_writes[4096];

/* The driver each device goes to when probed without an override (its "natural" one). */
static struct {
	char addr[16];
	char natural[32];
} homes[16];
static unsigned int n_homes;

static void sh(const char *fmt, ...)
{
	char cmd[4 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *text, const char *fmt, ...)
{
	char path[2 * PATH_MAX];
	va_list ap;
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/", fake_root);
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - (size_t)n, fmt, ap);
	va_end(ap);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void bind_link(const char *addr, const char *driver)
{
	char path[2 * PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver", fake_root, addr);
	unlink(path);
	if (!*driver)
		return;
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
	assert_int_equal(symlink(target, path), 0);
}

static int model_write(const char *path, const char *value);
static int model_has_addr(const char *ifname);
static const struct nook_bind_ops model_ops = { model_write, model_has_addr };

void fake_sysfs_create(void)
{
	char tmpl[] = "/tmp/nook-fake-sysfs-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	snprintf(fake_root, sizeof(fake_root), "%s", tmpl);
	sh("mkdir -p %s/sys/bus/pci/devices %s/sys/bus/pci/drivers %s/sys/kernel/iommu_groups "
	   "%s/sys/class/net",
	   fake_root, fake_root, fake_root, fake_root);
	put("", "sys/bus/pci/drivers_probe");
	fake_writes[0] = '\0';
	n_homes = 0;
	nook_bind_set_ops(&model_ops);
}

void fake_sysfs_destroy(void)
{
	sh("rm -rf '%s'", fake_root);
	nook_bind_set_ops(NULL);
}

void fake_driver_load(const char *driver)
{
	sh("mkdir -p %s/sys/bus/pci/drivers/%s", fake_root, driver);
}

void fake_pci_add(const char *addr, unsigned int vendor, unsigned int device, unsigned int class,
		  int group, const char *driver)
{
	char v[16];

	sh("mkdir -p %s/sys/bus/pci/devices/%s", fake_root, addr);
	snprintf(v, sizeof(v), "0x%04x\n", vendor);
	put(v, "sys/bus/pci/devices/%s/vendor", addr);
	snprintf(v, sizeof(v), "0x%04x\n", device);
	put(v, "sys/bus/pci/devices/%s/device", addr);
	snprintf(v, sizeof(v), "0x%06x\n", class);
	put(v, "sys/bus/pci/devices/%s/class", addr);
	put("0x1af4\n", "sys/bus/pci/devices/%s/subsystem_vendor", addr);
	put("0x1100\n", "sys/bus/pci/devices/%s/subsystem_device", addr);
	put("(null)\n", "sys/bus/pci/devices/%s/driver_override", addr);
	if (group >= 0) {
		sh("mkdir -p %s/sys/kernel/iommu_groups/%d/devices", fake_root, group);
		sh("ln -s ../../../../kernel/iommu_groups/%d %s/sys/bus/pci/devices/%s/iommu_group",
		   group, fake_root, addr);
		sh("ln -s ../../../../devices/pci0000:00/%s "
		   "%s/sys/kernel/iommu_groups/%d/devices/%s",
		   addr, fake_root, group, addr);
	}
	if (*driver)
		fake_driver_load(driver);
	bind_link(addr, driver);
	assert_true(n_homes < 16);
	snprintf(homes[n_homes].addr, sizeof(homes[n_homes].addr), "%s", addr);
	snprintf(homes[n_homes].natural, sizeof(homes[n_homes].natural), "%s", driver);
	n_homes++;
}

void fake_net_add(const char *addr, const char *ifname, unsigned int flags)
{
	char v[16];

	sh("mkdir -p %s/sys/bus/pci/devices/%s/net/%s %s/sys/class/net/%s", fake_root, addr, ifname,
	   fake_root, ifname);
	snprintf(v, sizeof(v), "0x%x\n", flags);
	put(v, "sys/class/net/%s/flags", ifname);
}

const char *fake_bound(const char *addr)
{
	static char buf[PATH_MAX];
	char path[2 * PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver", fake_root, addr);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return "";
	buf[n] = '\0';
	return strrchr(buf, '/') + 1;
}

const char *fake_override(const char *addr)
{
	static char buf[64];
	char path[2 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/driver_override", fake_root, addr);
	f = fopen(path, "r");
	assert_non_null(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int driver_loaded(const char *driver)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/sys/bus/pci/drivers/%s", fake_root, driver);
	return access(path, F_OK) == 0;
}

/* The kernel's drivers_probe: the override if set, else the device's natural driver. */
static void model_probe(const char *addr)
{
	const char *ov = fake_override(addr);
	const char *want = "";

	if (*fake_bound(addr))
		return;
	if (*ov && strcmp(ov, "(null)")) {
		want = ov;
	} else {
		for (unsigned int i = 0; i < n_homes; i++)
			if (!strcmp(homes[i].addr, addr))
				want = homes[i].natural;
	}
	if (*want && driver_loaded(want))
		bind_link(addr, want);
}

static int model_write(const char *path, const char *value)
{
	const char *rel = path + strlen(fake_root);
	char addr[32];
	size_t used = strlen(fake_writes);

	snprintf(fake_writes + used, sizeof(fake_writes) - used, "%s=%s\n", strrchr(rel, '/') + 1,
		 strcmp(value, "\n") ? value : "");
	if (strstr(rel, "new_id"))
		fail_msg("new_id written: %s", rel);
	if (!strcmp(rel, "/sys/bus/pci/drivers_probe")) {
		model_probe(value);
		return 0;
	}
	if (sscanf(rel, "/sys/bus/pci/devices/%12s", addr) != 1)
		return -ENOENT;
	addr[12] = '\0';
	if (strstr(rel, "/driver/unbind")) {
		if (!*fake_bound(addr) || strcmp(value, addr))
			return -ENODEV;
		bind_link(addr, "");
		return 0;
	}
	if (strstr(rel, "/driver_override")) {
		put(strcmp(value, "\n") ? value : "", "sys/bus/pci/devices/%s/driver_override",
		    addr);
		return 0;
	}
	return -EACCES;
}

/* Interfaces whose names start with "addr" have an address. */
static int model_has_addr(const char *ifname)
{
	return !strncmp(ifname, "addr", 4);
}
