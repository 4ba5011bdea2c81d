// SPDX-License-Identifier: GPL-2.0-only
/*
 * nookd: runs each attached device's driver in its own process and keeps it running.
 *
 *   nookd [--driver-path DIRS] [--devices-dir DIR] [--state-dir DIR] [--heartbeat-ms MS]
 *         [--heartbeat-timeout-ms MS] [--start-timeout-ms MS] [--max-failures N]
 *         [--failure-window-ms MS] [--no-standby]
 *
 * It serves org.nook.Nook1 on the system bus (nookctl is its client), logs to stderr for
 * journald, and speaks sd_notify: READY once it serves, STATUS, WATCHDOG pings. SIGTERM
 * detaches every device (each goes back to its kernel driver) and exits. A nookd that ended
 * otherwise left its devices attached and recorded in --state-dir (run-state.h): the next
 * attaches them again before it reads devices.d.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-login.h>

#include "bus.h"
#include "devices-conf.h"
#include "hotplug.h"
#include "nookd.h"
#include "fd-store.h"
#include "run-state.h"
#include "supervisor.h"

#ifndef NOOK_DRIVER_DIR
#define NOOK_DRIVER_DIR "/usr/local/libexec/nook"
#endif

static struct nookd D;
static ev_signal sig_term, sig_int, sig_hup;
static ev_timer watchdog;
static bool stopping;
static bool leaving; /* for a restart: the drivers run on */
static struct nookd_hotplug *hotplug;

static void status_update(void)
{
	unsigned int running = 0, failed = 0;

	for (struct nook_device *dev = D.reg.devices; dev; dev = dev->next) {
		running += dev->state == NOOK_DEV_RUNNING;
		failed += dev->state == NOOK_DEV_FAILED;
	}
	sd_notifyf(0, "STATUS=%u device(s), %u running, %u failed", D.reg.n, running, failed);
}

static void on_stopped(struct nookd *d, void *ctx, int r, const struct nook_err *err)
{
	ev_break(d->loop, EVBREAK_ALL);
}

/*
 * Whether systemd is restarting nookd (its unit's job is a restart), rather than stopping
 * it: the job's type, asked of the manager. No job (a SIGTERM sent by hand) is a stop.
 */
static bool restart_job(void)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char *unit = NULL, *path = NULL, *type = NULL;
	const char *job = NULL;
	uint32_t id = 0;
	bool restart = false;

	if (sd_pid_get_unit(0, &unit) < 0 ||
	    sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, &path) < 0)
		goto out;
	if (sd_bus_get_property(D.bus, "org.freedesktop.systemd1", path,
				"org.freedesktop.systemd1.Unit", "Job", &e, &reply, "(uo)") < 0 ||
	    sd_bus_message_read(reply, "(uo)", &id, &job) < 0 || id == 0)
		goto out;
	if (sd_bus_get_property_string(D.bus, "org.freedesktop.systemd1", job,
				       "org.freedesktop.systemd1.Job", "JobType", &e, &type) < 0)
		goto out;
	restart = strstr(type, "restart") != NULL; /* restart, try-restart, reload-or-restart */
out:
	if (sd_bus_error_is_set(&e))
		fprintf(stderr,
			"nookd: cannot ask systemd whether it restarts nookd (%s): "
			"stopping\n",
			e.message);
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	free(unit);
	free(path);
	free(type);
	return restart;
}

/*
 * A restart: the NICs' drivers run on (systemd keeps what the next nookd needs to adopt
 * them, fd-store.h); the sound cards' drivers die with nookd, and the next attaches them
 * anew from the run state. The standbys end by themselves (their control sockets close).
 */
static void leave_for_restart(void)
{
	fprintf(stderr, "nookd: systemd restarts nookd: the NICs' drivers run on, for the "
			"next to adopt\n");
	sd_notify(0, "STOPPING=1");
	ev_break(D.loop, EVBREAK_ALL);
}

static void on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	if (stopping) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	stopping = true;
	if (w->signum == SIGTERM && D.cfg.fd_store && restart_job()) {
		leaving = true;
		leave_for_restart();
		return;
	}
	fprintf(stderr, "nookd: stopping: detaching every device\n");
	sd_notify(0, "STOPPING=1");
	nookd_detach_all(&D, on_stopped, NULL);
}

static void on_watchdog(struct ev_loop *loop, ev_timer *w, int revents)
{
	sd_notify(0, "WATCHDOG=1");
	status_update();
}

static void attach_conf(const struct nook_device_conf *c, const struct nook_err *err, void *ctx)
{
	const char *params[NOOK_MAX_PARAMS];
	struct nook_attach_opts o = { .params = params };
	struct nook_err aerr = { 0 };
	struct nook_device *dev;

	if (!c) {
		fprintf(stderr, "nookd: skipped: %s\n", err->msg);
		return;
	}
	if (nook_registry_find(&D.reg, c->address))
		return; /* a reload, or attached again from the run state: attached already */
	o.driver = *c->driver ? c->driver : NULL;
	o.ifname = *c->ifname ? c->ifname : NULL;
	o.force = c->force;
	for (size_t i = 0; i < c->n_params; i++)
		params[o.n_params++] = c->params[i];
	if (nookd_attach(&D, c->address, &o, &dev, &aerr) < 0)
		fprintf(stderr, "nookd: %s: %s\n", c->file, aerr.msg);
	else
		fprintf(stderr, "nookd: %s: attached %s\n", c->file, dev->addr);
}

/*
 * SIGHUP, which systemd's reload and an administrator send: read devices.d again and attach
 * what is new there. Without it SIGHUP would end nookd, which systemd takes for a clean
 * exit and does not restart, and every device with it.
 */
static void on_reload(struct ev_loop *loop, ev_signal *w, int revents)
{
	static bool reloading = true;

	if (stopping)
		return;
	fprintf(stderr, "nookd: SIGHUP: reading %s again\n", D.cfg.devices_dir);
	sd_notify(0, "RELOADING=1");
	nook_device_conf_each(D.cfg.devices_dir, attach_conf, &reloading);
	sd_notify(0, "READY=1");
	status_update();
}

/* A PCI device appeared (hot-plug, a rescan): attach it if devices.d names it. */
static void attach_if_named(const struct nook_device_conf *c, const struct nook_err *err, void *ctx)
{
	static bool again = true;
	char canon[NOOK_PCI_ADDR_LEN];
	struct nook_pci_addr a;

	if (!c || nook_pci_addr_parse(c->address, &a) < 0 ||
	    strcmp(nook_pci_addr_format(&a, canon), ctx))
		return;
	fprintf(stderr, "nookd: %s appeared; %s names it\n", canon, c->file);
	attach_conf(c, NULL, &again);
}

static void on_hotplug(const char *addr, void *ctx)
{
	if (stopping)
		return;
	nook_device_conf_each(D.cfg.devices_dir, attach_if_named, (void *)addr);
	status_update();
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nookd [--driver-path DIRS] [--devices-dir DIR] [--state-dir DIR]\n"
		"             [--heartbeat-ms MS] [--heartbeat-timeout-ms MS]\n"
		"             [--start-timeout-ms MS] [--max-failures N] [--failure-window-ms MS]\n"
		"             [--no-standby]\n"
		"       nookd --help | --version\n\n"
		"Runs each attached PCI device's Linux driver in its own process, restarts it\n"
		"when it fails, and serves org.nook.Nook1 on the system bus (see nookctl).\n"
		"More than --max-failures N (5) failures within --failure-window-ms MS (60000)\n"
		"with no healthy run between them (one that carried traffic or played sound)\n"
		"are a crash loop: the device is failed until nookctl reset-failed.\n");
}

static int parse_uint(const char *s, unsigned int min, unsigned int *ret)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < min || v > 86400000UL)
		return -EINVAL;
	*ret = (unsigned int)v;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver-path", required_argument, NULL, 'p' },
		{ "devices-dir", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "heartbeat-ms", required_argument, NULL, 'b' },
		{ "heartbeat-timeout-ms", required_argument, NULL, 't' },
		{ "start-timeout-ms", required_argument, NULL, 's' },
		{ "max-failures", required_argument, NULL, 'n' },
		{ "failure-window-ms", required_argument, NULL, 'w' },
		{ "no-standby", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct nookd_settings *s = &D.cfg;
	unsigned int v;
	int c, r = 0;

	while (r == 0 && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			s->driver_path = optarg;
			break;
		case 'c':
			s->devices_dir = optarg;
			break;
		case 'd':
			s->state_dir = optarg;
			break;
		case 'b':
			r = parse_uint(optarg, 10, &s->heartbeat_ms);
			break;
		case 't':
			r = parse_uint(optarg, 50, &s->heartbeat_timeout_ms);
			break;
		case 's':
			r = parse_uint(optarg, 100, &s->start_timeout_ms);
			break;
		case 'n':
			r = parse_uint(optarg, 1, &v);
			s->policy.max_failures = v;
			break;
		case 'w':
			r = parse_uint(optarg, 1, &v);
			s->policy.period_ms = v;
			break;
		case 'S':
			s->no_standby = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'v':
			printf("nookd (nook) %s\n", NOOK_VERSION);
			exit(0);
		default:
			r = -EINVAL;
			break;
		}
	}
	if (r == 0 && optind < argc)
		r = -EINVAL;
	if (r == 0 && s->heartbeat_timeout_ms < 2 * s->heartbeat_ms) {
		fprintf(stderr, "nookd: --heartbeat-timeout-ms must be at least twice "
				"--heartbeat-ms\n");
		return -EINVAL;
	}
	if (r == 0 && nook_restart_policy_check(&s->policy) < 0) {
		fprintf(stderr, "nookd: the restart policy cannot work (--max-failures, "
				"--failure-window-ms)\n");
		return -EINVAL;
	}
	if (r < 0)
		usage(stderr);
	return r;
}

static void start_watchdog(void)
{
	uint64_t usec;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return;
	ev_timer_init(&watchdog, on_watchdog, 0.0, (double)usec / 2e6);
	ev_timer_again(D.loop, &watchdog);
}

int main(int argc, char **argv)
{
	const char *env_path = getenv("NOOK_DRIVER_PATH");
	int r;

	D.cfg = (struct nookd_settings){
		.driver_path = env_path && *env_path ? env_path : NOOK_DRIVER_DIR,
		.devices_dir = "/etc/nook/devices.d",
		.state_dir = NOOK_RUN_STATE_DIR,
		.sysfs_root = "",
		/*
		 * Each heartbeat carries the counters the silent-failure rules judge (stall-detect.h):
		 * its period is their resolution, on top of each rule's 1 s, within the 2 s an
		 * application bears. Two small messages a beat cost nothing next to a NIC's traffic.
		 */
		.heartbeat_ms = 250,
		.heartbeat_timeout_ms = 3000,
		.start_timeout_ms = 30000,
		.shutdown_timeout_ms = 5000,
	};
	nook_restart_policy_default(&D.cfg.policy);
	/* on a system systemd runs, each driver gets a scope of its own (driver-unit.h) */
	D.cfg.driver_units = sd_booted() > 0 && geteuid() == 0;
	/* under systemd's service manager, which keeps fds for the nookd after (fd-store.h) */
	D.cfg.fd_store = D.cfg.driver_units && getenv("NOTIFY_SOCKET");
	if (parse_args(argc, argv) < 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	D.loop = ev_default_loop(EVFLAG_AUTO);

	nook_drivers_discover(D.cfg.driver_path, &D.drivers);
	if (D.drivers.n == 0)
		fprintf(stderr, "nookd: no driver programs (nook-driver-*) in %s\n",
			D.cfg.driver_path);
	for (size_t i = 0; i < D.drivers.n; i++)
		fprintf(stderr, "nookd: driver %s (%zu device IDs)\n", D.drivers.drivers[i].name,
			D.drivers.drivers[i].n_ids);
	r = nookd_supervisor_init(&D);
	if (r < 0) {
		fprintf(stderr, "nookd: cannot watch network links: %s\n", strerror(-r));
		return 1;
	}
	if (nookd_bus_start(&D) < 0)
		return 1;
	ev_signal_init(&sig_term, on_signal, SIGTERM);
	ev_signal_init(&sig_int, on_signal, SIGINT);
	ev_signal_start(D.loop, &sig_term);
	ev_signal_start(D.loop, &sig_int);
	ev_signal_init(&sig_hup, on_reload, SIGHUP);
	ev_signal_start(D.loop, &sig_hup);

	r = nookd_hotplug_start(D.loop, on_hotplug, NULL, &hotplug);
	if (r < 0)
		fprintf(stderr,
			"nookd: cannot watch for PCI devices that appear later (%s); "
			"devices.d is read at start and on reload only\n",
			strerror(-r));
	nookd_fdstore_load(&D);
	r = (int)nookd_run_state_restore(&D);
	nookd_fdstore_release_rest(&D);
	if (r)
		fprintf(stderr, "nookd: attached again what the nookd before left attached\n");
	nook_device_conf_each(D.cfg.devices_dir, attach_conf, NULL);
	start_watchdog();
	sd_notify(0, "READY=1");
	status_update();
	fprintf(stderr, "nookd: serving %s\n", NOOK_BUS_NAME);

	ev_run(D.loop, 0);

	nookd_hotplug_stop(hotplug);
	nookd_bus_stop(&D);
	if (leaving) {
		fprintf(stderr, "nookd: stopped; the NICs' drivers run on\n");
		return 0; /* nothing of the devices' is undone */
	}
	nookd_supervisor_fini(&D);
	nook_drivers_free(&D.drivers);
	fprintf(stderr, "nookd: stopped\n");
	return 0;
}
