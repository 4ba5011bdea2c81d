// SPDX-License-Identifier: GPL-2.0-only
/*
 * nookctl: the command line of nook. `scan` and `drivers` look at this machine directly;
 * everything else asks nookd over D-Bus (org.nook.Nook1).
 */
#include <dirent.h>
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
#include "daemon/pci-scan.h"
#include "daemon/registry.h"
#include "nookctl.h"

#ifndef NOOK_VERSION
#define NOOK_VERSION "unknown"
#endif

#ifndef NOOK_DRIVER_DIR
#define NOOK_DRIVER_DIR "/usr/local/libexec/nook"
#endif

bool nookctl_json;

/* Each command: its arguments, and what it does (the lines under it in the usage). */
static const struct command_help {
	const char *name, *args, *what;
} commands[] = {
	{ "scan", "[--json]",
	  "every PCI device, its kernel driver, IOMMU group, the nook driver that would\n"
	  "take it, whether nookd serves it (its state), and its interface" },
	{ "drivers", "", "each nook driver and the PCI IDs it takes" },
	{ "list", "[--json]", "the devices nookd looks after" },
	{ "status", "BDF [--lines N] [--json]",
	  "one device: driver, state and since when, pid, restarts, failures, and its last N "
	  "log lines (10; -n N)" },
	{ "stats", "BDF [--json]",
	  "a NIC's counters, summed over its driver's incarnations, by the names ethtool -S\n"
	  "uses for Linux's (rx_packets, rx_missed, tx_aborted_errors, ...)" },
	{ "attach",
	  "BDF [--driver NAME] [--ifname NAME] [--param KEY=VALUE]... [--force] [--no-wait]\n"
	  "         [--persist]",
	  "run the device's driver under nookd; --force takes it from a kernel driver that\n"
	  "serves it; --no-wait returns before the driver reports running; --persist writes\n"
	  "it into nookd's devices directory, so that nookd attaches it at every start" },
	{ "detach", "BDF [--persist]",
	  "stop its driver and give the device back to its kernel driver; --persist also\n"
	  "removes the entry attach --persist wrote" },
	{ "restart", "BDF", "start its driver afresh" },
	{ "reset-failed", "BDF", "forget its failures and start it again" },
	{ "upgrade", "BDF [--driver PATH] | --all",
	  "move its running driver to a new program without a failure: PATH (the same\n"
	  "driver), or the one on disk now; --all: every running device. A new program that\n"
	  "does not come up is rolled back to the old one" },
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

int nookctl_die(const char *fmt, ...)
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

void nookctl_json_str(const char *s)
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

/* The interface a kernel driver made of the device: its network interface or sound card. */
static void kernel_interface(const char *addr, char *buf, size_t size)
{
	static const char *const kinds[] = { "net", "sound" };

	*buf = '\0';
	for (size_t k = 0; k < 2 && !*buf; k++) {
		char path[128];
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", addr, kinds[k]);
		d = opendir(path);
		if (!d)
			continue;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && (k == 0 || !strncmp(e->d_name, "card", 4))) {
				size_t len = strnlen(e->d_name, size - 1);

				memcpy(buf, e->d_name, len);
				buf[len] = '\0';
				break;
			}
		closedir(d);
	}
}

static const struct nookctl_served *served_find(const struct nookctl_served *s, int n,
						const char *addr)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].addr, addr))
			return &s[i];
	return NULL;
}

static int cmd_scan(void)
{
	struct nook_driver_set drivers = { 0 };
	struct nookctl_served *served = NULL;
	struct nook_pci_info *list;
	struct nook_err err = { 0 };
	int n_served;
	size_t n;

	if (nook_pci_scan(NULL, &list, &n, &err) < 0)
		return nookctl_die("%s", err.msg);
	nook_drivers_discover(driver_path(), &drivers);
	n_served = nookctl_served_get(&served);
	if (nookctl_json)
		putchar('[');
	else
		printf("%-13s %-9s %-16s %-5s %-12s %-11s %-10s %s\n", "ADDRESS", "ID",
		       "KERNEL-DRIVER", "GROUP", "NOOK-DRIVER", "NOOK", "INTERFACE", "DEVICE");
	for (size_t i = 0; i < n; i++) {
		const struct nook_pci_info *p = &list[i];
		const struct nook_driver *drv = nook_drivers_match(&drivers, p);
		const struct nookctl_served *s = served_find(served, n_served, p->addr);
		char name[2 * NOOK_PCI_NAME_LEN + 2], group[12], iface[64];

		snprintf(name, sizeof(name), "%s %s", p->vendor_name, p->device_name);
		snprintf(group, sizeof(group), p->iommu_group < 0 ? "-" : "%d", p->iommu_group);
		if (s)
			snprintf(iface, sizeof(iface), "%s", s->interface);
		else
			kernel_interface(p->addr, iface, sizeof(iface));
		if (!nookctl_json) {
			printf("%-13s %04x:%04x %-16s %-5s %-12s %-11s %-10s %s\n", p->addr,
			       p->vendor, p->device, *p->driver ? p->driver : "-", group,
			       drv ? drv->name : "-", s ? s->state : "-", *iface ? iface : "-",
			       name);
			continue;
		}
		printf("%s{\"address\":", i ? "," : "");
		nookctl_json_str(p->addr);
		printf(",\"vendor\":\"%04x\",\"device\":\"%04x\",\"class\":\"%06x\",\"name\":",
		       p->vendor, p->device, p->class);
		nookctl_json_str(name);
		printf(",\"kernel_driver\":");
		nookctl_json_str(p->driver);
		printf(",\"iommu_group\":%d,\"nook_driver\":", p->iommu_group);
		nookctl_json_str(drv ? drv->name : "");
		printf(",\"nook_state\":");
		nookctl_json_str(s ? s->state : "");
		printf(",\"interface\":");
		nookctl_json_str(iface);
		putchar('}');
	}
	if (nookctl_json)
		puts("]");
	else if (n_served < 0)
		fprintf(stderr, "nookctl: nookd does not answer: it serves no device now\n");
	free(served);
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
		return nookctl_die("no nook drivers in %s", driver_path());
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

sd_bus *nookctl_bus;

int nookctl_bus_fail(const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
	    sd_bus_error_has_name(e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
		return nookctl_die("nookd is not running (systemctl start nookd)");
	/* nookd's own refusal says who may, and why polkit said no; the bus's says less. */
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
		return nookctl_die("permission denied: %s",
				   e->message && strstr(e->message, "may manage nook devices") ?
					   e->message :
					   "only root, or a user polkit authorizes for "
					   "org.nook.Nook1.manage, may manage nook devices");
	if (e && e->message)
		return nookctl_die("%s", e->message);
	return nookctl_die("%s", strerror(-r));
}

static int connect_bus(void)
{
	int r = sd_bus_open_system(&nookctl_bus);

	if (r < 0)
		return nookctl_die("cannot reach the system bus: %s", strerror(-r));
	/* From a terminal, polkit may ask the user's agent for a password before a change. */
	sd_bus_set_allow_interactive_authorization(nookctl_bus, isatty(STDIN_FILENO));
	return 0;
}

/* Send @m (built with result @r so far) and wait for the reply; errors are told and -1. */
static int finish_call(sd_bus_message *m, int r, sd_bus_message **ret_reply)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;

	if (r >= 0)
		r = sd_bus_call(nookctl_bus, m, 60 * 1000000ULL, &e, ret_reply);
	sd_bus_message_unref(m);
	if (r < 0) {
		nookctl_bus_fail(&e, r);
		sd_bus_error_free(&e);
		return -1;
	}
	return 0;
}

int nookctl_call(const char *method, sd_bus_message **ret_reply, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(nookctl_bus, &m, BUS_NAME, BUS_PATH, MANAGER, method);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	return finish_call(m, r, ret_reply);
}

static int cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "driver", required_argument, NULL, 'd' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "param", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "persist", no_argument, NULL, 'P' },
		{ 0 },
	};
	const char *driver = NULL, *ifname = NULL, *params[NOOK_MAX_PARAMS];
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int c, r, n_params = 0, force = 0, wait = 1, persist = 0;
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
		case 'P':
			persist = 1;
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
	r = sd_bus_message_new_method_call(nookctl_bus, &m, BUS_NAME, BUS_PATH, MANAGER, "Attach");
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
		r = sd_bus_call(nookctl_bus, m, 60 * 1000000ULL, &e, &reply);
	sd_bus_message_unref(m);
	if (r < 0) {
		nookctl_bus_fail(&e, r);
		sd_bus_error_free(&e);
		return 1;
	}
	r = sd_bus_message_read(reply, "o", &path);
	r = r < 0 ? nookctl_die("bad answer from nookd") :
	    wait  ? nookctl_wait_running(path, 30, 0) :
		    0;
	sd_bus_message_unref(reply);
	if (r == 0 && persist) {
		struct nookctl_attach_args a = {
			.addr = argv[optind],
			.driver = driver,
			.ifname = ifname,
			.params = params,
			.n_params = n_params,
			.force = force,
		};
		char file[PATH_MAX];

		r = nookctl_persist_write(&a, file, sizeof(file));
		if (r == 0)
			printf("%s: persisted in %s: nookd attaches it again when it starts\n",
			       argv[optind], file);
	}
	return r;
}

static int cmd_simple(const char *method, const char *addr, bool persist)
{
	sd_bus_message *reply = NULL;
	char *path = NULL;
	uint32_t old_pid = 0;
	bool was_failed = false;
	struct status s;
	int r;

	/* A restart is over when a new process runs, not while the old one still does. */
	if (strcmp(method, "Detach")) {
		if (nookctl_device_path(addr, &path) || nookctl_status_get(path, &s)) {
			free(path);
			return 1;
		}
		old_pid = s.pid;
		was_failed = s.state && !strcmp(s.state, "failed");
		nookctl_status_free(&s);
		free(path);
		path = NULL;
	}
	if (nookctl_call(method, &reply, "s", addr) < 0)
		return 1;
	sd_bus_message_unref(reply);
	if (!strcmp(method, "Detach")) {
		printf("%s: detached\n", addr);
		return nookctl_persist_forget(addr, persist);
	}
	/* A device that had not failed keeps its running driver: its count starts afresh. */
	if (!strcmp(method, "ResetFailed") && !was_failed) {
		printf("%s: its failures are forgotten; its driver was not stopped, and runs on\n",
		       addr);
		return 0;
	}
	if (nookctl_device_path(addr, &path))
		return 1;
	r = nookctl_wait_running(path, 30, old_pid);
	free(path);
	return r;
}

/* ethtool BDF [--set KEY=VALUE]...: EthtoolSet with the pairs, or Ethtool without. */
static int ethtool_call(int argc, char **argv, sd_bus_message **ret_reply)
{
	sd_bus_message *m = NULL;
	int r;

	if (argc == 2)
		return nookctl_call("Ethtool", ret_reply, "s", argv[1]);
	r = sd_bus_message_new_method_call(nookctl_bus, &m, BUS_NAME, BUS_PATH, MANAGER,
					   "EthtoolSet");
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
	if (nookctl_json)
		putchar('{');
	for (int n = 0; r >= 0 && (r = sd_bus_message_read(reply, "{ss}", &k, &v)) > 0; n++) {
		if (nookctl_json) {
			printf("%s", n ? "," : "");
			nookctl_json_str(k);
			putchar(':');
			nookctl_json_str(v);
		} else {
			printf("%-10s %s\n", k, v);
		}
	}
	if (nookctl_json)
		puts("}");
	sd_bus_message_unref(reply);
	return r < 0 ? nookctl_die("bad answer from nookd") : 0;
}

static int cmd_inject(const char *addr, const char *kind)
{
	sd_bus_message *reply = NULL;

	const char *when = !strcmp(kind, "wild-dma") ? "the driver's next DMA mapping" :
			   !strcmp(kind, "bad-skb")  ? "the next frame the driver receives" :
			   !strcmp(kind, "leak")     ? "every interrupt from the next one on" :
						       "the driver's next interrupt";

	if (nookctl_call("Inject", &reply, "ss", addr, kind) < 0)
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
	r = sd_bus_message_new_method_call(nookctl_bus, &m, BUS_NAME, BUS_PATH, MANAGER,
					   "InjectPlan");
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

	if (nookctl_call("Debug", &reply, "s", addr) < 0)
		return 1;
	r = sd_bus_message_read(reply, "u", &pid);
	sd_bus_message_unref(reply);
	if (r < 0)
		return nookctl_die("bad answer from nookd");
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
	static const char *const with_value[] = { "--driver", "--ifname", "--param",
						  "--set",    "--lines",  "-n" };

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

/* status BDF [--lines N | -n N]: takes the option out of argv; false (said) if N is bad. */
static bool lines_arg(int *argc, char **argv, unsigned int *ret_lines)
{
	for (int i = 1; i < *argc; i++) {
		char *end;
		unsigned long n;

		if (strcmp(argv[i], "--lines") && strcmp(argv[i], "-n"))
			continue;
		if (i + 1 >= *argc) {
			fprintf(stderr, "nookctl: %s needs a number of lines\n", argv[i]);
			return false;
		}
		n = strtoul(argv[i + 1], &end, 10);
		if (!*argv[i + 1] || *end || argv[i + 1][0] == '-' || n > 10000) {
			fprintf(stderr,
				"nookctl: %s takes a number of lines from 0 to 10000, not '%s'\n",
				argv[i], argv[i + 1]);
			return false;
		}
		*ret_lines = (unsigned int)n;
		memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 1) * sizeof(*argv));
		*argc -= 2;
		i--;
	}
	return true;
}

int main(int argc, char **argv)
{
	bool forget = false;	     /* detach --persist */
	unsigned int log_lines = 10; /* status */
	const char *cmd;
	int r;

	/* --json may come anywhere */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--json")) {
			nookctl_json = true;
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
	if (strcmp(cmd, "scan") && strcmp(cmd, "drivers") && strcmp(cmd, "list") &&
	    !(!strcmp(cmd, "upgrade") && argc == 2 && !strcmp(argv[1], "--all"))) {
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
	    strcmp(cmd, "inject") && strcmp(cmd, "upgrade")) {
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
	if (!strcmp(cmd, "status") && !lines_arg(&argc, argv, &log_lines))
		return 2;
	/* detach BDF --persist */
	if (!strcmp(cmd, "detach") && argc == 3 && !strcmp(argv[2], "--persist")) {
		forget = true;
		argc = 2;
	}
	if (!strcmp(cmd, "upgrade") &&
	    !(argc == 2 || (argc == 4 && !strcmp(argv[2], "--driver")))) {
		usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "list") && strcmp(cmd, "attach") && strcmp(cmd, "inject") &&
	    strcmp(cmd, "ethtool") && strcmp(cmd, "upgrade") && !needs_addr(argc, argv))
		return 2;
	if (!strcmp(cmd, "list") && argc != 1) {
		usage(stderr);
		return 2;
	}
	if (connect_bus())
		return 1;
	if (!strcmp(cmd, "list"))
		r = nookctl_cmd_list();
	else if (!strcmp(cmd, "status"))
		r = nookctl_cmd_status(argv[1], log_lines);
	else if (!strcmp(cmd, "stats"))
		r = nookctl_cmd_stats(argv[1]);
	else if (!strcmp(cmd, "attach"))
		r = cmd_attach(argc, argv);
	else if (!strcmp(cmd, "detach"))
		r = cmd_simple("Detach", argv[1], forget);
	else if (!strcmp(cmd, "restart"))
		r = cmd_simple("Restart", argv[1], false);
	else if (!strcmp(cmd, "upgrade"))
		r = nookctl_cmd_upgrade(argc, argv);
	else if (!strcmp(cmd, "debug"))
		r = cmd_debug(argv[1]);
	else if (!strcmp(cmd, "ethtool"))
		r = cmd_ethtool(argc, argv);
	else if (!strcmp(cmd, "inject") && !strcmp(argv[2], "--plan"))
		r = cmd_inject_plan(argv[1], argc - 3, argv + 3);
	else if (!strcmp(cmd, "inject"))
		r = cmd_inject(argv[1], argv[2]);
	else
		r = cmd_simple("ResetFailed", argv[1], false);
	sd_bus_flush_close_unref(nookctl_bus);
	return r;
}
