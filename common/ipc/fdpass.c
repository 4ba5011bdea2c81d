// SPDX-License-Identifier: GPL-2.0-only
/*
 * fds beside a message on a unix socket (see fdpass.h).
 */
#include "fdpass.h"

#include <string.h>
#include <unistd.h>

void nook_fdpass_attach(struct msghdr *mh, void *ctl, const int *fds, unsigned int n_fds)
{
	struct cmsghdr *c;

	if (!n_fds) {
		mh->msg_control = NULL;
		mh->msg_controllen = 0;
		return;
	}
	memset(ctl, 0, NOOK_FDPASS_SPACE(n_fds));
	mh->msg_control = ctl;
	mh->msg_controllen = NOOK_FDPASS_SPACE(n_fds);
	c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
}

unsigned int nook_fdpass_take(struct msghdr *mh, int *ret_fds, unsigned int max)
{
	unsigned int total = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++, total++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (total < max)
				ret_fds[total] = fd;
			else
				close(fd);
		}
	}
	return total;
}
