// SPDX-License-Identifier: GPL-2.0-only
/* nookd's supervision without hardware or privilege (see fake-nookd.h). */
#include "fake-nookd.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/ipc/control.h"
#include "common/vfio/vfio.h"
#include "daemon/spawn.h"
#include "fake-sysfs.h"
#include "shims/control/control-driver.h"

struct fake_nookd fake;

uint64_t fake_ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the fake driver program (a forked child; it never returns) ---- */

static void send_type(int ctl, enum nook_ctl_type type)
{
	struct nook_ctl_msg m = { .type = type };

	nook_ctl_send(ctl, &m);
}

/* A standby waits for ADOPT and its fds; then it is the incarnation. */
static void wait_adopt(int ctl)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	int fds[NOOK_CTL_ADOPT_FDS];
	struct nook_ctl_msg m;
	unsigned int n = 0;

	for (;;) {
		if (poll(&p, 1, -1) < 0)
			_exit(3);
		if (nook_ctl_recv_fds(ctl, &m, fds, NOOK_CTL_ADOPT_FDS, &n) == -EAGAIN)
			continue;
		if (m.type != NOOK_CTL_ADOPT)
			_exit(4);
		for (unsigned int i = 0; i < n; i++)
			close(fds[i]);
		return;
	}
}

static _Noreturn void fake_driver(enum fake_act act, int ctl, int log, bool standby,
				  unsigned int beat_ms)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	struct nook_ctl_msg m;
	uint64_t t0;

	/* A test that fails leaves no driver behind (nor the fds it inherited). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
		_exit(5);
	dup2(log, STDOUT_FILENO);
	dup2(log, STDERR_FILENO);
	signal(SIGTERM, act == FAKE_STUBBORN ? SIG_IGN : SIG_DFL);
	signal(SIGSEGV, SIG_DFL); /* not the sanitizers' handler: die of it */
	if (act == FAKE_BROKEN) {
		fprintf(stderr, "fake: cannot load\n");
		_exit(127);
	}
	if (standby)
		wait_adopt(ctl);
	nook_ctl_driver_hello(ctl, "fake");
	if (act == FAKE_NO_START) {
		fprintf(stderr, "fake: the device did not answer\n");
		_exit(1);
	}
	send_type(ctl, NOOK_CTL_READY);
	t0 = fake_ms_now();
	for (;;) {
		bool late = fake_ms_now() - t0 > fake.late_ms;

		if (act == FAKE_CRASH && late)
			raise(SIGSEGV);
		if (act != FAKE_HANG || !late)
			nook_ctl_driver_heartbeat(ctl);
		if (poll(&p, 1, (int)beat_ms) == 1) {
			int r = nook_ctl_recv(ctl, &m);

			if (r == -ECONNRESET)
				_exit(0);
			if (r == 0 && m.type == NOOK_CTL_SHUTDOWN && act != FAKE_STUBBORN) {
				/* as a driver's ndo_stop: its link goes down */
				struct nook_ctl_msg c = { .type = NOOK_CTL_CARRIER,
							  .carrier.up = 0 };

				nook_ctl_send(ctl, &c);
				_exit(0);
			}
		}
	}
}

/* ---- what needs hardware or privilege, replaced (-Wl,--wrap) ---- */

int __wrap_nook_spawn_driver(const struct nook_spawn_cfg *cfg, pid_t *ret_pid,
			     struct nook_err *err);
int __wrap_nook_spawn_driver(const struct nook_spawn_cfg *cfg, pid_t *ret_pid, struct nook_err *err)
{
	unsigned int i = fake.spawned < fake.n_script ? fake.spawned : fake.n_script - 1;
	enum fake_act act = fake.n_script ? fake.script[i] : FAKE_RUN;
	unsigned int beat_ms = 0;
	bool standby = false;
	pid_t pid;

	if (fake.upgrade_path && !strcmp(cfg->exe, fake.upgrade_path))
		act = fake.upgrade_act;
	for (char *const *a = cfg->argv; *a; a++) {
		standby = standby || !strcmp(*a, "--standby");
		if (!strcmp(*a, "--heartbeat-ms") && a[1])
			beat_ms = (unsigned int)atoi(a[1]);
	}
	assert_true(beat_ms > 0);
	if (standby)
		fake.spawned_standby++;
	fake.spawned++;
	pid = fork();
	if (pid < 0)
		return nook_err_set(err, -errno, "fork: %m");
	if (pid == 0)
		fake_driver(act, cfg->fds[0], cfg->stderr_fd, standby, beat_ms);
	*ret_pid = pid;
	return 0;
}

int __wrap_nook_vfio_open(const char *root, const char *addr, struct nook_vfio_dev **ret_dev,
			  struct nook_err *err);
int __wrap_nook_vfio_open(const char *root, const char *addr, struct nook_vfio_dev **ret_dev,
			  struct nook_err *err)
{
	struct nook_vfio_dev *v = calloc(1, sizeof(*v));

	assert_non_null(v);
	snprintf(v->addr, sizeof(v->addr), "%s", addr);
	v->container_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	v->group_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	v->device_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	*ret_dev = v;
	return 0;
}

void __wrap_nook_vfio_close(struct nook_vfio_dev *v);
void __wrap_nook_vfio_close(struct nook_vfio_dev *v)
{
	close(v->container_fd);
	close(v->group_fd);
	close(v->device_fd);
	free(v);
}

int __wrap_nook_tap_open(const char *ifname, char ret_ifname[IFNAMSIZ], int *ret_fd);
int __wrap_nook_tap_open(const char *ifname, char ret_ifname[IFNAMSIZ], int *ret_fd)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
		return -errno;
	if (fake.tap_peer >= 0)
		close(fake.tap_peer);
	fake.tap_peer = sv[1];
	*ret_fd = sv[0];
	snprintf(ret_ifname, IFNAMSIZ, "nooktest0");
	return 0;
}

int __wrap_nook_tap_set_carrier(int fd, bool up);
int __wrap_nook_tap_set_carrier(int fd, bool up)
{
	fake.carrier_downs += !up;
	return 0;
}

/* ---- the fixture ---- */

void fake_nookd_setup(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.tap_peer = -1;
	fake.late_ms = 100;
	fake_sysfs_create();
	fake_pci_add(FAKE_ADDR, FAKE_VENDOR, FAKE_DEVICE, 0x020000, 7, "e1000");
	fake_driver_load("e1000");
	fake_driver_load("vfio-pci");
	fake.id = (struct nook_driver_id){ FAKE_VENDOR,	 FAKE_DEVICE, NOOK_PCI_ANY,
					   NOOK_PCI_ANY, 0,	      0 };
	snprintf(fake.drv.name, sizeof(fake.drv.name), "e1000");
	snprintf(fake.drv.path, sizeof(fake.drv.path), "/nonexistent/nook-driver-e1000");
	fake.drv.ids = &fake.id;
	fake.drv.n_ids = 1;
	fake.d.loop = ev_default_loop(EVFLAG_AUTO);
	fake.d.drivers = (struct nook_driver_set){ &fake.drv, 1 };
	fake.d.dma_fault_fd = -1;
	fake.d.link_fd = -1;
	fake.d.cfg = (struct nookd_settings){
		.sysfs_root = fake_root,
		.heartbeat_ms = FAKE_HEARTBEAT_MS,
		.heartbeat_timeout_ms = FAKE_HEARTBEAT_TIMEOUT_MS,
		.start_timeout_ms = 2000,
		.shutdown_timeout_ms = FAKE_SHUTDOWN_TIMEOUT_MS,
		.no_standby = true,
	};
	nook_restart_policy_default(&fake.d.cfg.policy);
	fake.d.cfg.policy.backoff_base_ms = 20;
	fake.d.cfg.policy.backoff_max_ms = 40;
	fake.d.cfg.policy.max_failures = 3;
}

void fake_nookd_teardown(void)
{
	if (fake.tap_peer >= 0)
		close(fake.tap_peer);
	fake.tap_peer = -1;
	fake_sysfs_destroy();
}

void fake_script(unsigned int n, ...)
{
	va_list ap;

	assert_true(n > 0 && n <= sizeof(fake.script) / sizeof(fake.script[0]));
	va_start(ap, n);
	for (unsigned int i = 0; i < n; i++)
		fake.script[i] = va_arg(ap, enum fake_act);
	va_end(ap);
	fake.n_script = n;
}

static void on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
}

bool fake_run_until(bool (*pred)(const void *arg), const void *arg, unsigned int ms)
{
	uint64_t end = fake_ms_now() + ms;
	ev_timer tick;
	bool ok;

	ev_timer_init(&tick, on_tick, 0.01, 0.01);
	ev_timer_start(fake.d.loop, &tick);
	while (!(ok = pred(arg)) && fake_ms_now() < end)
		ev_run(fake.d.loop, EVRUN_ONCE);
	ev_timer_stop(fake.d.loop, &tick);
	return ok;
}
