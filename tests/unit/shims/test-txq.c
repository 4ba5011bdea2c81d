// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of shims/net/txq: the fair backlog of frames sent while a driver's queue is
 * stopped. Frames are IPv4 UDP and ICMP made here; flows differ by their ports or protocol.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "shims/net/txq.h"

static const struct virtio_net_hdr no_hdr = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };

/* An IPv4 frame of @len bytes (at least 38) of protocol @proto from port @sport; byte 42 on
 * carries @tag. */
static uint8_t *frame(uint8_t proto, uint16_t sport, uint8_t tag, size_t len)
{
	static const uint8_t eth[14] = { 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0 };
	static const uint8_t addrs[8] = { 192, 0, 2, 1, 192, 0, 2, 2 };
	static uint8_t buf[70000];

	memset(buf, 0, len);
	memcpy(buf, eth, sizeof(eth));
	buf[14] = 0x45;
	buf[23] = proto;
	memcpy(buf + 26, addrs, sizeof(addrs));
	buf[34] = (uint8_t)(sport >> 8);
	buf[35] = (uint8_t)sport;
	buf[36] = 0x13;
	buf[37] = 0x89;
	if (len > 42)
		buf[42] = tag;
	return buf;
}

static int push(struct nook_txq *q, uint8_t proto, uint16_t sport, uint8_t tag, size_t len)
{
	return nook_txq_push(q, &no_hdr, frame(proto, sport, tag, len), len);
}

/* Take the next frame; its tag and length. */
static uint8_t pop(struct nook_txq *q, size_t *ret_len)
{
	const struct nook_txq_frame *f = nook_txq_peek(q);
	uint8_t tag;

	assert_non_null(f);
	tag = f->data[42];
	if (ret_len)
		*ret_len = f->len;
	nook_txq_pop(q);
	return tag;
}

static int setup(void **state)
{
	struct nook_txq *q;

	assert_int_equal(nook_txq_new(&q), 0);
	*state = q;
	return 0;
}

static int teardown(void **state)
{
	nook_txq_free(*state);
	return 0;
}

static void test_one_flow_keeps_its_order(void **state)
{
	struct nook_txq *q = *state;

	assert_null(nook_txq_peek(q));
	for (int i = 0; i < 20; i++)
		assert_int_equal(push(q, 17, 1000, (uint8_t)i, 100), 0);
	assert_int_equal(nook_txq_frames(q), 20);
	assert_int_equal(nook_txq_bytes(q), 2000);
	for (int i = 0; i < 20; i++)
		assert_int_equal(pop(q, NULL), i);
	assert_null(nook_txq_peek(q));
	assert_int_equal(nook_txq_frames(q), 0);
	assert_int_equal(nook_txq_bytes(q), 0);
}

/* What peek shows is what pop takes, however often it is looked at (a driver that says
 * -EBUSY is offered the same frame again). */
static void test_peek_is_stable(void **state)
{
	struct nook_txq *q = *state;
	const struct nook_txq_frame *f;

	push(q, 17, 1000, 1, 1500);
	push(q, 17, 2000, 2, 1500);
	f = nook_txq_peek(q);
	for (int i = 0; i < 5; i++)
		assert_ptr_equal(nook_txq_peek(q), f);
	assert_int_equal(pop(q, NULL), f->data[42] == 1 ? 1 : 2);
}

/* A ping queued behind a bulk transfer goes out within the bulk flow's turn (one
 * super-frame's worth), not behind its whole backlog. */
static void test_sparse_flow_goes_first(void **state)
{
	struct nook_txq *q = *state;
	size_t len, before = 0;

	for (int i = 0; i < 50; i++)
		push(q, 17, 1000, 1, 9000);
	assert_int_equal(pop(q, &len), 1);
	push(q, 1, 0, 0xaa, 98);
	while (pop(q, &len) != 0xaa)
		before += len;
	assert_int_equal(len, 98);
	assert_true(before <= 65550);
	assert_int_equal(nook_txq_frames(q), 49 - before / 9000);
}

/* Two bulk flows share the queue by bytes: neither sends two super-frames' worth in a row
 * while the other waits. */
static void test_bulk_flows_take_turns(void **state)
{
	struct nook_txq *q = *state;
	size_t sent[2] = { 0 }, left[2] = { 10, 400 }, len;

	for (int i = 0; i < 10; i++) {
		push(q, 17, 1000, 0, 60000);
		for (int k = 0; k < 40; k++)
			push(q, 17, 2000, 1, 1500);
	}
	while (left[0] && left[1]) {
		uint8_t tag = pop(q, &len);

		sent[tag] += len;
		left[tag]--;
		assert_true(sent[0] <= sent[1] + 2 * (size_t)65550);
		assert_true(sent[1] <= sent[0] + 2 * (size_t)65550);
	}
}

/* Past the frame limit the bulk flow loses its oldest frames; the sparse one loses none. */
static void test_over_the_limit_the_fattest_flow_drops(void **state)
{
	struct nook_txq *q = *state;
	int dropped = 0, pings = 0, first_bulk = -1;

	for (int i = 0; i < NOOK_TXQ_MAX_FRAMES + 200; i++) {
		dropped += push(q, 6, 1000, (uint8_t)i, 60);
		if (i % 100 == 50)
			dropped += push(q, 1, 0, 0xaa, 98);
	}
	assert_int_equal(dropped, 212);
	assert_int_equal(nook_txq_frames(q), NOOK_TXQ_MAX_FRAMES);
	while (nook_txq_peek(q)) {
		size_t len;
		uint8_t tag = pop(q, &len);

		if (len == 98)
			pings++;
		else if (first_bulk < 0)
			first_bulk = tag;
	}
	assert_int_equal(pings, 12);
	/* The oldest went: the first bulk frame left is the 213th sent (212 dropped). */
	assert_int_equal(first_bulk, 212 % 256);
}

static void test_byte_limit(void **state)
{
	struct nook_txq *q = *state;
	int dropped = 0;

	for (int i = 0; i < 100; i++)
		dropped += push(q, 6, 1000, (uint8_t)i, 65550);
	assert_true(nook_txq_bytes(q) <= NOOK_TXQ_MAX_BYTES);
	assert_int_equal(nook_txq_frames(q) + (size_t)dropped, 100);
	assert_int_equal(nook_txq_frames(q), NOOK_TXQ_MAX_BYTES / 65550);
	assert_int_equal(nook_txq_purge(q), NOOK_TXQ_MAX_BYTES / 65550);
	assert_null(nook_txq_peek(q));
	assert_int_equal(nook_txq_bytes(q), 0);
	/* And it works on after a purge. */
	push(q, 17, 1000, 7, 100);
	assert_int_equal(pop(q, NULL), 7);
}

/* Frames are the kernel's, not to be trusted: short, truncated or nonsense headers are queued
 * and sent as they are, nothing read past their end (run under ASan). */
static void test_any_bytes_are_a_frame(void **state)
{
	struct nook_txq *q = *state;
	uint64_t x = 88172645463325252ull;
	size_t left, popped = 0;
	int dropped = 0;

	for (int i = 0; i < 3000; i++) {
		size_t len = 1 + (size_t)(x % 80);
		uint8_t *f = malloc(len);
		int r;

		for (size_t k = 0; k < len; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			f[k] = (uint8_t)x;
		}
		if (len > 13 && (x & 1))
			f[12] = 0x08, f[13] = 0; /* claims IPv4 */
		if (len > 13 && (x & 2))
			f[12] = 0x86, f[13] = 0xdd; /* claims IPv6 */
		if (len > 13 && (x & 4))
			f[12] = 0x81, f[13] = 0; /* claims a VLAN tag */
		r = nook_txq_push(q, &no_hdr, f, len);
		free(f);
		assert_true(r >= 0);
		dropped += r;
	}
	left = nook_txq_frames(q);
	assert_int_equal(left, NOOK_TXQ_MAX_FRAMES);
	assert_int_equal(left + (size_t)dropped, 3000);
	while (nook_txq_peek(q)) {
		nook_txq_pop(q);
		popped++;
	}
	assert_int_equal(popped, left);
	assert_int_equal(nook_txq_bytes(q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_flow_keeps_its_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peek_is_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sparse_flow_goes_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_flows_take_turns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_over_the_limit_the_fattest_flow_drops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_byte_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_bytes_are_a_frame, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
