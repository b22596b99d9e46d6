/*
 * The table of criterion kinds (engine/kinds.c): every row complete and in
 * the enum's order (the compiler checks only its length), the names found
 * back, and each kind's readers and fraction doing their kind's work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "answer.h"
#include "model.h"

static void test_rows_complete(void **state)
{
	(void)state;
	for (int k = 0; k < PAL_KIND_COUNT; k++) {
		const pal_kind_info *i = &eng_kinds[k];
		assert_non_null(i->name);
		assert_non_null(i->article);
		assert_non_null(i->expected);
		assert_non_null(i->from_text);
		assert_non_null(i->from_json);
		assert_int_equal(eng_kind_find(i->name), k);
		/* a kind scored from an answer says what it is worth and how towns write it */
		if (i->fraction)
			assert_non_null(i->schema);
	}
	assert_int_equal(eng_kind_find("yes-no"), PAL_KIND_YESNO);
	assert_int_equal(eng_kind_find("jury"), PAL_KIND_JURY);
	assert_int_equal(eng_kind_find("info"), PAL_KIND_INFO);
	assert_int_equal(eng_kind_find("oui-non"), -1);
	assert_null(eng_kinds[PAL_KIND_JURY].schema);
	assert_null(eng_kinds[PAL_KIND_INFO].fraction);
}

static void test_list(void **state)
{
	char buf[160], small[12];
	(void)state;
	eng_kind_list(buf, sizeof buf);
	assert_string_equal(buf, "yes-no, number, percent, choice, multi, jury or info");
	eng_kind_list(small, sizeof small);
	assert_string_equal(small, "yes-no, num");
}

/* Reads cell for a criterion of kind k; returns the answer's type, or -1 when refused. */
static int read_cell(pal_criterion *c, const char *cell, pal_answer *a)
{
	palx_arena arena;
	char why[256];
	palx_arena_init(&arena, 4096);
	int r = eng_answer_from_text(&arena, c, cell, a, why, sizeof why, NULL);
	int type = a->type;
	palx_arena_release(&arena);
	assert_true(r == 0 || (r == -1 && type == PAL_ANS_INVALID));
	return r ? -1 : type;
}

static int read_json(pal_criterion *c, const char *text, pal_answer *a, double *fraction)
{
	palx_arena arena;
	char why[256];
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	assert_non_null(v);
	palx_arena_init(&arena, 4096);
	int r = eng_answer_from_json(&arena, c, v, a, why, sizeof why, NULL);
	int type = a->type;
	if (fraction && r == 0)
		*fraction = eng_kinds[c->kind].fraction(c, a);
	palx_arena_release(&arena);
	json_decref(v);
	return r ? -1 : type;
}

static void test_readers(void **state)
{
	pal_option opts[] = {{"libre", 1}, {"mixte", 0.5}};
	double steps[][2] = {{1, 0.5}, {10, 1}};
	pal_criterion c = {.id = "c", .options = opts, .noptions = 2, .steps = steps, .nsteps = 2};
	pal_answer a;
	double f = -1;
	(void)state;
	c.kind = PAL_KIND_YESNO;
	assert_int_equal(read_cell(&c, " oui ", &a), PAL_ANS_BOOL);
	assert_int_equal(read_cell(&c, "peut-être", &a), -1);
	assert_int_equal(read_json(&c, "true", &a, &f), PAL_ANS_BOOL);
	assert_true(f == 1);
	c.kind = PAL_KIND_NUMBER;
	assert_int_equal(read_cell(&c, "12,5", &a), PAL_ANS_NUMBER);
	assert_int_equal(read_cell(&c, "12 %", &a), -1);
	assert_int_equal(read_json(&c, "3", &a, &f), PAL_ANS_NUMBER);
	assert_true(f == 0.5);
	c.kind = PAL_KIND_PERCENT;
	assert_int_equal(read_cell(&c, "40 %", &a), PAL_ANS_NUMBER);
	assert_int_equal(read_json(&c, "101", &a, NULL), -1);
	assert_int_equal(read_json(&c, "40", &a, &f), PAL_ANS_NUMBER);
	assert_true(f == 0.4);
	c.kind = PAL_KIND_CHOICE;
	assert_int_equal(read_cell(&c, "Mixte", &a), PAL_ANS_CHOICE);
	assert_int_equal(read_json(&c, "\"libre\"", &a, &f), PAL_ANS_CHOICE);
	assert_true(f == 1);
	c.kind = PAL_KIND_MULTI;
	assert_int_equal(read_cell(&c, "libre | mixte", &a), PAL_ANS_MULTI);
	assert_int_equal(read_json(&c, "\"libre|mixte\"", &a, NULL), -1);
	assert_int_equal(read_json(&c, "[\"mixte\", \"libre\"]", &a, &f), PAL_ANS_MULTI);
	assert_true(f == 1);
	/* not applicable: refused where the criterion always applies, unless allowed */
	assert_int_equal(read_cell(&c, "n/a", &a), -1);
	c.allow_na = 1;
	assert_int_equal(read_cell(&c, "n/a", &a), PAL_ANS_NA);
	c.kind = PAL_KIND_JURY;
	assert_int_equal(read_cell(&c, "n/a", &a), PAL_ANS_NA);
	assert_int_equal(read_cell(&c, "4", &a), -1);
	assert_int_equal(read_json(&c, "4", &a, NULL), -1);
	c.kind = PAL_KIND_INFO;
	assert_int_equal(read_cell(&c, "n/a", &a), PAL_ANS_TEXT);
	assert_int_equal(read_json(&c, "12.5", &a, NULL), PAL_ANS_TEXT);
	assert_int_equal(read_json(&c, "{}", &a, NULL), -1);
	/* an empty cell and a JSON null are unanswered, whatever the kind */
	assert_int_equal(read_cell(&c, "  ", &a), PAL_ANS_NONE);
	assert_int_equal(read_json(&c, "null", &a, NULL), PAL_ANS_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
