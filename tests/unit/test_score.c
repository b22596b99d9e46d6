/*
 * Scoring rules of SPEC §4, each checked against a hand-computed campaign:
 * redistribute/exclude, fractions per kind, rounding at thresholds,
 * cumulative levels, next level, ranks with ties, pending, mentions,
 * overrides, evidence and rule failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "score.h"

#include "scratch_dir.h"

struct run {
	pal_rubric *r;
	pal_campaign *c;
	pal_diags *d;
	int status;
};

/* Scores a campaign; rubric_body is the JSON inside the rubric object after its header. */
static void run(struct run *x, const char *rubric_body, const char *dossiers, const char *marks,
                const char *overrides)
{
	char rubric[16384];
	snprintf(rubric, sizeof rubric,
	         "{\"format\":\"palmares-rubric/1\",\"id\":\"t\",\"edition\":2027,\"label\":\"T\",%s}",
	         rubric_body);
	x->d = pal_diags_new();
	x->r = scratch_rubric(rubric, x->d);
	x->c = pal_campaign_new(x->r);
	x->status = pal_campaign_add_dossiers(x->c, write_file("d.json", dossiers), x->d);
	if (marks)
		x->status |= pal_campaign_add_marks(x->c, write_file("marks.csv", marks), x->d);
	if (overrides)
		x->status |= pal_campaign_set_overrides(x->c, write_file("o.csv", overrides), x->d);
	x->status |= pal_campaign_score(x->c, x->d);
}

static void done(struct run *x)
{
	pal_campaign_free(x->c);
	pal_rubric_free(x->r);
	pal_diags_free(x->d);
}

static pal_dossier *town(struct run *x, const char *id)
{
	pal_dossier *d = eng_campaign_find(x->c, id);
	assert_non_null(d);
	return d;
}

/* d's criterion results as the writers see them (eng_dossier_results()). */
static const pal_crit_result *crit_of(struct run *x, const pal_dossier *d)
{
	static pal_crit_result crit[64];
	static pal_cat_result cat[16];
	assert_true(x->r->ncriteria <= 64 && x->r->ncategories <= 16);
	eng_dossier_results(x->c, d, NULL, crit, cat);
	return crit;
}

#define near(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static const char two_yes_no[] =
	"\"categories\":[{\"id\":\"c\",\"not_applicable\":\"%s\",\"criteria\":["
	"{\"id\":\"a\",\"kind\":\"yes-no\",\"points\":4},"
	"{\"id\":\"b\",\"kind\":\"yes-no\",\"points\":6,\"allow_na\":true},"
	"{\"id\":\"z\",\"kind\":\"yes-no\",\"points\":5}]}],"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]";

static void test_redistribute_and_exclude(void **state)
{
	(void)state;
	char body[2048];
	struct run x;
	const char *dossiers = "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},"
	                       "\"answers\":{\"a\":true,\"b\":\"n/a\",\"z\":false}}]";
	/* P = 15, A = 9 (a, z), E = 4: redistribute gives 15 × 4 / 9, max 15. */
	snprintf(body, sizeof body, two_yes_no, "redistribute");
	run(&x, body, dossiers, NULL, NULL);
	pal_dossier *d = town(&x, "1");
	assert_int_equal(d->status, PAL_STATUS_SCORED);
	near(d->cat[0].points, 15.0 * 4 / 9);
	near(d->cat[0].max, 15);
	near(crit_of(&x, d)[0].max, 4.0 * 15 / 9);
	near(crit_of(&x, d)[0].points, 4.0 * 15 / 9);
	assert_false(crit_of(&x, d)[1].applicable);
	near(crit_of(&x, d)[1].max, 0);
	near(crit_of(&x, d)[2].max, 5.0 * 15 / 9);
	near(crit_of(&x, d)[2].points, 0);
	near(d->percent, 100.0 * 4 / 9);
	done(&x);
	/* exclude: points E = 4, max A = 9. */
	snprintf(body, sizeof body, two_yes_no, "exclude");
	run(&x, body, dossiers, NULL, NULL);
	d = town(&x, "1");
	near(d->cat[0].points, 4);
	near(d->cat[0].max, 9);
	near(crit_of(&x, d)[0].max, 4);
	near(crit_of(&x, d)[2].max, 5);
	done(&x);
}

static void test_category_not_applicable(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"a\",\"kind\":\"yes-no\","
	        "\"points\":4,\"allow_na\":true}]},{\"id\":\"k\",\"criteria\":[{\"id\":\"b\","
	        "\"kind\":\"yes-no\",\"points\":6}]}],\"levels\":[{\"name\":\"L\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"a\":\"n/a\",\"b\":true}}]", NULL, NULL);
	pal_dossier *d = town(&x, "1");
	near(d->cat[0].points, 0);
	near(d->cat[0].max, 0);
	near(d->max, 6);
	near(d->percent, 100);
	done(&x);
}

static void test_fractions_by_kind(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":["
	        "{\"id\":\"n1\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]]},"
	        "{\"id\":\"n2\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]]},"
	        "{\"id\":\"n3\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]]},"
	        "{\"id\":\"p\",\"kind\":\"percent\",\"points\":10},"
	        "{\"id\":\"ch\",\"kind\":\"choice\",\"points\":6,\"options\":{\"libre\":1,\"mixte\":0.5}},"
	        "{\"id\":\"m\",\"kind\":\"multi\",\"points\":8,\"options\":{\"a\":0.4,\"b\":0.4,\"c\":0.4}},"
	        "{\"id\":\"m2\",\"kind\":\"multi\",\"points\":8,\"options\":{\"a\":0.4,\"b\":0.4,\"c\":0.4}},"
	        "{\"id\":\"i\",\"kind\":\"info\"}]}],"
	        "\"levels\":[{\"name\":\"L\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"n1\":12,\"n2\":0.5,\"n3\":20,"
	    "\"p\":72.5,\"ch\":\"MIXTE\",\"m\":[\"a\",\"b\",\"c\"],\"m2\":[],\"i\":\"note\"}}]",
	    NULL, NULL);
	pal_dossier *d = town(&x, "1");
	near(crit_of(&x, d)[0].fraction, 0.5);
	near(crit_of(&x, d)[1].fraction, 0);
	near(crit_of(&x, d)[2].fraction, 1);
	near(crit_of(&x, d)[3].fraction, 0.725);
	near(crit_of(&x, d)[4].fraction, 0.5);
	near(crit_of(&x, d)[5].fraction, 1); /* 1.2 capped */
	near(crit_of(&x, d)[6].fraction, 0);
	near(crit_of(&x, d)[7].max, 0);      /* info never counts */
	near(d->max, 62);
	done(&x);
}

static const char levels_rubric[] =
	"\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"p\",\"kind\":\"percent\",\"points\":100},"
	"{\"id\":\"flag\",\"kind\":\"yes-no\",\"points\":0.01}]}],"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0},{\"name\":\"L2\",\"min_percent\":35},"
	"{\"name\":\"L3\",\"min_percent\":50,\"requires\":{\"==\":[{\"var\":\"answers.flag\"},true]}},"
	"{\"name\":\"L4\",\"min_percent\":65}],"
	"\"mentions\":[{\"id\":\"m\",\"name\":\"M\",\"min_level\":2,"
	"\"when\":{\">=\":[{\"var\":\"criteria.p.fraction\"},0.6]}}]";

static void test_levels_cumulative_and_next(void **state)
{
	(void)state;
	struct run x;
	run(&x, levels_rubric,
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"p\":80,\"flag\":false}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"p\":80,\"flag\":true}},"
	    "{\"town\":{\"id\":\"3\",\"name\":\"C\"},\"answers\":{\"p\":40,\"flag\":true}},"
	    "{\"town\":{\"id\":\"4\",\"name\":\"D\"},\"answers\":{\"p\":20,\"flag\":true}}]",
	    NULL, NULL);
	/* 1: 80 % would reach L4, but L3 requires the flag: levels are cumulative. */
	pal_dossier *d = town(&x, "1");
	assert_int_equal(d->level, 2);
	assert_int_equal(d->next_level, 3);
	assert_true(d->points_missing == 0);
	assert_int_equal(d->unmet, 1u << 2);
	assert_int_equal(d->mentions, 1);
	d = town(&x, "2");
	assert_int_equal(d->level, 4);
	assert_int_equal(d->next_level, 0);
	d = town(&x, "3");
	assert_int_equal(d->level, 2);
	/* next L3 at 50 %: 50 × 100.01 / 100 − (40 + 0.01) */
	near(d->points_missing, 50 * 100.01 / 100 - 40.01);
	assert_int_equal(d->mentions, 0); /* fraction 0.4 < 0.6 */
	d = town(&x, "4");
	assert_int_equal(d->level, 1);
	assert_int_equal(d->mentions, 0); /* min_level 2 */
	done(&x);
}

static void test_threshold_uses_rounded_percent(void **state)
{
	(void)state;
	struct run x;
	/* 64.995 % is reported 65.00 and so reaches a 65 % level. */
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"p\",\"kind\":\"percent\","
	        "\"points\":100}]}],\"levels\":[{\"name\":\"L1\",\"min_percent\":65}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"p\":64.995}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"p\":64.994}}]", NULL, NULL);
	assert_int_equal(town(&x, "1")->level, 1);
	assert_int_equal(town(&x, "2")->level, 0);
	done(&x);
}

static void test_rank_ties(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"p\",\"kind\":\"percent\","
	        "\"points\":100}]}],\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"p\":50}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"p\":70}},"
	    "{\"town\":{\"id\":\"3\",\"name\":\"C\"},\"answers\":{\"p\":50.001}},"
	    "{\"town\":{\"id\":\"4\",\"name\":\"D\"},\"answers\":{\"p\":\"x\"}},"
	    "{\"town\":{\"id\":\"5\",\"name\":\"E\"},\"answers\":{\"p\":10}}]", NULL, NULL);
	assert_int_equal(town(&x, "2")->rank, 1);
	assert_int_equal(town(&x, "1")->rank, 2);
	assert_int_equal(town(&x, "3")->rank, 2); /* 50.00 after rounding */
	assert_int_equal(town(&x, "5")->rank, 4);
	assert_int_equal(town(&x, "4")->status, PAL_STATUS_INVALID);
	assert_int_equal(town(&x, "4")->rank, 0);
	assert_int_equal(x.status, PAL_REJECTED);
	done(&x);
}

static const char jury_rubric[] =
	"\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"j\",\"kind\":\"jury\",\"points\":10,"
	"\"scale\":[0,5]}]}],\"jury\":{\"aggregate\":\"%s\",\"min_marks\":2,\"disagreement\":2},"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]";

static void test_jury_aggregates_and_pending(void **state)
{
	(void)state;
	struct run x;
	char body[1024];
	const char *dossiers = "[{\"town\":{\"id\":\"1\",\"name\":\"A\"}},"
	                       "{\"town\":{\"id\":\"2\",\"name\":\"B\"}}]";
	const char *marks = "juror,town_id,criterion,mark,comment\n"
	                    "a,1,j,1,\nb,1,j,4,\nc,1,j,\"4,5\",\nd,1,j,5,\na,2,j,3,\nb,2,j,,later\n";
	snprintf(body, sizeof body, jury_rubric, "mean");
	run(&x, body, dossiers, marks, NULL);
	pal_dossier *d = town(&x, "1");
	near(crit_of(&x, d)[0].aggregate, (1 + 4 + 4.5 + 5) / 4);
	near(crit_of(&x, d)[0].fraction, (1 + 4 + 4.5 + 5) / 4 / 5);
	assert_true(crit_of(&x, d)[0].disagreement); /* 5 − 1 > 2 */
	assert_int_equal(d->status, PAL_STATUS_SCORED);
	d = town(&x, "2");
	assert_int_equal(d->status, PAL_STATUS_PENDING); /* the empty mark is "not marked yet" */
	assert_int_equal(crit_of(&x, d)[0].nmarks, 1);
	near(d->points, 6);
	assert_int_equal(d->rank, 0);
	done(&x);
	snprintf(body, sizeof body, jury_rubric, "median");
	run(&x, body, dossiers, marks, NULL);
	near(crit_of(&x, town(&x, "1"))[0].aggregate, 4.25);
	done(&x);
	snprintf(body, sizeof body, jury_rubric, "trimmed-mean");
	run(&x, body, dossiers, marks, NULL);
	near(crit_of(&x, town(&x, "1"))[0].aggregate, 4.25);
	done(&x);
}

static void test_overrides(void **state)
{
	(void)state;
	struct run x;
	char body[1024];
	snprintf(body, sizeof body, jury_rubric, "mean");
	run(&x, body, "[{\"town\":{\"id\":\"1\",\"name\":\"A\"}},{\"town\":{\"id\":\"2\",\"name\":\"B\"}}]",
	    "juror,town_id,criterion,mark\na,1,j,1\nb,1,j,2\n",
	    "town_id,level,reason\n1,0,conflict of interest discovered\n2,L1,pending anyway\n");
	pal_dossier *d = town(&x, "1");
	assert_int_equal(d->computed_level, 1);
	assert_int_equal(d->level, 0);
	assert_true(d->has_override);
	assert_string_equal(d->override_reason, "conflict of interest discovered");
	d = town(&x, "2");
	assert_false(d->has_override);
	assert_int_equal(d->status, PAL_STATUS_PENDING);
	assert_int_equal(pal_diags_warnings(x.d), 1);
	done(&x);
}

/*
 * Overrides set before the marks are read: the setter says nothing yet; the
 * scoring gives the reading's messages, then those of applying them, as when
 * scoring read the file itself. (run() scored once without overrides.)
 */
static void test_overrides_set_early(void **state)
{
	(void)state;
	struct run x;
	char body[1024];
	snprintf(body, sizeof body, jury_rubric, "mean");
	run(&x, body, "[{\"town\":{\"id\":\"1\",\"name\":\"A\"}},{\"town\":{\"id\":\"2\",\"name\":\"B\"}}]",
	    NULL, NULL);
	size_t from = pal_diags_count(x.d);
	assert_int_equal(pal_campaign_set_overrides(x.c, write_file("o2.csv", "town_id,level,reason\n"
	                 "1,@@,bad level\n2,1,pending anyway\n"), x.d), PAL_REJECTED);
	assert_int_equal(pal_diags_count(x.d), from);
	pal_campaign_add_marks(x.c, write_file("marks.csv", "juror,town_id,criterion,mark\na,1,j,1\n"), x.d);
	assert_int_equal(pal_diags_count(x.d), from);
	assert_int_equal(pal_campaign_score(x.c, x.d), PAL_REJECTED);
	assert_int_equal(pal_diags_count(x.d), from + 2);
	assert_non_null(strstr(pal_diags_get(x.d, from)->text, "unknown level \"@@\""));
	assert_int_equal(pal_diags_get(x.d, from)->line, 2);
	assert_non_null(strstr(pal_diags_get(x.d, from + 1)->text, "override for town 2 ignored"));
	done(&x);
}

static void test_duplicates_rejected_both(void **state)
{
	(void)state;
	struct run x;
	char body[1024];
	snprintf(body, sizeof body, jury_rubric, "mean");
	run(&x, body, "[{\"town\":{\"id\":\"1\",\"name\":\"A\"}},{\"town\":{\"id\":\"2\",\"name\":\"B\"}}]",
	    "juror,town_id,criterion,mark\na,1,j,1\nb,1,j,2\na,1,j,5\na,1,j,4\nc,1,j,3\n"
	    "a,2,j,1\nb,2,j,1\n",
	    "town_id,level,reason\n2,0,first\n2,1,second\n");
	pal_dossier *d = town(&x, "1");
	/* juror a's three marks are all rejected: b and c remain. */
	assert_int_equal(crit_of(&x, d)[0].nmarks, 2);
	near(crit_of(&x, d)[0].aggregate, 2.5);
	d = town(&x, "2");
	assert_false(d->has_override);
	assert_int_equal(d->level, 1);
	assert_int_equal(x.status, PAL_REJECTED);
	done(&x);
}

static void test_evidence_and_applies(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":["
	        "{\"id\":\"e\",\"kind\":\"yes-no\",\"points\":2,\"evidence\":\"required\"},"
	        "{\"id\":\"t\",\"kind\":\"yes-no\",\"points\":3,"
	        "\"applies\":{\">=\":[{\"var\":\"town.population\"},3500]}}]}],"
	        "\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\",\"population\":100},\"answers\":{\"e\":true,\"t\":true}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\",\"population\":5000},\"answers\":{\"e\":true,\"t\":true},"
	    "\"evidence\":{\"e\":\"https://x\"}}]", NULL, NULL);
	pal_dossier *d = town(&x, "1");
	assert_true(crit_of(&x, d)[0].evidence_missing);
	near(crit_of(&x, d)[0].fraction, 0);
	assert_false(crit_of(&x, d)[1].applicable);
	assert_true(pal_dossier_answer(d, 1).ignored);
	near(d->max, 5); /* redistributed */
	d = town(&x, "2");
	assert_false(crit_of(&x, d)[0].evidence_missing);
	near(d->percent, 100);
	done(&x);
}

/*
 * Criteria with equal applicability rules share one evaluation per dossier
 * (score.c, same_applies): each still gets its decision and its warning, a
 * different rule its own, and a failing rule is named where it first occurs.
 */
static void test_shared_applies_rule(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":["
	        "{\"id\":\"a\",\"kind\":\"yes-no\",\"points\":1,"
	        "\"applies\":{\">=\":[{\"var\":\"town.population\"},3500]}},"
	        "{\"id\":\"b\",\"kind\":\"yes-no\",\"points\":1},"
	        "{\"id\":\"cc\",\"kind\":\"yes-no\",\"points\":1,"
	        "\"applies\":{ \">=\" : [ {\"var\":\"town.population\"}, 3500 ] }},"
	        "{\"id\":\"d\",\"kind\":\"yes-no\",\"points\":1,"
	        "\"applies\":{\"<\":[{\"var\":\"town.population\"},3500]}}]}],"
	        "\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\",\"population\":100},"
	    "\"answers\":{\"a\":true,\"b\":true,\"cc\":true,\"d\":true}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\",\"population\":5000},"
	    "\"answers\":{\"a\":true,\"b\":false,\"cc\":true,\"d\":true}}]", NULL, NULL);
	pal_dossier *d = town(&x, "1");
	assert_false(pal_dossier_applies(d, 0));
	assert_true(pal_dossier_applies(d, 1));
	assert_false(pal_dossier_applies(d, 2));
	assert_true(pal_dossier_applies(d, 3));
	assert_true(pal_dossier_answer(d, 0).ignored);
	assert_true(pal_dossier_answer(d, 2).ignored);
	assert_non_null(strstr(d->msgs->text, "\"a\" ignored"));
	assert_non_null(strstr(d->msgs->next->text, "\"cc\" ignored"));
	assert_null(d->msgs->next->next);
	near(d->percent, 100);
	d = town(&x, "2");
	assert_true(pal_dossier_applies(d, 0));
	assert_true(pal_dossier_applies(d, 2));
	assert_false(pal_dossier_applies(d, 3));
	assert_true(pal_dossier_answer(d, 3).ignored);
	near(d->percent, 100.0 * 2 / 3);
	done(&x);

	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":["
	        "{\"id\":\"p\",\"kind\":\"percent\",\"points\":1},"
	        "{\"id\":\"f\",\"kind\":\"yes-no\",\"points\":1,"
	        "\"applies\":{\">\":[{\"/\":[1,{\"var\":\"answers.p\"}]},0]}},"
	        "{\"id\":\"g\",\"kind\":\"yes-no\",\"points\":1,"
	        "\"applies\":{\">\":[{\"/\":[1,{\"var\":\"answers.p\"}]},0]}}]}],"
	        "\"levels\":[{\"name\":\"L1\",\"min_percent\":0}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"p\":0}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"p\":10,\"f\":true}}]", NULL,
	    NULL);
	d = town(&x, "1");
	assert_int_equal(d->status, PAL_STATUS_INVALID);
	assert_non_null(strstr(d->msgs->text, "categories[0].criteria[1].applies"));
	assert_null(d->msgs->next);
	d = town(&x, "2");
	assert_int_equal(d->status, PAL_STATUS_SCORED);
	assert_true(pal_dossier_applies(d, 1));
	assert_true(pal_dossier_applies(d, 2));
	done(&x);
}

static void test_rule_failure_invalidates(void **state)
{
	(void)state;
	struct run x;
	run(&x, "\"categories\":[{\"id\":\"c\",\"criteria\":[{\"id\":\"p\",\"kind\":\"percent\","
	        "\"points\":10}]}],\"levels\":[{\"name\":\"L1\",\"min_percent\":0,"
	        "\"requires\":{\">\":[{\"/\":[1,{\"var\":\"answers.p\"}]},0]}}]",
	    "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"p\":0}},"
	    "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"p\":10}}]", NULL, NULL);
	pal_dossier *d = town(&x, "1");
	assert_int_equal(d->status, PAL_STATUS_INVALID);
	assert_non_null(strstr(d->msgs->text, "levels[0].requires"));
	assert_int_equal(town(&x, "2")->status, PAL_STATUS_SCORED);
	assert_int_equal(town(&x, "2")->level, 1);
	assert_int_equal(x.status, PAL_REJECTED);
	done(&x);
}

/* Jury comments are stored once when short and repeated, and read exactly as given (trimmed, cleaned). */
static void test_comments_shared_and_exact(void **state)
{
	(void)state;
	struct run x;
	char body[1024], marks[2048], longc[101];
	const char *dossiers = "[{\"town\":{\"id\":\"1\",\"name\":\"A\"}},"
	                       "{\"town\":{\"id\":\"2\",\"name\":\"B\"}}]";
	memset(longc, 'x', 100);
	longc[100] = '\0';
	snprintf(marks, sizeof marks, "juror,town_id,criterion,mark,comment\n"
	         "a,1,j,1,RAS\nb,1,j,2,  RAS  \nc,1,j,3,%s\na,2,j,3,RAS\nb,2,j,4,\"a\tb\"\n"
	         "c,2,j,5,%s\n", longc, longc);
	snprintf(body, sizeof body, jury_rubric, "mean");
	run(&x, body, dossiers, marks, NULL);
	const pal_mark *m1 = town(&x, "1")->marks[0], *m2 = town(&x, "2")->marks[0];
	assert_string_equal(m1->comment, "RAS");
	assert_string_equal(m1->next->comment, "RAS"); /* trimmed like every text */
	assert_ptr_equal(m1->comment, m2->comment);      /* one copy across dossiers */
	assert_string_equal(m1->next->next->comment, longc);
	assert_string_equal(m2->next->next->comment, longc);
	assert_ptr_not_equal(m1->next->next->comment, m2->next->next->comment); /* long: copied */
	assert_string_equal(m2->next->comment, "a b"); /* cleaned as every text (text.h) */
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redistribute_and_exclude),
		cmocka_unit_test(test_category_not_applicable),
		cmocka_unit_test(test_fractions_by_kind),
		cmocka_unit_test(test_levels_cumulative_and_next),
		cmocka_unit_test(test_threshold_uses_rounded_percent),
		cmocka_unit_test(test_rank_ties),
		cmocka_unit_test(test_jury_aggregates_and_pending),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_overrides_set_early),
		cmocka_unit_test(test_duplicates_rejected_both),
		cmocka_unit_test(test_evidence_and_applies),
		cmocka_unit_test(test_shared_applies_rule),
		cmocka_unit_test(test_rule_failure_invalidates),
		cmocka_unit_test(test_comments_shared_and_exact),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
