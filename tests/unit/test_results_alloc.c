/*
 * The results and style loaders under allocation failures (jansson's
 * test_chaos.c way): the loaders of reports/ and the engine helpers they use
 * are compiled into this test through failing_alloc.h, jansson's allocator
 * is routed there too, and the n-th allocation is made to fail for n = 0, 1,
 * 2… until a load succeeds. Every failing load must return NULL with an
 * error, never crash, and free everything (cmocka fails a test that leaks).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "failing_alloc.h"

/* Messages untranslated: the catalog lives in reports/i18n.c, which needs pango. */
#include "../../reports/model.h"
const char *rep_msg(const char *msgid) { return msgid; }
const char *rep_strerror(int e) { return strerror(e); }

#include "../../common/arena.c"
#include "../../common/fileio.c"
#include "../../common/jsonload.c"
#include "../../common/jsonpos.c"
#include "../../common/text.c"
#include "../../reports/clean.c"
#include "../../reports/load.c"
#include "../../reports/results.c"
#include "../../reports/verify.c"

static void *json_failing_malloc(size_t n)
{
	return failing_malloc(n, __FILE__, __LINE__);
}

static void json_test_free(void *p)
{
	_test_free(p, __FILE__, __LINE__);
}

static void test_results_chaos(void **state)
{
	(void)state;
	json_set_alloc_funcs(json_failing_malloc, json_test_free);
	long n = getenv("CHAOS_FROM") ? strtol(getenv("CHAOS_FROM"), NULL, 10) : 0;
	for (;; n++) {
		pal_diags *d = pal_diags_new();
		int status = -1;
		failing_alloc_arm(n);
		pal_doc_results *r = pal_doc_results_load("data/results-fr.json", d, &status);
		int fired = failing_alloc_fired;
		failing_alloc_disarm();
		if (!fired) {
			assert_non_null(r);
			assert_int_equal(status, PAL_DOC_OK);
			assert_int_equal(pal_doc_results_count(r), 11);
			pal_doc_results_free(r);
			pal_diags_free(d);
			break;
		}
		/* A failed allocation: refused as a whole, with a message. */
		if (r)
			fprintf(stderr, "allocation %ld failed, load succeeded\n", n);
		assert_null(r);
		assert_true(status == PAL_DOC_REJECTED || status == PAL_DOC_IOERR);
		assert_true(pal_diags_errors(d) > 0);
		pal_diags_free(d);
	}
	assert_true(n > 100); /* the loop did walk the allocations */
	json_set_alloc_funcs(malloc, free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_chaos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
