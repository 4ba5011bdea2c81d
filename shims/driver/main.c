// SPDX-License-Identifier: GPL-2.0-only
/*
 * main() of every driver program (nook-driver-NAME): a Linux driver, linked in unmodified,
 * driving one PCI device from this process through VFIO.
 *
 *   nook-driver-NAME --device BDF [--ifname NAME] [--debug] [KEY=VALUE ...]
 *   nook-driver-NAME --supervised --control-fd N --vfio-fds C,G,D [--tap-fd N | --sound-fd N]
 *                    [--heartbeat-ms MS] --device BDF [--ifname NAME] [KEY=VALUE ...]
 *   nook-driver-NAME --supervised --standby --control-fd N [--heartbeat-ms MS] --device BDF
 *                    [--ifname NAME] [KEY=VALUE ...]
 *   nook-driver-NAME --list-ids | --help
 *
 * --fault SPEC (repeatable) gives this incarnation a planned fault of a fault-injection
 * trial (nook/fault-plan.h, code-fault.h), armed before the program locks itself down.
 *
 * KEY=VALUE are the driver's module parameters. Standalone, the program opens the device
 * and creates its interface itself; supervised, nookd hands it the open VFIO container,
 * group and device, the TAP (a NIC) or the sound channel (a sound card) and a control
 * socket (docs/driver-program.md). A standby is started ahead of need: it loads, locks
 * itself down and prepares its DMA arena, then waits for nookd to hand it those fds on the
 * control socket when the running driver fails. It runs until
 * SIGTERM, SIGINT or nookd's shutdown request, then removes the driver and exits 0.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <nook/fault-plan.h>
#include <nook/kernel.h>
#include <nook/module.h>
#include <nook/pci.h>

#include "common/base/clock.h"
#include "shims/fault/code-fault.h"
#include "common/ipc/control.h"
#include "shims/crash/crash.h"
#include "driver-class.h"
#include "shims/vfio-host/vfio-host.h"
#include "shims/loop/loop.h"
#include "common/sandbox/seccomp.h"
#include "supervised.h"
#include "common/vfio/vfio.h"

extern int nook_debug;
/* Each driver program compiles this file with its own NOOK_DRIVER_NAME. */
static const char *nook_driver_name = NOOK_DRIVER_NAME;

/* One pci_device_id per line: VVVV:DDDD SSSS:ssss CLASS/MASK, PCI_ANY_ID as '*'. */
static void print_id(unsigned int vendor, unsigned int device, unsigned int subvendor,
		     unsigned int subdevice, unsigned int class, unsigned int class_mask, void *ctx)
{
	char v[8], d[8], sv[8], sd[8];

	snprintf(v, sizeof(v), vendor == ~0U ? "*" : "%04x", vendor);
	snprintf(d, sizeof(d), device == ~0U ? "*" : "%04x", device);
	snprintf(sv, sizeof(sv), subvendor == ~0U ? "*" : "%04x", subvendor);
	snprintf(sd, sizeof(sd), subdevice == ~0U ? "*" : "%04x", subdevice);
	fprintf(ctx, "%s:%s %s:%s %06x/%06x\n", v, d, sv, sd, class, class_mask);
}

static int list_ids(void)
{
	if (nook_kernel_init() < 0 || nook_module_init() < 0) {
		fprintf(stderr, "nook-driver-%s: the driver did not register\n", nook_driver_name);
		return 1;
	}
	nook_pci_for_each_id(print_id, stdout);
	return 0;
}

static char log_name[96];

struct options {
	const char *bdf, *ifname;
	bool supervised, standby;
	int control_fd, tap_fd, sound_fd;
	int vfio_fds[3]; /* container, group, device */
	unsigned int heartbeat_ms;
	const char **faults; /* each --fault, in order (room for argc) */
	unsigned int n_faults;
};

static void print_param(const char *name, const char *desc, void *ctx)
{
	fprintf(ctx, "  %s=VALUE\t%s\n", name, desc);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nook-driver-%s --device BDF [--ifname NAME] [--debug] [--fault SPEC ...]\n"
		"                  [KEY=VALUE ...]\n"
		"       nook-driver-%s --list-ids | --help | --version\n\n"
		"Runs Linux's %s driver, unmodified, in this process on the PCI device BDF\n"
		"(bound to vfio-pci). nookd runs it with --supervised and the fds it opened.\n"
		"--fault SPEC arms a fault-injection trial's planned fault (tests/fault/).\n"
		"Module parameters:\n",
		nook_driver_name, nook_driver_name, nook_driver_name);
	nook_module_params_list(print_param, f);
}

static int on_signal(struct nook_loop *loop, int fd, uint32_t revents, void *userdata)
{
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == sizeof(si))
		nook_host_request_stop((int)si.ssi_signo);
	return 0;
}

/* A driver gets five seconds to stop its device. */
static long long shutdown_deadline(void)
{
	return nook_now_ns() + 5000000000LL;
}

static bool probed(void *arg)
{
	return nook_pci_probe_done(arg);
}

static int open_device(const struct options *o, struct nook_vfio_dev **ret_vdev,
		       struct nook_err *err)
{
	if (!o->supervised)
		return nook_vfio_open(NULL, o->bdf, ret_vdev, err);
	if (nook_supervised_init(o->control_fd, nook_driver_name) < 0)
		return nook_err_set(err, -EBADF, "fd %d is not nookd's control socket",
				    o->control_fd);
	return nook_vfio_adopt(o->vfio_fds[0], o->vfio_fds[1], o->vfio_fds[2], o->bdf, ret_vdev,
			       err);
}

/*
 * A standby: what starting needs without the device (the loop, the DMA arena's memory),
 * then wait for nookd to hand the device over. 0: @o has its fds; 1: nookd let the standby
 * go, nothing to do; -1: an error, reported.
 */
static int stand_by(struct options *o, const struct nook_host_config *cfg)
{
	struct nook_err err = { 0 };
	int fds[NOOK_CTL_ADOPT_FDS], r;

	if (nook_host_prepare(cfg, &err) < 0) {
		fprintf(stderr, "nook-driver-%s: %s\n", nook_driver_name, err.msg);
		return -1;
	}
	r = nook_supervised_await_adoption(o->control_fd, fds);
	if (r == -ECONNRESET)
		return 1;
	if (r < 0) {
		fprintf(stderr, "nook-driver-%s: standby: waiting for the device: %s\n",
			nook_driver_name, strerror(-r));
		return -1;
	}
	memcpy(o->vfio_fds, fds, sizeof(o->vfio_fds));
	/* The class's fd: the TAP or the sound channel, whichever this program's class uses. */
	o->tap_fd = o->sound_fd = fds[3];
	return 0;
}

static int run(struct options *o)
{
	/* The class says how much DMA memory its drivers use; their heaps hold little beyond. */
	struct nook_host_config cfg = { .name = log_name,
					.arena_size = nook_driver_class_arena_size,
					.heap_quota = 32u << 20 };
	struct nook_driver_args args;
	struct nook_err err = { 0 };
	struct nook_vfio_dev *vdev;
	struct pci_dev *pdev;
	sigset_t mask;
	int sfd, r, result = -ENODEV;

	if (o->standby) {
		r = stand_by(o, &cfg);
		if (r) {
			nook_host_shutdown();
			return r < 0;
		}
	}
	args = (struct nook_driver_args){ .bdf = o->bdf,
					  .ifname = o->ifname,
					  .tap_fd = o->tap_fd,
					  .sound_fd = o->sound_fd,
					  .supervised = o->supervised };
	r = open_device(o, &vdev, &err);
	if (r < 0) {
		fprintf(stderr, "nook-driver-%s: %s\n", nook_driver_name, err.msg);
		return 1;
	}
	snprintf(log_name, sizeof(log_name), "%s %s", nook_driver_name, vdev->addr);
	if (nook_host_start(vdev, &cfg, &err) < 0) {
		fprintf(stderr, "nook-driver-%s: %s\n", nook_driver_name, err.msg);
		nook_vfio_close(vdev);
		return 1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || nook_loop_add_fd(nook_host_loop(), sfd, POLLIN, on_signal, NULL) < 0) {
		fprintf(stderr, "nook-driver-%s: cannot watch for signals: %m\n", nook_driver_name);
		goto out;
	}
	if (o->supervised) {
		r = nook_supervised_start(nook_host_loop(), o->heartbeat_ms);
		if (r < 0) {
			fprintf(stderr, "nook-driver-%s: cannot serve the control channel: %s\n",
				nook_driver_name, strerror(-r));
			goto out;
		}
	}
	if (nook_driver_class_install(nook_host_loop(), &args) < 0)
		goto out;

	pdev = nook_kernel_init() == 0 ? nook_pci_dev_create(nook_host_device(), vdev->addr) : NULL;
	if (!pdev) {
		fprintf(stderr, "nook-driver-%s: %s: cannot set up the kernel side\n",
			nook_driver_name, vdev->addr);
		goto out;
	}
	nook_irq_set_device(pdev);
	r = nook_module_init();
	if (r == 0 && !nook_pci_driver_matches()) {
		fprintf(stderr,
			"nook-driver-%s: %s is not a device this driver supports "
			"(nook-driver-%s --list-ids shows which are)\n",
			nook_driver_name, vdev->addr, nook_driver_name);
		goto out_exit;
	}
	if (r == 0)
		r = nook_kernel_run_until(probed, &result, -1);
	if (r < 0 || result < 0) {
		const struct nook_err *ne = nook_driver_class_error();

		fprintf(stderr, "nook-driver-%s: %s: the driver did not take the device: %s\n",
			nook_driver_name, vdev->addr,
			ne ? ne->msg : strerror(-(r < 0 ? r : result)));
		goto out_exit;
	}
	fprintf(stderr, "<6>%s: running\n", log_name);
	if (o->supervised)
		nook_supervised_ready();
	while ((r = nook_kernel_step(-1)) >= 0)
		;
	if (r != -ECANCELED)
		fprintf(stderr, "<3>%s: the event loop failed: %s\n", log_name, strerror(-r));
	nook_host_resume();
	if (nook_module_exit(shutdown_deadline()) < 0)
		fprintf(stderr, "<3>%s: the driver did not stop in time\n", log_name);
	nook_host_shutdown();
	return r == -ECANCELED ? 0 : 1;
out_exit:
	nook_host_resume();
	nook_module_exit(shutdown_deadline());
out:
	nook_host_shutdown();
	return 1;
}

/* Under --fault count: how often the driver passed each fault site, for a campaign's plans. */
static void report_passes(const struct options *o)
{
	for (unsigned int i = 0; i < o->n_faults; i++) {
		if (strcmp(o->faults[i], "count"))
			continue;
		for (int s = 0; s < NOOK_FAULT_SITES; s++)
			fprintf(stderr, "<5>nook-driver-%s: fault site passes: %s %lu\n",
				nook_driver_name, nook_fault_site_name((enum nook_fault_site)s),
				nook_fault_plan_passes((enum nook_fault_site)s));
		return;
	}
}

/* The trial's planned faults, armed while the program may still change its own code. */
static int arm_faults(const struct options *o)
{
	unsigned int probes = 0;
	char err[256];

	for (unsigned int i = 0; i < o->n_faults; i++) {
		const char *spec = o->faults[i];
		int r = !strncmp(spec, "code:", 5)  ? nook_code_fault_add(spec, err, sizeof(err)) :
			!strncmp(spec, "probe:", 6) ? nook_code_probe_add(spec, err, sizeof(err)) :
						      nook_fault_plan_add(spec, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "nook-driver-%s: %s\n", nook_driver_name, err);
			return r;
		}
		if (!strncmp(spec, "probe:", 6))
			probes++;
		else
			fprintf(stderr, "<5>nook-driver-%s: planned fault armed: %s\n",
				nook_driver_name, spec);
	}
	if (probes)
		fprintf(stderr, "<5>nook-driver-%s: %u probes armed\n", nook_driver_name, probes);
	return 0;
}

static int parse_fd(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= 0 && v < 1024 ? (int)v : -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "list-ids", no_argument, NULL, 'l' },
		{ "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ "supervised", no_argument, NULL, 'S' },
		{ "standby", no_argument, NULL, 'B' },
		{ "control-fd", required_argument, NULL, 'C' },
		{ "vfio-fds", required_argument, NULL, 'V' },
		{ "tap-fd", required_argument, NULL, 'T' },
		{ "sound-fd", required_argument, NULL, 's' },
		{ "heartbeat-ms", required_argument, NULL, 'H' },
		{ "fault", required_argument, NULL, 'F' },
		{ 0 },
	};
	struct options o = { .control_fd = -1,
			     .tap_fd = -1,
			     .sound_fd = -1,
			     .vfio_fds = { -1, -1, -1 },
			     .heartbeat_ms = 500 };
	int c, r;

	snprintf(log_name, sizeof(log_name), "nook-driver-%s", nook_driver_name);
	nook_crash_install(STDERR_FILENO, log_name);
	while ((c = getopt_long(argc, argv, "d:i:lDh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.bdf = optarg;
			break;
		case 'i':
			o.ifname = optarg;
			break;
		case 'S':
			o.supervised = true;
			break;
		case 'B':
			o.standby = true;
			break;
		case 'C':
			o.control_fd = parse_fd(optarg);
			break;
		case 'T':
			o.tap_fd = parse_fd(optarg);
			break;
		case 's':
			o.sound_fd = parse_fd(optarg);
			break;
		case 'V':
			if (sscanf(optarg, "%d,%d,%d%c", &o.vfio_fds[0], &o.vfio_fds[1],
				   &o.vfio_fds[2], (char[1]){ 0 }) != 3)
				o.vfio_fds[0] = -1;
			break;
		case 'H':
			o.heartbeat_ms = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'D':
			nook_debug = 1;
			break;
		case 'F':
			if (!o.faults && !(o.faults = calloc((size_t)argc, sizeof(*o.faults))))
				return 1;
			o.faults[o.n_faults++] = optarg;
			break;
		case 'l':
			return list_ids();
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("nook-driver-%s (nook) %s, Linux 6.1's %s\n", nook_driver_name,
			       NOOK_VERSION, nook_driver_name);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.bdf) {
		usage(stderr);
		return 2;
	}
	if (o.supervised &&
	    (o.control_fd < 0 || o.heartbeat_ms < 10 ||
	     (!o.standby && (o.vfio_fds[0] < 0 || o.vfio_fds[1] < 0 || o.vfio_fds[2] < 0)))) {
		fprintf(stderr,
			"nook-driver-%s: --supervised needs --control-fd N, --vfio-fds "
			"C,G,D (but for a --standby) and --heartbeat-ms of at least 10 (nookd "
			"passes them)\n",
			nook_driver_name);
		return 2;
	}
	if (o.standby &&
	    (!o.supervised || o.vfio_fds[0] >= 0 || o.tap_fd >= 0 || o.sound_fd >= 0)) {
		fprintf(stderr,
			"nook-driver-%s: --standby is for nookd: with --supervised, and "
			"without the device's fds, which come on the control socket\n",
			nook_driver_name);
		return 2;
	}
	if (o.standby && o.n_faults) {
		fprintf(stderr,
			"nook-driver-%s: a standby takes no --fault: the incarnation that "
			"is to fail is started for it\n",
			nook_driver_name);
		return 2;
	}
	if (arm_faults(&o) < 0)
		return 2;
	/*
	 * Supervised: nothing beyond what the driver filter allows from here on (seccomp.h).
	 * The event loop's ring is made first: the filter refuses io_uring_setup.
	 */
	if (o.supervised) {
		struct nook_err err = { 0 };

		if (nook_host_make_loop(log_name, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		r = nook_sandbox_lock_down();
		if (r < 0) {
			fprintf(stderr, "nook-driver-%s: cannot lock itself down: %s\n",
				nook_driver_name, strerror(-r));
			return 1;
		}
	}
	for (int i = optind; i < argc; i++) {
		r = nook_module_param_set(argv[i]);
		if (r < 0) {
			fprintf(stderr, "nook-driver-%s: '%s': %s\n", nook_driver_name, argv[i],
				r == -ENOENT ? "no such module parameter (--help lists them)" :
					       "not a valid value");
			return 2;
		}
	}
	r = run(&o);
	report_passes(&o);
	return r;
}
