/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io_uring restrictions for a driver process's ring.
 *
 * An io_uring operation runs in the kernel without passing through seccomp, so a ring
 * could open files (IORING_OP_OPENAT) or make sockets (IORING_OP_SOCKET) that the driver
 * filter forbids as system calls. The namespaces and the empty read-only root contain what
 * that could reach; on top, the ring is restricted to the operations its event loop uses:
 * create it with IORING_SETUP_R_DISABLED, then call nook_sandbox_ring_restrict(), which
 * registers the restrictions and enables the ring. Restrictions cannot be lifted, and no
 * io_uring_register() operation is allowed on the ring afterwards.
 */
#ifndef NOOK_COMMON_SANDBOX_RING_H
#define NOOK_COMMON_SANDBOX_RING_H

#include <stdint.h>

/*
 * Allow only the @n_ops opcodes in @ops (IORING_OP_*) and the SQE flags in @sqe_flags
 * (IOSQE_*; 0 allows none) on the disabled ring @ring_fd, then enable it.
 * -EPERM if @ops names an operation that reaches beyond the fds the process holds (open,
 * socket, connect, accept, statx, path or xattr operations, uring_cmd, msg_ring);
 * -EBADFD if the ring was not created disabled.
 */
int nook_sandbox_ring_restrict(int ring_fd, const uint8_t *ops, unsigned int n_ops,
			       uint8_t sqe_flags);

#endif
