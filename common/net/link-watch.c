// SPDX-License-Identifier: GPL-2.0-only
/*
 * Link changes from rtnetlink and the multicast list from procfs (see link-watch.h).
 */
#include "link-watch.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int netlink_socket(unsigned int groups, int flags, int *ret_fd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | flags, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

int nook_link_watch_open(int *ret_fd)
{
	return netlink_socket(RTMGRP_LINK, SOCK_NONBLOCK, ret_fd);
}

/* Apply one RTM_NEWLINK/RTM_DELLINK about link->ifindex; 1 if the link changed. */
static int link_apply(struct nook_link *link, const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	struct nook_link next = *link;
	int len = (int)IFLA_PAYLOAD(nh);
	const struct rtattr *rta;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) || ifi->ifi_index != link->ifindex)
		return 0;
	if (nh->nlmsg_type == RTM_DELLINK) {
		link->gone = true;
		return 1;
	}
	next.flags = ifi->ifi_flags;
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t plen = RTA_PAYLOAD(rta);

		switch (rta->rta_type) {
		case IFLA_IFNAME:
			if (plen > 0 && plen <= IFNAMSIZ)
				snprintf(next.ifname, sizeof(next.ifname), "%.*s", (int)plen,
					 (const char *)RTA_DATA(rta));
			break;
		case IFLA_MTU:
			if (plen >= sizeof(uint32_t))
				memcpy(&next.mtu, RTA_DATA(rta), sizeof(uint32_t));
			break;
		case IFLA_ADDRESS:
			if (plen == 6)
				memcpy(next.mac, RTA_DATA(rta), 6);
			break;
		}
	}
	if (next.flags == link->flags && next.mtu == link->mtu &&
	    memcmp(next.mac, link->mac, 6) == 0 && strcmp(next.ifname, link->ifname) == 0)
		return 0;
	*link = next;
	return 1;
}

/* Apply every message in @buf; a netlink error message becomes its negative errno. */
static int link_apply_all(struct nook_link *link, const void *buf, size_t n)
{
	int changed = 0;

	for (const struct nlmsghdr *nh = buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (e->error)
				return e->error;
			continue;
		}
		if (nh->nlmsg_type == RTM_NEWLINK || nh->nlmsg_type == RTM_DELLINK)
			changed |= link_apply(link, nh);
	}
	return changed;
}

int nook_link_watch_read(int fd, struct nook_link *link)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	int changed = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		int r;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return changed;
			/* ENOBUFS: messages were lost; the caller re-queries the link. */
			return -errno;
		}
		if (n == 0)
			return changed;
		r = link_apply_all(link, buf, (size_t)n);
		if (r < 0)
			return r;
		changed |= r;
	}
}

int nook_link_query(int ifindex, struct nook_link *ret_link)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = { .nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST,
			.nlmsg_seq = 1 },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nook_link link = { .ifindex = ifindex };
	ssize_t n;
	int fd = -1, r;

	r = netlink_socket(0, 0, &fd);
	if (r < 0)
		return r;
	if (send(fd, &req, sizeof(req), 0) < 0) {
		r = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		r = -errno;
		goto out;
	}
	r = link_apply_all(&link, buf, (size_t)n);
	if (r == 0)
		r = -ENODEV;
	if (r > 0) {
		*ret_link = link;
		r = 0;
	}
out:
	close(fd);
	return r;
}

static int hex_mac(const char *hex, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -EINVAL;
		mac[i] = (uint8_t)b;
	}
	return hex[12] == '\0' ? 0 : -EINVAL;
}

int nook_link_mc_list(const char *dev_mcast_path, const char *ifname, uint8_t (*ret_addrs)[6],
		      size_t max, size_t *ret_count)
{
	char line[256], name[IFNAMSIZ + 1], hex[64];
	size_t count = 0;
	FILE *f;

	/* Lines read "index name users global hexaddress". */
	f = fopen(dev_mcast_path ? dev_mcast_path : "/proc/net/dev_mcast", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		int index, users, global;
		uint8_t mac[6];

		if (sscanf(line, "%d %16s %d %d %63s", &index, name, &users, &global, hex) != 5)
			continue;
		if (strcmp(name, ifname) != 0 || hex_mac(hex, mac) < 0)
			continue;
		if (count < max)
			memcpy(ret_addrs[count], mac, 6);
		count++;
	}
	fclose(f);
	*ret_count = count;
	return 0;
}
