/*
 * The criterion kinds as one table: what a rubric calls each kind, which
 * fields it takes, how a town's cell or JSON value is read (answer.c), the
 * fraction an answer earns and the answer's cell in the dossier's JSON
 * Schema. Adding a kind is adding a row here (the checklist is at the enum,
 * model.h): the rubric loader, the intakes, scoring and the template read
 * the row instead of each keeping a switch of its own.
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "jsonw.h"
#include "model.h"

/* ---- fractions: what an answer earns, 0 to 1 ---- */

static double yesno_fraction(const pal_criterion *c, const pal_answer *a)
{
	(void)c;
	return a->v.b ? 1 : 0;
}

/* The fraction of the highest step the number reaches (steps ascend). */
static double number_fraction(const pal_criterion *c, const pal_answer *a)
{
	double f = 0;
	for (size_t k = 0; k < c->nsteps && c->steps[k][0] <= a->v.num; k++)
		f = c->steps[k][1];
	return f;
}

static double percent_fraction(const pal_criterion *c, const pal_answer *a)
{
	(void)c;
	return a->v.num / 100;
}

static double choice_fraction(const pal_criterion *c, const pal_answer *a)
{
	return c->options[a->v.choice].fraction;
}

/* The options' fractions add up, to 1 at most. */
static double multi_fraction(const pal_criterion *c, const pal_answer *a)
{
	double s = 0;
	for (size_t k = 0; k < a->nchoices; k++)
		s += c->options[a->v.choices[k]].fraction;
	return s > 1 ? 1 : s;
}

/* ---- JSON Schema of an answer: the members of its object ---- */

static void schema_type(pal_jw *w, const char *type)
{
	eng_jw_key(w, "type");
	eng_jw_str(w, type);
}

static void yesno_schema(const pal_criterion *c, pal_jw *w)
{
	(void)c;
	schema_type(w, "boolean");
}

static void number_schema(const pal_criterion *c, pal_jw *w)
{
	(void)c;
	schema_type(w, "number");
	eng_jw_key(w, "minimum");
	eng_jw_int(w, 0);
}

static void percent_schema(const pal_criterion *c, pal_jw *w)
{
	number_schema(c, w);
	eng_jw_key(w, "maximum");
	eng_jw_int(w, 100);
}

static void choice_schema(const pal_criterion *c, pal_jw *w)
{
	eng_jw_key(w, "enum");
	eng_jw_arr(w);
	for (size_t k = 0; k < c->noptions; k++)
		eng_jw_str(w, c->options[k].id);
	eng_jw_end_arr(w);
}

static void multi_schema(const pal_criterion *c, pal_jw *w)
{
	schema_type(w, "array");
	eng_jw_key(w, "uniqueItems");
	eng_jw_bool(w, 1);
	eng_jw_key(w, "items");
	eng_jw_obj(w);
	choice_schema(c, w);
	eng_jw_end_obj(w);
}

static void info_schema(const pal_criterion *c, pal_jw *w)
{
	(void)c;
	schema_type(w, "string");
}

/* ---- the table ---- */

const pal_kind_info eng_kinds[] = {
	[PAL_KIND_YESNO] = {
		.name = "yes-no", .article = "a", .fields = PAL_FIELD_POINTS,
		.expected = "yes or no (oui/non, true/false, 1/0, x)", .answer_type = PAL_ANS_BOOL,
		.from_text = eng_answer_yesno_text, .from_json = eng_answer_yesno_json,
		.fraction = yesno_fraction, .schema = yesno_schema,
	},
	[PAL_KIND_NUMBER] = {
		.name = "number", .article = "a", .fields = PAL_FIELD_POINTS | PAL_FIELD_STEPS,
		.expected = "a number ≥ 0", .answer_type = PAL_ANS_NUMBER,
		.from_text = eng_answer_number_text, .from_json = eng_answer_number_json,
		.fraction = number_fraction, .schema = number_schema,
	},
	[PAL_KIND_PERCENT] = {
		.name = "percent", .article = "a", .fields = PAL_FIELD_POINTS,
		.expected = "a percentage from 0 to 100", .answer_type = PAL_ANS_NUMBER,
		.from_text = eng_answer_percent_text, .from_json = eng_answer_percent_json,
		.fraction = percent_fraction, .schema = percent_schema,
	},
	[PAL_KIND_CHOICE] = {
		.name = "choice", .article = "a", .fields = PAL_FIELD_POINTS | PAL_FIELD_OPTIONS,
		.expected = "one of the options", .answer_type = PAL_ANS_CHOICE,
		.from_text = eng_answer_choice_text, .from_json = eng_answer_choice_json,
		.fraction = choice_fraction, .schema = choice_schema,
	},
	[PAL_KIND_MULTI] = {
		.name = "multi", .article = "a", .fields = PAL_FIELD_POINTS | PAL_FIELD_OPTIONS,
		.expected = "options separated by \"|\"", .answer_type = PAL_ANS_MULTI,
		.from_text = eng_answer_multi_text, .from_json = eng_answer_multi_json,
		.fraction = multi_fraction, .schema = multi_schema,
	},
	/* Scored from the jurors' marks (score.c), not from an answer; no column: towns don't
	   mark themselves, they may only say "not applicable" where the rubric allows it. */
	[PAL_KIND_JURY] = {
		.name = "jury", .article = "a", .fields = PAL_FIELD_POINTS | PAL_FIELD_SCALE,
		.expected = "no answer (jury criteria are marked by the jury)", .answer_type = PAL_ANS_NONE,
		.from_text = eng_answer_jury_text, .from_json = eng_answer_jury_json,
		.fraction = NULL, .schema = NULL,
	},
	/* Information: shown, not scored. */
	[PAL_KIND_INFO] = {
		.name = "info", .article = "an", .fields = 0,
		.expected = "a text", .answer_type = PAL_ANS_TEXT,
		.from_text = eng_answer_info_text, .from_json = eng_answer_info_json,
		.fraction = NULL, .schema = info_schema,
	},
};

/* A kind added to the enum without its row does not compile. */
_Static_assert(sizeof eng_kinds / sizeof eng_kinds[0] == PAL_KIND_COUNT,
               "eng_kinds[] needs one row per pal_kind, in the enum's order");

int eng_kind_find(const char *name)
{
	for (int k = 0; k < PAL_KIND_COUNT; k++)
		if (strcmp(name, eng_kinds[k].name) == 0)
			return k;
	return -1;
}

void eng_kind_list(char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int k = 0; k < PAL_KIND_COUNT && o + 1 < len; k++) {
		const char *sep = k == 0 ? "" : k == PAL_KIND_COUNT - 1 ? " or " : ", ";
		int w = snprintf(buf + o, len - o, "%s%s", sep, eng_kinds[k].name);
		if (w < 0)
			break;
		o += (size_t)w < len - o ? (size_t)w : len - o - 1;
	}
}
