// SPDX-License-Identifier: GPL-2.0-only
/* The standby: a device's next incarnation, started ahead of need (see standby.h). */
#include "standby.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/ipc/control.h"
#include "common/vfio/vfio.h"
#include "daemon/driver-text.h"
#include "daemon/supervised.h"

static void standby_forget(struct nookd_dev *nd)
{
	struct ev_loop *loop = nd->d->loop;

	ev_child_stop(loop, &nd->standby_child);
	ev_io_stop(loop, &nd->standby_log_io);
	nd->dev->standby_pid = 0;
	nd->standby_ctl = nd->standby_log = -1;
	if (nd->d->changed)
		nd->d->changed(nd->d, nd->dev);
}

/* The standby is gone, or going: its fds too. */
static void standby_drop(struct nookd_dev *nd)
{
	close(nd->standby_ctl);
	close(nd->standby_log);
	standby_forget(nd);
}

/* Let the standby go. It holds no device and has nothing to tidy: it is simply killed. */
void nookd_standby_stop(struct nookd_dev *nd)
{
	ev_timer_stop(nd->d->loop, &nd->standby_timer);
	if (nd->dev->standby_pid <= 0)
		return;
	kill(nd->dev->standby_pid, SIGKILL);
	standby_drop(nd);
}

/* A standby speaks only when something went wrong. */
static void on_standby_log(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd_dev *nd = w->data;
	char buf[1024];
	ssize_t n = read(nd->standby_log, buf, sizeof(buf) - 1);

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			ev_io_stop(loop, w);
		return;
	}
	buf[n] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		nook_text_clean(line, false); /* the driver's text (driver-text.h) */
		snprintf(nd->standby_last_line, sizeof(nd->standby_last_line), "%s", line);
		if (driver_channel_log_admit(nd))
			nookd_dev_log(nd, "standby: %s", line);
	}
}

/* "" or, after a standby that died soon, when the next may start. */
static const char *standby_wait_text(struct nookd_dev *nd, char *buf, size_t len)
{
	uint64_t wait = nook_standby_backoff_died(&nd->standby_backoff, nd->standby_started_ms,
						  nookd_now_ms());

	if (!wait)
		return "";
	snprintf(buf, len,
		 "; it died %llu ms after its start, so no new standby starts for "
		 "%llu s",
		 (unsigned long long)(nookd_now_ms() - nd->standby_started_ms),
		 (unsigned long long)(wait / 1000));
	return buf;
}

static void on_standby_child(struct ev_loop *loop, ev_child *w, int revents)
{
	struct nookd_dev *nd = w->data;
	int status = w->rstatus;
	char buf[128];
	const char *wait = standby_wait_text(nd, buf, sizeof(buf));

	on_standby_log(loop, &nd->standby_log_io, EV_READ);
	if (WIFSIGNALED(status))
		snprintf(nd->standby_end, sizeof(nd->standby_end), "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(nd->standby_end, sizeof(nd->standby_end), "exited with status %d%s%.200s",
			 WEXITSTATUS(status), *nd->standby_last_line ? ": " : "",
			 nd->standby_last_line);
	nookd_dev_log(nd,
		      "the standby (pid %d) %s%s; the next restart starts a driver from scratch%s",
		      w->rpid, WIFSIGNALED(status) ? "was " : "", nd->standby_end, wait);
	standby_drop(nd);
	nookd_upgrade_standby_died(nd);
}

/* @wanted: a standby even under --no-standby (a live upgrade's). */
static void standby_start(struct nookd_dev *nd, bool wanted)
{
	struct nook_err err = { 0 };
	struct ev_loop *loop = nd->d->loop;

	if (nd->dev->standby_pid > 0 || nd->done || (nd->d->cfg.no_standby && !wanted))
		return;
	if (nookd_dev_spawn(nd, NULL, -1, &nd->dev->standby_pid, &nd->standby_ctl, &nd->standby_log,
			    &err) < 0) {
		nd->dev->standby_pid = 0;
		nookd_dev_log(nd,
			      "cannot start a standby: %s; the next restart starts a driver from "
			      "scratch",
			      err.msg);
		return;
	}
	nd->standby_started_ms = nookd_now_ms();
	ev_child_set(&nd->standby_child, nd->dev->standby_pid, 0);
	ev_child_start(loop, &nd->standby_child);
	ev_io_set(&nd->standby_log_io, nd->standby_log, EV_READ);
	ev_io_start(loop, &nd->standby_log_io);
	nookd_dev_log(nd, "standby started (pid %d)", (int)nd->dev->standby_pid);
	if (nd->d->changed)
		nd->d->changed(nd->d, nd->dev);
}

int nookd_standby_now(struct nookd_dev *nd, struct nook_err *err)
{
	nookd_standby_stop(nd);
	nook_standby_backoff_init(&nd->standby_backoff);
	*nd->standby_end = *nd->standby_last_line = '\0';
	standby_start(nd, true);
	if (nd->dev->standby_pid > 0)
		return 0;
	return nook_err_set(err, -EIO, "%s: cannot start %s as a standby (nookd's log says why)",
			    nd->dev->addr, nd->driver_path);
}

static void on_standby_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	standby_start(w->data, false);
}

void nookd_standby_later(struct nookd_dev *nd, unsigned int delay_ms)
{
	struct ev_loop *loop = nd->d->loop;
	double delay;

	if (nd->dev->standby_pid > 0 || nd->done || nd->d->cfg.no_standby)
		return;
	/* Not before the backoff after a standby that died soon ends (standby-backoff.h). */
	delay = nook_standby_backoff_delay(&nd->standby_backoff, nookd_now_ms(), delay_ms) / 1000.0;
	if (ev_is_active(&nd->standby_timer) &&
	    ev_timer_remaining(loop, &nd->standby_timer) <= delay)
		return;
	ev_timer_stop(loop, &nd->standby_timer);
	ev_timer_set(&nd->standby_timer, delay, 0.0);
	ev_timer_start(loop, &nd->standby_timer);
}

/*
 * Hand the device to the standby, if there is one: it becomes the incarnation. False: no
 * standby, or it could not take the device (then it is gone, and the caller spawns).
 */
bool nookd_standby_adopt(struct nookd_dev *nd, struct nook_vfio_dev *vdev, int class_fd,
			 pid_t *ret_pid, int *ret_ctl, int *ret_log)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_ADOPT, .adopt.n_fds = NOOK_CTL_ADOPT_FDS };
	int fds[NOOK_CTL_ADOPT_FDS] = { vdev->container_fd, vdev->group_fd, vdev->device_fd,
					class_fd };
	int r;

	ev_timer_stop(nd->d->loop, &nd->standby_timer);
	if (nd->dev->standby_pid <= 0)
		return false;
	r = nook_ctl_send_fds(nd->standby_ctl, &m, fds, NOOK_CTL_ADOPT_FDS);
	if (r < 0) {
		char buf[128];

		nookd_dev_log(nd,
			      "the standby (pid %d) cannot take the device: %s; starting a driver "
			      "from scratch%s",
			      (int)nd->dev->standby_pid, strerror(-r),
			      standby_wait_text(nd, buf, sizeof(buf)));
		nookd_standby_stop(nd);
		return false;
	}
	nook_standby_backoff_adopted(&nd->standby_backoff);
	*ret_pid = nd->dev->standby_pid;
	*ret_ctl = nd->standby_ctl;
	*ret_log = nd->standby_log;
	standby_forget(nd);
	return true;
}

void nookd_standby_init(struct nookd_dev *nd)
{
	nd->standby_ctl = nd->standby_log = -1;
	ev_child_init(&nd->standby_child, on_standby_child, 0, 0);
	ev_io_init(&nd->standby_log_io, on_standby_log, -1, EV_READ);
	ev_init(&nd->standby_timer, on_standby_timer);
	nd->standby_child.data = nd->standby_log_io.data = nd->standby_timer.data = nd;
	nook_standby_backoff_init(&nd->standby_backoff);
}
