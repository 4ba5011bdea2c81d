/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver process's event loop, on io_uring.
 *
 * A driver process waits on a handful of fds (interrupt eventfds, the TAP fd, the control
 * socket) and on the compat layer's next timer. Each fd is watched with a multishot poll, so
 * one submission serves every wake-up; the wait itself takes the timer deadline as its
 * timeout. Callbacks run on the loop's thread, one at a time.
 */
#ifndef NOOK_SHIMS_LOOP_H
#define NOOK_SHIMS_LOOP_H

#include <stdint.h>

struct nook_loop;

/*
 * Called when @fd is ready with @revents (POLLIN, POLLERR, ...). A negative return stops
 * nook_loop_run_once(), which hands that value back to its caller.
 */
typedef int (*nook_loop_fd_fn)(struct nook_loop *loop, int fd, uint32_t revents, void *userdata);

int nook_loop_new(unsigned int entries, struct nook_loop **ret_loop);
void nook_loop_free(struct nook_loop *loop);

/* Watch @fd for @events (poll(2) bits) until nook_loop_remove_fd(). One watch per fd. */
int nook_loop_add_fd(struct nook_loop *loop, int fd, uint32_t events, nook_loop_fd_fn fn,
		     void *userdata);
int nook_loop_remove_fd(struct nook_loop *loop, int fd);

/*
 * Wait up to @timeout_ns (negative: no deadline) for events, then dispatch all that are
 * ready. Returns the number of callbacks run (0 on timeout) or a negative errno, either the
 * loop's own or the first negative value a callback returned.
 */
int nook_loop_run_once(struct nook_loop *loop, int64_t timeout_ns);

#endif
