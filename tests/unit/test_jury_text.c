/*
 * The jury's inputs given in memory (pal_campaign_add_marks_text,
 * pal_campaign_set_assignments_text, pal_campaign_set_overrides_text,
 * pal_jurors_load_text, pal_jury_plan_load_text: the web front's store)
 * against the same bytes read from a file named as the text is: the same
 * statuses, the same messages in the same order with the same positions,
 * and the same results JSON once scored (marks, the assignments' restriction
 * and the overrides included) or the same jurors and plan. Each case holds
 * good rows and every kind the readers refuse, so that a difference in one
 * reader's path shows; a text is never NUL-terminated where its length
 * ends, so that a reader reading past len would read other rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "palmares/jury.h"
#include "palmares/limits.h"
#include "palmares/palmares.h"

#include "scratch_dir.h"

static const char rubric[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"t\",\"edition\":2027,\"label\":\"T\","
	"\"categories\":[{\"id\":\"c\",\"criteria\":["
	"{\"id\":\"j\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,5]},"
	"{\"id\":\"k\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,20]},"
	"{\"id\":\"b\",\"kind\":\"yes-no\",\"points\":5}]}],"
	"\"jury\":{\"aggregate\":\"mean\",\"min_marks\":1},"
	"\"levels\":[{\"name\":\"one\",\"min_percent\":10},{\"name\":\"two\",\"min_percent\":60}]}";

static const char dossiers[] =
	"[{\"town\":{\"id\":\"1\",\"name\":\"Un\",\"region\":\"Nord\"},\"answers\":{\"b\":true}},"
	"{\"town\":{\"id\":\"2\",\"name\":\"Deux\"},\"answers\":{\"b\":false}},"
	"{\"town\":{\"id\":\"3\",\"name\":\"Trois\"},\"answers\":{\"b\":true}}]";

/* Good rows, every rejection of the marks reader, and reader errors between them. */
static const char marks_mixed[] =
	"juror,town_id,criterion,mark,comment\n"
	"a,1,j,3,ok\n"
	"b,1,j,4,\n"
	"a,1,j,2,a second mark\n"
	",1,j,3,no juror\n"
	"c,9,j,3,unknown town\n"
	"c,1,zz,3,unknown criterion\n"
	"c,1,b,3,not a jury criterion\n"
	"c,2,j,,not marked yet\n"
	"c,2,j,abc,not a number\n"
	"c,2,j,7,out of range\n"
	"c,2,J ,\"2,5\",folded criterion and a decimal comma\n"
	"d,2,j,\"3\"x,text after the quote\n"
	" e ,3, k ,12,\"a comment, \"\"quoted\"\"\non two lines\"\n"
	"a,3,k,20,ok\n"
	"f,2,k,4\n"
	"g,3,j,1,\"never closed\n";

static const char marks_json[] =
	"[{\"juror\":\"h\",\"town_id\":\"1\",\"criterion\":\"k\",\"mark\":5,\"comment\":\"bien\"},"
	"{\"juror\":\"h\",\"town_id\":\"7\",\"criterion\":\"k\",\"mark\":5},"
	"{\"juror\":\"h\",\"town_id\":\"2\",\"criterion\":\"k\",\"mark\":true},"
	"{\"juror\":\"i\",\"town_id\":\"3\",\"criterion\":\"j\",\"mark\":\"4,5\"}]";

/* One input: its name (the file's, under the scratch directory) and bytes. */
struct input {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
};

static size_t input_len(const struct input *in)
{
	return in->len ? in->len : in->text ? strlen(in->text) : 0;
}

/*
 * A file under the scratch directory with exactly in's bytes (NUL bytes
 * and a length short of the string's end kept), and the text given to the
 * _text entry: a copy with no NUL after its length, so that a reader that
 * reads past len reads "garbage" rows that the file does not have.
 */
static const char *file_of(const struct input *in, char **copy)
{
	static char path[8][256];
	static int k;
	size_t len = input_len(in);
	char *p = path[k++ % 8];
	snprintf(p, 256, "%s/%s", dir, in->name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(len ? fwrite(in->text, 1, len, f) : 0, len);
	fclose(f);
	static const char tail[] = "\nzz,9,zz,9,garbage past the length\n";
	*copy = malloc(len + sizeof tail);
	assert_non_null(*copy);
	if (len)
		memcpy(*copy, in->text, len);
	memcpy(*copy + len, tail, sizeof tail); /* tail's own NUL only after it */
	return p;
}

static void assert_same_diags(const pal_diags *a, const pal_diags *b)
{
	if (getenv("SHOW")) {
		pal_diags_print(a, 0, stderr);
		pal_diags_print(b, 0, stderr);
	}
	assert_int_equal(pal_diags_count(a), pal_diags_count(b));
	for (size_t i = 0; i < pal_diags_count(a); i++) {
		const pal_diag *g = pal_diags_get(a, i), *h = pal_diags_get(b, i);
		assert_int_equal(g->severity, h->severity);
		assert_string_equal(g->file ? g->file : "-", h->file ? h->file : "-");
		assert_int_equal(g->line, h->line);
		assert_int_equal(g->col, h->col);
		assert_string_equal(g->text, h->text);
	}
}

/* The results JSON of c once scored (owned), after the scoring's messages in d. */
static char *scored(pal_campaign *c, pal_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	pal_campaign_score(c, d);
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pal_results_write(c, PAL_RESULTS_JSON, NULL, f), 0);
	fclose(f);
	return buf;
}

/* The campaign's inputs of one run: any of them NULL is not given. */
struct campaign_inputs {
	const struct input *assignments, *overrides;
	const struct input *marks[3];
};

struct outcome {
	int st[5];
	pal_diags *d;
	char *results;
};

/* When not 0, PALMARES_MAX_JSON while the inputs (not the dossiers) are read. */
static size_t json_limit;

/* Loads the dossiers, then each input by file (text 0) or by text (text 1), then scores. */
static void run(const struct campaign_inputs *ci, int text, struct outcome *o)
{
	o->d = pal_diags_new();
	pal_rubric *r = scratch_rubric(rubric, o->d);
	pal_campaign *c = pal_campaign_new(r);
	assert_non_null(c);
	assert_int_equal(pal_campaign_add_dossiers(c, write_file("d.json", dossiers), o->d), PAL_OK);
	pal_limits saved, l;
	pal_limits_get(&saved);
	l = saved;
	if (json_limit)
		l.max_json = json_limit;
	pal_limits_set(&l);
	const struct input *all[5] = {ci->assignments, ci->marks[0], ci->marks[1], ci->marks[2], ci->overrides};
	for (size_t i = 0; i < 5; i++) {
		char *copy;
		if (!all[i])
			continue;
		const char *path = file_of(all[i], &copy);
		size_t len = input_len(all[i]);
		const char *t = len ? copy : NULL; /* NULL with 0 bytes, as the API allows */
		if (i == 0)
			o->st[i] = text ? pal_campaign_set_assignments_text(c, path, t, len, o->d)
			                : pal_campaign_set_assignments(c, path, o->d);
		else if (i == 4)
			o->st[i] = text ? pal_campaign_set_overrides_text(c, path, t, len, o->d)
			                : pal_campaign_set_overrides(c, path, o->d);
		else
			o->st[i] = text ? pal_campaign_add_marks_text(c, path, t, len, o->d)
			                : pal_campaign_add_marks(c, path, o->d);
		free(copy);
	}
	pal_limits_set(&saved);
	o->results = scored(c, o->d);
	pal_campaign_free(c);
	pal_rubric_free(r);
}

static void assert_same_run(const struct campaign_inputs *ci, const int want[5])
{
	struct outcome f = {0}, t = {0};
	run(ci, 0, &f);
	run(ci, 1, &t);
	for (size_t i = 0; i < 5; i++) {
		if (getenv("SHOW"))
			fprintf(stderr, "status %zu: %d %d\n", i, f.st[i], t.st[i]);
		assert_int_equal(f.st[i], t.st[i]);
		assert_int_equal(f.st[i], want[i]);
	}
	assert_same_diags(f.d, t.d);
	assert_string_equal(f.results, t.results);
	pal_diags_free(f.d);
	pal_diags_free(t.d);
	free(f.results);
	free(t.results);
}

static void test_good_inputs(void **state)
{
	(void)state;
	struct input as = {"a.csv", "juror,town_id\na,1\nb,1\na,3\ne,3\n", 0};
	struct input mk = {"m.csv", "juror,town_id,criterion,mark,comment\na,1,j,3,ok\nb,1,j,4,\na,1,k,10,\n"
	                            "a,3,k,20,\"a, \"\"b\"\"\nc\"\n", 0};
	struct input ov = {"o.csv", "town_id,level,reason\n1,two,jury's choice\n", 0};
	struct campaign_inputs ci = {&as, &ov, {&mk, NULL, NULL}};
	const int want[5] = {PAL_OK, PAL_OK, 0, 0, PAL_OK};
	assert_same_run(&ci, want);
	/* Not vacuous: the marks and the override are in the results. */
	struct outcome t = {0};
	run(&ci, 1, &t);
	assert_non_null(strstr(t.results, "jury's choice"));
	assert_non_null(strstr(t.results, "\"a, \\\"b\\\" c\"")); /* a line break is a space */
	pal_diags_free(t.d);
	free(t.results);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	/*
	 * The assignments leave out b's marks on 1 and hold a row too wide; the
	 * mixed file stops inside an open quote; the semicolons' mark is c's second.
	 */
	struct input as = {"a.csv", "juror,town_id\na,1\na,3\n,2\nc,2,x\nc,2\nc,2\n", 0};
	struct input mk = {"mixed.csv", marks_mixed, 0};
	struct input js = {"more.json", marks_json, 0};
	struct input semi = {"semi.csv", "juror;town_id;criterion;mark;comment\nc;2;j;4,5;virgule\n", 0};
	struct input ov = {"o.csv", "town_id,level,reason\n2,seven,x\n3,1,\n1,0,demoted\n", 0};
	struct campaign_inputs ci = {&as, &ov, {&mk, &js, &semi}};
	const int want[5] = {PAL_REJECTED, PAL_REJECTED, PAL_REJECTED, PAL_REJECTED, PAL_REJECTED};
	assert_same_run(&ci, want);
}

/* Inputs refused whole: a bad header, an empty text, a binary, Windows-1252, a length cut short. */
static void test_refused_inputs(void **state)
{
	(void)state;
	struct input as = {"a.csv", "juror,town\na,1\n", 0};
	struct input empty = {"empty.csv", NULL, 0};
	struct input bin = {"bin.csv", "juror,town_id,criterion,mark\0\x01\x02", 31};
	struct input cp = {"cp.csv", "juror,town_id,criterion,mark,comment\ni,2,k,3,Tr\xe8s bien\n", 0};
	struct input ov = {"o.csv", "town_id,level,reason\n1,two,cut here\n2,one,never read\n", 35};
	struct campaign_inputs ci = {&as, &ov, {&empty, &bin, &cp}};
	const int want[5] = {PAL_REJECTED, PAL_REJECTED, PAL_REJECTED, PAL_OK, PAL_OK};
	assert_same_run(&ci, want);
}

/* A JSON marks text over PALMARES_MAX_JSON is refused unread, as its file is. */
static void test_json_over_limit(void **state)
{
	(void)state;
	json_limit = 16;
	struct input js = {"big.json", marks_json, 0};
	struct campaign_inputs ci = {NULL, NULL, {&js, NULL, NULL}};
	const int want[5] = {0, PAL_IOERR, 0, 0, 0};
	assert_same_run(&ci, want);
	json_limit = 0;
}

static void assert_same_jurors(const struct input *in, int want)
{
	char *copy;
	const char *path = file_of(in, &copy);
	pal_diags *df = pal_diags_new(), *dt = pal_diags_new();
	int sf, stt;
	pal_jurors *f = pal_jurors_load(path, df, &sf);
	pal_jurors *t = pal_jurors_load_text(path, input_len(in) ? copy : NULL, input_len(in), dt, &stt);
	assert_int_equal(sf, stt);
	assert_int_equal(sf, want);
	assert_same_diags(df, dt);
	assert_int_equal(f == NULL, t == NULL);
	assert_int_equal(pal_jurors_count(f), pal_jurors_count(t));
	for (size_t i = 0; i < pal_jurors_count(f); i++)
		assert_string_equal(pal_jurors_id(f, i), pal_jurors_id(t, i));
	/* Conflicts, towns and regions read alike: the same eligibility for every pair. */
	if (f) {
		pal_diags *d = pal_diags_new();
		pal_rubric *r = scratch_rubric(rubric, d);
		pal_campaign *c = pal_campaign_new(r);
		assert_int_equal(pal_campaign_add_dossiers(c, write_file("d.json", dossiers), d), PAL_OK);
		static const char *const towns[] = {"1", "2", "3"};
		for (size_t i = 0; i < pal_jurors_count(f); i++)
			for (size_t k = 0; k < 3; k++)
				assert_int_equal(pal_jurors_eligibility(f, i, c, towns[k], PAL_JURY_AVOID_SAME_REGION),
				                 pal_jurors_eligibility(t, i, c, towns[k], PAL_JURY_AVOID_SAME_REGION));
		pal_campaign_free(c);
		pal_rubric_free(r);
		pal_diags_free(d);
	}
	pal_jurors_free(f);
	pal_jurors_free(t);
	pal_diags_free(df);
	pal_diags_free(dt);
	free(copy);
}

static void test_jurors(void **state)
{
	(void)state;
	struct input good = {"jurors.csv", "juror,name,email,town_id,region,conflicts\n"
	                                    "a,Ann,a@x,1,Nord,\nb,Bob,,2,,1|3\nc,\"Cé, \"\"C\"\"\",,,nord ,\n", 0};
	assert_same_jurors(&good, PAL_OK);
	struct input bad = {"jurors.csv", "juror,name,emial\na,A,\n,B,\nb/c,C,\na,D,\nA,E,\n", 0};
	assert_same_jurors(&bad, PAL_REJECTED);
	struct input nohead = {"jurors.csv", "name\nAnn\n", 0};
	assert_same_jurors(&nohead, PAL_REJECTED);
	struct input empty = {"jurors.csv", NULL, 0};
	assert_same_jurors(&empty, PAL_REJECTED);
}

static void assert_same_plan(const struct input *in, int want)
{
	char *copy;
	const char *path = file_of(in, &copy);
	struct outcome o[2];
	memset(o, 0, sizeof o);
	pal_jury_plan *p[2];
	int st[2];
	for (int text = 0; text < 2; text++) {
		o[text].d = pal_diags_new();
		pal_rubric *r = scratch_rubric(rubric, o[text].d);
		pal_campaign *c = pal_campaign_new(r);
		assert_int_equal(pal_campaign_add_dossiers(c, write_file("d.json", dossiers), o[text].d), PAL_OK);
		p[text] = text ? pal_jury_plan_load_text(c, path, input_len(in) ? copy : NULL, input_len(in),
		                                         o[text].d, &st[text])
		               : pal_jury_plan_load(c, path, o[text].d, &st[text]);
		/* The plan restricts the marks alike: b's mark on 1 is refused when not assigned. */
		pal_campaign_add_marks(c, write_file("pm.csv", "juror,town_id,criterion,mark\na,1,j,3\nb,1,j,2\n"),
		                       o[text].d);
		o[text].results = scored(c, o[text].d);
		pal_campaign_free(c);
		pal_rubric_free(r);
	}
	assert_int_equal(st[0], st[1]);
	assert_int_equal(st[0], want);
	assert_same_diags(o[0].d, o[1].d);
	assert_string_equal(o[0].results, o[1].results);
	assert_int_equal(pal_jury_plan_count(p[0]), pal_jury_plan_count(p[1]));
	for (size_t i = 0; i < pal_jury_plan_count(p[0]); i++) {
		const char *j0, *t0, *j1, *t1;
		pal_jury_plan_pair(p[0], i, &j0, &t0);
		pal_jury_plan_pair(p[1], i, &j1, &t1);
		assert_string_equal(j0, j1);
		assert_string_equal(t0, t1);
	}
	for (int k = 0; k < 2; k++) {
		pal_jury_plan_free(p[k]);
		pal_diags_free(o[k].d);
		free(o[k].results);
	}
	free(copy);
}

static void test_plans(void **state)
{
	(void)state;
	struct input good = {"plan.csv", "juror,town_id\na,1\na,3\nc,2\n", 0};
	assert_same_plan(&good, PAL_OK);
	struct input bad = {"plan.csv", "juror,town_id\na,1\n,2\nc,\nc,9\na,1\nd,2\n", 0};
	assert_same_plan(&bad, PAL_REJECTED);
	struct input nohead = {"plan.csv", "who,where\na,1\n", 0};
	assert_same_plan(&nohead, PAL_REJECTED);
	struct input empty = {"plan.csv", NULL, 0};
	assert_same_plan(&empty, PAL_REJECTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_inputs),     cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_refused_inputs),  cmocka_unit_test(test_json_over_limit),
		cmocka_unit_test(test_jurors),          cmocka_unit_test(test_plans),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
