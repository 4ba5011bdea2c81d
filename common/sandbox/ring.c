// SPDX-License-Identifier: GPL-2.0-only
/* io_uring restrictions for a driver process's ring (see ring.h). */
#include "ring.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_RESTRICTIONS 64

/* Operations that name a path, make a new fd from nothing or reach another ring. */
static bool reaches_out(uint8_t op)
{
	switch (op) {
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
	case IORING_OP_SOCKET:
	case IORING_OP_CONNECT:
	case IORING_OP_ACCEPT:
	case IORING_OP_STATX:
	case IORING_OP_RENAMEAT:
	case IORING_OP_UNLINKAT:
	case IORING_OP_MKDIRAT:
	case IORING_OP_SYMLINKAT:
	case IORING_OP_LINKAT:
	case IORING_OP_SETXATTR:
	case IORING_OP_GETXATTR:
	case IORING_OP_FSETXATTR:
	case IORING_OP_FGETXATTR:
	case IORING_OP_URING_CMD:
	case IORING_OP_MSG_RING:
		return true;
	default:
		return false;
	}
}

static int ring_register(int fd, unsigned int opcode, void *arg, unsigned int nr)
{
	return syscall(SYS_io_uring_register, fd, opcode, arg, nr) < 0 ? -errno : 0;
}

int nook_sandbox_ring_restrict(int ring_fd, const uint8_t *ops, unsigned int n_ops,
			       uint8_t sqe_flags)
{
	struct io_uring_restriction res[MAX_RESTRICTIONS];
	unsigned int n = 0;
	int r;

	if (n_ops + 1 > MAX_RESTRICTIONS)
		return -E2BIG;
	memset(res, 0, sizeof(res));
	for (unsigned int i = 0; i < n_ops; i++) {
		if (reaches_out(ops[i]) || ops[i] >= IORING_OP_LAST)
			return -EPERM;
		res[n].opcode = IORING_RESTRICTION_SQE_OP;
		res[n++].sqe_op = ops[i];
	}
	res[n].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[n++].sqe_flags = sqe_flags;
	r = ring_register(ring_fd, IORING_REGISTER_RESTRICTIONS, res, n);
	if (r < 0)
		return r;
	return ring_register(ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
}
