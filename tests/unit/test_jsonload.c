/*
 * The JSON loading module (common/jsonload.c), compiled in with failing
 * allocations: the pointer stack and its readable form, the one door for
 * problems, placing and ordering them (as found or by position, shifted for
 * a line of a JSON Lines file), parsing with its messages in another
 * language, the engine's common phrases, and every allocation failure walked
 * without a leak and always said.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "failing_alloc.h"

#include "../../common/jsonpos.c"
#include "../../common/jsonload.c"

static const char *diag_text(const pal_diags *d, size_t i, long *line, long *col)
{
	const pal_diag *g = pal_diags_get(d, i);
	*line = g->line;
	*col = g->col;
	return g->text;
}

static void test_pointer_stack(void **state)
{
	(void)state;
	palx_jsonload l = {.path = "x.json"};
	char w[128];
	size_t a = palx_jsonload_enter(&l, "categories");
	size_t b = palx_jsonload_enter_index(&l, 2);
	size_t c = palx_jsonload_enter(&l, "a/b~c");
	assert_string_equal(l.ptr, "/categories/2/a~1b~0c");
	palx_jsonload_leave(&l, c);
	palx_jsonload_enter(&l, "points");
	palx_jsonload_where(&l, w, sizeof w);
	assert_string_equal(w, "categories[2].points");
	palx_jsonload_leave(&l, b);
	assert_string_equal(l.ptr, "/categories");
	palx_jsonload_leave(&l, a);
	assert_string_equal(l.ptr, "");
	palx_jsonload_where(&l, w, sizeof w);
	assert_string_equal(w, "");
	palx_jsonload_set_ptr(&l, "/levels/%d/name", 4);
	palx_jsonload_where(&l, w, sizeof w);
	assert_string_equal(w, "levels[4].name");
	/* Too long for the buffer: the pointer keeps its parent. */
	char key[2000];
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	palx_jsonload_leave(&l, 0);
	palx_jsonload_enter(&l, "top");
	palx_jsonload_enter(&l, key);
	assert_string_equal(l.ptr, "/top");
}

static const char text[] = "{\n  \"b\": 1,\n  \"a\": [true,\n    \"x\"]\n}\n";

/* Problems filed out of order come out as found, or in the order of the text. */
static void check_order(unsigned flags, const char *first, const char *second)
{
	pal_diags *d = pal_diags_new();
	palx_jsonload l = {.path = "t.json", .flags = flags};
	long line, col;
	palx_jsonload_set_ptr(&l, "/a/1");
	palx_jsonload_error(&l, "second %d", 2);
	palx_jsonload_set_ptr(&l, "/b");
	palx_jsonload_warning(&l, "first");
	assert_int_equal(l.nerrors, 1);
	assert_int_equal(l.nwarnings, 1);
	palx_jsonload_flush(&l, text, strlen(text), 0, d, NULL, NULL);
	assert_int_equal(l.nprobs, 0);
	assert_null(l.probs);
	assert_int_equal(pal_diags_count(d), 2);
	assert_string_equal(diag_text(d, 0, &line, &col), first);
	assert_string_equal(diag_text(d, 1, &line, &col), second);
	assert_int_equal(pal_diags_errors(d), 1);
	assert_int_equal(pal_diags_warnings(d), 1);
	pal_diags_free(d);
}

static void test_order(void **state)
{
	(void)state;
	check_order(0, "second 2", "first");
	check_order(PALX_JSONLOAD_SORTED, "first", "second 2");
}

static void test_positions_and_shift(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	palx_jsonload l = {.path = "t.json"};
	long line, col;
	palx_jsonload_set_ptr(&l, "/a/1");
	palx_jsonload_error(&l, "x");
	palx_jsonload_set_ptr(&l, "/a/7/z"); /* names nothing: the closest enclosing value */
	palx_jsonload_error(&l, "y");
	palx_jsonload_flush(&l, text, strlen(text), 0, d, NULL, NULL);
	diag_text(d, 0, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 5);
	diag_text(d, 1, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 8);
	/* A line of a JSON Lines file: positions after line0. */
	palx_jsonload_set_ptr(&l, "/b");
	palx_jsonload_error(&l, "z");
	palx_jsonload_flush(&l, text, strlen(text), 10, d, NULL, NULL);
	diag_text(d, 2, &line, &col);
	assert_int_equal(line, 12);
	assert_int_equal(col, 8);
	pal_diags_free(d);
}

struct seen {
	int n;
	const void *about;
	char code[32], value[32], extra[32];
	long line, col;
};

static void on_problem(void *ctx, const palx_jsonload_problem *p, long line, long col)
{
	struct seen *s = ctx;
	s->n++;
	s->about = p->about;
	s->line = line;
	s->col = col;
	assert_non_null(p->info);
	snprintf(s->code, sizeof s->code, "%s", p->info->code);
	snprintf(s->value, sizeof s->value, "%s", p->info->value);
	snprintf(s->extra, sizeof s->extra, "%s", p->info->extra ? p->info->extra : "-");
}

/* A caller's own emitter gets what was filed with each problem, copied. */
static void test_emit_with_info(void **state)
{
	(void)state;
	palx_jsonload l = {.path = "t.json"};
	struct seen s = {0};
	int owner;
	char value[] = "douze";
	palx_msg_info info = {"invalid-answer", 3, value, NULL};
	assert_int_equal(palx_jsonload_add(&l, PAL_ERROR, "/b", &owner, &info, "bad"), 0);
	value[0] = 'D'; /* the problem holds its own copy */
	palx_jsonload_flush(&l, text, strlen(text), 0, NULL, on_problem, &s);
	assert_int_equal(s.n, 1);
	assert_ptr_equal(s.about, &owner);
	assert_string_equal(s.code, "invalid-answer");
	assert_string_equal(s.value, "douze");
	assert_string_equal(s.extra, "-");
	assert_int_equal(s.line, 2);
	assert_int_equal(s.col, 8);
}

static const char *french(const char *msgid)
{
	if (strcmp(msgid, "malformed JSON: %s") == 0)
		return "JSON mal formé : %s";
	if (strcmp(msgid, "%s near %s") == 0)
		return "%s près de %s";
	if (strcmp(msgid, "end of file") == 0)
		return "fin du fichier";
	if (strcmp(msgid, "out of memory while reading") == 0)
		return "mémoire épuisée";
	return msgid;
}

static void test_parse(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	long line, col;
	palx_jsonload l = {.path = "p.json"};
	json_t *root = palx_jsonload_parse(&l, "[1, 2]", 6, "malformed JSON: %s", d);
	assert_non_null(root);
	json_decref(root);
	assert_null(palx_jsonload_parse(&l, "{\"a\": 1,\n \"a\": 2}", 17, "malformed JSON: %s", d));
	assert_false(l.oom);
	assert_string_equal(diag_text(d, 0, &line, &col), "malformed JSON: duplicate object key near '\"a\"'");
	assert_int_equal(line, 2);
	/* The message and jansson's words in the language of the caller. */
	palx_jsonload fr = {.path = "p.json", .tr = french};
	assert_null(palx_jsonload_parse(&fr, "[1,", 3, "malformed JSON: %s", d));
	assert_string_equal(diag_text(d, 1, &line, &col),
	                    "JSON mal formé : ']' expected près de fin du fichier");
	/* No message asked: jansson's error is kept for the caller. */
	assert_null(palx_jsonload_parse(&l, "nope", 4, NULL, NULL));
	assert_int_equal(pal_diags_count(d), 2);
	assert_true(strlen(l.jerr.text) > 0);
	pal_diags_free(d);
}

static void test_phrases(void **state)
{
	(void)state;
	static const char *const keys[] = {"format", "label", NULL};
	pal_diags *d = pal_diags_new();
	palx_jsonload l = {.path = "r.json"};
	long line, col;
	const char *t = "{\"formt\": 1, \"x-note\": 2, \"zzz\": 3, \"label\": []}";
	json_error_t e;
	json_t *root = json_loads(t, 0, &e);
	assert_non_null(root);
	palx_jsonload_check_keys(&l, root, keys);
	assert_null(palx_jsonload_get(&l, root, "format", 1));
	assert_null(palx_jsonload_get(&l, root, "edition", 0));
	size_t s = palx_jsonload_enter(&l, "label");
	palx_jsonload_expected(&l, "a text", palx_jsonload_get(&l, root, "label", 1));
	palx_jsonload_leave(&l, s);
	palx_jsonload_flush(&l, t, strlen(t), 0, d, NULL, NULL);
	assert_int_equal(pal_diags_count(d), 4);
	assert_string_equal(diag_text(d, 0, &line, &col),
	                    "formt: unknown field \"formt\" (did you mean \"format\"?)");
	assert_int_equal(col, 11);
	assert_string_equal(diag_text(d, 1, &line, &col), "zzz: unknown field \"zzz\"");
	assert_string_equal(diag_text(d, 2, &line, &col), "missing field \"format\"");
	assert_int_equal(col, 1);
	assert_string_equal(diag_text(d, 3, &line, &col), "label: expected a text, found an array");
	json_decref(root);
	pal_diags_free(d);
}

static void test_items(void **state)
{
	(void)state;
	const char *t = "[\n {\"a\": 1},\n  2, [3]]";
	long lines[3], cols[3];
	assert_int_equal(palx_jsonload_items(t, strlen(t), 3, lines, cols), 0);
	assert_int_equal(lines[0], 2);
	assert_int_equal(cols[0], 2);
	assert_int_equal(lines[1], 3);
	assert_int_equal(cols[1], 3);
	assert_int_equal(lines[2], 3);
	assert_int_equal(cols[2], 6);
}

/* A bound on problems: past it, filing fails as out of memory, and flush says so. */
static void test_bound(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	palx_jsonload l = {.path = "b.json", .max_problems = 20, .oom_text = "out of memory while loading"};
	long line, col;
	for (int i = 0; i < 40; i++)
		palx_jsonload_error(&l, "p%d", i);
	assert_true(l.oom);
	assert_int_equal(l.nerrors, 40);
	assert_int_equal(l.nprobs, 32);
	palx_jsonload_flush(&l, "{}", 2, 0, d, NULL, NULL);
	assert_int_equal(pal_diags_count(d), 33);
	assert_string_equal(diag_text(d, 32, &line, &col), "out of memory while loading");
	pal_diags_free(d);
}

/*
 * Every allocation of filing, placing and flushing made to fail in turn:
 * nothing leaks (cmocka), and a failure is always said, with the problems
 * that were filed still reported (unplaced when placing failed).
 */
static void test_chaos(void **state)
{
	(void)state;
	long n = 0;
	for (;; n++) {
		pal_diags *d = pal_diags_new();
		palx_jsonload l = {.path = "c.json", .flags = PALX_JSONLOAD_SORTED, .oom_text = "oom"};
		failing_alloc_arm(n);
		palx_jsonload_set_ptr(&l, "/a/1");
		palx_jsonload_error(&l, "x");
		palx_jsonload_add(&l, PAL_WARNING, "/b", NULL, &(palx_msg_info){"c", -1, "v", "e"}, "y");
		palx_jsonload_flush(&l, text, strlen(text), 0, d, NULL, NULL);
		int fired = failing_alloc_fired;
		failing_alloc_disarm();
		size_t count = pal_diags_count(d);
		long line, col;
		if (!fired) {
			assert_false(l.oom);
			assert_int_equal(count, 2);
			assert_string_equal(diag_text(d, 0, &line, &col), "y");
			pal_diags_free(d);
			break;
		}
		assert_true(l.oom);
		assert_true(count >= 1);
		assert_string_equal(diag_text(d, count - 1, &line, &col), "oom");
		pal_diags_free(d);
	}
	assert_true(n > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pointer_stack),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_positions_and_shift),
		cmocka_unit_test(test_emit_with_info),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_phrases),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_chaos),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
