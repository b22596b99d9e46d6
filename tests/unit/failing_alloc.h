/*
 * Allocation hooks for unit tests that compile an engine module into the test
 * (`#include "../../engine/<module>.c"` right after this header):
 *  - every malloc/calloc/realloc/free of the module goes through cmocka's
 *    test allocator, so a block left unfreed fails the test that leaked it;
 *  - failing_alloc_arm(n) makes the n-th allocation from now fail (0 = the
 *    next one), like jansson's test_chaos.c, so that every error path can be
 *    walked by looping n upwards until the call succeeds.
 * Include after the system headers: the macros must not rename their
 * declarations. The archive's copy of the module is not linked in, because
 * the test itself defines every symbol of it.
 */
#ifndef PAL_TEST_FAILING_ALLOC_H
#define PAL_TEST_FAILING_ALLOC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static long failing_alloc_left = -1; /* allocations before the failing one; -1: never fail */
static int failing_alloc_fired;      /* set once an armed failure has happened */

static inline void failing_alloc_arm(long n)
{
	failing_alloc_left = n;
	failing_alloc_fired = 0;
}

static inline void failing_alloc_disarm(void)
{
	failing_alloc_left = -1;
}

static inline int failing_alloc_should_fail(void)
{
	if (failing_alloc_left < 0)
		return 0;
	if (failing_alloc_left == 0) {
		failing_alloc_left = -1;
		failing_alloc_fired = 1;
		return 1;
	}
	failing_alloc_left--;
	return 0;
}

static inline void *failing_malloc(size_t n, const char *file, int line)
{
	return failing_alloc_should_fail() ? NULL : _test_malloc(n, file, line);
}

static inline void *failing_calloc(size_t a, size_t b, const char *file, int line)
{
	return failing_alloc_should_fail() ? NULL : _test_calloc(a, b, file, line);
}

static inline void *failing_realloc(void *p, size_t n, const char *file, int line)
{
	return failing_alloc_should_fail() ? NULL : _test_realloc(p, n, file, line);
}

#define malloc(n) failing_malloc((n), __FILE__, __LINE__)
#define calloc(a, b) failing_calloc((a), (b), __FILE__, __LINE__)
#define realloc(p, n) failing_realloc((p), (n), __FILE__, __LINE__)
#define free(p) _test_free((p), __FILE__, __LINE__)

#endif
