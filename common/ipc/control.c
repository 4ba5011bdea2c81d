// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control-channel messages (see control.h). Fields are little-endian at fixed offsets and
 * read byte by byte, so a packet's alignment and the host's byte order never matter.
 */
#include "control.h"
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct wire {
	uint8_t *p;
	size_t len, cap;
};

static void put32(struct wire *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		w->p[w->len++] = (uint8_t)(v >> (8 * i));
}

static void put64(struct wire *w, uint64_t v)
{
	put32(w, (uint32_t)v);
	put32(w, (uint32_t)(v >> 32));
}

static void putbytes(struct wire *w, const void *src, size_t n)
{
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The fixed part of each payload; a variable tail (text or data) may follow where noted. */
static int fixed_size(unsigned int type, int *ret_tail)
{
	*ret_tail = 0;
	switch (type) {
	case NOOK_CTL_HELLO:
		return 8 + NOOK_CTL_NAME_LEN;
	case NOOK_CTL_HEARTBEAT:
		return 8;
	case NOOK_CTL_CARRIER:
		return 4;
	case NOOK_CTL_STATS:
		return 8 * NOOK_NIC_N_COUNTERS + 16;
	case NOOK_CTL_LOG:
		*ret_tail = NOOK_CTL_MAX_TEXT;
		return 4;
	case NOOK_CTL_FATAL:
		*ret_tail = NOOK_CTL_MAX_TEXT;
		return 12;
	case NOOK_CTL_REPLY:
		*ret_tail = NOOK_CTL_MAX_DATA;
		return 4;
	case NOOK_CTL_NETDEV:
		return 16;
	case NOOK_CTL_READY:
		return 0;
	case NOOK_CTL_TRAFFIC:
		return 0;
	case NOOK_CTL_FAULT_FIRED:
		*ret_tail = NOOK_CTL_MAX_DATA;
		return 0;
	case NOOK_CTL_LINK:
		*ret_tail = 6 * NOOK_CTL_MAX_MC;
		return 16;
	case NOOK_CTL_ETHTOOL:
		*ret_tail = NOOK_CTL_MAX_DATA;
		return 4;
	case NOOK_CTL_INJECT:
		return 8;
	case NOOK_CTL_SHUTDOWN:
		return 0;
	case NOOK_CTL_ADOPT:
		return 4;
	default:
		return -1;
	}
}

const char *nook_ctl_type_name(unsigned int type)
{
	static const char *const names[] = {
		[NOOK_CTL_HELLO] = "hello",
		[NOOK_CTL_HEARTBEAT] = "heartbeat",
		[NOOK_CTL_CARRIER] = "carrier",
		[NOOK_CTL_STATS] = "stats",
		[NOOK_CTL_LOG] = "log",
		[NOOK_CTL_FATAL] = "fatal",
		[NOOK_CTL_REPLY] = "reply",
		[NOOK_CTL_NETDEV] = "netdev",
		[NOOK_CTL_READY] = "ready",
		[NOOK_CTL_TRAFFIC] = "traffic",
		[NOOK_CTL_FAULT_FIRED] = "fault-fired",
		[NOOK_CTL_LINK] = "link",
		[NOOK_CTL_ETHTOOL] = "ethtool",
		[NOOK_CTL_INJECT] = "inject",
		[NOOK_CTL_SHUTDOWN] = "shutdown",
		[NOOK_CTL_ADOPT] = "adopt",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

/* Text a driver sends must be printable; @multiline allows '\n' (backtraces). */
static int text_ok(const uint8_t *s, size_t n, int multiline)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\t' || (multiline && s[i] == '\n'))
			continue;
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	}
	return 1;
}

static size_t tail_len(const struct nook_ctl_msg *m, const void **ret_src)
{
	switch (m->type) {
	case NOOK_CTL_LOG:
		*ret_src = m->log.text;
		return m->log.len;
	case NOOK_CTL_FATAL:
		*ret_src = m->fatal.text;
		return m->fatal.len;
	case NOOK_CTL_REPLY:
		*ret_src = m->reply.data;
		return m->reply.len;
	case NOOK_CTL_LINK:
		*ret_src = m->link.mc;
		return 6 * (size_t)m->link.n_mc;
	case NOOK_CTL_ETHTOOL:
		*ret_src = m->ethtool.text;
		return m->ethtool.len;
	case NOOK_CTL_FAULT_FIRED:
		*ret_src = m->fired.spec;
		return m->fired.len;
	default:
		*ret_src = NULL;
		return 0;
	}
}

static void encode_fixed(const struct nook_ctl_msg *m, struct wire *w)
{
	const struct nook_nic_counters *s = &m->stats.nic;

	switch (m->type) {
	case NOOK_CTL_HELLO:
		put32(w, m->hello.version);
		put32(w, m->hello.pid);
		putbytes(w, m->hello.driver, NOOK_CTL_NAME_LEN);
		break;
	case NOOK_CTL_HEARTBEAT:
		put64(w, m->heartbeat.counter);
		break;
	case NOOK_CTL_CARRIER:
		put32(w, m->carrier.up);
		break;
	case NOOK_CTL_STATS:
#define PUT_COUNTER(name) put64(w, s->name);
		NOOK_NIC_COUNTERS(PUT_COUNTER)
#undef PUT_COUNTER
		put64(w, m->stats.tx_waiting);
		put64(w, m->stats.rx_own);
		break;
	case NOOK_CTL_LOG:
		put32(w, m->log.level);
		break;
	case NOOK_CTL_FATAL:
		put32(w, (uint32_t)m->fatal.signo);
		put64(w, m->fatal.addr);
		break;
	case NOOK_CTL_REPLY:
		put32(w, (uint32_t)m->reply.status);
		break;
	case NOOK_CTL_NETDEV:
		put32(w, m->netdev.mtu);
		putbytes(w, m->netdev.mac, 6);
		putbytes(w, "\0\0", 2); /* pad to 12 */
		put32(w, m->netdev.tx_done_ms);
		break;
	case NOOK_CTL_LINK:
		put32(w, m->link.flags);
		put32(w, m->link.mtu);
		putbytes(w, m->link.mac, 6);
		putbytes(w, "\0\0", 2);
		break;
	case NOOK_CTL_ETHTOOL:
		put32(w, m->ethtool.cmd);
		break;
	case NOOK_CTL_INJECT:
		put32(w, m->inject.fault);
		put32(w, m->inject.arg);
		break;
	case NOOK_CTL_ADOPT:
		put32(w, m->adopt.n_fds);
		break;
	}
}

ssize_t nook_ctl_encode(const struct nook_ctl_msg *m, void *buf, size_t size)
{
	struct wire w = { .p = buf, .cap = size };
	const void *tail;
	size_t n;
	int fixed, max_tail;

	fixed = fixed_size(m->type, &max_tail);
	if (fixed < 0)
		return -EINVAL;
	n = tail_len(m, &tail);
	if (n > (size_t)max_tail || (n && !tail) || NOOK_CTL_HDR_SIZE + (size_t)fixed + n > size)
		return -EINVAL;
	if (m->type == NOOK_CTL_HELLO && !memchr(m->hello.driver, '\0', NOOK_CTL_NAME_LEN))
		return -EINVAL;
	put32(&w, NOOK_CTL_MAGIC);
	put32(&w, m->type); /* type, then flags 0 */
	put32(&w, (uint32_t)fixed + (uint32_t)n);
	put32(&w, m->seq);
	encode_fixed(m, &w);
	if (n)
		putbytes(&w, tail, n);
	return (ssize_t)w.len;
}

/* Copy a text or data tail into the message's own buffer, NUL-terminated. */
static const char *keep_tail(struct nook_ctl_msg *m, const uint8_t *p, size_t n)
{
	memcpy(m->textbuf, p, n);
	m->textbuf[n] = '\0';
	return m->textbuf;
}

static int decode_payload(struct nook_ctl_msg *m, const uint8_t *p, size_t fixed, size_t n)
{
	const uint8_t *t = p + fixed;
	struct nook_nic_counters *s = &m->stats.nic;

	switch (m->type) {
	case NOOK_CTL_HELLO:
		m->hello.version = get32(p);
		m->hello.pid = get32(p + 4);
		memcpy(m->hello.driver, p + 8, NOOK_CTL_NAME_LEN);
		n = strnlen(m->hello.driver, NOOK_CTL_NAME_LEN);
		if (n == 0 || n == NOOK_CTL_NAME_LEN || !text_ok(p + 8, n, 0))
			return -EBADMSG;
		return 0;
	case NOOK_CTL_HEARTBEAT:
		m->heartbeat.counter = get64(p);
		return 0;
	case NOOK_CTL_CARRIER:
		m->carrier.up = get32(p);
		return m->carrier.up <= 1 ? 0 : -EBADMSG;
	case NOOK_CTL_STATS:
#define GET_COUNTER(name) s->name = get64(p), p += 8;
		NOOK_NIC_COUNTERS(GET_COUNTER)
#undef GET_COUNTER
		m->stats.tx_waiting = get64(p);
		m->stats.rx_own = get64(p + 8);
		return 0;
	case NOOK_CTL_LOG:
		m->log.level = get32(p);
		if (m->log.level > 7 || !text_ok(t, n, 0))
			return -EBADMSG;
		m->log.len = (uint32_t)n;
		m->log.text = keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_FATAL:
		m->fatal.signo = (int32_t)get32(p);
		m->fatal.addr = get64(p + 4);
		if (m->fatal.signo < 0 || m->fatal.signo > 64 || !text_ok(t, n, 1))
			return -EBADMSG;
		m->fatal.len = (uint32_t)n;
		m->fatal.text = keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_REPLY:
		m->reply.status = (int32_t)get32(p);
		if (m->reply.status > 0 || m->reply.status < -4095)
			return -EBADMSG;
		m->reply.len = (uint32_t)n;
		m->reply.data = (const uint8_t *)keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_NETDEV:
		m->netdev.mtu = get32(p);
		memcpy(m->netdev.mac, p + 4, 6);
		m->netdev.tx_done_ms = get32(p + 12);
		return m->netdev.mtu >= 68 && m->netdev.mtu <= 65535 ? 0 : -EBADMSG;
	case NOOK_CTL_LINK:
		m->link.flags = get32(p);
		m->link.mtu = get32(p + 4);
		memcpy(m->link.mac, p + 8, 6);
		if (n % 6 || m->link.mtu < 68 || m->link.mtu > 65535)
			return -EBADMSG;
		m->link.n_mc = (uint32_t)(n / 6);
		m->link.mc = (const uint8_t(*)[6])keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_ETHTOOL:
		m->ethtool.cmd = get32(p);
		if (m->ethtool.cmd < 1 || m->ethtool.cmd > NOOK_CTL_ETHTOOL_MAX ||
		    !text_ok(t, n, 1))
			return -EBADMSG;
		m->ethtool.len = (uint32_t)n;
		m->ethtool.text = keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_FAULT_FIRED:
		if (n == 0 || !text_ok(t, n, 0))
			return -EBADMSG;
		m->fired.len = (uint32_t)n;
		m->fired.spec = keep_tail(m, t, n);
		return 0;
	case NOOK_CTL_INJECT:
		m->inject.fault = get32(p);
		m->inject.arg = get32(p + 4);
		return m->inject.fault >= 1 && m->inject.fault <= NOOK_CTL_FAULT_MAX ? 0 : -EBADMSG;
	case NOOK_CTL_ADOPT:
		m->adopt.n_fds = get32(p);
		return m->adopt.n_fds == NOOK_CTL_ADOPT_FDS ? 0 : -EBADMSG;
	case NOOK_CTL_READY:
	case NOOK_CTL_TRAFFIC:
	case NOOK_CTL_SHUTDOWN:
		return 0;
	}
	return -EBADMSG;
}

int nook_ctl_decode(const void *buf, size_t len, struct nook_ctl_msg *ret_msg)
{
	static struct nook_ctl_msg zero;
	const uint8_t *p = buf;
	struct nook_ctl_msg m;
	uint32_t type, plen;
	int fixed, max_tail;

	if (!buf || len < NOOK_CTL_HDR_SIZE || len > NOOK_CTL_MAX_MSG)
		return -EBADMSG;
	if (get32(p) != NOOK_CTL_MAGIC)
		return -EBADMSG;
	type = get32(p + 4); /* low 16 bits type, high 16 bits flags: must be 0 */
	plen = get32(p + 8);
	fixed = type > 0xffff ? -1 : fixed_size(type, &max_tail);
	/* The header's length must be exactly what arrived: neither trusted nor guessed. */
	if (fixed < 0 || plen != len - NOOK_CTL_HDR_SIZE || plen < (uint32_t)fixed ||
	    plen - (uint32_t)fixed > (uint32_t)max_tail)
		return -EBADMSG;
	m = zero;
	m.type = (uint16_t)type;
	m.seq = get32(p + 12);
	if (decode_payload(&m, p + NOOK_CTL_HDR_SIZE, (size_t)fixed, plen - (size_t)fixed) < 0)
		return -EBADMSG;
	*ret_msg = m;
	/* The tail pointers must point into the caller's copy, not the local one. */
	if (m.type == NOOK_CTL_LOG)
		ret_msg->log.text = ret_msg->textbuf;
	else if (m.type == NOOK_CTL_FATAL)
		ret_msg->fatal.text = ret_msg->textbuf;
	else if (m.type == NOOK_CTL_REPLY)
		ret_msg->reply.data = (const uint8_t *)ret_msg->textbuf;
	else if (m.type == NOOK_CTL_LINK)
		ret_msg->link.mc = (const uint8_t(*)[6])ret_msg->textbuf;
	else if (m.type == NOOK_CTL_ETHTOOL)
		ret_msg->ethtool.text = ret_msg->textbuf;
	else if (m.type == NOOK_CTL_FAULT_FIRED)
		ret_msg->fired.spec = ret_msg->textbuf;
	return 0;
}

int nook_ctl_send(int fd, const struct nook_ctl_msg *msg)
{
	uint8_t buf[NOOK_CTL_MAX_MSG];
	ssize_t n = nook_ctl_encode(msg, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
		return -errno;
	return 0;
}

int nook_ctl_recv(int fd, struct nook_ctl_msg *ret_msg)
{
	unsigned int n;

	/* A message that brings fds where none belong is malformed; its fds are closed. */
	return nook_ctl_recv_fds(fd, ret_msg, NULL, 0, &n);
}

int nook_ctl_send_fds(int fd, const struct nook_ctl_msg *msg, const int *fds, unsigned int n_fds)
{
	uint8_t buf[NOOK_CTL_MAX_MSG];
	union {
		struct cmsghdr hdr;
		char space[NOOK_FDPASS_SPACE(NOOK_CTL_ADOPT_FDS)];
	} ctl;
	struct iovec iov;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n = nook_ctl_encode(msg, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (n_fds > NOOK_CTL_ADOPT_FDS)
		return -E2BIG;
	iov = (struct iovec){ buf, (size_t)n };
	nook_fdpass_attach(&mh, ctl.space, fds, n_fds);
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) != n)
		return -errno;
	return 0;
}

int nook_ctl_recv_fds(int fd, struct nook_ctl_msg *ret_msg, int *fds, unsigned int max,
		      unsigned int *ret_n)
{
	/* One byte more than any valid packet, so an oversized one shows as MSG_TRUNC. */
	uint8_t buf[NOOK_CTL_MAX_MSG + 1];
	union {
		struct cmsghdr hdr;
		char space[NOOK_FDPASS_SPACE(16)];
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.space,
			     .msg_controllen = sizeof(ctl.space) };
	unsigned int got, sent;
	int got_fds[16];
	ssize_t n;
	int r;

	*ret_n = 0;
	n = recvmsg(fd, &mh, MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	sent = nook_fdpass_take(&mh, got_fds, 16);
	got = sent < 16 ? sent : 16;
	if (n == 0)
		r = -ECONNRESET;
	else if ((size_t)n > NOOK_CTL_MAX_MSG || (mh.msg_flags & MSG_CTRUNC) || sent > max)
		r = -EBADMSG;
	else
		r = nook_ctl_decode(buf, (size_t)n, ret_msg);
	if (r < 0) {
		for (unsigned int i = 0; i < got; i++)
			close(got_fds[i]);
		return r;
	}
	if (got)
		memcpy(fds, got_fds, sizeof(int) * got);
	*ret_n = got;
	return 0;
}
