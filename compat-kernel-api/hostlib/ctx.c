// SPDX-License-Identifier: GPL-2.0-only
/*
 * Execution contexts for kernel tasks, on ucontext: each task has a stack of its own with a
 * guard page below it, so a task that overflows its stack faults instead of corrupting a
 * neighbour. Part of the host interface every host shares.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <nook/host.h>

struct nook_host_ctx {
	ucontext_t uc;
	void *stack;
	size_t stack_size;
	void (*entry)(void *arg);
	void *arg;
	/* the usable stack, for AddressSanitizer's fiber bookkeeping */
	void *bottom;
	size_t size;
};

static struct nook_host_ctx self_ctx;

struct nook_host_ctx *nook_host_ctx_self(void)
{
	pthread_attr_t attr;

	if (!self_ctx.bottom && pthread_getattr_np(pthread_self(), &attr) == 0) {
		pthread_attr_getstack(&attr, &self_ctx.bottom, &self_ctx.size);
		pthread_attr_destroy(&attr);
	}
	return &self_ctx;
}

static void ctx_prepare(struct nook_host_ctx *ctx);

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

static void trampoline(unsigned int hi, unsigned int lo)
{
	struct nook_host_ctx *ctx = (struct nook_host_ctx *)(((uintptr_t)hi << 32) | lo);

#if defined(__SANITIZE_ADDRESS__)
	/* A new context starts here, not after its swapcontext: end the switch here. */
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif

	ctx->entry(ctx->arg);
	nook_host_fatal("a task's entry function returned to its trampoline");
}

struct nook_host_ctx *nook_host_ctx_new(void (*entry)(void *arg), void *arg, size_t stack_size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct nook_host_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	stack_size = (stack_size + page - 1) / page * page;
	ctx->stack = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (ctx->stack == MAP_FAILED) {
		free(ctx);
		return NULL;
	}
	mprotect(ctx->stack, page, PROT_NONE);
	ctx->stack_size = stack_size + page;
	ctx->entry = entry;
	ctx->arg = arg;
	ctx->bottom = (char *)ctx->stack + page;
	ctx->size = stack_size;
	ctx_prepare(ctx);
	return ctx;
}

/* Apart from nook_host_ctx_new: getcontext() returns twice as far as the compiler knows. */
static __attribute__((noinline)) void ctx_prepare(struct nook_host_ctx *ctx)
{
	uintptr_t self;

	getcontext(&ctx->uc);
	ctx->uc.uc_stack.ss_sp = ctx->bottom;
	ctx->uc.uc_stack.ss_size = ctx->size;
	ctx->uc.uc_link = NULL;
	self = (uintptr_t)ctx;
	makecontext(&ctx->uc, (void (*)(void))trampoline, 2, (unsigned int)(self >> 32),
		    (unsigned int)(self & 0xffffffff));
}

void nook_host_ctx_free(struct nook_host_ctx *ctx)
{
	if (!ctx || ctx == &self_ctx)
		return;
	munmap(ctx->stack, ctx->stack_size);
	free(ctx);
}

void nook_host_ctx_switch(struct nook_host_ctx *from, struct nook_host_ctx *to)
{
#if defined(__SANITIZE_ADDRESS__)
	void *fake_stack = NULL;

	/* Tell ASan which stack comes next, so it does not take the switch for an overflow. */
	__sanitizer_start_switch_fiber(&fake_stack, to->bottom, to->size);
#endif
	if (swapcontext(&from->uc, &to->uc) < 0)
		nook_host_fatal("swapcontext failed");
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
}
