// SPDX-License-Identifier: GPL-2.0-only
/* Probing a neighbour of an interface again, through rtnetlink (see neigh.h). */
#include "neigh.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The states of a neighbour the kernel learned and believes there; the first is best. */
static int rank(uint16_t state)
{
	if (state & NUD_REACHABLE)
		return 3;
	if (state & (NUD_DELAY | NUD_PROBE))
		return 2;
	if (state & NUD_STALE)
		return 1;
	return 0; /* incomplete, failed, permanent or noarp: not one to ask */
}

struct pick {
	int ifindex, rank;
	struct nook_neigh n;
};

static void consider(struct pick *p, const struct nlmsghdr *nh)
{
	const struct ndmsg *nd = NLMSG_DATA(nh);
	size_t len = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*nd));
	const struct rtattr *a =
		(const struct rtattr *)((const char *)nd + NLMSG_ALIGN(sizeof(*nd)));
	const void *dst = NULL, *lladdr = NULL;
	int r;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)) || nd->ndm_family != AF_INET ||
	    nd->ndm_ifindex != p->ifindex)
		return;
	r = rank(nd->ndm_state);
	if (r <= p->rank)
		return;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4)
			dst = RTA_DATA(a);
		else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6)
			lladdr = RTA_DATA(a);
	}
	if (!dst || !lladdr)
		return;
	memcpy(&p->n.ip, dst, 4);
	memcpy(p->n.mac, lladdr, 6);
	p->rank = r;
}

/* The neighbour to ask: RTM_GETNEIGH's dump of IPv4 entries, the best on @ifindex. */
static int pick_neighbour(int fd, struct pick *p)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req = {
		.nh = { .nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETNEIGH,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1 },
		.nd = { .ndm_family = AF_INET },
	};
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));

	if (send(fd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		size_t left;

		if (n < 0)
			return -errno;
		left = (size_t)n;
		for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_type == NLMSG_DONE)
				return p->rank ? 0 : -ENOENT;
			if (nh->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			if (nh->nlmsg_type == RTM_NEWNEIGH)
				consider(p, nh);
		}
		if (n == 0)
			return -EIO;
	}
}

/* RTM_NEWNEIGH: the entry, with its address, to NUD_PROBE; the kernel probes it at once. */
static int ask(int fd, int ifindex, const struct nook_neigh *n)
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
		struct rtattr dst_hdr;
		struct in_addr dst;
		struct rtattr ll_hdr;
		uint8_t ll[8]; /* 6, padded to the attribute alignment */
	} req = {
		.nh = { .nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_NEWNEIGH,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
			.nlmsg_seq = 2 },
		.nd = { .ndm_family = AF_INET, .ndm_ifindex = ifindex, .ndm_state = NUD_PROBE },
		.dst_hdr = { .rta_len = RTA_LENGTH(4), .rta_type = NDA_DST },
		.dst = n->ip,
		.ll_hdr = { .rta_len = RTA_LENGTH(6), .rta_type = NDA_LLADDR },
	};
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	const struct nlmsghdr *nh = (const struct nlmsghdr *)buf;
	ssize_t len;

	memcpy(req.ll, n->mac, 6);
	if (send(fd, &req, sizeof(req), 0) < 0)
		return -errno;
	len = recv(fd, buf, sizeof(buf), 0);
	if (len < 0)
		return -errno;
	if (!NLMSG_OK(nh, (size_t)len) || nh->nlmsg_type != NLMSG_ERROR)
		return -EIO;
	return ((const struct nlmsgerr *)NLMSG_DATA(nh))->error;
}

static int with_socket(int (*fn)(int fd, int ifindex, void *arg), int ifindex, void *arg)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int r;

	if (fd < 0)
		return -errno;
	r = fn(fd, ifindex, arg);
	close(fd);
	return r;
}

static int do_pick(int fd, int ifindex, void *arg)
{
	struct pick p = { .ifindex = ifindex };
	int r = pick_neighbour(fd, &p);

	if (r == 0)
		*(struct nook_neigh *)arg = p.n;
	return r;
}

static int do_probe(int fd, int ifindex, void *arg)
{
	return ask(fd, ifindex, arg);
}

int nook_neigh_pick(int ifindex, struct nook_neigh *ret)
{
	return with_socket(do_pick, ifindex, ret);
}

int nook_neigh_probe(int ifindex, const struct nook_neigh *n)
{
	return with_socket(do_probe, ifindex, (void *)n);
}
