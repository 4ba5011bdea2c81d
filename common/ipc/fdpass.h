/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Passing fds beside a message on a unix socket (SCM_RIGHTS): the control channel between
 * nookd and a driver process, and the sound protocol, both carry them this way.
 */
#ifndef NOOK_COMMON_FDPASS_H
#define NOOK_COMMON_FDPASS_H

#include <sys/socket.h>

/* Bytes of a msghdr's control buffer that @n fds take. */
#define NOOK_FDPASS_SPACE(n) CMSG_SPACE(sizeof(int) * (n))

/*
 * Attach @n_fds fds to @mh as one SCM_RIGHTS message, built in @ctl: room for
 * NOOK_FDPASS_SPACE(@n_fds) bytes, aligned for struct cmsghdr. With no fds, @mh carries no
 * control data. The caller keeps its copies of the fds.
 */
void nook_fdpass_attach(struct msghdr *mh, void *ctl, const int *fds, unsigned int n_fds);

/*
 * The fds a received @mh carried: the first @max go to @ret_fds, in order, and any others
 * are closed at once. Returns how many it carried in all, so that a caller expecting no more
 * than @max can tell it was sent more.
 */
unsigned int nook_fdpass_take(struct msghdr *mh, int *ret_fds, unsigned int max);

#endif
