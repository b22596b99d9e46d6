/*
 * Fuzz target: the JsonLogic evaluator and static checker (engine/rule.c,
 * rule_check.c, rule_js.c). The input is a rule and its data: the first line
 * is the rule's JSON text, the rest the data (null when absent). The rule is
 * checked, then evaluated whether or not the check passed (rules reach the
 * evaluator only checked, but `palmares rule` evaluates any rule), twice:
 * the two results must be equal (evaluation keeps no state) and printable.
 */
#include <jansson.h>

#include "fuzz_common.h"
#include "rule.h"

static void on_var(void *ctx, const char *path)
{
	(void)ctx;
	(void)path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t rlen = nl ? (size_t)(nl - data) : size;
	json_error_t je;
	char err[512], err2[512];
	json_t *rule = json_loadb((const char *)data, rlen, JSON_DECODE_ANY, &je);
	json_t *dv = nl ? json_loadb((const char *)nl + 1, size - rlen - 1, JSON_DECODE_ANY, &je) : NULL;
	if (!rule || (nl && !dv))
		goto out;
	(void)eng_rule_check(rule, on_var, NULL, err, sizeof err);
	pal_rule_env env = {dv, NULL, NULL, 20000};
	json_t *a = NULL, *b = NULL;
	int ra = eng_rule_eval(rule, &env, &a, err, sizeof err);
	int rb = eng_rule_eval(rule, &env, &b, err2, sizeof err2);
	if (ra != rb || (ra == 0 && !json_equal(a, b)) || (ra != 0 && strcmp(err, err2) != 0))
		fuzz_fail("two evaluations of one rule differ");
	if (ra == 0) {
		if (!a)
			fuzz_fail("success without a result");
		(void)eng_rule_truthy(a);
		if (eng_json_print(fuzz_null(), a) != 0)
			fuzz_fail("the result cannot be printed");
	} else if (!err[0]) {
		fuzz_fail("an evaluation error without a message");
	}
	json_decref(a);
	json_decref(b);
out:
	json_decref(rule);
	json_decref(dv);
	return 0;
}
