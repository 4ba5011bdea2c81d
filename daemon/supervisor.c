// SPDX-License-Identifier: GPL-2.0-only
/*
 * The supervisor (see supervisor.h): the life of each device's driver incarnations. Each
 * attached device has a runtime record (supervised.h): its TAP (held across incarnations,
 * so the interface, its ifindex, addresses and routes outlive a driver), and for the running
 * incarnation its process, control socket, log pipe and heartbeat watch. Every end of an
 * incarnation goes through on_child(), which decides by what was asked (nothing: a failure;
 * a restart; a detach) what comes next. What is said with a running driver is in
 * driver-channel.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if.h> /* IFF_LOWER_UP, after net/if.h */
#include <linux/if_tun.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/base/clock.h"
#include "bind.h"
#include "common/ipc/control.h"
#include "dma-fault-watch.h"
#include "driver-text.h"
#include "driver-unit.h"
#include "devices-conf.h"
#include "fd-store.h"
#include "log.h"
#include "recovery/failure.h"
#include "recovery/standby.h"
#include "pci-scan.h"
#include "supervised.h"
#include "sound-server.h"
#include "spawn.h"
#include "supervisor.h"
#include "common/net/link-watch.h"
#include "common/net/tap.h"
#include "common/vfio/vfio.h"
#include "recovery/silent-watch.h"
#include "run-state.h"
#include "recovery/net-replay.h"
#include "modules.h"

/* The fds a supervised driver program finds (docs/driver-program.md). */
/* FD_CLASS: a NIC's TAP, or a sound card's sound channel */
enum { FD_CONTROL = 3, FD_CONTAINER, FD_GROUP, FD_DEVICE, FD_CLASS, FD_COUNT };

/* RLIMIT_MEMLOCK of a driver: VFIO charges its pinned DMA arena (64 MiB) to it. */
#define DRIVER_MEMLOCK (96ull << 20)

/*
 * A driver's nice value. A kernel driver handles its interrupts at once, in IRQ context; a
 * driver process woken by its interrupt's eventfd would wait its turn behind the busy
 * process on that CPU, which lowers a NIC's interrupt rate and throughput. A raised
 * priority lets it run first, while CFS still shares the CPU fairly; a real-time policy,
 * which a hostile driver could use to starve a CPU, is never used.
 */
#define DRIVER_NICE (-10)

/* RLIMIT_NOFILE of a driver: it holds a few dozen fds at most (its device's, its TAP or
 * sound channel, its loop's and interrupts' eventfds and timers). */
#define DRIVER_NOFILE 256

uint64_t nookd_now_ms(void)
{
	return (uint64_t)nook_now_ms();
}

uint64_t nookd_wall_us(void)
{
	return (uint64_t)nook_wall_us();
}

void nookd_dev_set_state(struct nookd_dev *nd, enum nook_dev_state state)
{
	if (nd->dev->state != state || !nd->dev->state_since_us)
		nd->dev->state_since_us = nookd_wall_us();
	nd->dev->state = state;
	if (nd->d->changed)
		nd->d->changed(nd->d, nd->dev);
	if (state == NOOK_DEV_RUNNING)
		nookd_upgrade_running(nd);
}

static void dev_vlog(struct nookd_dev *nd, int priority, const char *message_id, const char *fmt,
		     va_list ap)
{
	nookd_vlog(priority, nd->dev->addr, *nd->dev->driver ? nd->dev->driver : NULL, message_id,
		   fmt, ap);
}

void nookd_dev_log(struct nookd_dev *nd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vlog(nd, LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void nookd_dev_logp(struct nookd_dev *nd, int priority, const char *message_id, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vlog(nd, priority, message_id, fmt, ap);
	va_end(ap);
}

/*
 * A process sent SIGKILL dies as soon as it leaves the kernel; one that does not within this
 * long waits there (on a device, a file system, its io_uring's cancellations) and holds its
 * device meanwhile: nookd says so, and where, once.
 */
#define STUCK_AFTER_KILL_MS 5000

void nookd_dev_kill(struct nookd_dev *nd, int sig)
{
	if (nd->dev->pid <= 0)
		return;
	kill(nd->dev->pid, sig);
	if (sig == SIGKILL && !nd->sigkill_at_ms) {
		nd->sigkill_at_ms = nookd_now_ms();
		ev_timer_stop(nd->d->loop, &nd->kill_timer);
		ev_timer_set(&nd->kill_timer, STUCK_AFTER_KILL_MS / 1000.0, 0.0);
		ev_timer_start(nd->d->loop, &nd->kill_timer);
	}
}

/* Where a process waits in the kernel: its state letter and wchan ("?" if hidden). */
static void where_stuck(pid_t pid, char *state, char *wchan, size_t len)
{
	char path[64], buf[512];
	const char *paren;
	FILE *f;

	*state = '?';
	snprintf(wchan, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f) && (paren = strrchr(buf, ')')) && paren[1] == ' ')
			*state = paren[2];
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(buf, sizeof(buf), f) && *buf && strcmp(buf, "0"))
			snprintf(wchan, len, "%.63s", buf);
		fclose(f);
	}
}

static void failure(struct nookd_dev *nd, enum nook_failure_kind kind, const char *why);

static void on_heartbeat_check(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nookd_dev *nd = w->data;
	uint64_t silent = nookd_now_ms() - nd->last_heartbeat_ms;
	/*
	 * Loading a driver program and pinning its DMA arena may take longer than a beat: until
	 * its first beat an incarnation has the start timeout. From then on its loop runs, and
	 * so does the heartbeat through the probe (msleep() turns the loop): a probe that hangs
	 * is judged by the heartbeat timeout, in time for the applications that wait on the
	 * device.
	 */
	unsigned int limit = nd->dev->state == NOOK_DEV_RUNNING || nd->beating ?
				     nd->d->cfg.heartbeat_timeout_ms :
				     nd->d->cfg.start_timeout_ms;
	if (silent < limit || *nd->verdict || nd->dev->debug)
		return;
	snprintf(nd->verdict, sizeof(nd->verdict), "hung%s: no heartbeat for %llu ms",
		 nd->dev->state == NOOK_DEV_RUNNING ? "" : " while starting",
		 (unsigned long long)silent);
	nd->verdict_kind = NOOK_FAILURE_HANG;
	nookd_dev_logp(nd, LOG_WARNING, NULL, "%s; killing pid %d", nd->verdict, (int)nd->dev->pid);
	nookd_dev_kill(nd, SIGKILL);
}

/* --- the end of an incarnation */

/* What nookd saw of an incarnation's end (recovery/failure.h). */
static struct nook_incarnation_end end_of(const struct nookd_dev *nd, int status)
{
	return (struct nook_incarnation_end){
		.verdict = nd->verdict,
		.verdict_kind = nd->verdict_kind,
		.fatal = nd->fatal,
		.last_line = nd->last_line,
		.status = status,
	};
}

static void close_incarnation(struct nookd_dev *nd)
{
	struct ev_loop *loop = nd->d->loop;

	ev_child_stop(loop, &nd->child);
	ev_io_stop(loop, &nd->pid_io);
	if (nd->pidfd >= 0)
		close(nd->pidfd);
	nd->pidfd = -1;
	if (!nd->sound) {
		nookd_fdstore_drop(nd->d, NOOK_FDS_CTL, nd->dev->addr);
		nookd_fdstore_drop(nd->d, NOOK_FDS_LOG, nd->dev->addr);
		nookd_fdstore_drop(nd->d, NOOK_FDS_PID, nd->dev->addr);
	}
	ev_timer_stop(loop, &nd->heartbeat);
	ev_timer_stop(loop, &nd->kill_timer);
	ev_io_stop(loop, &nd->ctl_io);
	driver_channel_drain(nd);
	if (nd->log_fd >= 0) {
		driver_channel_on_log(loop, &nd->log_io, EV_READ); /* what is still in the pipe */
		driver_channel_log_flush(nd);
		ev_io_stop(loop, &nd->log_io);
		close(nd->log_fd);
		nd->log_fd = -1;
	}
	if (nd->ctl_fd >= 0)
		close(nd->ctl_fd);
	nd->ctl_fd = -1;
	nd->dev->pid = 0;
	if (nd->sound)
		nookd_sound_driver_gone(nd->sound);
	/* The next incarnation counts from 0: what this one counted stays in the sum. */
	nd->dev->counters_base = nd->dev->counters;
	driver_channel_close(nd);
}

static void finish_detach(struct nookd_dev *nd);

/* The incarnation's process is gone: @status is its wait status, if @adopted is false. */
static void incarnation_ended(struct nookd_dev *nd, int status, bool adopted)
{
	char why[NOOK_FAILURE_LEN];
	struct nook_err err = { 0 };
	/* what the driver still had to say is read by close_incarnation(): end's text points at it */
	struct nook_incarnation_end end = end_of(nd, status);

	end.adopted = adopted;
	close_incarnation(nd);
	nook_failure_describe(&end, why, sizeof(why));
	switch (nd->on_end) {
	case END_DETACH:
		nookd_dev_log(nd, "driver stopped (%s)", why);
		finish_detach(nd);
		return;
	case END_RESTART:
		nookd_dev_log(nd, "driver stopped for a restart (%s)", why);
		nd->on_end = END_FAILURE;
		if (nookd_dev_launch(nd, &err) < 0)
			failure(nd, NOOK_FAILURE_START, err.msg);
		return;
	case END_FAILURE:
		failure(nd, nook_failure_classify(&end), why);
		return;
	}
}

static void on_child(struct ev_loop *loop, ev_child *w, int revents)
{
	incarnation_ended(w->data, w->rstatus, false);
}

/* An adopted driver (not nookd's child, so no wait status) is gone: its pidfd is readable. */
static void on_adopted_end(struct ev_loop *loop, ev_io *w, int revents)
{
	incarnation_ended(w->data, 0, true);
}

static void on_restart_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nookd_dev *nd = w->data;
	struct nook_err err = { 0 };

	nd->dev->restarts++;
	if (nookd_dev_launch(nd, &err) < 0)
		failure(nd, NOOK_FAILURE_START, err.msg);
}

static void failure(struct nookd_dev *nd, enum nook_failure_kind kind, const char *why)
{
	struct nook_device *dev = nd->dev;
	struct nookd *d = nd->d;
	uint64_t now = nookd_now_ms(), delay = 0;

	/* A bus property: valid UTF-8 whatever part of @why the driver wrote (driver-text.h). */
	nook_text_copy(dev->last_failure, sizeof(dev->last_failure), why, false);
	if (nookd_upgrade_failed(nd, dev->last_failure))
		return; /* a new program that did not come up: the old one runs again */
	nook_recovery_close(&dev->recoveries);
	if (dev->debug) {
		nookd_dev_logp(nd, LOG_NOTICE, NULL,
			       "driver ended under a debugger: %s; not restarting "
			       "(nookctl restart %s starts it again)",
			       why, dev->addr);
		nookd_dev_set_state(nd, NOOK_DEV_STOPPED);
		return;
	}
	nook_restart_on_running(&dev->restart, &d->cfg.policy, dev->started_at_ms, now);
	if (nook_restart_on_failure(&dev->restart, &d->cfg.policy, now, &delay) ==
	    NOOK_RESTART_GIVE_UP) {
		nookd_dev_logp(nd, LOG_ERR, NOOKD_MESSAGE_FAILURE,
			       "driver failed: %s; too many failures, giving up "
			       "(nookctl reset-failed %s starts it again)",
			       why, dev->addr);
		nookd_dev_set_state(nd, NOOK_DEV_FAILED);
		return;
	}
	nook_recovery_begin(&dev->recoveries, kind, nd->injected, now);
	nook_recovery_stamp(&dev->recoveries, nookd_wall_us());
	nookd_dev_logp(nd, LOG_WARNING, NOOKD_MESSAGE_FAILURE,
		       "driver failed: %s; restarting in %llu ms", why, (unsigned long long)delay);
	ev_timer_set(&nd->restart_timer, (double)delay / 1000.0, 0.0);
	ev_timer_start(d->loop, &nd->restart_timer);
	nookd_dev_set_state(nd, NOOK_DEV_RECOVERING);
}

/* --- starting an incarnation */

#define MAX_ARGS (16 + NOOK_MAX_PARAMS + 2 * NOOKD_MAX_PLANNED)

/* A driver started now gets the device's fds on its command line; a standby, later, in ADOPT. */
static void build_argv(struct nookd_dev *nd, bool standby, char *const *argv_out, char bufs[][24],
		       char *plan)
{
	const char **argv = (const char **)argv_out;
	struct nook_device *dev = nd->dev;
	int n = 0;

	snprintf(bufs[0], 24, "%d", FD_CONTROL);
	snprintf(bufs[1], 24, "%d,%d,%d", FD_CONTAINER, FD_GROUP, FD_DEVICE);
	snprintf(bufs[2], 24, "%d", FD_CLASS);
	snprintf(bufs[3], 24, "%u", nd->d->cfg.heartbeat_ms);
	argv[n++] = nd->driver_path;
	argv[n++] = "--supervised";
	if (standby)
		argv[n++] = "--standby";
	argv[n++] = "--device";
	argv[n++] = dev->addr;
	if (!nd->sound) {
		argv[n++] = "--ifname";
		argv[n++] = dev->interfaces;
	}
	argv[n++] = "--control-fd";
	argv[n++] = bufs[0];
	if (!standby) {
		argv[n++] = "--vfio-fds";
		argv[n++] = bufs[1];
		argv[n++] = nd->sound ? "--sound-fd" : "--tap-fd";
		argv[n++] = bufs[2];
	}
	argv[n++] = "--heartbeat-ms";
	argv[n++] = bufs[3];
	/* a trial's planned faults: @plan is a copy of the specs, cut up here */
	for (char *save = NULL, *s = plan ? strtok_r(plan, " ", &save) : NULL; s;
	     s = strtok_r(NULL, " ", &save)) {
		argv[n++] = "--fault";
		argv[n++] = s;
	}
	for (unsigned int i = 0; i < dev->n_params; i++)
		argv[n++] = dev->params[i];
	argv[n] = NULL;
}

/*
 * Start a driver process, confined (daemon/spawn.h), with its control socket and a log pipe
 * for its stdout and stderr; with @vdev and @class_fd (a driver that starts now), or without
 * (a standby).
 */
int nookd_dev_spawn(struct nookd_dev *nd, struct nook_vfio_dev *vdev, int class_fd, pid_t *ret_pid,
		    int *ret_ctl, int *ret_log, struct nook_err *err)
{
	struct nook_device *dev = nd->dev;
	char *argv[MAX_ARGS], bufs[4][24], plan[NOOK_FAULT_PLAN_TEXT];
	int sp[2], lp[2], fds[FD_COUNT] = { 0 }, r;
	struct nook_spawn_cfg cfg;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return nook_err_set(err, -errno, "%s: cannot make a control socket: %m", dev->addr);
	if (pipe2(lp, O_CLOEXEC) < 0) {
		r = nook_err_set(err, -errno, "%s: cannot make a log pipe: %m", dev->addr);
		close(sp[0]);
		close(sp[1]);
		return r;
	}
	fds[FD_CONTROL] = sp[1];
	if (vdev) {
		fds[FD_CONTAINER] = vdev->container_fd;
		fds[FD_GROUP] = vdev->group_fd;
		fds[FD_DEVICE] = vdev->device_fd;
		fds[FD_CLASS] = class_fd;
	}
	snprintf(plan, sizeof(plan), "%s", vdev ? nd->next_plan : "");
	build_argv(nd, !vdev, argv, bufs, plan);
	cfg = (struct nook_spawn_cfg){
		.name = dev->addr,
		.exe = nd->driver_path,
		.argv = argv,
		.fds = fds + FD_CONTROL,
		.n_fds = vdev ? FD_COUNT - FD_CONTROL : 1,
		.stdout_fd = lp[1],
		.stderr_fd = lp[1],
		.uid = NOOK_SPAWN_DEFAULT_ID,
		.gid = NOOK_SPAWN_DEFAULT_ID,
		.memlock = DRIVER_MEMLOCK,
		.nice = DRIVER_NICE,
		.nofile = DRIVER_NOFILE,
		.oom_first = true,
		.outlive_parent = nd->d->cfg.fd_store && !nd->sound,
	};
	r = nook_spawn_driver(&cfg, ret_pid, err);
	close(sp[1]);
	close(lp[1]);
	if (r < 0) {
		close(sp[0]);
		close(lp[0]);
		return r;
	}
	nookd_driver_unit_place(nd->d, dev->addr, dev->driver, *ret_pid, !vdev);
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	fcntl(lp[0], F_SETFL, O_NONBLOCK);
	*ret_ctl = sp[0];
	*ret_log = lp[0];
	return 0;
}

/* --- starting an incarnation */

/*
 * A NIC's driver runs on through a restart of nookd: systemd keeps nookd's ends of its
 * control socket and log pipe, and a pidfd of it, for the nookd after (fd-store.h).
 */
static void keep_incarnation(struct nookd_dev *nd, pid_t pid)
{
	int pidfd;

	if (!nd->d->cfg.fd_store)
		return;
	pidfd = (int)pidfd_open(pid, 0);
	nookd_fdstore_put(nd->d, NOOK_FDS_CTL, nd->dev->addr, nd->ctl_fd);
	nookd_fdstore_put(nd->d, NOOK_FDS_LOG, nd->dev->addr, nd->log_fd);
	nookd_fdstore_put(nd->d, NOOK_FDS_PID, nd->dev->addr, pidfd);
	if (pidfd >= 0)
		close(pidfd);
}

/*
 * What every incarnation starts with, whether nookd started it or adopts it running: what
 * it said before forgotten, its control socket and log pipe read, its heartbeat watched.
 */
static void begin_incarnation(struct nookd_dev *nd, pid_t pid, int ctl, int logfd)
{
	struct ev_loop *loop = nd->d->loop;

	nd->ctl_fd = ctl;
	nd->log_fd = logfd;
	nd->loglen = 0;
	memset(&nd->rate, 0, sizeof(nd->rate));
	*nd->last_line = *nd->fatal = *nd->verdict = *nd->injected = '\0';
	nd->verdict_kind = -1;
	nd->on_end = END_FAILURE;
	silent_watch_start(nd);
	nd->dev->pid = pid;
	nd->beating = false;
	nd->sigkill_at_ms = 0;
	nd->dev->started_at_ms = nd->last_heartbeat_ms = nookd_now_ms();
	ev_io_set(&nd->ctl_io, ctl, EV_READ);
	ev_io_start(loop, &nd->ctl_io);
	ev_io_set(&nd->log_io, logfd, EV_READ);
	ev_io_start(loop, &nd->log_io);
	ev_timer_set(&nd->heartbeat, 0.0, nd->d->cfg.heartbeat_timeout_ms / 4000.0);
	ev_timer_again(loop, &nd->heartbeat);
}

int nookd_dev_launch(struct nookd_dev *nd, struct nook_err *err)
{
	struct nook_device *dev = nd->dev;
	struct ev_loop *loop = nd->d->loop;
	struct nook_vfio_dev *vdev;
	int class_fd = nd->tap_fd, chan = -1, ctl = -1, logfd = -1, r;
	bool adopted;
	pid_t pid;

	r = nook_vfio_open(nd->d->cfg.sysfs_root, dev->addr, &vdev, err);
	if (r < 0)
		return r;
	if (nd->sound) {
		chan = nookd_sound_channel(nd->sound);
		if (chan < 0) {
			r = nook_err_set(err, chan, "%s: cannot make a sound channel: %s",
					 dev->addr, strerror(-chan));
			nook_vfio_close(vdev);
			return r;
		}
		class_fd = chan;
	}
	/* A trial's incarnation starts afresh with its faults; the standby waits for after. */
	adopted = !*nd->next_plan && nookd_standby_adopt(nd, vdev, class_fd, &pid, &ctl, &logfd);
	r = adopted ? 0 : nookd_dev_spawn(nd, vdev, class_fd, &pid, &ctl, &logfd, err);
	if (chan >= 0)
		close(chan);
	/* The child holds the device now; when it dies, the kernel resets and frees it. */
	nook_vfio_close(vdev);
	if (r < 0) {
		*nd->next_plan = '\0'; /* the trial did not start; it is not retried */
		return r;
	}
	begin_incarnation(nd, pid, ctl, logfd);
	if (!nd->sound)
		keep_incarnation(nd, pid);
	if (*nd->next_plan) {
		/* "planned-code", "planned-iface", "planned-dev": the first fault's class */
		snprintf(nd->injected, sizeof(nd->injected), "planned-%.*s",
			 (int)strcspn(nd->next_plan, ":"), nd->next_plan);
		snprintf(dev->fault_plan, sizeof(dev->fault_plan), "%s", nd->next_plan);
		dev->fault_pid = pid;
		dev->faults_fired = 0;
		*nd->next_plan = '\0';
	}
	nook_recovery_reached(&dev->recoveries, NOOK_RECOVERY_STARTED, dev->started_at_ms);
	ev_child_set(&nd->child, pid, 0);
	ev_child_start(loop, &nd->child);
	if (adopted)
		nookd_dev_log(nd, "handed the device to the standby (pid %d)", (int)pid);
	else
		nookd_dev_log(nd, "started %s (pid %d)", nd->driver_path, (int)pid);
	nookd_dev_set_state(nd, dev->state == NOOK_DEV_RECOVERING ? NOOK_DEV_RECOVERING :
								    NOOK_DEV_STARTING);
	return 0;
}

/* --- stopping */

static void on_kill_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nookd_dev *nd = w->data;
	char state, wchan[64];

	if (nd->sigkill_at_ms) {
		where_stuck(nd->dev->pid, &state, wchan, sizeof(wchan));
		nookd_dev_logp(nd, LOG_ERR, NULL,
			       "pid %d has not died %llu ms after SIGKILL: it waits in the kernel "
			       "(state %c, in %s) and holds its device until it leaves",
			       (int)nd->dev->pid,
			       (unsigned long long)(nookd_now_ms() - nd->sigkill_at_ms), state,
			       wchan);
		return;
	}
	nookd_dev_log(nd, "the driver did not stop within %u ms; killing it",
		      nd->d->cfg.shutdown_timeout_ms);
	nookd_dev_kill(nd, SIGKILL);
}

/* Ask the running driver to stop; on_child() does what @action says next. */
void nookd_dev_stop(struct nookd_dev *nd, enum end_action action)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_SHUTDOWN };

	nd->on_end = action;
	if (driver_channel_send(nd, &m) < 0)
		nookd_dev_kill(nd, SIGTERM);
	ev_timer_set(&nd->kill_timer, nd->d->cfg.shutdown_timeout_ms / 1000.0, 0.0);
	ev_timer_start(nd->d->loop, &nd->kill_timer);
}

static void nookd_dev_free(struct nookd_dev *nd)
{
	ev_timer_stop(nd->d->loop, &nd->restart_timer);
	nookd_standby_stop(nd);
	if (nd->tap_fd >= 0) {
		nookd_fdstore_drop(nd->d, NOOK_FDS_TAP, nd->dev->addr); /* or it outlives nookd */
		close(nd->tap_fd);
	}
	if (nd->sound)
		nookd_sound_close(nd->sound);
	free(nd);
}

static void finish_detach(struct nookd_dev *nd)
{
	struct nookd *d = nd->d;
	struct nook_device *dev = nd->dev;
	struct nook_err err = { 0 };
	nookd_done_fn done = nd->done;
	void *ctx = nd->done_ctx;
	int r;

	nookd_dev_set_state(nd, NOOK_DEV_STOPPED);
	nookd_dev_free(nd); /* the interface goes with the TAP */
	dev->priv = NULL;
	r = nook_bind_release(d->cfg.sysfs_root, dev->addr, dev->orig_driver, &err);
	nookd_run_state_forget(d, dev->addr);
	if (r < 0)
		fprintf(stderr, "%s: %s\n", dev->addr, err.msg);
	else
		fprintf(stderr, "%s: detached; %s has it again\n", dev->addr,
			*dev->orig_driver ? dev->orig_driver : "no driver");
	if (d->removed)
		d->removed(d, dev);
	nook_registry_remove(&d->reg, dev);
	if (done)
		done(d, ctx, r, &err);
}

/* --- the operations */

static const struct nook_driver *choose_driver(struct nookd *d, const struct nook_pci_info *info,
					       const char *name, struct nook_err *err)
{
	const struct nook_driver *drv;

	if (name) {
		drv = nook_drivers_find(&d->drivers, name);
		if (!drv)
			nook_err_set(err, -ENOENT,
				     "there is no nook driver named '%s' "
				     "(nookctl drivers lists them)",
				     name);
		else if (!nook_drivers_match(&(struct nook_driver_set){ (struct nook_driver *)drv,
									1 },
					     info))
			nook_err_set(err, -ENODEV,
				     "%s: driver %s does not take a %04x:%04x device "
				     "(nookctl drivers lists what each takes)",
				     info->addr, name, info->vendor, info->device);
		else
			return drv;
		return NULL;
	}
	drv = nook_drivers_match(&d->drivers, info);
	if (!drv)
		nook_err_set(err, -ENODEV,
			     "%s: no nook driver takes this %04x:%04x device%s%s%s%s%s "
			     "(nookctl drivers lists what each takes)",
			     info->addr, info->vendor, info->device, *info->vendor_name ? " (" : "",
			     info->vendor_name, *info->device_name ? " " : "", info->device_name,
			     *info->vendor_name ? ")" : "");
	return drv;
}

static struct nookd_dev *nookd_dev_new(struct nookd *d, struct nook_device *dev)
{
	struct nookd_dev *nd = calloc(1, sizeof(*nd));

	if (!nd)
		return NULL;
	nd->d = d;
	nd->dev = dev;
	nd->tap_fd = nd->ctl_fd = nd->log_fd = nd->standby_ctl = nd->standby_log = -1;
	ev_child_init(&nd->child, on_child, 0, 0);
	nd->pidfd = -1;
	ev_io_init(&nd->pid_io, on_adopted_end, -1, EV_READ);
	nd->pid_io.data = nd;
	nookd_standby_init(nd);
	ev_io_init(&nd->ctl_io, driver_channel_on_control, -1, EV_READ);
	ev_io_init(&nd->log_io, driver_channel_on_log, -1, EV_READ);
	ev_init(&nd->heartbeat, on_heartbeat_check);
	ev_init(&nd->kill_timer, on_kill_timer);
	ev_init(&nd->restart_timer, on_restart_timer);
	ev_init(&nd->ethtool_timer, driver_channel_on_ethtool_timeout);
	nd->ethtool_timer.data = nd;
	nookd_net_replay_init(nd);
	nookd_upgrade_init(nd);
	nd->verdict_kind = -1;
	nd->child.data = nd->ctl_io.data = nd->log_io.data = nd;
	nd->heartbeat.data = nd->kill_timer.data = nd->restart_timer.data = nd;
	dev->priv = nd;
	return nd;
}

static int open_interface(struct nookd_dev *nd, const char *want, struct nook_err *err)
{
	char name[IFNAMSIZ];
	int r = nook_tap_open(want ? want : "nook%d", name, &nd->tap_fd);

	if (r < 0)
		return nook_err_set(err, r, "%s: cannot create the interface %s: %s%s",
				    nd->dev->addr, want ? want : "nook%d", strerror(-r),
				    r == -EBUSY ? " (the name is in use)" : "");
	nook_tap_set_carrier(nd->tap_fd, false);
	nookd_fdstore_put(nd->d, NOOK_FDS_TAP, nd->dev->addr, nd->tap_fd);
	snprintf(nd->dev->interfaces, sizeof(nd->dev->interfaces), "%s", name);
	nd->ifindex = (int)if_nametoindex(name);
	return 0;
}

/* A stream picked up by a new incarnation sounds again: the recovery's third phase. */
static void sound_resumed(void *ctx)
{
	struct nookd_dev *nd = ctx;

	nook_recovery_reached(&nd->dev->recoveries, NOOK_RECOVERY_CARRIER, nookd_now_ms());
}

/* A stream picked up by a new incarnation played: the recovery is over. */
static void sound_flowing(void *ctx)
{
	driver_channel_traffic(ctx);
}

static void sound_misbehaved(void *ctx, const char *why, bool hung)
{
	struct nookd_dev *nd = ctx;

	if (*nd->verdict)
		return;
	snprintf(nd->verdict, sizeof(nd->verdict), "%s", why);
	nd->verdict_kind = hung ? NOOK_FAILURE_HANG : NOOK_FAILURE_PROTOCOL;
	nookd_dev_kill(nd, SIGKILL);
}

static bool sound_stalled(void *ctx, const char *why)
{
	return silent_watch_verdict(ctx, why);
}

/* A sound card's socket, served by nookd; "interfaces" shows its path. */
static int open_sound(struct nookd_dev *nd, struct nook_err *err)
{
	static const struct nookd_sound_hooks hooks = {
		.resumed = sound_resumed,
		.flowing = sound_flowing,
		.misbehaved = sound_misbehaved,
		.stalled = sound_stalled,
	};
	int r = nookd_sound_open(nd->d->loop, nd->dev->addr, &hooks, nd, &nd->sound, err);

	if (r == 0)
		snprintf(nd->dev->interfaces, sizeof(nd->dev->interfaces), "%s",
			 nookd_sound_path(nd->sound));
	return r;
}

/* Multimedia audio (ES1370, AC'97) and HD audio: a sound card; anything else a NIC. */
static bool is_sound_card(const struct nook_pci_info *info)
{
	return info->class >> 8 == 0x0401 || info->class >> 8 == 0x0403;
}

/* The program a nookd before this one ran the device with, if it is still that driver's. */
static int same_driver_program(struct nookd_dev *nd, const char *path, struct nook_err *err)
{
	struct nook_driver drv;
	int r = nook_driver_load(path, &drv, err);

	if (r < 0)
		return r;
	free(drv.ids);
	if (strcmp(drv.name, nd->dev->driver))
		return nook_err_set(err, -EINVAL, "%s is driver %s, not %s", path, drv.name,
				    nd->dev->driver);
	snprintf(nd->driver_path, sizeof(nd->driver_path), "%s", path);
	return 0;
}

static int setup_device(struct nookd *d, struct nook_device *dev, const struct nook_driver *drv,
			const struct nook_pci_info *info, const struct nook_attach_opts *o,
			struct nook_err *err)
{
	struct nookd_dev *nd;
	int r;

	snprintf(dev->driver, sizeof(dev->driver), "%s", drv->name);
	dev->force = o->force;
	for (size_t i = 0; i < o->n_params; i++) {
		r = nook_device_add_param(dev, o->params[i]);
		if (r < 0)
			return nook_err_set(err, r, "'%s' is not a KEY=VALUE module parameter%s",
					    o->params[i], r == -E2BIG ? " (too many)" : "");
	}
	nd = nookd_dev_new(d, dev);
	if (!nd)
		return nook_err_set(err, -ENOMEM, "%s: out of memory", dev->addr);
	snprintf(nd->driver_path, sizeof(nd->driver_path), "%s", drv->path);
	dev->cls = is_sound_card(info) ? NOOK_CLASS_SOUND : NOOK_CLASS_NET;
	/* On the real system (not a test's sysfs), what the kernel must have for the device. */
	if (!d->cfg.sysfs_root || !*d->cfg.sysfs_root) {
		r = nookd_module_need("vfio-pci", "/sys/bus/pci/drivers/vfio-pci", err);
		if (r >= 0 && dev->cls == NOOK_CLASS_NET)
			r = nookd_module_need("tun", "/sys/class/misc/tun", err);
		if (r < 0)
			return r;
	}
	if (o->program) {
		r = same_driver_program(nd, o->program, err);
		if (r < 0)
			return r;
	}
	r = nook_bind_vfio(d->cfg.sysfs_root, dev->addr, o->force, dev->orig_driver,
			   sizeof(dev->orig_driver), err);
	if (r < 0)
		return r;
	/* on vfio-pci because a nookd before this one had it: what it had before that */
	if (o->kernel_driver && !strcmp(dev->orig_driver, "vfio-pci"))
		snprintf(dev->orig_driver, sizeof(dev->orig_driver), "%s", o->kernel_driver);
	r = dev->cls == NOOK_CLASS_SOUND ? open_sound(nd, err) : open_interface(nd, o->ifname, err);
	if (r == 0)
		r = nookd_dev_launch(nd, err);
	if (r < 0)
		nook_bind_release(d->cfg.sysfs_root, dev->addr, dev->orig_driver,
				  &(struct nook_err){ 0 });
	return r;
}

int nookd_attach(struct nookd *d, const char *addr, const struct nook_attach_opts *o,
		 struct nook_device **ret_dev, struct nook_err *err)
{
	const struct nook_driver *drv;
	struct nook_pci_info info;
	struct nook_device *dev;
	int r;

	r = nook_pci_lookup(d->cfg.sysfs_root, addr, &info, err);
	if (r < 0)
		return r;
	nook_pci_names(&info);
	if (nook_registry_find(&d->reg, info.addr))
		return nook_err_set(err, -EEXIST, "%s is attached already (nookctl status %s)",
				    info.addr, info.addr);
	drv = choose_driver(d, &info, o->driver, err);
	if (!drv)
		return err->code;
	r = nook_registry_add(&d->reg, info.addr, &dev);
	if (r < 0)
		return nook_err_set(err, r, "%s: cannot add the device: %s", info.addr,
				    strerror(-r));
	r = setup_device(d, dev, drv, &info, o, err);
	if (r < 0) {
		if (dev->priv)
			nookd_dev_free(dev->priv);
		nook_registry_remove(&d->reg, dev);
		return r;
	}
	nookd_run_state_save(d, dev);
	if (d->added)
		d->added(d, dev);
	*ret_dev = dev;
	return 0;
}

/* --- adopting the NIC driver a nookd before this one left running */

/* The pid a pidfd refers to (its fdinfo's Pid:), or -1 when its process is gone. */
static pid_t pidfd_pid(int pidfd)
{
	char path[64], line[128];
	pid_t pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? pid : -1;
}

/* What was kept of a driver that is not adopted: ended, and its fds forgotten. */
static void end_leftover(struct nookd *d, const char *addr, int tap, int ctl, int logfd, int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	if (pidfd >= 0) {
		/* it may hold the device: it must be gone before the device is attached anew */
		pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		poll(&p, 1, 5000);
		close(pidfd);
	}
	if (tap >= 0)
		close(tap);
	if (ctl >= 0)
		close(ctl);
	if (logfd >= 0)
		close(logfd);
	nookd_fdstore_drop(d, NOOK_FDS_TAP, addr);
	nookd_fdstore_drop(d, NOOK_FDS_CTL, addr);
	nookd_fdstore_drop(d, NOOK_FDS_LOG, addr);
	nookd_fdstore_drop(d, NOOK_FDS_PID, addr);
}

int nookd_adopt(struct nookd *d, const struct nook_device_conf *c, struct nook_device **ret_dev,
		struct nook_err *err)
{
	int tap = nookd_fdstore_take(d, NOOK_FDS_TAP, c->address);
	int ctl = nookd_fdstore_take(d, NOOK_FDS_CTL, c->address);
	int logfd = nookd_fdstore_take(d, NOOK_FDS_LOG, c->address);
	int pidfd = nookd_fdstore_take(d, NOOK_FDS_PID, c->address);
	pid_t pid = pidfd >= 0 ? pidfd_pid(pidfd) : -1;
	const struct nook_driver *drv = nook_drivers_find(&d->drivers, c->driver);
	struct pollfd alive = { .fd = pidfd, .events = POLLIN };
	struct nook_pci_info info;
	struct ifreq ifr = { 0 };
	struct nook_link link;
	struct nook_device *dev;
	struct nookd_dev *nd;
	bool up;
	int r;

	if (tap < 0 && ctl < 0 && logfd < 0 && pidfd < 0)
		return 0; /* nothing was kept: a sound card, or no fd store */
	if (tap < 0 || ctl < 0 || logfd < 0 || pid <= 0 || poll(&alive, 1, 0) != 0 || !drv ||
	    ioctl(tap, TUNGETIFF, &ifr) < 0 ||
	    nook_pci_lookup(d->cfg.sysfs_root, c->address, &info, NULL) < 0) {
		nookd_log(LOG_NOTICE, c->address, c->driver, NULL,
			  "the driver the nookd before left running cannot be adopted (%s): "
			  "ending it, and attaching the device anew",
			  pid <= 0 || alive.revents ? "it is gone" :
			  !drv			    ? "its driver program is gone" :
						      "not all of its fds were kept");
		end_leftover(d, c->address, tap, ctl, logfd, pidfd);
		return 0;
	}
	r = nook_registry_add(&d->reg, info.addr, &dev);
	if (r < 0) {
		end_leftover(d, c->address, tap, ctl, logfd, pidfd);
		return nook_err_set(err, r, "%s: cannot add the device: %s", info.addr,
				    strerror(-r));
	}
	nd = nookd_dev_new(d, dev);
	if (!nd) {
		nook_registry_remove(&d->reg, dev);
		end_leftover(d, c->address, tap, ctl, logfd, pidfd);
		return nook_err_set(err, -ENOMEM, "%s: out of memory", info.addr);
	}
	snprintf(dev->driver, sizeof(dev->driver), "%s", drv->name);
	snprintf(dev->orig_driver, sizeof(dev->orig_driver), "%s", c->kernel_driver);
	dev->force = c->force;
	for (size_t i = 0; i < c->n_params; i++)
		nook_device_add_param(dev, c->params[i]);
	dev->cls = NOOK_CLASS_NET;
	snprintf(nd->driver_path, sizeof(nd->driver_path), "%s",
		 *c->program ? c->program : drv->path);
	nd->tap_fd = tap;
	nd->tap_has_driver_mac = true; /* it has the driver's MAC since the first incarnation */
	snprintf(dev->interfaces, sizeof(dev->interfaces), "%.*s", IFNAMSIZ, ifr.ifr_name);
	nd->ifindex = (int)if_nametoindex(dev->interfaces);

	/* the incarnation, as nookd_dev_launch() starts one, but running already */
	fcntl(ctl, F_SETFL, O_NONBLOCK);
	fcntl(logfd, F_SETFL, O_NONBLOCK);
	begin_incarnation(nd, pid, ctl, logfd);
	nd->beating = true;
	nd->pidfd = pidfd;
	ev_io_set(&nd->pid_io, pidfd, EV_READ);
	ev_io_start(d->loop, &nd->pid_io);
	/* its link as it last said (nookd set the TAP's carrier so): LOWER_UP */
	up = nook_link_query(nd->ifindex, &link) == 0 && (link.flags & IFF_LOWER_UP);
	nd->driver_carrier = nd->link_ever_up = nd->link_had = up;
	nd->link_down_ms = up ? 0 : nookd_now_ms();
	nookd_dev_logp(nd, LOG_NOTICE, NULL,
		       "adopted its driver (pid %d), which the nookd before this one left running; "
		       "%s kept its ifindex %d",
		       (int)pid, dev->interfaces, nd->ifindex);
	nookd_dev_set_state(nd, NOOK_DEV_RUNNING);
	nookd_standby_later(nd, 1000);
	if (d->added)
		d->added(d, dev);
	*ret_dev = dev;
	return 1;
}

int nookd_detach(struct nookd *d, struct nook_device *dev, nookd_done_fn done, void *ctx)
{
	struct nookd_dev *nd = nookd_dev_of(dev);

	if (nd->done)
		return -EALREADY;
	nd->done = done;
	nd->done_ctx = ctx;
	nookd_upgrade_cancel(nd, "the device was detached before the upgrade ended");
	ev_timer_stop(d->loop, &nd->restart_timer);
	if (dev->pid > 0)
		nookd_dev_stop(nd, END_DETACH);
	else
		finish_detach(nd);
	return 0;
}

int nookd_debug(struct nookd *d, struct nook_device *dev, struct nook_err *err)
{
	if (dev->pid <= 0)
		return nook_err_set(err, -ESRCH, "%s: no driver process runs (state %s)", dev->addr,
				    nook_dev_state_name(dev->state));
	dev->debug = true;
	nookd_dev_log(nookd_dev_of(dev),
		      "handed to a debugger: pid %d is neither watched nor restarted",
		      (int)dev->pid);
	if (d->changed)
		d->changed(d, dev);
	return 0;
}

int nookd_restart(struct nookd *d, struct nook_device *dev, struct nook_err *err)
{
	struct nookd_dev *nd = nookd_dev_of(dev);

	dev->debug = false;
	if (nd->done)
		return nook_err_set(err, -EALREADY, "%s is being detached", dev->addr);
	if (nd->upgrade != UPGRADE_NONE)
		return nook_err_set(err, -EALREADY, "%s is being upgraded to %s", dev->addr,
				    nd->driver_path);
	if (dev->state == NOOK_DEV_FAILED)
		return nook_err_set(err, -EAGAIN,
				    "%s has failed too often: nookctl reset-failed %s "
				    "starts it again",
				    dev->addr, dev->addr);
	if (dev->pid > 0) {
		nookd_dev_stop(nd, END_RESTART);
		nookd_dev_set_state(nd, NOOK_DEV_STARTING);
		return 0;
	}
	ev_timer_stop(d->loop, &nd->restart_timer);
	return nookd_dev_launch(nd, err);
}

int nookd_reset_failed(struct nookd *d, struct nook_device *dev, struct nook_err *err)
{
	struct nookd_dev *nd = nookd_dev_of(dev);

	nook_restart_reset(&dev->restart);
	if (dev->state != NOOK_DEV_FAILED)
		return 0;
	return nookd_dev_launch(nd, err);
}

struct detach_all {
	nookd_done_fn done;
	void *ctx;
	unsigned int pending;
};

static void detach_all_one(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	struct detach_all *da = ctx;

	if (--da->pending == 0) {
		da->done(d, da->ctx, 0, NULL);
		free(da);
	}
}

void nookd_detach_all(struct nookd *d, nookd_done_fn done, void *ctx)
{
	struct detach_all *da = calloc(1, sizeof(*da));
	struct nook_device *dev, *next;

	if (!da || !d->reg.devices) {
		free(da);
		done(d, ctx, 0, NULL);
		return;
	}
	da->done = done;
	da->ctx = ctx;
	da->pending = 1;
	for (dev = d->reg.devices; dev; dev = next) {
		next = dev->next;
		if (nookd_detach(d, dev, detach_all_one, da) == 0)
			da->pending++;
	}
	detach_all_one(d, da, 0, NULL); /* the extra count taken above */
}

/* --- the IOMMU's fault reports */

static void on_dma_fault(void *ctx, const char *bdf, const char *what)
{
	struct nookd *d = ctx;
	struct nook_device *dev = nook_registry_find(&d->reg, bdf);
	struct nookd_dev *nd = dev ? nookd_dev_of(dev) : NULL;

	if (!nd || dev->pid <= 0 || *nd->verdict)
		return;
	snprintf(nd->verdict, sizeof(nd->verdict), "%s", what);
	nd->verdict_kind = NOOK_FAILURE_DMA_FAULT;
	if (dev->debug) {
		nookd_dev_log(nd, "%s (under a debugger: left running)", what);
		return;
	}
	nookd_dev_logp(nd, LOG_WARNING, NULL, "%s; killing pid %d", what, (int)dev->pid);
	nookd_dev_kill(nd, SIGKILL);
}

static void on_kmsg(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nookd *d = w->data;
	int r = nook_dma_fault_watch_read(d->dma_fault_fd, on_dma_fault, d);

	if (r < 0 && r != -EAGAIN) {
		fprintf(stderr, "nookd: reading /dev/kmsg: %s; DMA faults go unnoticed from now\n",
			strerror(-r));
		ev_io_stop(loop, w);
	}
}

static void dma_fault_watch_start(struct nookd *d)
{
	d->dma_fault_fd = nook_dma_fault_watch_open();
	if (d->dma_fault_fd < 0) {
		/* Not fatal: crashes, hangs and fail-stops are still caught. */
		fprintf(stderr,
			"nookd: cannot read the kernel log (/dev/kmsg: %s): a driver "
			"whose device makes DMA the IOMMU refuses will not be noticed\n",
			strerror(-d->dma_fault_fd));
		return;
	}
	ev_io_init(&d->dma_fault_io, on_kmsg, d->dma_fault_fd, EV_READ);
	d->dma_fault_io.data = d;
	ev_io_start(d->loop, &d->dma_fault_io);
}

int nookd_supervisor_init(struct nookd *d)
{
	int r = driver_channel_init(d);

	if (r < 0)
		return r;
	dma_fault_watch_start(d);
	return 0;
}

void nookd_supervisor_fini(struct nookd *d)
{
	driver_channel_fini(d);
	if (d->dma_fault_fd >= 0) {
		ev_io_stop(d->loop, &d->dma_fault_io);
		close(d->dma_fault_fd);
	}
}
