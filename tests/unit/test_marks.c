/*
 * Marks read ahead on a thread (pal_marks_prefetch, engine/marks_prefetch.c) against
 * the same files read in order (pal_campaign_add_marks): every message in
 * the same order with the same position, the same status per file, and the
 * same marks on every dossier (juror, value, comment, file, line, rejected).
 * The files hold every kind of row the loader rejects, reader errors between
 * them (a stray quote, an unterminated one), a Windows-1252 file, a JSON
 * file, a file that does not exist and a bad header.
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

#include "campaign.h"
#include "model.h"

#include "scratch_dir.h"

static const char rubric[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"t\",\"edition\":2027,\"label\":\"T\","
	"\"categories\":[{\"id\":\"c\",\"criteria\":["
	"{\"id\":\"j\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,5]},"
	"{\"id\":\"k\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,20]},"
	"{\"id\":\"b\",\"kind\":\"yes-no\",\"points\":5}]}],"
	"\"jury\":{\"aggregate\":\"mean\",\"min_marks\":1},"
	"\"levels\":[{\"name\":\"one\",\"min_percent\":10}]}";

static const char dossiers[] =
	"[{\"town\":{\"id\":\"1\",\"name\":\"Un\"},\"answers\":{\"b\":true}},"
	"{\"town\":{\"id\":\"2\",\"name\":\"Deux\"},\"answers\":{\"b\":false}},"
	"{\"town\":{\"id\":\"3\",\"name\":\"Trois\"},\"answers\":{\"b\":true}}]";

/* Every rejection add_mark() knows, with reader errors in between. */
static const char marks_main[] =
	"juror,town_id,criterion,mark,comment\n"
	"a,1,j,3,ok\n"
	"b,1,j,4,\n"
	"a,1,j,2,a second mark\n"
	",1,j,3,no juror\n"
	"c,9,j,3,unknown town\n"
	"c,1,zz,3,unknown criterion\n"
	"c,1,b,3,not a jury criterion\n"
	"c,2,j,,not marked yet\n"
	"c,9,j,  ,unknown town not marked\n"
	"c,2,j,abc,not a number\n"
	"c,2,j,7,out of range\n"
	"c,2,j,50%,a percentage\n"
	"c,2,J ,\"2,5\",folded criterion and a decimal comma\n"
	"d,2,j,\"3\"x,text after the quote\n"
	"\n"
	" e ,3, k ,12,\"a comment\non two lines\"\n"
	"a,3,k,20,ok\n"
	"a,3,k,0,the same juror again\n"
	"f,2,k,4\n"
	"g,3,j,1,\"never closed\n";

static const char marks_json[] =
	"[{\"juror\":\"h\",\"town_id\":\"1\",\"criterion\":\"k\",\"mark\":5},"
	"{\"juror\":\"h\",\"town_id\":\"7\",\"criterion\":\"k\",\"mark\":5},"
	"{\"juror\":\"a\",\"town_id\":\"1\",\"criterion\":\"j\",\"mark\":1}]";

struct run {
	pal_rubric *r;
	pal_campaign *c;
	pal_diags *d;
	int status[8];
};

static void load(struct run *x, const char *const *files, size_t n, int ahead, const char *assign)
{
	x->d = pal_diags_new();
	x->r = scratch_rubric(rubric, x->d);
	x->c = pal_campaign_new(x->r);
	assert_non_null(x->c);
	pal_marks_prefetch *p = ahead ? pal_marks_prefetch_start(x->r, files, n) : NULL;
	assert_true(!ahead || p);
	if (pal_campaign_add_dossiers(x->c, write_file("d.json", dossiers), x->d) != PAL_OK) {
		pal_diags_print(x->d, 0, stderr);
		fail_msg("dossiers rejected");
	}
	if (assign)
		pal_campaign_set_assignments(x->c, assign, x->d);
	for (size_t i = 0; i < n; i++)
		x->status[i] = ahead ? pal_campaign_add_prefetched_marks(x->c, p, i, x->d)
		                     : pal_campaign_add_marks(x->c, files[i], x->d);
	pal_marks_prefetch_free(p);
}

static void done(struct run *x)
{
	pal_campaign_free(x->c);
	pal_rubric_free(x->r);
	pal_diags_free(x->d);
}

static void assert_same(const struct run *a, const struct run *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(a->status[i], b->status[i]);
	assert_int_equal(pal_diags_count(a->d), pal_diags_count(b->d));
	for (size_t i = 0; i < pal_diags_count(a->d); i++) {
		const pal_diag *g = pal_diags_get(a->d, i), *h = pal_diags_get(b->d, i);
		assert_int_equal(g->severity, h->severity);
		assert_string_equal(g->file ? g->file : "-", h->file ? h->file : "-");
		assert_int_equal(g->line, h->line);
		assert_int_equal(g->col, h->col);
		assert_string_equal(g->text, h->text);
	}
	assert_int_equal(eng_campaign_njurors(a->c), eng_campaign_njurors(b->c));
	for (uint32_t i = 0; i < eng_campaign_njurors(a->c); i++)
		assert_string_equal(eng_campaign_juror_name(a->c, i), eng_campaign_juror_name(b->c, i));
	assert_int_equal(pal_campaign_count(a->c), pal_campaign_count(b->c));
	for (size_t k = 0; k < pal_campaign_count(a->c); k++) {
		const pal_dossier *d = a->c->dossiers[k], *e = b->c->dossiers[k];
		for (size_t q = 0; q < a->r->njury; q++) {
			const pal_mark *m = d->marks[q], *o = e->marks[q];
			for (; m && o; m = m->next, o = o->next) {
				assert_string_equal(m->juror, o->juror);
				assert_int_equal(m->juror_id, o->juror_id);
				assert_true(m->mark == o->mark);
				assert_string_equal(m->comment, o->comment);
				assert_int_equal(m->line, o->line);
				assert_string_equal(eng_mark_file(a->c, m), eng_mark_file(b->c, o));
				assert_int_equal(m->rejected, o->rejected);
			}
			assert_null(m);
			assert_null(o);
		}
		const pal_msg *u = d->msgs, *v = e->msgs;
		for (; u && v; u = u->next, v = v->next)
			assert_string_equal(u->text, v->text);
		assert_null(u);
		assert_null(v);
	}
}

static size_t count_marks(const struct run *x)
{
	size_t n = 0;
	for (size_t k = 0; k < pal_campaign_count(x->c); k++)
		for (size_t q = 0; q < x->r->njury; q++)
			for (const pal_mark *m = x->c->dossiers[k]->marks[q]; m; m = m->next)
				n += !m->rejected;
	return n;
}

static void test_same_as_in_order(void **state)
{
	(void)state;
	const char *files[6];
	files[0] = write_file("main.csv", marks_main);
	/* Windows-1252: é is one byte, and the reader warns once. */
	files[1] = write_file("cp1252.csv", "juror,town_id,criterion,mark,comment\n"
	                                    "i,2,k,3,Tr\xe8s bien\n"
	                                    "i,2,k,4,again\n");
	files[2] = write_file("more.json", marks_json);
	files[3] = "/nonexistent/palmares/marks.csv";
	files[4] = write_file("header.csv", "juror,town,criterion,mark\na,1,j,1\n");
	files[5] = write_file("semicolons.csv", "juror;town_id;criterion;mark;comment\n"
	                                        "j;3;j;4,5;virgule\n"
	                                        "a;2;k;  ;\n");
	struct run a = {0}, b = {0};
	load(&a, files, 6, 0, NULL);
	load(&b, files, 6, 1, NULL);
	if (getenv("SHOW"))
		pal_diags_print(a.d, 0, stderr);
	assert_same(&a, &b, 6);
	/* Not vacuous: marks were kept, rows and files were rejected, the reader spoke. */
	assert_int_equal(count_marks(&a), 5);
	assert_int_equal(a.status[0], PAL_REJECTED);
	assert_int_equal(a.status[2], PAL_REJECTED);
	assert_int_equal(a.status[3], PAL_IOERR);
	assert_int_equal(a.status[4], PAL_REJECTED);
	assert_int_equal(a.status[5], PAL_OK);
	assert_int_equal(pal_diags_count(a.d), 20);
	done(&a);
	done(&b);
}

/* With assignments, attach() rejects a juror's mark on a town not theirs. */
static void test_same_with_assignments(void **state)
{
	(void)state;
	const char *files[1] = {write_file("m.csv", "juror,town_id,criterion,mark\n"
	                                             "a,1,j,3\n"
	                                             "a,2,j,3\n"
	                                             "b,2,k,10\n"
	                                             "b,2,k,11\n")};
	const char *assign = write_file("assign.csv", "juror,town_id\na,1\nb,2\n");
	struct run a = {0}, b = {0};
	load(&a, files, 1, 0, assign);
	load(&b, files, 1, 1, assign);
	assert_same(&a, &b, 1);
	assert_int_equal(count_marks(&a), 1);
	done(&a);
	done(&b);
}

/*
 * A large file crosses the staging blocks (1,024 rows each) and the arena's
 * chunks, with rows not marked yet and rows naming an unknown town among
 * the marks.
 */
static void test_same_large(void **state)
{
	(void)state;
	size_t cap = 1 << 20, len = 0, expected = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, "juror,town_id,criterion,mark,comment\n");
	/* Six rows per juror, one per town and criterion; every 500th row repeats the one before. */
	for (int i = 0; i < 5000; i++) {
		int k = i % 500 == 499 ? i - 1 : i, blank = k % 7 == 3, unknown = k % 11 == 5;
		len += (size_t)snprintf(text + len, cap - len, "j%d,%s,%s,%s,%s\n", k / 6,
		                        unknown ? "99" : k % 3 == 0 ? "1" : k % 3 == 1 ? "2" : "3",
		                        (k / 3) % 2 ? "j" : "k", blank ? "" : k % 2 ? "4" : "\"1,5\"",
		                        k % 5 ? "bien" : "");
		if (!blank && !unknown && i % 500 < 498) /* rows 498 and 499 of each 500: both rejected */
			expected++;
	}
	const char *files[1] = {write_file("large.csv", text)};
	free(text);
	struct run a = {0}, b = {0};
	load(&a, files, 1, 0, NULL);
	load(&b, files, 1, 1, NULL);
	assert_same(&a, &b, 1);
	assert_int_equal(count_marks(&a), expected);
	done(&a);
	done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_in_order),
		cmocka_unit_test(test_same_with_assignments),
		cmocka_unit_test(test_same_large),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
