/*
 * JsonLogic conformance (SPEC.md §2): runs every case of the shared file
 * jsonlogic-tests.json (tests/ holds a copy of ../shared/conformance/) through
 * eng_rule_check() and eng_rule_eval(), in-process.
 *
 * The file is a JSON array: strings are section comments, every other entry
 * is [rule, data, expected]. A result must print exactly as the expected
 * value (so 2 is an integer, 0.5 a real). Every failing case is listed with
 * its section before the test fails. The file is argv[1], else
 * jsonlogic-tests.json in the working directory (tests/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "rule.h"

static const char *cases_file = "jsonlogic-tests.json";

static void *t_malloc(size_t n)
{
	return test_malloc(n);
}

static void t_free(void *p)
{
	if (p)
		test_free(p);
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

/* Runs one case; returns 0 if it passes, else prints why and returns -1. */
static int run_case(size_t index, const char *section, const json_t *c)
{
	const json_t *rule = json_array_get(c, 0), *want = json_array_get(c, 2);
	pal_rule_env env = {json_array_get(c, 1), NULL, NULL, 0};
	json_t *got = NULL;
	char err[512], *r = dump(rule), *d = dump(env.data), *w = dump(want), *g = NULL;
	int ok = 0;

	if (!r || !d || !w) {
		print_error("case %zu: out of memory\n", index);
	} else if (eng_rule_check(rule, NULL, NULL, err, sizeof err) != 0) {
		print_error("FAIL case %zu [%s]: %s on %s: eng_rule_check: %s\n", index, section, r, d, err);
	} else if (eng_rule_eval(rule, &env, &got, err, sizeof err) != 0) {
		print_error("FAIL case %zu [%s]: %s on %s: error: %s (want %s)\n", index, section, r, d, err,
		            w);
	} else if (!(g = dump(got)) || strcmp(g, w) != 0) {
		print_error("FAIL case %zu [%s]: %s on %s: got %s, want %s\n", index, section, r, d,
		            g ? g : "?", w);
	} else {
		ok = 1;
	}
	json_decref(got);
	t_free(r);
	t_free(d);
	t_free(w);
	t_free(g);
	return ok ? 0 : -1;
}

static void test_conformance(void **state)
{
	json_error_t je;
	json_t *cases = json_load_file(cases_file, 0, &je);
	const char *section = "";
	size_t run = 0, failed = 0;
	(void)state;

	if (!cases)
		fail_msg("%s:%d:%d: %s", cases_file, je.line, je.column, je.text);
	assert_true(json_is_array(cases));
	for (size_t i = 0; i < json_array_size(cases); i++) {
		const json_t *c = json_array_get(cases, i);
		if (json_is_string(c)) {
			section = json_string_value(c);
			continue;
		}
		run++;
		if (!json_is_array(c) || json_array_size(c) != 3) {
			print_error("FAIL entry %zu [%s]: not [rule, data, expected]\n", i, section);
			failed++;
		} else if (run_case(i, section, c) != 0) {
			failed++;
		}
	}
	json_decref(cases);
	if (failed)
		fail_msg("%zu of %zu JsonLogic conformance cases failed", failed, run);
	assert_true(run > 0);
	print_message("%zu JsonLogic conformance cases passed\n", run);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance),
	};
	if (argc > 1)
		cases_file = argv[1];
	json_set_alloc_funcs(t_malloc, t_free);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
