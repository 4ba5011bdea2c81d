// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of recovery/silent-watch: nookd's side of the silent-failure rules, on a
 * device's record. The real silent-watch.c runs against a fake sysfs (the TAP's counters)
 * and stubs for the rest of nookd (its clock, log and kill) and for the neighbour probe, so
 * that a NIC that sends and hears nothing can be followed through the probe, the restart
 * and its successor's quiet network.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/sound-server.h"
#include "daemon/supervised.h"
#include "recovery/silent-watch.h"

#define BEAT_MS 250

static struct {
	struct nookd d;
	struct nook_device dev;
	struct nookd_dev nd;
	uint64_t now_ms;
	char root[64];
	unsigned int kills, picks, probes;
	int pick_result; /* what nook_neigh_pick() answers */
	struct nook_nic_counters c;
	uint64_t rx_own; /* of c.rx_packets, frames from the NIC's own address */
	char log[8192];
} T;

/* ---- the rest of nookd, stubbed ---- */

uint64_t nookd_now_ms(void)
{
	return T.now_ms;
}

static void note(const char *fmt, va_list ap)
{
	size_t len = strlen(T.log);

	vsnprintf(T.log + len, sizeof(T.log) - len, fmt, ap);
	len = strlen(T.log);
	snprintf(T.log + len, sizeof(T.log) - len, "\n");
}

void nookd_dev_log(struct nookd_dev *nd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	note(fmt, ap);
	va_end(ap);
}

void nookd_dev_logp(struct nookd_dev *nd, int priority, const char *message_id, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	note(fmt, ap);
	va_end(ap);
}

void nookd_dev_kill(struct nookd_dev *nd, int sig)
{
	T.kills++;
}

bool nookd_sound_stalled(struct nookd_sound *s, uint64_t now_ms, char *why, size_t len)
{
	return false;
}

int nook_neigh_pick(int ifindex, struct nook_neigh *ret)
{
	T.picks++;
	if (T.pick_result == 0) {
		ret->ip.s_addr = htonl(0xc0000202); /* 192.0.2.2 */
		memset(ret->mac, 0x02, 6);
	}
	return T.pick_result;
}

int nook_neigh_probe(int ifindex, const struct nook_neigh *n)
{
	T.probes++;
	return 0;
}

/* ---- the fixture: a running NIC with its link, sampled every BEAT_MS ---- */

static void put(const char *name, unsigned long long v)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/class/net/nook0/statistics/%s", T.root, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%llu\n", v);
	fclose(f);
}

static int setup(void **state)
{
	char dir[160];

	memset(&T, 0, sizeof(T));
	snprintf(T.root, sizeof(T.root), "/tmp/test-silent-watch.XXXXXX");
	assert_non_null(mkdtemp(T.root));
	snprintf(dir, sizeof(dir), "mkdir -p %s/sys/class/net/nook0/statistics", T.root);
	assert_int_equal(system(dir), 0);
	snprintf(dir, sizeof(dir), "%s/sys/class/net/nook0/flags", T.root);
	FILE *f = fopen(dir, "w");
	fprintf(f, "0x1003\n");
	fclose(f);
	put("tx_packets", 0);
	put("tx_dropped", 0);
	T.d.cfg.sysfs_root = T.root;
	T.now_ms = 100000;
	snprintf(T.dev.addr, sizeof(T.dev.addr), "0000:00:03.0");
	snprintf(T.dev.interfaces, sizeof(T.dev.interfaces), "nook0");
	T.dev.state = NOOK_DEV_RUNNING;
	T.dev.pid = 4242;
	T.nd.d = &T.d;
	T.nd.dev = &T.dev;
	T.nd.tap_fd = -1;
	T.nd.ifindex = 7;
	silent_watch_start(&T.nd);
	silent_watch_carrier(&T.nd, true);
	return 0;
}

static int teardown(void **state)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", T.root);
	return system(cmd);
}

/* A heartbeat: the driver's counters move as @tx and @rx say, the TAP's with them. */
static void beat(unsigned int tx, unsigned int rx)
{
	static unsigned long long taken;

	T.now_ms += BEAT_MS;
	T.c.tx_packets += tx;
	T.c.rx_packets += rx;
	taken += tx;
	put("tx_packets", taken);
	silent_watch_stats(&T.nd, &(struct nook_ctl_stats){
					  .nic = T.c, .tx_waiting = 0, .rx_own = T.rx_own });
	silent_watch_beat(&T.nd);
}

/* Beats of sending a frame each (4 a second) and hearing nothing, until killed or @ms. */
static long silent_until_killed(long ms)
{
	unsigned int before = T.kills;

	for (long t = BEAT_MS; t <= ms; t += BEAT_MS) {
		beat(1, 0);
		if (T.kills > before)
			return t;
	}
	return -1;
}

/* What nookd does when it restarts the driver: its record stays, its watch starts anew. */
static void successor(void)
{
	T.nd.verdict[0] = '\0';
	silent_watch_start(&T.nd);
	silent_watch_carrier(&T.nd, true);
	beat(0, 0);
}

/* ---- the tests ---- */

/* A receiver that is off: the remembered peer is probed, does not answer: killed. */
static void test_deaf_receiver_is_caught_by_its_probe(void **state)
{
	long ms;

	for (int i = 0; i < 40; i++)
		beat(2, 2); /* frames both ways: the peer is remembered */
	assert_true(T.picks >= 1);
	T.pick_result = -ENOENT; /* the kernel has let the peer go meanwhile */
	ms = silent_until_killed(10000);
	assert_true(ms >= NOOK_STALL_RX_SILENT_MS + NOOK_STALL_RX_PROBE_MS);
	assert_true(ms <= NOOK_STALL_RX_SILENT_MS + NOOK_STALL_RX_PROBE_MS + 2 * BEAT_MS);
	assert_int_equal(T.probes, 1);
	assert_non_null(strstr(T.nd.verdict, "silent: stopped receiving: "));
	assert_non_null(strstr(T.nd.verdict, "and 192.0.2.2, which answered before, did not "
					     "answer an ARP probe"));
	assert_true(T.nd.rx_silence_retried);
}

/*
 * A NIC that hears only itself (its driver set a loopback: e1000 campaign trial 35): as many
 * frames received as sent, all from its own address. Not heard from the network: probed,
 * no answer, killed.
 */
static void test_hearing_only_itself_is_caught(void **state)
{
	unsigned int before = T.kills;
	long t;

	for (int i = 0; i < 40; i++)
		beat(2, 2);
	assert_true(T.picks >= 1);
	T.pick_result = -ENOENT;
	for (t = BEAT_MS; t <= 10000 && T.kills == before; t += BEAT_MS) {
		T.rx_own += 1; /* each frame sent comes back */
		beat(1, 1);
	}
	assert_true(T.kills > before);
	assert_true(t >= NOOK_STALL_RX_SILENT_MS + NOOK_STALL_RX_PROBE_MS);
	assert_int_equal(T.probes, 1);
	assert_non_null(strstr(T.nd.verdict, "silent: stopped receiving: "));
}

/* Its successor, deaf too: the network is believed quiet, and the rule rests. */
static void test_a_successor_deaf_too_means_a_quiet_network(void **state)
{
	T.pick_result = 0;
	assert_true(silent_until_killed(10000) > 0);
	successor();
	assert_int_equal(silent_until_killed(20000), -1);
	assert_int_equal(T.kills, 1);
	assert_non_null(strstr(T.log, "the network is quiet, not the driver; receive silence is "
				      "not judged again for 10 min"));
	assert_false(T.nd.rx_silence_retried);
	/* resting: another silence asks nothing for ten minutes */
	T.probes = 0;
	assert_int_equal(silent_until_killed(60000), -1);
	assert_int_equal(T.probes, 0);
	/* after the rest it is judged again, and a second quiet network rests twice as long */
	T.now_ms += NOOK_STALL_RX_SILENT_REST_MS;
	beat(1, 1);
	assert_true(silent_until_killed(10000) > 0);
	successor();
	assert_int_equal(silent_until_killed(20000), -1);
	assert_non_null(strstr(T.log, "not judged again for 20 min"));
}

/* A successor that hears again was right to be started: the rule stays armed. */
static void test_a_successor_that_hears_rearms_the_rule(void **state)
{
	T.pick_result = 0;
	assert_true(silent_until_killed(10000) > 0);
	successor();
	beat(1, 3);
	assert_false(T.nd.rx_silence_retried);
	assert_true(silent_until_killed(10000) > 0);
	assert_int_equal(T.kills, 2);
}

/* The peer answers the probe: not a stall, however long the quiet lasts. */
static void test_answered_probe_kills_nothing(void **state)
{
	T.pick_result = 0;
	for (int round = 0; round < 10; round++) {
		unsigned int probes = T.probes;

		for (int i = 0; i < 40 && T.probes == probes; i++)
			beat(1, 0);
		assert_int_equal(T.probes, probes + 1);
		beat(1, 1); /* its answer */
	}
	assert_int_equal(T.kills, 0);
}

/* No neighbour known at all: said once, nothing judged until a frame comes. */
static void test_no_one_to_ask_judges_nothing(void **state)
{
	T.pick_result = -ENOENT;
	assert_int_equal(silent_until_killed(30000), -1);
	assert_int_equal(T.probes, 0);
	assert_non_null(strstr(T.log, "sends and receives nothing, and no neighbour is known to "
				      "ask: receive silence is not judged until a frame comes"));
	assert_null(strstr(strstr(T.log, "no neighbour is known") + 1, "no neighbour is known"));
}

/* Frames waiting behind a stopped queue (some still going out): not receive silence. */
static void test_stopped_queue_is_not_silence(void **state)
{
	T.pick_result = 0;
	for (int i = 0; i < 24; i++) {
		T.now_ms += BEAT_MS;
		T.c.tx_packets++;
		silent_watch_stats(&T.nd, &(struct nook_ctl_stats){ .nic = T.c, .tx_waiting = 5 });
	}
	assert_int_equal(T.probes, 0);
	assert_int_equal(T.kills, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deaf_receiver_is_caught_by_its_probe, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hearing_only_itself_is_caught, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_successor_deaf_too_means_a_quiet_network,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_successor_that_hears_rearms_the_rule, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_answered_probe_kills_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_one_to_ask_judges_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stopped_queue_is_not_silence, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
