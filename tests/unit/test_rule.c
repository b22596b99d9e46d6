/*
 * Unit tests of the JsonLogic evaluator and checker (engine/rule*.c):
 * truthiness, JavaScript coercions, number results, every error path with its
 * message and location, the limits (depth, steps, runaway accumulators), the
 * resolver, eng_rule_check's locations and var callbacks, and allocation
 * failures. jansson's allocator is routed through cmocka's test_malloc, so a
 * leak fails the test; the evaluator allocates through the same functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"

/* ---- allocation: counted by cmocka, optionally failing ---- */

static long fail_countdown = -1; /* the allocation that finds it at 0 fails */

static void *t_malloc(size_t n)
{
	if (fail_countdown == 0)
		return NULL;
	if (fail_countdown > 0)
		fail_countdown--;
	return test_malloc(n);
}

static void t_free(void *p)
{
	test_free(p);
}

/* ---- helpers ---- */

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v)
		fail_msg("test JSON %s: %s", text, je.text);
	return v;
}

/* Compact, key-sorted JSON text; the caller frees it with t_free(). */
static char *dump(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	assert_non_null(s);
	return s;
}

/* Evaluates rule on data (JSON texts, data may be NULL) and checks the result's text. */
static void expect_env(const char *rule, pal_rule_env *env, const char *want)
{
	json_t *r = parse(rule), *out = NULL;
	char err[512];
	char *got;
	if (eng_rule_eval(r, env, &out, err, sizeof err) != 0)
		fail_msg("%s: unexpected error: %s", rule, err);
	got = dump(out);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", rule, got, want);
	t_free(got);
	json_decref(out);
	json_decref(r);
}

static void expect(const char *rule, const char *data, const char *want)
{
	json_t *d = data ? parse(data) : NULL;
	pal_rule_env env = {d, NULL, NULL, 0};
	expect_env(rule, &env, want);
	json_decref(d);
}

/* Evaluates rule on data and checks the error message exactly. */
static void expect_error(const char *rule, const char *data, const char *want)
{
	json_t *r = parse(rule), *d = data ? parse(data) : NULL, *out = NULL;
	pal_rule_env env = {d, NULL, NULL, 0};
	char err[512];
	if (eng_rule_eval(r, &env, &out, err, sizeof err) == 0) {
		char *got = dump(out);
		fail_msg("%s: got %s, want the error %s", rule, got, want);
	}
	assert_null(out);
	if (strcmp(err, want) != 0)
		fail_msg("%s: error \"%s\", want \"%s\"", rule, err, want);
	json_decref(d);
	json_decref(r);
}

static void expect_check_error(const char *rule, const char *want)
{
	json_t *r = parse(rule);
	char err[512];
	if (eng_rule_check(r, NULL, NULL, err, sizeof err) == 0)
		fail_msg("%s: accepted, want the error %s", rule, want);
	if (strcmp(err, want) != 0)
		fail_msg("%s: error \"%s\", want \"%s\"", rule, err, want);
	json_decref(r);
}

/* {"!": {"!": ... true}} with `levels` operators; free with free_chain(). */
static json_t *not_chain(long levels)
{
	json_t *v = json_true();
	for (long i = 0; i < levels; i++) {
		json_t *o = json_object();
		assert_non_null(o);
		assert_int_equal(json_object_set_new(o, "!", v), 0);
		v = o;
	}
	return v;
}

/* [[[ ... ]]] with `levels` arrays. */
static json_t *array_chain(long levels)
{
	json_t *v = json_array();
	for (long i = 1; i < levels; i++) {
		json_t *a = json_array();
		assert_non_null(a);
		assert_int_equal(json_array_append_new(a, v), 0);
		v = a;
	}
	return v;
}

/* Frees a chain iteratively: jansson's recursive free would overflow the stack. */
static void free_chain(json_t *v)
{
	while (v) {
		json_t *next = NULL;
		if (json_is_object(v))
			next = json_object_get(v, "!");
		else if (json_is_array(v) && json_array_size(v))
			next = json_array_get(v, 0);
		json_incref(next);
		json_decref(v);
		v = next;
	}
}

/* ---- truthiness ---- */

static void test_truthy(void **state)
{
	static const char *const falsy[] = {"false", "null", "0", "0.0", "-0.0", "\"\"", "[]"};
	static const char *const truthy[] = {"true", "1", "-1", "0.5", "\"0\"", "\"a\"", "{}",
	                                     "[0]", "[[]]", "{\"a\":null}"};
	(void)state;
	for (size_t i = 0; i < sizeof falsy / sizeof falsy[0]; i++) {
		json_t *v = parse(falsy[i]);
		if (eng_rule_truthy(v))
			fail_msg("%s should be falsy", falsy[i]);
		json_decref(v);
	}
	for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) {
		json_t *v = parse(truthy[i]);
		if (!eng_rule_truthy(v))
			fail_msg("%s should be truthy", truthy[i]);
		json_decref(v);
	}
	assert_false(eng_rule_truthy(NULL));
	expect("{\"!!\":[{}]}", NULL, "true");
	expect("{\"!!\":\"0\"}", NULL, "true");
	expect("{\"if\":[[0],1,2]}", NULL, "1");
	expect("{\"or\":[0,\"\",[],null,false]}", NULL, "false");
	expect("{\"and\":[1,\"a\",{}]}", NULL, "{}");
}

/* ---- equality and comparison ---- */

static void test_equality(void **state)
{
	(void)state;
	expect("{\"==\":[1,\"1\"]}", NULL, "true");
	expect("{\"==\":[0,\"\"]}", NULL, "true");
	expect("{\"==\":[\" 12 \",12]}", NULL, "true");
	expect("{\"==\":[\"0x10\",16]}", NULL, "true");
	expect("{\"==\":[\"1e3\",1000]}", NULL, "true");
	expect("{\"==\":[\"abc\",0]}", NULL, "false");
	expect("{\"==\":[null,0]}", NULL, "false");
	expect("{\"==\":[null,false]}", NULL, "false");
	expect("{\"==\":[null,null]}", NULL, "true");
	expect("{\"==\":[false,0]}", NULL, "true");
	expect("{\"==\":[true,\"1\"]}", NULL, "true");
	expect("{\"==\":[true,\"true\"]}", NULL, "false");
	expect("{\"==\":[[1,2],\"1,2\"]}", NULL, "true");
	expect("{\"==\":[[],false]}", NULL, "true");
	expect("{\"==\":[[0],false]}", NULL, "true");
	expect("{\"==\":[[null],\"\"]}", NULL, "true");
	expect("{\"==\":[{\"var\":\"o\"},\"[object Object]\"]}", "{\"o\":{\"a\":1}}", "true");
	/* Two arrays or objects compare by content (JavaScript would compare identity). */
	expect("{\"==\":[[1,[2,3]],[1,[2,3]]]}", NULL, "true");
	expect("{\"==\":[[1],[\"1\"]]}", NULL, "false");
	expect("{\"===\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":{\"x\":[1]},\"b\":{\"x\":[1.0]}}",
	       "true");
	/* Integers and reals are one kind of number. */
	expect("{\"==\":[1,1.0]}", NULL, "true");
	expect("{\"===\":[1,1.0]}", NULL, "true");
	expect("{\"===\":[1,\"1\"]}", NULL, "false");
	expect("{\"!==\":[null,false]}", NULL, "true");
	expect("{\"!=\":[\"1.0\",1]}", NULL, "false");
}

static void test_comparison(void **state)
{
	(void)state;
	expect("{\"<\":[\"a\",\"b\"]}", NULL, "true");
	expect("{\"<\":[\"10\",\"9\"]}", NULL, "true"); /* two strings: text order */
	expect("{\"<\":[10,\"9\"]}", NULL, "false");    /* otherwise numbers */
	expect("{\"<\":[null,1]}", NULL, "true");
	expect("{\">\":[true,0]}", NULL, "true");
	expect("{\"<=\":[[2],[10]]}", NULL, "false"); /* \"2\" <= \"10\" as text */
	expect("{\">=\":[[10],9]}", NULL, "true");
	/* JavaScript answers false where a NaN is compared; SPEC §2 wants no silent false. */
	expect_error("{\"<\":[\"abc\",1]}", NULL, "\"<\": cannot compare \"abc\" with 1");
	expect_error("{\">=\":[\"abc\",1]}", NULL, "\">=\": cannot compare \"abc\" with 1");
	expect_error("{\"<=\":[{\"var\":\"o\"},1]}", "{\"o\":{}}", "\"<=\": cannot compare an object with 1");
	expect("{\"<\":[1,\"Infinity\"]}", NULL, "true");
	expect("{\"<=\":[1,1,1]}", NULL, "true");
	expect("{\"<\":[1,1,2]}", NULL, "false");
	expect("{\"<\":[\"é\",\"z\"]}", NULL, "false"); /* code point order */
	expect_error("{\">\":[1,2,3]}", NULL, "\">\": expected 2 arguments, found 3");
}

/* ---- arithmetic and number results ---- */

static void test_arithmetic(void **state)
{
	(void)state;
	expect("{\"+\":[1,1]}", NULL, "2");
	expect("{\"+\":[]}", NULL, "0");
	expect("{\"/\":[1,2]}", NULL, "0.5");
	expect("{\"/\":[3,1.5]}", NULL, "2");
	expect("{\"*\":[2,\"0.5\"]}", NULL, "1");
	expect("{\"+\":[\"1.5\",\"2\"]}", NULL, "3.5");
	expect("{\"+\":[\"3px\"]}", NULL, "3"); /* + and * use parseFloat */
	expect("{\"*\":[\" 2\",[3]]}", NULL, "6");
	expect("{\"-\":[null,1]}", NULL, "-1"); /* - / % use Number(): null is 0 */
	expect("{\"-\":[\"\",1]}", NULL, "-1");
	expect("{\"-\":[true]}", NULL, "-1");
	expect("{\"%\":[-7,2]}", NULL, "-1");
	expect("{\"%\":[7.5,2]}", NULL, "1.5");
	expect("{\"max\":[\"3\",2,2.5]}", NULL, "3");
	expect("{\"min\":[1,-0.25]}", NULL, "-0.25");
	expect("{\"+\":[9007199254740992,0]}", NULL, "9007199254740992");
	expect("{\"*\":[9007199254740992,2]}", NULL, "18014398509481984.0");
	expect("{\"+\":[0.1,0.2]}", NULL, "0.30000000000000004");
	expect("{\"-\":[0]}", NULL, "0");
	expect("{\"+\":[\"0x1A\"]}", NULL, "0"); /* parseFloat stops at x */
	expect("{\"-\":[\"0x1A\",0]}", NULL, "26");
}

static void test_number_errors(void **state)
{
	(void)state;
	expect_error("{\"/\":[1,0]}", NULL, "\"/\": division by zero");
	expect_error("{\"/\":[0,0]}", NULL, "\"/\": division by zero");
	expect_error("{\"%\":[1,\"0\"]}", NULL, "\"%\": division by zero");
	expect_error("{\"if\":[true,{\"/\":[1,{\"-\":[2,2]}]}]}", NULL,
	             "at /if/1: \"/\": division by zero");
	expect_error("{\"+\":[\"abc\"]}", NULL, "\"+\": expected a number as first argument, found \"abc\"");
	expect_error("{\"+\":[1,2,null]}", NULL, "\"+\": expected a number as third argument, found null");
	expect_error("{\"-\":[\"3px\",1]}", NULL,
	             "\"-\": expected a number as first argument, found \"3px\"");
	expect_error("{\"max\":[1,{\"var\":\"o\"}]}", "{\"o\":{\"a\":1}}",
	             "\"max\": expected a number as second argument, found an object");
	expect_error("{\"*\":[1e308,10]}", NULL, "\"*\": result is not a finite number");
	expect_error("{\"+\":[1,\"Infinity\"]}", NULL, "\"+\": result is not a finite number");
	expect_error("{\"-\":[\"Infinity\",\"Infinity\"]}", NULL, "\"-\": result is not a finite number");
	expect_error("{\"%\":[\"-Infinity\",2]}", NULL, "\"%\": result is not a finite number");
	expect_error("{\"/\":[1,\"1e-400\"]}", NULL, "\"/\": division by zero");
	expect_error("{\"min\":[]}", NULL, "\"min\": expected at least 1 argument, found 0");
	expect_error("{\"*\":[]}", NULL, "\"*\": expected at least 1 argument, found 0");
}

/* ---- strings ---- */

static void test_strings(void **state)
{
	(void)state;
	expect("{\"cat\":[1.5,null,true,[1,[2,null]],{\"var\":\"o\"}]}", "{\"o\":{}}",
	       "\"1.5true1,2,[object Object]\"");
	expect("{\"cat\":[0.1,\" \",1e21,\" \",1e-7,\" \",2.5e-7,\" \",0.000001]}", NULL,
	       "\"0.1 1e+21 1e-7 2.5e-7 0.000001\"");
	expect("{\"cat\":[123456789012345680000.0,\" \",-0.0,\" \",1.0,\" \",-1.25e-10]}", NULL,
	       "\"123456789012345680000 0 1 -1.25e-10\"");
	expect("{\"cat\":[]}", NULL, "\"\"");
	expect("{\"substr\":[\"héllo\",1,3]}", NULL, "\"éll\"");
	expect("{\"substr\":[\"héllo\",-2]}", NULL, "\"lo\"");
	expect("{\"substr\":[\"héllo\",-4,-1]}", NULL, "\"éll\"");
	expect("{\"substr\":[\"abc\",5]}", NULL, "\"\"");
	expect("{\"substr\":[\"abc\",-9]}", NULL, "\"abc\"");
	expect("{\"substr\":[\"abc\",1,-5]}", NULL, "\"\"");
	expect("{\"substr\":[\"abc\",1.9]}", NULL, "\"bc\"");
	expect("{\"substr\":[12345,1,2]}", NULL, "\"23\"");
	expect("{\"substr\":[\"abc\",\"1\"]}", NULL, "\"bc\"");
	expect("{\"substr\":[null,1]}", NULL, "\"ull\"");
	expect_error("{\"substr\":[\"abc\",\"x\"]}", NULL,
	             "\"substr\": expected a number as second argument, found \"x\"");
	expect_error("{\"substr\":[\"abc\",1,null]}", NULL,
	             "\"substr\": expected a number as third argument, found null");
	expect_error("{\"substr\":[\"abc\"]}", NULL, "\"substr\": expected 2 to 3 arguments, found 1");
	expect("{\"in\":[\"\",\"\"]}", NULL, "false"); /* "" is falsy: json-logic-js says false */
	expect("{\"in\":[\"\",\"a\"]}", NULL, "true");
	expect("{\"in\":[1,\"a1b\"]}", NULL, "true");
	expect("{\"in\":[\"ab\",\"aab\"]}", NULL, "true");
	expect("{\"in\":[\"abc\",\"ab\"]}", NULL, "false");
	expect("{\"in\":[1,[1.0]]}", NULL, "true");
	expect("{\"in\":[1,[\"1\"]]}", NULL, "false");
	expect("{\"in\":[[1],[[1]]]}", NULL, "true");
	expect("{\"in\":[\"a\",null]}", NULL, "false");
	expect("{\"in\":[\"a\",{\"var\":\"o\"}]}", "{\"o\":{\"a\":1}}", "false");
	expect("{\"log\":\"apple\"}", NULL, "\"apple\"");
}

/* ---- data access ---- */

static void test_var(void **state)
{
	(void)state;
	expect("{\"var\":\"a.0.b\"}", "{\"a\":[{\"b\":5}]}", "5");
	expect("{\"var\":\"a.01\"}", "{\"a\":[1,2]}", "null");
	expect("{\"var\":\"a.-1\"}", "{\"a\":[1,2]}", "null");
	expect("{\"var\":\"a.length\"}", "{\"a\":[1,2]}", "null");
	expect("{\"var\":[\"x\",1]}", "{\"x\":null}", "null"); /* found: null, not the default */
	expect("{\"var\":[\"x.y\",1]}", "{\"x\":null}", "1");
	expect("{\"var\":[\"\",1]}", "{\"x\":2}", "{\"x\":2}");
	expect("{\"var\":\"a.\"}", "{\"a\":{\"\":7}}", "7");
	expect("{\"var\":1.5}", "{\"1\":{\"5\":\"x\"}}", "\"x\"");
	expect("{\"var\":[{\"cat\":[\"a\",\".b\"]}]}", "{\"a\":{\"b\":3}}", "3");
	expect("{\"var\":\"a\"}", NULL, "null");
	expect_error("{\"var\":[true]}", NULL,
	             "\"var\": expected a string or number path as first argument, found true");
	expect_error("{\"var\":[\"a\",1,2]}", NULL, "\"var\": expected 0 to 2 arguments, found 3");
	expect_error("{\"missing\":[[1,{\"var\":\"o\"}]]}", "{\"o\":[]}",
	             "\"missing\": expected a string or number path as first argument, found an empty array");
	expect("{\"missing\":[\"a\",\"b\",\"c\"]}", "{\"a\":\"\",\"b\":0}", "[\"a\",\"c\"]");
	expect("{\"missing\":[1]}", "[\"x\",null]", "[1]");
	expect("{\"missing_some\":[\"1\",[\"a\",\"b\"]]}", "{\"b\":1}", "[]");
	/* As json-logic-js: [[paths]] reads as [paths], and the count stays that of the outer array. */
	expect("{\"missing_some\":[1,[[\"a\",\"c\"]]]}", "{\"a\":\"\"}", "[\"a\",\"c\"]");
	expect("{\"missing_some\":[1,[[\"a\",\"c\"]]]}", "{\"a\":0}", "[\"c\"]");
	expect_error("{\"missing_some\":[1,\"a\"]}", NULL,
	             "\"missing_some\": expected an array of paths as second argument, found \"a\"");
	expect_error("{\"missing_some\":[\"x\",[\"a\"]]}", NULL,
	             "\"missing_some\": expected a number as first argument, found \"x\"");
}

/* ---- arrays and logic ---- */

static void test_arrays(void **state)
{
	(void)state;
	expect("{\"map\":[{\"var\":\"l\"},{\"+\":[{\"var\":\"\"},1]}]}", "{\"l\":[1,2]}", "[2,3]");
	expect("{\"map\":[5,1]}", NULL, "[]");
	expect("{\"filter\":[\"abc\",true]}", NULL, "[]");
	expect("{\"all\":[5,true]}", NULL, "false");
	expect("{\"some\":[null,true]}", NULL, "false");
	expect("{\"none\":[\"x\",true]}", NULL, "true");
	expect("{\"reduce\":[7,{\"var\":\"current\"},\"init\"]}", NULL, "\"init\"");
	expect("{\"reduce\":[[1,2],{\"var\":\"current\"}]}", NULL, "2");
	expect("{\"reduce\":[[1,2,3],{\"cat\":[{\"var\":\"accumulator\"},{\"var\":\"current\"}]},\"\"]}",
	       NULL, "\"123\"");
	/* Inside map, var "" is the element, and root data is out of reach. */
	expect("{\"map\":[{\"var\":\"l\"},{\"var\":\"k\"}]}", "{\"l\":[{\"k\":1},2],\"k\":9}", "[1,null]");
	expect("{\"merge\":[[1],2,[[3]]]}", NULL, "[1,2,[3]]");
	/* all stops at the first falsy element, some and none at the first truthy one. */
	expect_error("{\"some\":[[0,\"x\"],{\"+\":[{\"var\":\"\"}]}]}", NULL,
	             "at /some/1: \"+\": expected a number as first argument, found \"x\"");
	expect("{\"some\":[[1,\"x\"],{\"+\":[{\"var\":\"\"}]}]}", NULL, "true");
	expect("{\"none\":[[1,\"x\"],{\"+\":[{\"var\":\"\"}]}]}", NULL, "false");
	expect("{\"all\":[[0,\"x\"],{\"+\":[{\"var\":\"\"}]}]}", NULL, "false");
	expect("{\"none\":[[],false]}", NULL, "true");
	expect("{\"if\":[]}", NULL, "null");
	expect("{\"?:\":[0,1,2]}", NULL, "2");
	expect_error("{\"?:\":[0,1]}", NULL, "\"?:\": expected 3 arguments, found 2");
	expect_error("{\"and\":[]}", NULL, "\"and\": expected at least 1 argument, found 0");
	expect_error("{\"map\":[[1]]}", NULL, "\"map\": expected 2 arguments, found 1");
	expect_error("{\"==\":[1]}", NULL, "\"==\": expected 2 arguments, found 1");
	expect_error("{\"!\":[1,2]}", NULL, "\"!\": expected 1 argument, found 2");
}

/* Literals: objects without exactly one key are data; arrays are evaluated. */
static void test_literals(void **state)
{
	(void)state;
	expect("{\"a\":1,\"b\":{\"var\":\"x\"}}", "{\"x\":1}", "{\"a\":1,\"b\":{\"var\":\"x\"}}");
	expect("{}", NULL, "{}");
	expect("[{\"var\":\"x\"},{}]", "{\"x\":1}", "[1,{}]");
	expect("\"text\"", NULL, "\"text\"");
	expect_error("{\"bogus\":[1]}", NULL, "unknown operator \"bogus\"");
	expect_error("{\"and\":[true,{\"if\":[{\"bogus\":1},1,2]}]}", NULL,
	             "at /and/1/if/0: unknown operator \"bogus\"");
	expect_error("[1,{\"x/~\":1}]", NULL, "at /1: unknown operator \"x/~\"");
	expect_error("{\"!\":{\"/\":[1,{\"a\\\"\\n\":0}]}}", NULL,
	             "at /!/~1/1: unknown operator \"a\\\"\\u000a\"");
}

/* ---- limits ---- */

static void test_depth(void **state)
{
	json_t *deep = not_chain(100000), *out = NULL, *ok, *over;
	char err[256];
	(void)state;
	assert_int_equal(eng_rule_eval(deep, NULL, &out, err, sizeof err), -1);
	assert_null(out);
	assert_string_equal(err, "rule nested too deeply (more than 256 levels)");
	assert_int_equal(eng_rule_check(deep, NULL, NULL, err, sizeof err), -1);
	assert_string_equal(err, "rule nested too deeply (more than 256 levels)");
	free_chain(deep);

	deep = array_chain(100000);
	assert_int_equal(eng_rule_eval(deep, NULL, &out, err, sizeof err), -1);
	assert_string_equal(err, "rule nested too deeply (more than 256 levels)");
	assert_int_equal(eng_rule_check(deep, NULL, NULL, err, sizeof err), -1);
	free_chain(deep);

	/* The checker and the evaluator draw the line at the same place. */
	ok = not_chain(PAL_RULE_MAX_DEPTH - 1);
	over = not_chain(PAL_RULE_MAX_DEPTH);
	assert_int_equal(eng_rule_check(ok, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(eng_rule_eval(ok, NULL, &out, err, sizeof err), 0);
	json_decref(out);
	assert_int_equal(eng_rule_check(over, NULL, NULL, err, sizeof err), -1);
	assert_int_equal(eng_rule_eval(over, NULL, &out, err, sizeof err), -1);
	json_decref(ok);
	json_decref(over);
}

/* {"big": [1, 1, ... n times]} sharing one integer, to stay light under test_malloc. */
static json_t *big_data(size_t n)
{
	json_t *data = json_object(), *list = json_array(), *one = json_integer(1);
	assert_non_null(data);
	assert_non_null(list);
	assert_non_null(one);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(json_array_append(list, one), 0);
	json_decref(one);
	assert_int_equal(json_object_set_new(data, "big", list), 0);
	return data;
}

static void expect_big(json_t *data, long max_steps, const char *rule, const char *want,
                       const char *want_err)
{
	json_t *r = parse(rule), *out = NULL;
	pal_rule_env env = {data, NULL, NULL, max_steps};
	char err[256];
	int rc = eng_rule_eval(r, &env, &out, err, sizeof err);
	if (want) {
		char *got;
		if (rc != 0)
			fail_msg("%s: unexpected error: %s", rule, err);
		got = dump(out);
		assert_string_equal(got, want);
		t_free(got);
	} else {
		if (rc == 0)
			fail_msg("%s: no error, want %s", rule, want_err);
		assert_string_equal(err, want_err);
	}
	json_decref(out);
	json_decref(r);
}

static void test_steps(void **state)
{
	json_t *million = big_data(1000000), *small = big_data(100000), *some = big_data(5000);
	(void)state;
	expect_big(million, 1000,
	           "{\"reduce\":[{\"var\":\"big\"},{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]}",
	           NULL, "rule evaluation exceeded 1000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	expect_big(million, 1000, "{\"map\":[{\"var\":\"big\"},1]}", NULL,
	           "rule evaluation exceeded 1000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	/* Copying work counts too: merge copies 1,000,000 elements. */
	expect_big(million, 500000, "{\"merge\":[{\"var\":\"big\"},{\"var\":\"big\"}]}", NULL,
	           "rule evaluation exceeded 500000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	expect_big(million, 100000, "{\"in\":[2,{\"var\":\"big\"}]}", NULL,
	           "rule evaluation exceeded 100000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	expect_big(million, 100000, "{\"cat\":{\"var\":\"big\"}}", NULL,
	           "rule evaluation exceeded 100000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	/* The default limit lets a 100,000-element reduce finish. */
	expect_big(small, 0,
	           "{\"reduce\":[{\"var\":\"big\"},{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]}",
	           "100000", NULL);
	/* A doubling accumulator ends on the step limit, not out of memory. */
	expect_big(small, 100000,
	           "{\"reduce\":[{\"var\":\"big\"},{\"merge\":[{\"var\":\"accumulator\"},{\"var\":\"accumulator\"}]},[1]]}",
	           NULL, "rule evaluation exceeded 100000 steps (limit set by PALMARES_MAX_RULE_STEPS)");
	/* An accumulator that nests itself ends on the depth limit, not a stack overflow. */
	expect_big(some, 0, "{\"reduce\":[{\"var\":\"big\"},[{\"var\":\"accumulator\"}],0]}", NULL,
	           "\"reduce\": value nested too deeply (more than 2048 levels)");
	expect_big(some, 0, "{\"reduce\":[{\"var\":\"big\"},{\"var\":\"\"},0]}", NULL,
	           "\"reduce\": value nested too deeply (more than 2048 levels)");
	json_decref(million);
	json_decref(small);
	json_decref(some);
}

/* ---- resolver ---- */

struct resolver_ctx {
	int calls;
};

static json_t *resolve(void *ctx, const char *path)
{
	struct resolver_ctx *c = ctx;
	c->calls++;
	if (strcmp(path, "town.population") == 0)
		return json_integer(5000);
	if (strcmp(path, "answers.x") == 0)
		return json_null();
	if (strcmp(path, "list") == 0)
		return json_pack("[iii]", 1, 2, 3);
	if (strcmp(path, "") == 0)
		return json_string("root");
	return NULL;
}

static void test_resolver(void **state)
{
	struct resolver_ctx c = {0};
	json_t *data = parse("{\"town\":{\"population\":1},\"list\":[9]}");
	pal_rule_env env = {data, resolve, &c, 0};
	(void)state;
	expect_env("{\">=\":[{\"var\":\"town.population\"},3500]}", &env, "true");
	assert_int_equal(c.calls, 1);
	expect_env("{\"var\":[\"nope\",7]}", &env, "7");
	expect_env("{\"var\":[\"answers.x\",7]}", &env, "null");
	expect_env("{\"var\":\"\"}", &env, "\"root\"");
	expect_env("{\"missing\":[\"town.population\",\"answers.x\",\"nope\"]}", &env,
	           "[\"answers.x\",\"nope\"]");
	expect_env("{\"missing_some\":[1,[\"town.population\",\"nope\"]]}", &env, "[]");
	c.calls = 0;
	/* Inside map the element is the data: only "list" goes to the resolver. */
	expect_env("{\"map\":[{\"var\":\"list\"},{\"*\":[{\"var\":\"\"},2]}]}", &env, "[2,4,6]");
	assert_int_equal(c.calls, 1);
	c.calls = 0;
	expect_env("{\"reduce\":[{\"var\":\"list\"},{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},"
	           "{\"var\":\"town.population\"}]}", &env, "5006");
	assert_int_equal(c.calls, 2);
	json_decref(data);
}

/* ---- eng_rule_check ---- */

struct vars {
	char seen[512];
};

static void on_var(void *ctx, const char *path)
{
	struct vars *v = ctx;
	size_t n = strlen(v->seen);
	snprintf(v->seen + n, sizeof v->seen - n, "%s%s", n ? "," : "", path);
}

static void test_check(void **state)
{
	struct vars v = {{0}};
	char err[256];
	json_t *r = parse("{\"and\":[{\"var\":\"a.b\"},{\"var\":[\"c\",{\"var\":\"d\"}]},"
	                  "{\"map\":[{\"var\":\"list\"},{\"var\":\"inner\"}]},"
	                  "{\"reduce\":[{\"var\":\"l2\"},{\"+\":[{\"var\":\"current\"},"
	                  "{\"var\":\"accumulator\"}]},{\"var\":\"init\"}]},"
	                  "{\"missing\":[\"m1\",\"m2\"]},{\"missing\":[[\"m3\"]]},"
	                  "{\"missing_some\":[1,[\"s1\",\"s2\"]]},"
	                  "{\"var\":{\"cat\":[\"x\",\"y\"]}},{\"var\":1},{\"var\":\"\"},"
	                  "{\"some\":[[1],{\"missing\":\"inner2\"}]},{\"filter\":[[1],{\"var\":\"q\"}]}]}");
	(void)state;
	assert_int_equal(eng_rule_check(r, on_var, &v, err, sizeof err), 0);
	assert_string_equal(v.seen, "a.b,d,c,list,l2,init,m1,m2,m3,s1,s2,");
	assert_int_equal(eng_rule_check(r, NULL, NULL, err, sizeof err), 0);
	json_decref(r);

	expect_check_error("{\"and\":[true,{\"=>\":[1,2]}]}", "at /and/1: unknown operator \"=>\"");
	expect_check_error("{\"=>\":1}", "unknown operator \"=>\"");
	expect_check_error("{\"and\":[{\"a\":1,\"b\":2}]}", "at /and/0: expected one operator per object");
	expect_check_error("{\"==\":[{\"var\":\"a\"},{}]}", "at /==/1: expected one operator per object");
	expect_check_error("{\"a\":1,\"b\":2}", "expected one operator per object");
	expect_check_error("{\"if\":[{\"substr\":[\"x\"]},1]}",
	                   "at /if/0: \"substr\": expected 2 to 3 arguments, found 1");
	expect_check_error("{\"var\":[true]}",
	                   "\"var\": expected a string or number path as first argument, found true");
	expect_check_error("{\"var\":[[\"a\"]]}",
	                   "\"var\": expected a string or number path as first argument, found an array");
	expect_check_error("{\"var\":[\"a\",1,2]}", "\"var\": expected 0 to 2 arguments, found 3");
	expect_check_error("{\"!\":{\"/\":[1,{\"bad\":1}]}}", "at /!/~1/1: unknown operator \"bad\"");
	expect_check_error("{\"<\":[1,2,3,4]}", "\"<\": expected 2 to 3 arguments, found 4");
	expect_check_error("{\">\":[1,2,3]}", "\">\": expected 2 arguments, found 3");
	expect_check_error("{\"map\":[[1],{\"var\":\"x\"},3]}", "\"map\": expected 2 arguments, found 3");
	expect_check_error("{\"reduce\":[[1]]}", "\"reduce\": expected 2 to 3 arguments, found 1");
	expect_check_error("{\"missing_some\":[1,\"a\"]}",
	                   "\"missing_some\": expected an array of paths as second argument, found \"a\"");
	expect_check_error("{\"map\":[[1],{\"filter\":[[2],{\"nope\":0}]}]}",
	                   "at /map/1/filter/1: unknown operator \"nope\"");
	expect_check_error("[1,[2,{\"?\":0}]]", "at /1/1: unknown operator \"?\"");
	/* Scalars and arrays of scalars are rules too (constants). */
	r = parse("[true,17,\"x\",null]");
	assert_int_equal(eng_rule_check(r, NULL, NULL, err, sizeof err), 0);
	json_decref(r);
}

/* ---- robustness of the interface ---- */

static void test_interface(void **state)
{
	json_t *r = parse("{\"/\":[1,0]}"), *out = NULL;
	char small[8];
	(void)state;
	assert_int_equal(eng_rule_eval(r, NULL, &out, small, sizeof small), -1);
	assert_string_equal(small, "\"/\": di"); /* cut, always terminated */
	assert_int_equal(eng_rule_eval(r, NULL, &out, NULL, 0), -1);
	assert_int_equal(eng_rule_eval(NULL, NULL, &out, small, sizeof small), -1);
	assert_int_equal(eng_rule_eval(r, NULL, NULL, small, sizeof small), -1);
	assert_int_equal(eng_rule_check(NULL, NULL, NULL, small, sizeof small), -1);
	json_decref(r);
	/* The rule is not modified and can be evaluated again. */
	r = parse("{\"merge\":[[1],[2]]}");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(eng_rule_eval(r, NULL, &out, small, sizeof small), 0);
		assert_int_equal(json_array_size(out), 2);
		json_decref(out);
	}
	json_decref(r);
}

/* Fails every allocation in turn: each run ends cleanly, with no leak. */
static void test_alloc_failures(void **state)
{
	static const char *const rule =
		"{\"and\":[{\"==\":[{\"cat\":[\"a\",[1,2],{\"substr\":[\"xyz\",1]}]},\"a1,2yz\"]},"
		"{\"<\":[\"1.5e0\",[2]]},{\"<\":[\"1.5e0\",2]},{\"in\":[\"b\",{\"merge\":[[\"a\"],\"b\"]}]},"
		"{\"reduce\":[{\"map\":[{\"var\":\"l\"},{\"*\":[{\"var\":\"\"},1.5]}]},"
		"{\"+\":[{\"var\":\"current\"},{\"var\":\"accumulator\"}]},0]},"
		"{\"missing_some\":[2,[\"l\",\"q\"]]},{\"var\":\"l\"},{\"filter\":[{\"var\":\"l\"},true]},"
		"{\"==\":[[\"1234567890123456789012345678901234567890123456789012345678901234567890"
		"12345678901234567890123456789012345678901234567890\"],"
		"\"1234567890123456789012345678901234567890123456789012345678901234567890"
		"12345678901234567890123456789012345678901234567890\"]},"
		"{\"==\":[\"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
		"1234567890123456789012345678901234567890123456789012345678901234567890.5\","
		"{\"+\":[\"0.5\"]}]}]}";
	json_t *r = parse(rule), *d = parse("{\"l\":[1,2,3]}"), *out;
	pal_rule_env env = {d, NULL, NULL, 0};
	char err[256];
	int done = 0, failures = 0;
	(void)state;
	for (long n = 0; !done && n < 100000; n++) {
		out = NULL;
		fail_countdown = n;
		int rc = eng_rule_eval(r, &env, &out, err, sizeof err);
		fail_countdown = -1;
		if (rc == 0) {
			done = 1;
			char *got = dump(out);
			assert_string_equal(got, "false");
			t_free(got);
			json_decref(out);
		} else {
			failures++;
			if (!strstr(err, "out of memory"))
				fail_msg("allocation %ld failed: unexpected error \"%s\"", n, err);
			assert_null(out);
		}
	}
	assert_true(done);
	assert_true(failures > 10);
	json_decref(d);
	json_decref(r);
}

static pal_rule_status eval_text(const char *r, const char *d, char **out, pal_rule_error *e)
{
	return pal_rule_eval_text(r, strlen(r), d, d ? strlen(d) : 0, out, e);
}

/* The public entry: JSON text in and out, each failure told apart, no jansson type in sight. */
static void test_eval_text(void **state)
{
	(void)state;
	pal_rule_error e;
	char *out = NULL;
#define EVAL(r, d) eval_text((r), (d), &out, &e)
	assert_int_equal(EVAL("{\"+\": [0.1, 0.2]}", NULL), PAL_RULE_OK);
	assert_string_equal(out, "0.30000000000000004");
	free(out);
	assert_int_equal(EVAL("{\"var\": \"t.p\"}", "{\"t\": {\"p\": [1, \"a\"]}}"), PAL_RULE_OK);
	assert_string_equal(out, "[1,\"a\"]");
	free(out);
	assert_int_equal(EVAL("{\"var\": \"x\"}", NULL), PAL_RULE_OK); /* no data: null */
	assert_string_equal(out, "null");
	free(out);
	assert_int_equal(EVAL("{\"+\": [1,\n 2", "{}"), PAL_RULE_BAD_RULE);
	assert_null(out);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.text, "expected"));
	assert_int_equal(EVAL("1", "{\"a\": 1, \"a\": 2}"), PAL_RULE_BAD_DATA);
	assert_non_null(strstr(e.text, "duplicate object key"));
	assert_int_equal(EVAL("{\"/\": [1, 0]}", NULL), PAL_RULE_FAILED);
	assert_null(out);
	assert_string_equal(e.text, "\"/\": division by zero");
	assert_int_equal(e.line, 0);
#undef EVAL
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truthy),
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_comparison),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_number_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_var),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_resolver),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_interface),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_eval_text),
	};
	json_set_alloc_funcs(t_malloc, t_free);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
