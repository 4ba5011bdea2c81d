// SPDX-License-Identifier: GPL-2.0-only
/*
 * What nookd says of its devices (see nookctl.h): their properties read over the bus, shown
 * as text or JSON (list, status, stats), and the wait for a driver to run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nookctl.h"

static const char *const stat_names[] = {
#define COUNTER_NAME(name) #name,
	NOOK_NIC_COUNTERS(COUNTER_NAME)
#undef COUNTER_NAME
};

void nookctl_status_free(struct status *s)
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

	r = sd_bus_get_property(nookctl_bus, BUS_NAME, path, DEVICE, "Statistics", e, &reply,
				"a{st}");
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

	r = sd_bus_get_property(nookctl_bus, BUS_NAME, path, DEVICE, "Recoveries", e, &reply,
				"a(stsuuuu)");
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

	r = sd_bus_get_property(nookctl_bus, BUS_NAME, path, DEVICE, "Fault", e, &reply, "(suu)");
	if (r >= 0)
		r = sd_bus_message_read(reply, "(suu)", &plan, &s->fault_pid, &s->faults_fired);
	if (r >= 0 && !(s->fault_plan = strdup(plan)))
		r = -ENOMEM;
	sd_bus_message_unref(reply);
	return r;
}

int nookctl_status_get(const char *path, struct status *s)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r = 0;

	memset(s, 0, sizeof(*s));
#define STR(prop, field) \
	if (r >= 0)      \
	r = sd_bus_get_property_string(nookctl_bus, BUS_NAME, path, DEVICE, prop, &e, &s->field)
#define NUM(prop, type, field)                                                               \
	if (r >= 0)                                                                          \
	r = sd_bus_get_property_trivial(nookctl_bus, BUS_NAME, path, DEVICE, prop, &e, type, \
					&s->field)
	STR("Address", address);
	STR("Driver", driver);
	STR("Class", cls);
	STR("KernelDriver", kernel_driver);
	STR("State", state);
	STR("LastFailure", last_failure);
	NUM("StateSinceUsec", 't', state_since_us);
	NUM("Pid", 'u', pid);
	NUM("StandbyPid", 'u', standby_pid);
	NUM("Restarts", 'u', restarts);
	NUM("LastRecoveryMs", 't', last_recovery_ms);
	if (r >= 0)
		r = sd_bus_get_property_strv(nookctl_bus, BUS_NAME, path, DEVICE, "Interfaces", &e,
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
		nookctl_bus_fail(&e, r);
		sd_bus_error_free(&e);
		nookctl_status_free(s);
		return -1;
	}
	return 0;
}

static void print_status_json(const struct status *s)
{
	printf("{\"address\":");
	nookctl_json_str(s->address);
	printf(",\"driver\":");
	nookctl_json_str(s->driver);
	printf(",\"class\":");
	nookctl_json_str(s->cls);
	printf(",\"kernel_driver\":");
	nookctl_json_str(s->kernel_driver);
	printf(",\"state\":");
	nookctl_json_str(s->state);
	printf(",\"state_since_usec\":%llu", (unsigned long long)s->state_since_us);
	printf(",\"pid\":%u,\"standby_pid\":%u,\"restarts\":%u,\"interfaces\":[", s->pid,
	       s->standby_pid, s->restarts);
	for (char **p = s->interfaces; p && *p; p++) {
		printf("%s", p == s->interfaces ? "" : ",");
		nookctl_json_str(*p);
	}
	printf("],\"last_failure\":");
	nookctl_json_str(s->last_failure);
	printf(",\"last_recovery_ms\":%llu,\"statistics\":{",
	       (unsigned long long)s->last_recovery_ms);
	for (size_t i = 0; i < N_STATS; i++)
		printf("%s\"%s\":%llu", i ? "," : "", stat_names[i],
		       (unsigned long long)s->stats[i]);
	printf("},\"recoveries\":[");
	for (unsigned int i = 0; i < s->n_recoveries; i++) {
		const struct recovery *x = &s->recoveries[i];

		printf("%s{\"failure\":", i ? "," : "");
		nookctl_json_str(x->failure);
		printf(",\"detected_usec\":%llu,\"injected\":",
		       (unsigned long long)x->detected_usec);
		nookctl_json_str(x->injected);
		printf(",\"started_ms\":%u,\"ready_ms\":%u,\"carrier_ms\":%u,\"traffic_ms\":%u}",
		       x->started_ms, x->ready_ms, x->carrier_ms, x->traffic_ms);
	}
	printf("],\"fault\":{\"plan\":");
	nookctl_json_str(s->fault_plan);
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

/* "since Mon 2026-12-07 11:02:03 UTC; 5min 3s ago", as systemctl status says it. */
static const char *since(uint64_t usec, char *buf, size_t size)
{
	time_t sec = (time_t)(usec / 1000000), now = time(NULL);
	long long ago = (long long)now - (long long)sec;
	char when[64], span[48];
	struct tm tm;

	if (!usec || !localtime_r(&sec, &tm) ||
	    !strftime(when, sizeof(when), "%a %Y-%m-%d %H:%M:%S %Z", &tm))
		return "";
	if (ago < 0)
		ago = 0;
	if (ago >= 86400)
		snprintf(span, sizeof(span), "%lldd %lldh", ago / 86400, ago % 86400 / 3600);
	else if (ago >= 3600)
		snprintf(span, sizeof(span), "%lldh %lldmin", ago / 3600, ago % 3600 / 60);
	else if (ago >= 60)
		snprintf(span, sizeof(span), "%lldmin %llds", ago / 60, ago % 60);
	else
		snprintf(span, sizeof(span), "%llds", ago);
	snprintf(buf, size, " since %s; %s ago", when, span);
	return buf;
}

static void print_status_text(const struct status *s)
{
	bool sound = !strcmp(s->cls, "sound");
	char when[128];

	printf("%s\n  driver:        %s (kernel driver: %s)\n  state:         %s%s\n"
	       "  pid:           %u\n",
	       s->address, s->driver, *s->kernel_driver ? s->kernel_driver : "none", s->state,
	       since(s->state_since_us, when, sizeof(when)), s->pid);
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

int nookctl_device_path(const char *addr, char **ret_path)
{
	sd_bus_message *reply = NULL;
	const char *path;
	int r;

	if (nookctl_call("GetDevice", &reply, "s", addr) < 0)
		return -1;
	r = sd_bus_message_read(reply, "o", &path);
	if (r >= 0)
		*ret_path = strdup(path);
	sd_bus_message_unref(reply);
	return r < 0 || !*ret_path ? nookctl_die("bad answer from nookd") : 0;
}

int nookctl_cmd_status(const char *addr, unsigned int log_lines)
{
	struct status s;
	char *path = NULL;

	if (nookctl_device_path(addr, &path) || nookctl_status_get(path, &s)) {
		free(path);
		return 1;
	}
	if (nookctl_json) {
		print_status_json(&s);
		putchar('\n');
	} else {
		print_status_text(&s);
		if (log_lines)
			nookctl_print_device_log(s.address, log_lines);
	}
	nookctl_status_free(&s);
	free(path);
	return 0;
}

/* ethtool -S's layout: "NIC statistics:", then "     name: value" per counter. */
int nookctl_cmd_stats(const char *addr)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	struct status s = { 0 };
	char *path = NULL;
	int r;

	if (nookctl_device_path(addr, &path))
		return 1;
	r = get_stats(path, &s, &e);
	free(path);
	if (r < 0) {
		nookctl_bus_fail(&e, r);
		sd_bus_error_free(&e);
		return 1;
	}
	printf(nookctl_json ? "{" : "NIC statistics:\n");
	for (size_t i = 0; i < N_STATS; i++)
		printf(nookctl_json ? "%s\"%s\":%llu" : "%s     %s: %llu\n",
		       nookctl_json && i ? "," : "", stat_names[i], (unsigned long long)s.stats[i]);
	if (nookctl_json)
		printf("}\n");
	return 0;
}

int nookctl_cmd_list(void)
{
	sd_bus_message *reply = NULL;
	const char *path;
	struct status s;
	int r, n = 0;

	if (nookctl_call("ListDevices", &reply, "") < 0)
		return 1;
	r = sd_bus_message_enter_container(reply, 'a', "o");
	if (nookctl_json)
		putchar('[');
	else
		printf("%-13s %-10s %-11s %-8s %-8s %s\n", "ADDRESS", "DRIVER", "STATE", "PID",
		       "RESTARTS", "INTERFACE OR SOCKET");
	while (r >= 0 && (r = sd_bus_message_read(reply, "o", &path)) > 0) {
		if (nookctl_status_get(path, &s) < 0) {
			r = -EIO;
			break;
		}
		if (nookctl_json) {
			printf("%s", n++ ? "," : "");
			print_status_json(&s);
		} else {
			printf("%-13s %-10s %-11s %-8u %-8u", s.address, s.driver, s.state, s.pid,
			       s.restarts);
			for (char **p = s.interfaces; p && *p; p++)
				printf(" %s", *p);
			putchar('\n');
		}
		nookctl_status_free(&s);
	}
	if (nookctl_json)
		puts("]");
	sd_bus_message_unref(reply);
	return r < 0 ? 1 : 0;
}

int nookctl_served_get(struct nookctl_served **ret)
{
	sd_bus_message *reply = NULL;
	struct nookctl_served *list = NULL;
	const char *path;
	sd_bus *bus = NULL;
	int r, n = 0;

	*ret = NULL;
	r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, MANAGER, "ListDevices", NULL,
				       &reply, "");
	if (r >= 0)
		r = sd_bus_message_enter_container(reply, 'a', "o");
	while (r >= 0 && (r = sd_bus_message_read(reply, "o", &path)) > 0) {
		struct nookctl_served *more = realloc(list, (size_t)(n + 1) * sizeof(*list));
		char *addr = NULL, *state = NULL, **ifs = NULL;

		if (!more) {
			r = -ENOMEM;
			break;
		}
		list = more;
		r = sd_bus_get_property_string(bus, BUS_NAME, path, DEVICE, "Address", NULL, &addr);
		if (r >= 0)
			r = sd_bus_get_property_string(bus, BUS_NAME, path, DEVICE, "State", NULL,
						       &state);
		if (r >= 0)
			r = sd_bus_get_property_strv(bus, BUS_NAME, path, DEVICE, "Interfaces",
						     NULL, &ifs);
		if (r >= 0) {
			snprintf(list[n].addr, sizeof(list[n].addr), "%s", addr);
			snprintf(list[n].state, sizeof(list[n].state), "%s", state);
			snprintf(list[n].interface, sizeof(list[n].interface), "%s",
				 ifs && ifs[0] ? ifs[0] : "");
			n++;
		}
		free(addr);
		free(state);
		for (char **p = ifs; p && *p; p++)
			free(*p);
		free(ifs);
	}
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	if (r < 0) {
		free(list);
		return -1;
	}
	*ret = list;
	return n;
}

/* After an attach or a restart: wait until the driver runs or gives up, and say which. */
int nookctl_wait_running(const char *path, int timeout_s, uint32_t old_pid)
{
	struct timespec pause = { 0, 100 * 1000000L };
	struct status s;

	for (int i = 0; i < timeout_s * 10; i++) {
		if (nookctl_status_get(path, &s) < 0)
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
			nookctl_status_free(&s);
			return 0;
		}
		if (!strcmp(s.state, "failed") || (i > 0 && !strcmp(s.state, "recovering"))) {
			nookctl_die("%s: %s did not start: %s", s.address, s.driver,
				    s.last_failure);
			nookctl_status_free(&s);
			return 1;
		}
		nookctl_status_free(&s);
		nanosleep(&pause, NULL);
	}
	return nookctl_die(
		"the driver did not report within %d s (nookctl status shows what it does)",
		timeout_s);
}
