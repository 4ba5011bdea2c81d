// SPDX-License-Identifier: GPL-2.0-only
/* A private dbus-daemon for the daemon's unit tests (see private-bus.h). */
#include "private-bus.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

sd_bus *private_bus_connect(const struct private_bus *b)
{
	sd_bus *bus = NULL;

	if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, b->address) < 0 ||
	    sd_bus_set_bus_client(bus, 1) < 0 || sd_bus_start(bus) < 0)
		return sd_bus_unref(bus);
	return bus;
}

int private_bus_start(struct private_bus *b)
{
	char conf[128], sock[128];
	FILE *f;

	memset(b, 0, sizeof(*b));
	snprintf(b->dir, sizeof(b->dir), "/tmp/nook-test-bus-XXXXXX");
	if (!mkdtemp(b->dir) || chmod(b->dir, 0755) < 0)
		return -1;
	snprintf(conf, sizeof(conf), "%s/bus.conf", b->dir);
	snprintf(sock, sizeof(sock), "%s/bus", b->dir);
	snprintf(b->address, sizeof(b->address), "unix:path=%s", sock);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f,
		"<busconfig><type>custom</type><listen>%s</listen><auth>EXTERNAL</auth>"
		"<policy context=\"default\"><allow user=\"*\"/><allow own=\"*\"/>"
		"<allow send_destination=\"*\"/><allow receive_sender=\"*\"/></policy>"
		"</busconfig>\n",
		b->address);
	fclose(f);
	b->daemon = fork();
	if (b->daemon < 0)
		return -1;
	if (b->daemon == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 1);
		execlp("dbus-daemon", "dbus-daemon", "--nofork", "--nopidfile", "--config-file",
		       conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && access(sock, F_OK) < 0; i++)
		usleep(10000);
	return access(sock, F_OK);
}

void private_bus_stop(struct private_bus *b)
{
	char path[128];

	if (b->daemon > 0) {
		kill(b->daemon, SIGTERM);
		waitpid(b->daemon, NULL, 0);
		b->daemon = 0;
	}
	if (!*b->dir)
		return;
	snprintf(path, sizeof(path), "%s/bus.conf", b->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bus", b->dir);
	unlink(path);
	rmdir(b->dir);
	*b->dir = '\0';
}
