// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/vfio/dma-alloc and the DMA arena's translation (no VFIO needed). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/vfio/dma-alloc.h"
#include "common/vfio/dma.h"

static void test_alignment_and_no_overlap(void **state)
{
	struct nook_range_alloc *ra;
	uint64_t off[64], sz[64];

	assert_int_equal(nook_range_alloc_new(1 << 20, &ra), 0);
	for (int i = 0; i < 64; i++) {
		uint64_t align = 1ULL << (i % 13);

		sz[i] = 100 + (uint64_t)i * 37;
		assert_int_equal(nook_range_alloc(ra, sz[i], align, &off[i]), 0);
		assert_int_equal(off[i] % align, 0);
		assert_true(off[i] + sz[i] <= (1 << 20));
		for (int j = 0; j < i; j++)
			assert_true(off[i] + sz[i] <= off[j] || off[j] + sz[j] <= off[i]);
	}
	nook_range_alloc_free_all(ra);
}

static void test_exhaustion_release_and_reuse(void **state)
{
	struct nook_range_alloc *ra;
	uint64_t a, b, c, d, size;

	assert_int_equal(nook_range_alloc_new(4096, &ra), 0);
	assert_int_equal(nook_range_alloc(ra, 2048, 1, &a), 0);
	assert_int_equal(nook_range_alloc(ra, 2048, 1, &b), 0);
	assert_int_equal(nook_range_alloc(ra, 1, 1, &c), -ENOMEM);
	assert_int_equal(nook_range_in_use(ra), 4096);
	assert_int_equal(nook_range_size(ra, b, &size), 0);
	assert_int_equal(size, 2048);

	/* Freed neighbours merge: the whole range fits again. */
	assert_int_equal(nook_range_release(ra, a), 0);
	assert_int_equal(nook_range_release(ra, b), 0);
	assert_int_equal(nook_range_in_use(ra), 0);
	assert_int_equal(nook_range_alloc(ra, 4096, 4096, &d), 0);
	assert_int_equal(d, 0);
	nook_range_alloc_free_all(ra);
}

static void test_bad_requests(void **state)
{
	struct nook_range_alloc *ra;
	uint64_t a;

	assert_int_equal(nook_range_alloc_new(0, &ra), -EINVAL);
	assert_int_equal(nook_range_alloc_new(8192, &ra), 0);
	assert_int_equal(nook_range_alloc(ra, 0, 8, &a), -EINVAL);
	assert_int_equal(nook_range_alloc(ra, 16, 0, &a), -EINVAL);
	assert_int_equal(nook_range_alloc(ra, 16, 24, &a), -EINVAL);
	assert_int_equal(nook_range_alloc(ra, 16384, 8, &a), -ENOMEM);
	assert_int_equal(nook_range_alloc(ra, 100, 64, &a), 0);
	/* Only what was handed out can be given back, once. */
	assert_int_equal(nook_range_release(ra, a + 1), -EINVAL);
	assert_int_equal(nook_range_release(ra, a), 0);
	assert_int_equal(nook_range_release(ra, a), -EINVAL);
	assert_int_equal(nook_range_size(ra, a, &a), -EINVAL);
	nook_range_alloc_free_all(ra);
}

static void test_arena_translation(void **state)
{
	struct nook_dma_arena *arena;
	struct nook_err err = { 0 };
	uint64_t iova, back;
	uint8_t *p, *q, outside = 0;

	/* No container: an arena of process memory only, as unit tests need. */
	assert_int_equal(nook_dma_arena_new(-1, 0x1000000, 1 << 20, &arena, &err), 0);
	p = nook_dma_alloc(arena, 1000, 256, &iova);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 256, 0);
	assert_true(iova >= 0x1000000 && iova < 0x1000000 + (1 << 20));
	assert_int_equal(nook_dma_virt_to_iova(arena, p + 10, &back), 0);
	assert_int_equal(back, iova + 10);
	assert_ptr_equal(nook_dma_iova_to_virt(arena, iova + 999), p + 999);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(p[i], 0);

	assert_int_equal(nook_dma_virt_to_iova(arena, &outside, &back), -EFAULT);
	assert_null(nook_dma_iova_to_virt(arena, 0x1000000 - 1));
	assert_null(nook_dma_iova_to_virt(arena, 0x1000000 + (1 << 20)));
	assert_int_equal(nook_dma_release(arena, &outside), -EFAULT);

	q = nook_dma_alloc(arena, 1 << 20, 4096, NULL);
	assert_null(q);
	assert_int_equal(nook_dma_in_use(arena), 1000);
	assert_int_equal(nook_dma_release(arena, p), 0);
	assert_int_equal(nook_dma_in_use(arena), 0);
	nook_dma_arena_free(arena);

	assert_int_equal(nook_dma_arena_new(-1, 0x1000000, 1000, &arena, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "multiples of the page size"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_no_overlap),
		cmocka_unit_test(test_exhaustion_release_and_reuse),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_arena_translation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
