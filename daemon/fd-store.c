// SPDX-License-Identifier: GPL-2.0-only
/* The fds systemd keeps for nookd across its restarts (see fd-store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "fd-store.h"
#include "log.h"

#define MAX_KEPT 1024

/* What systemd passed at start, not yet taken. */
static struct kept {
	char *name;
	int fd;
} kept[MAX_KEPT];
static unsigned int n_kept;

static void name_of(const char *kind, const char *addr, char *buf, size_t len)
{
	snprintf(buf, len, "%s@%s", kind, addr);
	for (char *s = buf; *s; s++)
		if (*s == ':')
			*s = '_';
}

static void notify(struct nookd *d, const char *what, const char *name, int fd)
{
	char state[160];
	int r;

	snprintf(state, sizeof(state), "%s\nFDNAME=%s", what, name);
	r = fd >= 0 ? sd_pid_notify_with_fds(0, 0, state, &fd, 1) : sd_notify(0, state);
	if (r < 0)
		nookd_log(LOG_WARNING, NULL, NULL, NULL,
			  "cannot hand systemd's fd store %s (%s): a restart of nookd will "
			  "restart the driver it belongs to",
			  name, strerror(-r));
}

void nookd_fdstore_put(struct nookd *d, const char *kind, const char *addr, int fd)
{
	char name[64];

	if (!d->cfg.fd_store || fd < 0)
		return;
	name_of(kind, addr, name, sizeof(name));
	notify(d, "FDSTOREREMOVE=1", name, -1);
	notify(d, "FDSTORE=1", name, fd);
}

void nookd_fdstore_drop(struct nookd *d, const char *kind, const char *addr)
{
	char name[64];

	if (!d->cfg.fd_store)
		return;
	name_of(kind, addr, name, sizeof(name));
	notify(d, "FDSTOREREMOVE=1", name, -1);
}

void nookd_fdstore_load(struct nookd *d)
{
	char **names = NULL;
	int n;

	if (!d->cfg.fd_store)
		return;
	n = sd_listen_fds_with_names(1, &names);
	if (n < 0) {
		nookd_log(LOG_WARNING, NULL, NULL, NULL, "cannot read the fds systemd kept: %s",
			  strerror(-n));
		return;
	}
	for (int i = 0; i < n; i++) {
		int fd = SD_LISTEN_FDS_START + i;

		if (n_kept == MAX_KEPT || !names || !names[i]) {
			close(fd);
			free(names ? names[i] : NULL);
			continue;
		}
		kept[n_kept].fd = fd;
		kept[n_kept++].name = names[i];
	}
	free(names);
	if (n > 0)
		nookd_log(LOG_INFO, NULL, NULL, NULL, "systemd kept %d fd(s) of the nookd before",
			  n);
}

int nookd_fdstore_take(struct nookd *d, const char *kind, const char *addr)
{
	char name[64];

	name_of(kind, addr, name, sizeof(name));
	for (unsigned int i = 0; i < n_kept; i++) {
		int fd = kept[i].fd;

		if (fd < 0 || strcmp(kept[i].name, name))
			continue;
		kept[i].fd = -1;
		return fd;
	}
	return -1;
}

void nookd_fdstore_release_rest(struct nookd *d)
{
	for (unsigned int i = 0; i < n_kept; i++) {
		if (kept[i].fd >= 0) {
			close(kept[i].fd);
			/* systemd still has its copy: a TAP's would keep an interface alive */
			notify(d, "FDSTOREREMOVE=1", kept[i].name, -1);
		}
		free(kept[i].name);
	}
	n_kept = 0;
}
