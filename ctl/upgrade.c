// SPDX-License-Identifier: GPL-2.0-only
/*
 * upgrade BDF [--driver PATH] and upgrade --all (see nookctl.h): a live driver upgrade,
 * nookd's Upgrade, which answers once the new program runs the device or was rolled back.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nookctl.h"

static int upgrade_one(const char *addr, const char *path)
{
	sd_bus_message *reply = NULL;
	const char *outcome = "";

	if (nookctl_call("Upgrade", &reply, "ss", addr, path) < 0)
		return 1;
	sd_bus_message_read(reply, "s", &outcome);
	printf("%s: upgraded: %s\n", addr, outcome);
	sd_bus_message_unref(reply);
	return 0;
}

/* Every running device to the program its driver has on disk now (after a package upgrade). */
static int upgrade_all(void)
{
	struct nookctl_served *list;
	int n = nookctl_served_get(&list), failed = 0;

	if (n < 0)
		return nookctl_die("cannot list the devices nookd serves: %s", strerror(-n));
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i].state, "running")) {
			printf("%s: not upgraded: it is %s (its next start runs the program on "
			       "disk)\n",
			       list[i].addr, list[i].state);
			continue;
		}
		failed |= upgrade_one(list[i].addr, "");
	}
	if (!n)
		printf("nookd serves no device: nothing to upgrade\n");
	free(list);
	return failed;
}

int nookctl_cmd_upgrade(int argc, char **argv)
{
	char path[PATH_MAX] = "";

	if (argc == 2 && !strcmp(argv[1], "--all"))
		return upgrade_all();
	if (argc == 4 && !strcmp(argv[2], "--driver")) {
		/* nookd runs what the path names: an absolute one, resolved here */
		if (!realpath(argv[3], path))
			return nookctl_die("%s: %s", argv[3], strerror(errno));
	} else if (argc != 2) {
		fprintf(stderr, "usage: nookctl upgrade BDF [--driver PATH] | --all\n");
		return 2;
	}
	return upgrade_one(argv[1], path);
}
