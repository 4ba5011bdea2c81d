// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shims/control: every message type survives a round trip over a real
 * SOCK_SEQPACKET pair, and truncated, oversized, mislabelled or garbage packets are refused.
 * ADOPT hands a standby its fds; a packet with more fds than asked for loses them all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "shims/control/control-driver.h"
#include "common/ipc/control.h"

static int sp[2];

static int setup(void **state)
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp);
}

static int teardown(void **state)
{
	close(sp[0]);
	close(sp[1]);
	return 0;
}

static struct nook_ctl_msg rx;

static void roundtrip(const struct nook_ctl_msg *m)
{
	assert_int_equal(nook_ctl_send(sp[0], m), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, m->type);
	assert_int_equal(rx.seq, m->seq);
}

static void test_events_roundtrip(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_STATS, .seq = 7 };

	uint64_t want = 0x1122334455667700ULL;

	/* Every counter arrives as its own value, whatever it is named. */
#define SET_COUNTER(name) m.stats.nic.name = want++;
	NOOK_NIC_COUNTERS(SET_COUNTER)
#undef SET_COUNTER
	m.stats.tx_waiting = 1234;
	m.stats.rx_own = 5678;
	roundtrip(&m);
	assert_int_equal(rx.stats.tx_waiting, 1234);
	assert_int_equal(rx.stats.rx_own, 5678);
	want = 0x1122334455667700ULL;
#define CHECK_COUNTER(name) assert_int_equal(rx.stats.nic.name, want++);
	NOOK_NIC_COUNTERS(CHECK_COUNTER)
#undef CHECK_COUNTER
	assert_int_equal(want - 0x1122334455667700ULL, NOOK_NIC_N_COUNTERS);

	assert_int_equal(nook_ctl_driver_hello(sp[0], "e1000"), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, NOOK_CTL_HELLO);
	assert_string_equal(rx.hello.driver, "e1000");
	assert_int_equal(rx.hello.pid, getpid());
	assert_int_equal(rx.hello.version, NOOK_CTL_VERSION);

	assert_int_equal(nook_ctl_driver_heartbeat(sp[0]), 0);
	assert_int_equal(nook_ctl_driver_heartbeat(sp[0]), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	uint64_t c = rx.heartbeat.counter;
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.heartbeat.counter, c + 1);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_CARRIER, .seq = 1 };
	m.carrier.up = 1;
	roundtrip(&m);
	assert_int_equal(rx.carrier.up, 1);
}

static void test_text_roundtrip(void **state)
{
	assert_int_equal(nook_ctl_driver_log(sp[0], 6, "link up %d Mbps\x1b[0m\n", 1000), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, NOOK_CTL_LOG);
	assert_int_equal(rx.log.level, 6);
	/* the escape became '?', the trailing newline went */
	assert_string_equal(rx.log.text, "link up 1000 Mbps?[0m");

	assert_int_equal(nook_ctl_driver_fatal(sp[0], 11, 0xdead, "#0 e1000_xmit\n#1 main"), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, NOOK_CTL_FATAL);
	assert_int_equal(rx.fatal.signo, 11);
	assert_int_equal(rx.fatal.addr, 0xdead);
	assert_string_equal(rx.fatal.text, "#0 e1000_xmit\n#1 main");
}

static void test_requests_roundtrip(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static const uint8_t mc[2][6] = { { 0x01, 0, 0x5e, 0, 0, 1 }, { 0x33, 0x33, 0, 0, 0, 1 } };
	struct nook_ctl_msg m = { .type = NOOK_CTL_LINK, .seq = 42 };

	m.link.flags = 0x1 | 0x100; /* IFF_UP | IFF_PROMISC */
	m.link.mtu = 1400;
	memcpy(m.link.mac, mac, 6);
	m.link.n_mc = 2;
	m.link.mc = mc;
	roundtrip(&m);
	assert_int_equal(rx.link.flags, 0x101);
	assert_int_equal(rx.link.mtu, 1400);
	assert_memory_equal(rx.link.mac, mac, 6);
	assert_int_equal(rx.link.n_mc, 2);
	assert_memory_equal(rx.link.mc, mc, sizeof(mc));

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_NETDEV, .seq = 0 };
	m.netdev.mtu = 1500;
	memcpy(m.netdev.mac, mac, 6);
	m.netdev.tx_done_ms = 2000;
	roundtrip(&m);
	assert_int_equal(rx.netdev.mtu, 1500);
	assert_int_equal(rx.netdev.tx_done_ms, 2000);
	assert_memory_equal(rx.netdev.mac, mac, 6);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_INJECT, .seq = 43 };
	m.inject.fault = NOOK_CTL_FAULT_HANG;
	m.inject.arg = 3;
	roundtrip(&m);
	assert_int_equal(rx.inject.fault, NOOK_CTL_FAULT_HANG);
	assert_int_equal(rx.inject.arg, 3);

	assert_int_equal(nook_ctl_driver_reply(sp[0], 43, -EIO, "ab", 2), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, NOOK_CTL_REPLY);
	assert_int_equal(rx.seq, 43);
	assert_int_equal(rx.reply.status, -EIO);
	assert_memory_equal(rx.reply.data, "ab", 2);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_SHUTDOWN, .seq = 44 };
	roundtrip(&m);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_ETHTOOL, .seq = 45 };
	m.ethtool.cmd = NOOK_CTL_ETHTOOL_SET;
	m.ethtool.text = "ring-rx=256\nmsglevel=0x7\n";
	m.ethtool.len = (uint32_t)strlen(m.ethtool.text);
	roundtrip(&m);
	assert_int_equal(rx.ethtool.cmd, NOOK_CTL_ETHTOOL_SET);
	assert_string_equal(rx.ethtool.text, "ring-rx=256\nmsglevel=0x7\n");

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_ETHTOOL, .seq = 46 };
	m.ethtool.cmd = NOOK_CTL_ETHTOOL_INFO;
	roundtrip(&m);
	assert_int_equal(rx.ethtool.len, 0);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_TRAFFIC, .seq = 0 };
	roundtrip(&m);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_FAULT_FIRED, .seq = 0 };
	m.fired.spec = "iface:alloc:37:2";
	m.fired.len = (uint32_t)strlen(m.fired.spec);
	roundtrip(&m);
	assert_string_equal(rx.fired.spec, "iface:alloc:37:2");
	/* a fired fault names itself: an empty spec is no message */
	m.fired.len = 0;
	{
		uint8_t buf[NOOK_CTL_MAX_MSG];

		assert_int_equal(nook_ctl_encode(&m, buf, sizeof(buf)), NOOK_CTL_HDR_SIZE);
		assert_int_equal(nook_ctl_decode(buf, NOOK_CTL_HDR_SIZE, &rx), -EBADMSG);
	}
}

static uint8_t pkt[NOOK_CTL_MAX_MSG + 64];

static size_t valid_log(void)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_LOG, .seq = 5 };
	ssize_t n;

	m.log.level = 4;
	m.log.text = "hello";
	m.log.len = 5;
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_true(n == NOOK_CTL_HDR_SIZE + 4 + 5);
	return (size_t)n;
}

static void set32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_decode_rejects_lies(void **state)
{
	struct nook_ctl_msg m;
	size_t n = valid_log();

	assert_int_equal(nook_ctl_decode(pkt, n, &m), 0);
	assert_string_equal(m.log.text, "hello");
	/* truncated: every shorter prefix is refused */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(nook_ctl_decode(pkt, k, &m), -EBADMSG);
	/* a length field larger or smaller than what arrived */
	set32(pkt + 8, 10);
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	set32(pkt + 8, 0xffffffffu);
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	set32(pkt + 8, 3); /* shorter than the fixed part */
	assert_int_equal(nook_ctl_decode(pkt, NOOK_CTL_HDR_SIZE + 3, &m), -EBADMSG);
	/* bad magic, nonzero flags, unknown type, bad level, embedded NUL and escape */
	n = valid_log();
	pkt[0] ^= 1;
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	n = valid_log();
	pkt[6] = 1;
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	n = valid_log();
	pkt[4] = 200;
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	n = valid_log();
	pkt[NOOK_CTL_HDR_SIZE] = 8;
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	n = valid_log();
	pkt[n - 2] = '\0';
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
	n = valid_log();
	pkt[n - 2] = 0x1b;
	assert_int_equal(nook_ctl_decode(pkt, n, &m), -EBADMSG);
}

static void test_decode_rejects_bad_values(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_CARRIER }, out;
	ssize_t n;

	m.carrier.up = 2;
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_true(n > 0);
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n, &out), -EBADMSG);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_REPLY };
	m.reply.status = 1;
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n, &out), -EBADMSG);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_LINK };
	m.link.mtu = 20; /* below any Ethernet minimum */
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n, &out), -EBADMSG);
	m.link.mtu = 1500;
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n, &out), 0);
	pkt[8] += 5; /* a multicast list that is not whole addresses */
	memset(pkt + n, 0, 5);
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n + 5, &out), -EBADMSG);

	m = (struct nook_ctl_msg){ .type = NOOK_CTL_HELLO };
	memset(m.hello.driver, 'x', sizeof(m.hello.driver)); /* no terminating NUL */
	assert_int_equal(nook_ctl_encode(&m, pkt, sizeof(pkt)), -EINVAL);
	m.hello.driver[0] = '\0'; /* empty name */
	n = nook_ctl_encode(&m, pkt, sizeof(pkt));
	assert_int_equal(nook_ctl_decode(pkt, (size_t)n, &out), -EBADMSG);
}

static void test_encode_refuses_what_cannot_decode(void **state)
{
	static char big[NOOK_CTL_MAX_TEXT + 2];
	struct nook_ctl_msg m = { .type = NOOK_CTL_LOG };

	memset(big, 'a', sizeof(big) - 1);
	m.log.text = big;
	m.log.len = NOOK_CTL_MAX_TEXT + 1;
	assert_int_equal(nook_ctl_encode(&m, pkt, sizeof(pkt)), -EINVAL);
	m.log.len = NOOK_CTL_MAX_TEXT;
	assert_true(nook_ctl_encode(&m, pkt, sizeof(pkt)) > 0);
	assert_int_equal(nook_ctl_encode(&m, pkt, 100), -EINVAL); /* buffer too small */
	m.type = 999;
	assert_int_equal(nook_ctl_encode(&m, pkt, sizeof(pkt)), -EINVAL);
}

static void test_recv_garbage_and_oversized(void **state)
{
	static uint8_t huge[NOOK_CTL_MAX_MSG + 100];
	struct nook_ctl_msg m;

	/* random bytes */
	srand(1);
	for (size_t i = 0; i < sizeof(huge); i++)
		huge[i] = (uint8_t)rand();
	for (int i = 0; i < 200; i++) {
		size_t len = (size_t)(rand() % 64) + 1;

		assert_int_equal(send(sp[0], huge + i, len, 0), (ssize_t)len);
		assert_int_equal(nook_ctl_recv(sp[1], &m), -EBADMSG);
	}
	/* an oversized packet that starts like a valid one */
	size_t n = valid_log();

	memcpy(huge, pkt, n);
	assert_int_equal(send(sp[0], huge, sizeof(huge), 0), (ssize_t)sizeof(huge));
	assert_int_equal(nook_ctl_recv(sp[1], &m), -EBADMSG);
	/* nothing waiting, then the peer gone */
	assert_int_equal(nook_ctl_recv(sp[1], &m), -EAGAIN);
	close(sp[0]);
	sp[0] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_int_equal(nook_ctl_recv(sp[1], &m), -ECONNRESET);
}

/* Two fds name the same open file: what one writes, the other reads. */
static void assert_same_pipe(int wfd, int rfd)
{
	char c = 0;

	assert_int_equal(write(wfd, "x", 1), 1);
	assert_int_equal(read(rfd, &c, 1), 1);
	assert_int_equal(c, 'x');
}

static void test_adopt_passes_fds(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_ADOPT, .adopt.n_fds = NOOK_CTL_ADOPT_FDS };
	int p[NOOK_CTL_ADOPT_FDS][2], send_fds[NOOK_CTL_ADOPT_FDS], got[NOOK_CTL_ADOPT_FDS];
	unsigned int n = 99;

	for (int i = 0; i < NOOK_CTL_ADOPT_FDS; i++) {
		assert_int_equal(pipe(p[i]), 0);
		send_fds[i] = p[i][1];
	}
	assert_int_equal(nook_ctl_send_fds(sp[0], &m, send_fds, NOOK_CTL_ADOPT_FDS), 0);
	assert_int_equal(nook_ctl_recv_fds(sp[1], &rx, got, NOOK_CTL_ADOPT_FDS, &n), 0);
	assert_int_equal(rx.type, NOOK_CTL_ADOPT);
	assert_int_equal(n, NOOK_CTL_ADOPT_FDS);
	for (int i = 0; i < NOOK_CTL_ADOPT_FDS; i++) {
		/* in order, each a new fd for the same pipe, close-on-exec */
		assert_int_not_equal(got[i], send_fds[i]);
		assert_true(fcntl(got[i], F_GETFD) & FD_CLOEXEC);
		assert_same_pipe(got[i], p[i][0]);
		close(got[i]);
		close(p[i][0]);
		close(p[i][1]);
	}
}

static void test_adopt_refuses_too_many_fds(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_ADOPT, .adopt.n_fds = NOOK_CTL_ADOPT_FDS };
	int p[2], fds[NOOK_CTL_ADOPT_FDS], got[2] = { -1, -1 };
	unsigned int n = 99;
	char c;

	assert_int_equal(pipe2(p, O_NONBLOCK), 0); /* a writer left open fails the read below */
	for (int i = 0; i < NOOK_CTL_ADOPT_FDS; i++)
		fds[i] = p[1];
	assert_int_equal(nook_ctl_send_fds(sp[0], &m, fds, NOOK_CTL_ADOPT_FDS), 0);
	assert_int_equal(nook_ctl_recv_fds(sp[1], &rx, got, 2, &n), -EBADMSG);
	assert_int_equal(n, 0);
	/* every copy that came was closed: with ours gone, the pipe has no writer */
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 0);
	close(p[0]);
	/* an ADOPT that says it carries a number of fds other than the protocol's is malformed */
	m.adopt.n_fds = 2;
	assert_int_equal(nook_ctl_send_fds(sp[0], &m, NULL, 0), 0);
	assert_int_equal(nook_ctl_recv_fds(sp[1], &rx, got, 2, &n), -EBADMSG);
	/* a plain message comes through nook_ctl_recv_fds() with no fds */
	m = (struct nook_ctl_msg){ .type = NOOK_CTL_SHUTDOWN };
	assert_int_equal(nook_ctl_send(sp[0], &m), 0);
	assert_int_equal(nook_ctl_recv_fds(sp[1], &rx, got, 2, &n), 0);
	assert_int_equal(rx.type, NOOK_CTL_SHUTDOWN);
	assert_int_equal(n, 0);
}

/*
 * A valid message with an fd where none belongs (what a hostile driver might send nookd) is
 * malformed, and the fd does not stay open in the receiver.
 */
static void test_recv_refuses_unasked_fds(void **state)
{
	struct nook_ctl_msg m = { .type = NOOK_CTL_SHUTDOWN };
	int p[2];
	char c;

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_int_equal(nook_ctl_send_fds(sp[0], &m, &p[1], 1), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), -EBADMSG);
	close(p[1]);
	/* the copy that came was closed: with ours gone, the pipe has no writer */
	assert_int_equal(read(p[0], &c, 1), 0);
	close(p[0]);
	/* the same message without the fd is fine */
	assert_int_equal(nook_ctl_send(sp[0], &m), 0);
	assert_int_equal(nook_ctl_recv(sp[1], &rx), 0);
	assert_int_equal(rx.type, NOOK_CTL_SHUTDOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests_roundtrip, setup, teardown),
		cmocka_unit_test(test_decode_rejects_lies),
		cmocka_unit_test(test_decode_rejects_bad_values),
		cmocka_unit_test(test_encode_refuses_what_cannot_decode),
		cmocka_unit_test_setup_teardown(test_recv_garbage_and_oversized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_passes_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_refuses_too_many_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recv_refuses_unasked_fds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
