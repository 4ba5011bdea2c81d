// SPDX-License-Identifier: GPL-2.0-only
/*
 * nookctl: the command line of nook. `scan` and `drivers` look at this machine directly;
 * everything else asks nookd over D-Bus (org.nook.Nook1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include "common/base/pci-addr.h"
#include "daemon/drivers.h"
#include "common/ipc/nic-counters.h"
#include "daemon/pci-scan.h"
#include "daemon/registry.h"

#define BUS_NAME "org.nook.Nook1"
#define BUS_PATH "/org/nook/Nook1"
#define MANAGER "org.nook.Nook1.Manager"
#define DEVICE "org.nook.Nook1.Device"

#ifndef NOOK_VERSION
#define NOOK_VERSION "unknown"
#endif

#ifndef NOOK_DRIVER_DIR
#define NOOK_DRIVER_DIR "/usr/local/libexec/nook"
#endif

static bool json;

/* Each command: its arguments, and what it does (the lines under it in the usage). */
static const struct command_help {
	const char *name, *args, *what;
} commands[] = {
	{ "scan", "[--json]",
	  "every PCI device, its kernel driver, IOMMU group and the nook driver that would\n"
	  "take it" },
	{ "drivers", "", "each nook driver and the PCI IDs it takes" },
	{ "list", "[--json]", "the devices nookd looks after" },
	{ "status", "BDF [--json]", "one device: driver, state, pid, restarts, failures" },
	{ "stats", "BDF [--json]",
	  "a NIC's counters, summed over its driver's incarnations, by the names ethtool -S\n"
	  "uses for Linux's (rx_packets, rx_missed, tx_aborted_errors, ...)" },
	{ "attach",
	  "BDF [--driver NAME] [--ifname NAME] [--param KEY=VALUE]... [--force] [--no-wait]",
	  "run the device's driver under nookd; --force takes it from a kernel driver that\n"
	  "serves it; --no-wait returns before the driver reports running" },
	{ "detach", "BDF", "stop its driver and give the device back to its kernel driver" },
	{ "restart", "BDF", "start its driver afresh" },
	{ "reset-failed", "BDF", "forget its failures and start it again" },
	{ "ethtool", "BDF [--set KEY=VALUE]... [--json]",
	  "what the driver says of itself and its link; --set changes ring-rx, ring-tx or\n"
	  "msglevel first (kept across the driver's restarts)" },
	{ "inject", "BDF KIND",
	  "make its driver fail, in driver context: segv, abort, hang, leak, wild-write,\n"
	  "wild-dma, bad-skb" },
	{ "inject", "BDF --plan SPEC...",
	  "a fault-injection trial: restart its driver with these planned faults\n"
	  "(tests/fault/nook-swifi plans them)" },
	{ "debug", "BDF",
	  "hand its driver process to a debugger: nookd stops watching and restarting it\n"
	  "until `restart`" },
};

static void print_command(FILE *f, const struct command_help *c)
{
	const char *line = c->what;

	fprintf(f, "  %s %s\n", c->name, c->args);
	while (*line) {
		size_t n = strcspn(line, "\n");

		fprintf(f, "      %.*s\n", (int)n, line);
		line += n + (line[n] == '\n');
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: nookctl COMMAND [ARGS]    (nookctl COMMAND --help: one command)\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		print_command(f, &commands[i]);
	fprintf(f, "\nBDF is a PCI address, 0000:00:03.0 or 00:03.0. See nookctl(8).\n");
}

/* `nookctl CMD --help`: that command's usage; false for a command that does not exist. */
static bool command_usage(FILE *f, const char *name)
{
	bool found = false;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name)) {
			if (!found)
				fprintf(f, "usage:\n");
			print_command(f, &commands[i]);
			found = true;
		}
	return found;
}

static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int die(const char *fmt, ...)
{
	va_list ap;

	fputs("nookctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static const char *driver_path(void)
{
	const char *p = getenv("NOOK_DRIVER_PATH");

	return p && *p ? p : NOOK_DRIVER_DIR;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* --- local commands */

static int cmd_scan(void)
{
	struct nook_driver_set drivers = { 0 };
	struct nook_pci_info *list;
	struct nook_err err = { 0 };
	size_t n;

	if (nook_pci_scan(NULL, &list, &n, &err) < 0)
		return die("%s", err.msg);
	nook_drivers_discover(driver_path(), &drivers);
	if (json)
		putchar('[');
	else
		printf("%-13s %-9s %-16s %-5s %-12s %s\n", "ADDRESS", "ID", "KERNEL-DRIVER",
		       "GROUP", "NOOK-DRIVER", "DEVICE");
	for (size_t i = 0; i < n; i++) {
		const struct nook_pci_info *p = &list[i];
		const struct nook_driver *drv = nook_drivers_match(&drivers, p);
		char name[2 * NOOK_PCI_NAME_LEN + 2], group[12];

		snprintf(name, sizeof(name), "%s %s", p->vendor_name, p->device_name);
		snprintf(group, sizeof(group), p->iommu_group < 0 ? "-" : "%d", p->iommu_group);
		if (!json) {
			printf("%-13s %04x:%04x %-16s %-5s %-12s %s\n", p->addr, p->vendor,
			       p->device, *p->driver ? p->driver : "-", group,
			       drv ? drv->name : "-", name);
			continue;
		}
		printf("%s{\"address\":", i ? "," : "");
		json_str(p->addr);
		printf(",\"vendor\":\"%04x\",\"device\":\"%04x\",\"class\":\"%06x\",\"name\":",
		       p->vendor, p->device, p->class);
		json_str(name);
		printf(",\"kernel_driver\":");
		json_str(p->driver);
		printf(",\"iommu_group\":%d,\"nook_driver\":", p->iommu_group);
		json_str(drv ? drv->name : "");
		putchar('}');
	}
	if (json)
		puts("]");
	free(list);
	nook_drivers_free(&drivers);
	return 0;
}

static int cmd_drivers(void)
{
	struct nook_driver_set drivers = { 0 };
	char id[64];

	nook_drivers_discover(driver_path(), &drivers);
	if (drivers.n == 0)
		return die("no nook drivers in %s", driver_path());
	for (size_t i = 0; i < drivers.n; i++) {
		printf("%s (%s)\n", drivers.drivers[i].name, drivers.drivers[i].path);
		for (size_t j = 0; j < drivers.drivers[i].n_ids; j++)
			printf("  %s\n",
			       nook_driver_id_format(&drivers.drivers[i].ids[j], id, sizeof(id)));
	}
	nook_drivers_free(&drivers);
	return 0;
}

/* --- talking to nookd */

static sd_bus *bus;

static int bus_fail(const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
		return die("nookd is not running (systemctl start nookd)");
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
		return die("permission denied: only root may manage nook devices");
	if (e && e->message)
		return die("%s", e->message);
	return die("%s", strerror(-r));
}

static int connect_bus(void)
{
	int r = sd_bus_open_system(&bus);

	if (r < 0)
		return die("cannot reach the system bus: %s", strerror(-r));
	return 0;
}

/* Send @m (built with result @r so far) and wait for the reply; errors are told and -1. */
static int finish_call(sd_bus_message *m, int r, sd_bus_message **ret_reply)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;

	if (r >= 0)
		r = sd_bus_call(bus, m, 60 * 1000000ULL, &e, ret_reply);
	sd_bus_message_unref(m);
	if (r < 0) {
		bus_fail(&e, r);
		sd_bus_error_free(&e);
		return -1;
	}
	return 0;
}

static int call(const char *method, sd_bus_message **ret_reply, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, MANAGER, method);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	return finish_call(m, r, ret_reply);
}

static const char *const stat_names[] = {
#define COUNTER_NAME(name) #name,
	NOOK_NIC_COUNTERS(COUNTER_NAME)
#undef COUNTER_NAME
};

/* Each counter's place in struct status' stats: STAT_rx_packets, ... */
enum {
#define COUNTER_INDEX(name) STAT_##name,
	NOOK_NIC_COUNTERS(COUNTER_INDEX)
#undef COUNTER_INDEX
		N_STATS
};

#define MAX_RECOVERIES 32

struct recovery {
	char failure[16], injected[16];
	uint64_t detected_usec; /* wall clock */
	uint32_t started_ms, ready_ms, carrier_ms, traffic_ms;
};

struct status {
	char *address, *driver, *cls, *kernel_driver, *state, *last_failure, **interfaces;
	uint32_t pid, standby_pid, restarts;
	uint64_t last_recovery_ms;
	uint64_t stats[N_STATS]; /* in stat_names' order */
	struct recovery recoveries[MAX_RECOVERIES];
	unsigned int n_recoveries;
	char *fault_plan;
	uint32_t fault_pid, faults_fired;
};

static void status_free(struct status *s)
{
	free(s->address);
	free(s->driver);
	free(s->cls);
	free(s->kernel_driver);
	free(s->state);
	free(s->last_failure);
	free(s->fault_plan);
	for (char **p = s->interfaces; p && *p; p++)
		free(*p);
	free(s->interfaces);
}

/* The Statistics property, a{st}, into s->stats by name. */
static int get_stats(const char *path, struct status *s, sd_bus_error *e)
{
	sd_bus_message *reply = NULL;
	const char *name;
	uint64_t v;
	int r;

	r = sd_bus_get_property(bus, BUS_NAME, path, DEVICE, "Statistics", e, &reply, "a{st}");
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "{st}");
	while (r >= 0 && (r = sd_bus_message_read(reply, "{st}", &name, &v)) > 0)
		for (size_t i = 0; i < N_STATS; i++)
			if (!strcmp(name, stat_names[i]))
				s->stats[i] = v;
	sd_bus_message_unref(reply);
	return r;
}

/* The Recoveries property, a(stsuuuu), oldest first. */
static int get_recoveries(const char *path, struct status *s, sd_bus_error *e)
{
	sd_bus_message *reply = NULL;
	const char *failure, *injected;
	struct recovery x;
	int r;

	r = sd_bus_get_property(bus, BUS_NAME, path, DEVICE, "Recoveries", e, &reply, "a(stsuuuu)");
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "(stsuuuu)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(stsuuuu)", &failure, &x.detected_usec,
						  &injected, &x.started_ms, &x.ready_ms,
						  &x.carrier_ms, &x.traffic_ms)) > 0) {
		if (s->n_recoveries == MAX_RECOVERIES)
			continue;
		snprintf(x.failure, sizeof(x.failure), "%s", failure);
		snprintf(x.injected, sizeof(x.injected), "%s", injected);
		s->recoveries[s->n_recoveries++] = x;
	}
	sd_bus_message_unref(reply);
	return r;
}

/* The Fault property, (suu): the newest trial's plan, its incarnation, how many fired. */
static int get_fault(const char *path, struct status *s, sd_bus_error *e)
{
	sd_bus_message *reply = NULL;
	const char *plan;
	int r;

	r = sd_bus_get_property(bus, BUS_NAME, path, DEVICE, "Fault", e, &reply, "(suu)");
	if (r >= 0)
		r = sd_bus_message_read(reply, "(suu)", &plan, &s->fault_pid, &s->faults_fired);
	if (r >= 0 && !(s->fault_plan = strdup(plan)))
		r = -ENOMEM;
	sd_bus_message_unref(reply);
	return r;
}

static int get_status(const char *path, struct status *s)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = 0;

	memset(s, 0, sizeof(*s));
#define STR(prop, field) \
	if (r >= 0)      \
	r = sd_bus_get_property_string(bus, BUS_NAME, path, DEVICE, prop, &e, &s->field)
#define NUM(prop, type, field) \
	if (r >= 0)            \
	r = sd_bus_get_property_trivial(bus, BUS_NAME, path, DEVICE, prop, &e, type, &s->field)
	STR("Address", address);
	STR("Driver", driver);
	STR("Class", cls);
	STR("KernelDriver", kernel_driver);
	STR("State", state);
	STR("LastFailure", last_failure);
	NUM("Pid", 'u', pid);
	NUM("StandbyPid", 'u', standby_pid);
	NUM("Restarts", 'u', restarts);
	NUM("LastRecoveryMs", 't', last_recovery_ms);
	if (r >= 0)
		r = sd_bus_get_property_strv(bus, BUS_NAME, path, DEVICE, "Interfaces", &e,
					     &s->interfaces);
	if (r >= 0)
		r = get_stats(path, s, &e);
	if (r >= 0)
		r = get_recoveries(path, s, &e);
	if (r >= 0)
		r = get_fault(path, s, &e);
#undef STR
#undef NUM
	if (r < 0) {
		bus_fail(&e, r);
		sd_bus_error_free(&e);
		status_free(s);
		return -1;
	}
	return 0;
}

static void print_status_json(const struct status *s)
{
	printf("{\"address\":");
	json_str(s->address);
	printf(",\"driver\":");
	json_str(s->driver);
	printf(",\"class\":");
	json_str(s->cls);
	printf(",\"kernel_driver\":");
	json_str(s->kernel_driver);
	printf(",\"state\":");
	json_str(s->state);
	printf(",\"pid\":%u,\"standby_pid\":%u,\"restarts\":%u,\"interfaces\":[", s->pid,
	       s->standby_pid, s->restarts);
	for (char **p = s->interfaces; p && *p; p++) {
		printf("%s", p == s->interfaces ? "" : ",");
		json_str(*p);
	}
	printf("],\"last_failure\":");
	json_str(s->last_failure);
	printf(",\"last_recovery_ms\":%llu,\"statistics\":{",
	       (unsigned long long)s->last_recovery_ms);
	for (size_t i = 0; i < N_STATS; i++)
		printf("%s\"%s\":%llu", i ? "," : "", stat_names[i],
		       (unsigned long long)s->stats[i]);
	printf("},\"recoveries\":[");
	for (unsigned int i = 0; i < s->n_recoveries; i++) {
		const struct recovery *x = &s->recoveries[i];

		printf("%s{\"failure\":", i ? "," : "");
		json_str(x->failure);
		printf(",\"detected_usec\":%llu,\"injected\":",
		       (unsigned long long)x->detected_usec);
		json_str(x->injected);
		printf(",\"started_ms\":%u,\"ready_ms\":%u,\"carrier_ms\":%u,\"traffic_ms\":%u}",
		       x->started_ms, x->ready_ms, x->carrier_ms, x->traffic_ms);
	}
	printf("],\"fault\":{\"plan\":");
	json_str(s->fault_plan);
	printf(",\"pid\":%u,\"fired\":%u}}", s->fault_pid, s->faults_fired);
}

/* "123 ms" or "-" for a phase not reached. */
static const char *ms_or_dash(uint32_t ms, char *buf, size_t size)
{
	if (!ms)
		return "-";
	snprintf(buf, size, "%u ms", ms);
	return buf;
}

/* Local time of day with ms, "14:03:07.250", of a wall-clock time in µs since the epoch. */
static const char *clock_time(uint64_t usec, char *buf, size_t size)
{
	time_t sec = (time_t)(usec / 1000000);
	struct tm tm;
	char hms[16];

	if (!localtime_r(&sec, &tm) || !strftime(hms, sizeof(hms), "%H:%M:%S", &tm))
		return "?";
	snprintf(buf, size, "%s.%03u", hms, (unsigned int)(usec / 1000 % 1000));
	return buf;
}

static void print_recoveries_text(const struct status *s)
{
	char a[16], b[16], c[16], t[24];

	if (!s->n_recoveries)
		return;
	bool sound = !strcmp(s->cls, "sound");

	printf("  recoveries:    %-12s %-10s %-11s %9s %9s %9s %13s\n", "detected", "failure",
	       "injected", "started", "ready", sound ? "resumed" : "carrier",
	       sound ? "first period" : "first frame");
	for (unsigned int i = s->n_recoveries > 8 ? s->n_recoveries - 8 : 0; i < s->n_recoveries;
	     i++) {
		const struct recovery *x = &s->recoveries[i];

		printf("                 %-12s %-10s %-11s %9s",
		       clock_time(x->detected_usec, t, sizeof(t)), x->failure,
		       *x->injected ? x->injected : "-", ms_or_dash(x->started_ms, a, sizeof(a)));
		printf(" %9s", ms_or_dash(x->ready_ms, b, sizeof(b)));
		printf(" %9s", ms_or_dash(x->carrier_ms, c, sizeof(c)));
		printf(" %13s\n", ms_or_dash(x->traffic_ms, a, sizeof(a)));
	}
}

static void print_status_text(const struct status *s)
{
	bool sound = !strcmp(s->cls, "sound");

	printf("%s\n  driver:        %s (kernel driver: %s)\n  state:         %s\n"
	       "  pid:           %u\n",
	       s->address, s->driver, *s->kernel_driver ? s->kernel_driver : "none", s->state,
	       s->pid);
	if (s->standby_pid)
		printf("  standby:       pid %u\n", s->standby_pid);
	printf("  restarts:      %u\n  %s   ", s->restarts, sound ? "socket:    " : "interfaces:");
	for (char **p = s->interfaces; p && *p; p++)
		printf(" %s", *p);
	printf("\n  last failure:  %s\n", *s->last_failure ? s->last_failure : "none");
	if (*s->fault_plan)
		printf("  fault trial:   %s (pid %u; %u fired)\n", s->fault_plan, s->fault_pid,
		       s->faults_fired);
	if (s->last_recovery_ms)
		printf("  last recovery: %llu ms\n", (unsigned long long)s->last_recovery_ms);
	print_recoveries_text(s);
	if (sound)
		return;
#define STAT(name) (unsigned long long)s->stats[STAT_##name]
	printf("  traffic:       rx %llu packets (%llu bytes), tx %llu packets (%llu bytes)\n"
	       "                 errors rx %llu tx %llu, dropped rx %llu tx %llu, missed rx %llu\n"
	       "                 multicast rx %llu, collisions %llu\n",
	       STAT(rx_packets), STAT(rx_bytes), STAT(tx_packets), STAT(tx_bytes), STAT(rx_errors),
	       STAT(tx_errors), STAT(rx_dropped), STAT(tx_dropped), STAT(rx_missed),
	       STAT(multicast), STAT(collisions));
#undef STAT
	/* What the errors were, where the driver counted any (the error kinds close the list in
	 * nic-counters.h, from rx_length_errors on). */
	const char *sep = "                 ";
	for (size_t i = STAT_rx_length_errors; i < N_STATS; i++) {
		if (!s->stats[i])
			continue;
		printf("%s%s %llu", sep, stat_names[i], (unsigned long long)s->stats[i]);
		sep = ", ";
	}
	if (*sep == ',')
		printf("\n");
}

static int device_path(const char *addr, char **ret_path)
{
	sd_bus_message *reply = NULL;
	const char *path;
	int r;

	if (call("GetDevice", &reply, "s", addr) < 0)
		return -1;
	r = sd_bus_message_read(reply, "o", &path);
	if (r >= 0)
		*ret_path = strdup(path);
	sd_bus_message_unref(reply);
	return r < 0 || !*ret_path ? die("bad answer from nookd") : 0;
}

static int cmd_status(const char *addr)
{
	struct status s;
	char *path = NULL;

	if (device_path(addr, &path) || get_status(path, &s)) {
		free(path);
		return 1;
	}
	if (json) {
		print_status_json(&s);
		putchar('\n');
	} else {
		print_status_text(&s);
	}
	status_free(&s);
	free(path);
	return 0;
}

/* ethtool -S's layout: "NIC statistics:", then "     name: value" per counter. */
static int cmd_stats(const char *addr)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct status s = { 0 };
	char *path = NULL;
	int r;

	if (device_path(addr, &path))
		return 1;
	r = get_stats(path, &s, &e);
	free(path);
	if (r < 0) {
		bus_fail(&e, r);
		sd_bus_error_free(&e);
		return 1;
	}
	printf(json ? "{" : "NIC statistics:\n");
	for (size_t i = 0; i < N_STATS; i++)
		printf(json ? "%s\"%s\":%llu" : "%s     %s: %llu\n", json && i ? "," : "",
		       stat_names[i], (unsigned long long)s.stats[i]);
	if (json)
		printf("}\n");
	return 0;
}

static int cmd_list(void)
{
	sd_bus_message *reply = NULL;
	const char *path;
	struct status s;
	int r, n = 0;

	if (call("ListDevices", &reply, "") < 0)
		return 1;
	r = sd_bus_message_enter_container(reply, 'a', "o");
	if (json)
		putchar('[');
	else
		printf("%-13s %-10s %-11s %-8s %-8s %s\n", "ADDRESS", "DRIVER", "STATE", "PID",
		       "RESTARTS", "INTERFACE OR SOCKET");
	while (r >= 0 && (r = sd_bus_message_read(reply, "o", &path)) > 0) {
		if (get_status(path, &s) < 0) {
			r = -EIO;
			break;
		}
		if (json) {
			printf("%s", n++ ? "," : "");
			print_status_json(&s);
		} else {
			printf("%-13s %-10s %-11s %-8u %-8u", s.address, s.driver, s.state, s.pid,
			       s.restarts);
			for (char **p = s.interfaces; p && *p; p++)
				printf(" %s", *p);
			putchar('\n');
		}
		status_free(&s);
	}
	if (json)
		puts("]");
	sd_bus_message_unref(reply);
	return r < 0 ? 1 : 0;
}

/* After an attach or a restart: wait until the driver runs or gives up, and say which. */
static int wait_running(const char *path, int timeout_s, uint32_t old_pid)
{
	struct timespec pause = { 0, 100 * 1000000L };
	struct status s;

	for (int i = 0; i < timeout_s * 10; i++) {
		if (get_status(path, &s) < 0)
			return 1;
		if (!strcmp(s.state, "running") && s.pid != old_pid) {
			printf("%s: %s is running (pid %u)", s.address, s.driver, s.pid);
			for (char **p = s.interfaces; p && *p; p++)
				printf("%s%s",
				       p != s.interfaces      ? " " :
				       strcmp(s.cls, "sound") ? ", interface " :
								", socket ",
				       *p);
			putchar('\n');
			status_free(&s);
			return 0;
		}
		if (!strcmp(s.state, "failed") || (i > 0 && !strcmp(s.state, "recovering"))) {
			die("%s: %s did not start: %s", s.address, s.driver, s.last_failure);
			status_free(&s);
			return 1;
		}
		status_free(&s);
		nanosleep(&pause, NULL);
	}
	return die("the driver did not report within %d s (nookctl status shows what it does)",
		   timeout_s);
}

static int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "param", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ 0 },
	};
	const char *driver = NULL, *ifname = NULL, *params[NOOK_MAX_PARAMS];
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int c, r, n_params = 0, force = 0, wait = 1;
	const char *path;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			driver = optarg;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'p':
			if (n_params == NOOK_MAX_PARAMS) {
				fprintf(stderr, "nookctl: too many --param: at most %d\n",
					NOOK_MAX_PARAMS);
				return 2;
			}
			params[n_params++] = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'n':
			wait = 0;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	r = sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, MANAGER, "Attach");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", argv[optind]);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "{sv}");
	if (r >= 0 && driver)
		r = sd_bus_message_append(m, "{sv}", "driver", "s", driver);
	if (r >= 0 && ifname)
		r = sd_bus_message_append(m, "{sv}", "ifname", "s", ifname);
	if (r >= 0 && force)
		r = sd_bus_message_append(m, "{sv}", "force", "b", 1);
	if (r >= 0 && n_params) {
		r = sd_bus_message_open_container(m, 'e', "sv");
		if (r >= 0)
			r = sd_bus_message_append(m, "s", "params");
		if (r >= 0)
			r = sd_bus_message_open_container(m, 'v', "as");
		if (r >= 0)
			r = sd_bus_message_open_container(m, 'a', "s");
		for (int i = 0; r >= 0 && i < n_params; i++)
			r = sd_bus_message_append(m, "s", params[i]);
		for (int i = 0; r >= 0 && i < 3; i++)
			r = sd_bus_message_close_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_call(bus, m, 60 * 1000000ULL, &e, &reply);
	sd_bus_message_unref(m);
	if (r < 0) {
		bus_fail(&e, r);
		sd_bus_error_free(&e);
		return 1;
	}
	r = sd_bus_message_read(reply, "o", &path);
	r = r < 0 ? die("bad answer from nookd") : wait ? wait_running(path, 30, 0) : 0;
	sd_bus_message_unref(reply);
	return r;
}

static int cmd_simple(const char *method, const char *addr)
{
	sd_bus_message *reply = NULL;
	char *path = NULL;
	uint32_t old_pid = 0;
	bool was_failed = false;
	struct status s;
	int r;

	/* A restart is over when a new process runs, not while the old one still does. */
	if (strcmp(method, "Detach")) {
		if (device_path(addr, &path) || get_status(path, &s)) {
			free(path);
			return 1;
		}
		old_pid = s.pid;
		was_failed = s.state && !strcmp(s.state, "failed");
		status_free(&s);
		free(path);
		path = NULL;
	}
	if (call(method, &reply, "s", addr) < 0)
		return 1;
	sd_bus_message_unref(reply);
	if (!strcmp(method, "Detach")) {
		printf("%s: detached\n", addr);
		return 0;
	}
	/* A device that had not failed keeps its running driver: its count starts afresh. */
	if (!strcmp(method, "ResetFailed") && !was_failed) {
		printf("%s: its failures are forgotten; its driver was not stopped, and runs on\n",
		       addr);
		return 0;
	}
	if (device_path(addr, &path))
		return 1;
	r = wait_running(path, 30, old_pid);
	free(path);
	return r;
}

/* ethtool BDF [--set KEY=VALUE]...: EthtoolSet with the pairs, or Ethtool without. */
static int ethtool_call(int argc, char **argv, sd_bus_message **ret_reply)
{
	sd_bus_message *m = NULL;
	int r;

	if (argc == 2)
		return call("Ethtool", ret_reply, "s", argv[1]);
	r = sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, MANAGER, "EthtoolSet");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", argv[1]);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "{ss}");
	for (int i = 2; r >= 0 && i + 1 < argc; i += 2) {
		char *eq = strchr(argv[i + 1], '=');

		*eq = '\0';
		r = sd_bus_message_append(m, "{ss}", argv[i + 1], eq + 1);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	return finish_call(m, r, ret_reply);
}

static int cmd_ethtool(int argc, char **argv)
{
	sd_bus_message *reply = NULL;
	const char *k, *v;
	int r;

	if (ethtool_call(argc, argv, &reply) < 0)
		return 1;
	r = sd_bus_message_enter_container(reply, 'a', "{ss}");
	if (json)
		putchar('{');
	for (int n = 0; r >= 0 && (r = sd_bus_message_read(reply, "{ss}", &k, &v)) > 0; n++) {
		if (json) {
			printf("%s", n ? "," : "");
			json_str(k);
			putchar(':');
			json_str(v);
		} else {
			printf("%-10s %s\n", k, v);
		}
	}
	if (json)
		puts("}");
	sd_bus_message_unref(reply);
	return r < 0 ? die("bad answer from nookd") : 0;
}

static int cmd_inject(const char *addr, const char *kind)
{
	sd_bus_message *reply = NULL;

	const char *when = !strcmp(kind, "wild-dma") ? "the driver's next DMA mapping" :
			   !strcmp(kind, "bad-skb")  ? "the next frame the driver receives" :
			   !strcmp(kind, "leak")     ? "every interrupt from the next one on" :
						       "the driver's next interrupt";

	if (call("Inject", &reply, "ss", addr, kind) < 0)
		return 1;
	sd_bus_message_unref(reply);
	printf("%s: fault '%s' armed: it fires at %s\n", addr, kind, when);
	return 0;
}

static int cmd_inject_plan(const char *addr, int n, char **specs)
{
	sd_bus_message *m = NULL, *reply = NULL;
	int r;

	/* specs ends where argv does: NULL-terminated, as append_strv wants */
	r = sd_bus_message_new_method_call(bus, &m, BUS_NAME, BUS_PATH, MANAGER, "InjectPlan");
	if (r >= 0)
		r = sd_bus_message_append(m, "s", addr);
	if (r >= 0)
		r = sd_bus_message_append_strv(m, specs);
	if (finish_call(m, r, &reply) < 0)
		return 1;
	sd_bus_message_unref(reply);
	printf("%s: restarting its driver with %d planned fault%s\n", addr, n, n == 1 ? "" : "s");
	return 0;
}

static int cmd_debug(const char *addr)
{
	sd_bus_message *reply = NULL;
	uint32_t pid;
	int r;

	if (call("Debug", &reply, "s", addr) < 0)
		return 1;
	r = sd_bus_message_read(reply, "u", &pid);
	sd_bus_message_unref(reply);
	if (r < 0)
		return die("bad answer from nookd");
	/* The driver lives in its own mount namespace: gdb finds its files through /proc. */
	printf("%s: driver process %u is yours: nookd neither watches its heartbeat nor "
	       "restarts it now.\n  attach:    gdb -iex 'set sysroot /proc/%u/root' /proc/%u/exe "
	       "%u\n"
	       "  when done: nookctl restart %s\n",
	       addr, pid, pid, pid, pid, addr);
	return 0;
}

static int needs_addr(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		usage(stderr);
		return 0;
	}
	return 1;
}

/* ethtool BDF [--set KEY=VALUE]... */
static bool ethtool_args_ok(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-' || argc % 2 != 0)
		goto bad;
	for (int i = 2; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--set") || !strchr(argv[i + 1], '=') || argv[i + 1][0] == '=')
			goto bad;
	return true;
bad:
	usage(stderr);
	return false;
}

/* The command's BDF: its first argument that is neither an option nor an option's value. */
static const char *address_arg(int argc, char **argv)
{
	static const char *const with_value[] = { "--driver", "--ifname", "--param", "--set" };

	for (int i = 1; i < argc; i++) {
		bool takes = false;

		if (argv[i][0] != '-')
			return argv[i];
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			takes = takes || !strcmp(argv[i], with_value[k]);
		i += takes;
	}
	return NULL;
}

static bool address_ok(const char *addr)
{
	struct nook_pci_addr a;

	if (nook_pci_addr_parse(addr, &a) == 0)
		return true;
	fprintf(stderr,
		"nookctl: '%s' is not a PCI address: write it as DDDD:BB:DD.F or BB:DD.F "
		"in hex (0000:00:03.0, 00:03.0); nookctl scan lists the devices\n",
		addr);
	return false;
}

int main(int argc, char **argv)
{
	const char *cmd;
	int r;

	/* --json may come anywhere */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--json")) {
			json = true;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	argc--;
	argv++;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		if (argc > 1 && command_usage(stdout, argv[1]))
			return 0;
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("nookctl (nook) %s\n", NOOK_VERSION);
		return 0;
	}
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			if (command_usage(stdout, cmd))
				return 0;
			break;
		}
	/* A device's address is checked here, before nookd is asked anything. */
	if (strcmp(cmd, "scan") && strcmp(cmd, "drivers") && strcmp(cmd, "list")) {
		const char *addr = address_arg(argc, argv);

		if (addr && !address_ok(addr))
			return 2;
	}
	if (!strcmp(cmd, "attach")) {
		int n = 0;

		for (int i = 1; i < argc; i++)
			n += !strcmp(argv[i], "--param");
		if (n > NOOK_MAX_PARAMS) {
			fprintf(stderr, "nookctl: too many --param: at most %d\n", NOOK_MAX_PARAMS);
			return 2;
		}
	}
	if (!strcmp(cmd, "scan"))
		return argc == 1 ? cmd_scan() : (usage(stderr), 2);
	if (!strcmp(cmd, "drivers"))
		return argc == 1 ? cmd_drivers() : (usage(stderr), 2);
	if (strcmp(cmd, "list") && strcmp(cmd, "status") && strcmp(cmd, "stats") &&
	    strcmp(cmd, "attach") && strcmp(cmd, "detach") && strcmp(cmd, "restart") &&
	    strcmp(cmd, "reset-failed") && strcmp(cmd, "debug") && strcmp(cmd, "ethtool") &&
	    strcmp(cmd, "inject")) {
		fprintf(stderr, "nookctl: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "inject") &&
	    (argc < 3 || argv[1][0] == '-' || (strcmp(argv[2], "--plan") ? argc != 3 : argc < 4))) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "ethtool") && !ethtool_args_ok(argc, argv))
		return 2;
	if (strcmp(cmd, "list") && strcmp(cmd, "attach") && strcmp(cmd, "inject") &&
	    strcmp(cmd, "ethtool") && !needs_addr(argc, argv))
		return 2;
	if (!strcmp(cmd, "list") && argc != 1) {
		usage(stderr);
		return 2;
	}
	if (connect_bus())
		return 1;
	if (!strcmp(cmd, "list"))
		r = cmd_list();
	else if (!strcmp(cmd, "status"))
		r = cmd_status(argv[1]);
	else if (!strcmp(cmd, "stats"))
		r = cmd_stats(argv[1]);
	else if (!strcmp(cmd, "attach"))
		r = cmd_attach(argc, argv);
	else if (!strcmp(cmd, "detach"))
		r = cmd_simple("Detach", argv[1]);
	else if (!strcmp(cmd, "restart"))
		r = cmd_simple("Restart", argv[1]);
	else if (!strcmp(cmd, "debug"))
		r = cmd_debug(argv[1]);
	else if (!strcmp(cmd, "ethtool"))
		r = cmd_ethtool(argc, argv);
	else if (!strcmp(cmd, "inject") && !strcmp(argv[2], "--plan"))
		r = cmd_inject_plan(argv[1], argc - 3, argv + 3);
	else if (!strcmp(cmd, "inject"))
		r = cmd_inject(argv[1], argv[2]);
	else
		r = cmd_simple("ResetFailed", argv[1]);
	sd_bus_flush_close_unref(bus);
	return r;
}
