/*
 * What a rubric holds, through the public accessors of palmares/rubric.h
 * (engine/rubric_view.c): categories, criteria of every kind with their
 * steps, options, bounds and flags, texts in a language with the rubric's
 * as fallback, levels, mentions and the town attributes the rules read.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "palmares/palmares.h"
#include "scratch_dir.h"

static const char rubric_json[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"r\",\"edition\":2027,"
	"\"label\":{\"fr\":\"Label\",\"en\":\"Label EN\"},\"language\":\"fr\","
	"\"categories\":["
	"{\"id\":\"services\",\"title\":{\"fr\":\"Services publics\",\"en\":\"Public services\"},"
	" \"description\":{\"fr\":\"Ce que la ville offre\"},\"criteria\":["
	"  {\"id\":\"site\",\"kind\":\"yes-no\",\"points\":4,\"title\":\"Site accessible\","
	"   \"description\":\"RGAA\",\"allow_na\":true,\"evidence\":\"required\","
	"   \"applies\":{\">=\":[{\"var\":\"town.population\"},3500]}},"
	"  {\"id\":\"data\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]],"
	"   \"description\":5},"
	"  {\"id\":\"pct\",\"kind\":\"percent\",\"points\":2,\"evidence\":\"optional\"},"
	"  {\"id\":\"suite\",\"kind\":\"choice\",\"points\":6,"
	"   \"options\":{\"libre\":1,\"mixte\":0.5,\"proprietaire\":0}}]},"
	"{\"id\":\"vie\",\"not_applicable\":\"exclude\",\"criteria\":["
	"  {\"id\":\"outils\",\"kind\":\"multi\",\"points\":3,\"options\":{\"a\":0.5,\"b\":0.75},"
	"   \"applies\":{\"==\":[{\"var\":\"town.littoral\"},true]}},"
	"  {\"id\":\"innov\",\"kind\":\"jury\",\"points\":15,\"scale\":[0,5]},"
	"  {\"id\":\"note\",\"kind\":\"info\",\"applies\":{\"in\":[{\"var\":\"town.region\"},[\"x\"]]}}]}],"
	"\"levels\":[{\"name\":\"@\",\"min_percent\":0},{\"name\":\"@@\",\"min_percent\":35,"
	" \"requires\":{\">\":[{\"var\":\"town.surface\"},0]}}],"
	"\"mentions\":[{\"id\":\"libre\",\"name\":{\"fr\":\"Mention libre\",\"en\":\"Free mention\"},"
	" \"when\":{\">=\":[{\"var\":\"categories.services.percent\"},60]}},"
	" {\"id\":\"sans-nom\",\"name\":\"Sans nom\",\"when\":{\"==\":[1,1]}}]}";

static pal_rubric *load(void)
{
	pal_diags *d = pal_diags_new();
	pal_rubric *r = scratch_rubric(rubric_json, d);
	pal_diags_free(d);
	return r;
}

static void test_categories_and_texts(void **state)
{
	(void)state;
	pal_rubric *r = load();
	size_t first;
	assert_string_equal(pal_rubric_language(r), "fr");
	assert_string_equal(pal_rubric_label(r, NULL), "Label");
	assert_string_equal(pal_rubric_label(r, "en"), "Label EN");
	assert_string_equal(pal_rubric_label(r, "de"), "Label"); /* the rubric's language */
	assert_int_equal(pal_rubric_count_categories(r), 2);
	assert_string_equal(pal_rubric_category_id(r, 0), "services");
	assert_string_equal(pal_rubric_category_title(r, 0, "en"), "Public services");
	assert_string_equal(pal_rubric_category_title(r, 0, NULL), "Services publics");
	assert_string_equal(pal_rubric_category_description(r, 0, "en"), "Ce que la ville offre");
	assert_int_equal(pal_rubric_category_excludes(r, 0), 0);
	assert_int_equal(pal_rubric_category_criteria(r, 0, &first), 4);
	assert_int_equal(first, 0);
	/* no title: the id; no description: NULL */
	assert_string_equal(pal_rubric_category_title(r, 1, "fr"), "vie");
	assert_null(pal_rubric_category_description(r, 1, "fr"));
	assert_int_equal(pal_rubric_category_excludes(r, 1), 1);
	assert_int_equal(pal_rubric_category_criteria(r, 1, &first), 3);
	assert_int_equal(first, 4);
	pal_rubric_free(r);
}

static void test_criteria(void **state)
{
	(void)state;
	pal_rubric *r = load();
	double lo, hi, t, f;
	assert_int_equal(pal_rubric_count_criteria(r), 7);
	assert_int_equal(pal_rubric_find_criterion(r, "suite"), 3);
	assert_int_equal(pal_rubric_find_criterion(r, "nope"), -1);
	static const char *const kinds[] = {"yes-no", "number", "percent", "choice", "multi", "jury", "info"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(pal_rubric_criterion_kind(r, i), kinds[i]);
	/* yes-no: texts, flags, evidence, applies */
	assert_string_equal(pal_rubric_criterion_id(r, 0), "site");
	assert_int_equal(pal_rubric_criterion_category(r, 0), 0);
	assert_string_equal(pal_rubric_criterion_title(r, 0, "en"), "Site accessible");
	assert_string_equal(pal_rubric_criterion_description(r, 0, NULL), "RGAA");
	assert_true(pal_rubric_criterion_points(r, 0) == 4);
	assert_int_equal(pal_rubric_criterion_allows_na(r, 0), 1);
	assert_int_equal(pal_rubric_criterion_has_applies(r, 0), 1);
	assert_string_equal(pal_rubric_criterion_evidence(r, 0), "required");
	assert_int_equal(pal_rubric_criterion_bounds(r, 0, &lo, &hi), 0);
	assert_string_equal(pal_rubric_criterion_expected(r, 0), "yes or no (oui/non, true/false, 1/0, x)");
	/* number: steps, bounds; a description that is not a text is not kept (and not refused) */
	assert_string_equal(pal_rubric_criterion_title(r, 1, NULL), "data");
	assert_null(pal_rubric_criterion_description(r, 1, NULL));
	assert_int_equal(pal_rubric_criterion_count_steps(r, 1), 3);
	pal_rubric_criterion_step(r, 1, 1, &t, &f);
	assert_true(t == 5 && f == 0.5);
	assert_int_equal(pal_rubric_criterion_bounds(r, 1, &lo, &hi), 1);
	assert_true(lo == 0 && isinf(hi));
	assert_int_equal(pal_rubric_criterion_allows_na(r, 1), 0);
	assert_int_equal(pal_rubric_criterion_has_applies(r, 1), 0);
	assert_string_equal(pal_rubric_criterion_evidence(r, 1), "none");
	/* percent */
	assert_int_equal(pal_rubric_criterion_bounds(r, 2, &lo, &hi), 1);
	assert_true(lo == 0 && hi == 100);
	assert_string_equal(pal_rubric_criterion_evidence(r, 2), "optional");
	assert_int_equal(pal_rubric_criterion_count_steps(r, 2), 0);
	/* choice and multi: options in the rubric's order */
	assert_int_equal(pal_rubric_criterion_count_options(r, 3), 3);
	assert_string_equal(pal_rubric_criterion_option(r, 3, 0), "libre");
	assert_string_equal(pal_rubric_criterion_option(r, 3, 2), "proprietaire");
	assert_true(pal_rubric_criterion_option_fraction(r, 3, 1) == 0.5);
	assert_int_equal(pal_rubric_criterion_count_options(r, 4), 2);
	assert_true(pal_rubric_criterion_option_fraction(r, 4, 1) == 0.75);
	assert_int_equal(pal_rubric_criterion_count_options(r, 0), 0);
	/* jury: its scale; info: no points */
	assert_int_equal(pal_rubric_criterion_bounds(r, 5, &lo, &hi), 1);
	assert_true(lo == 0 && hi == 5);
	assert_true(pal_rubric_criterion_points(r, 5) == 15);
	assert_true(pal_rubric_criterion_points(r, 6) == 0);
	assert_int_equal(pal_rubric_criterion_category(r, 6), 1);
	pal_rubric_free(r);
}

static void test_levels_mentions_attributes(void **state)
{
	(void)state;
	pal_rubric *r = load();
	assert_int_equal(pal_rubric_count_levels(r), 2);
	assert_string_equal(pal_rubric_level_name(r, 1), "@@");
	assert_true(pal_rubric_level_min_percent(r, 1) == 35);
	assert_int_equal(pal_rubric_count_mentions(r), 2);
	assert_string_equal(pal_rubric_mention_id(r, 0), "libre");
	assert_string_equal(pal_rubric_mention_name(r, 0, "en"), "Free mention");
	assert_string_equal(pal_rubric_mention_name(r, 0, NULL), "Mention libre");
	assert_string_equal(pal_rubric_mention_name(r, 1, "en"), "Sans nom");
	/* the template's four, then what the rules read, in the order of the file */
	assert_int_equal(pal_rubric_count_town_attrs(r), 6);
	static const char *const names[] = {"population", "region",   "department",
					    "type",       "littoral", "surface"};
	static const char *const types[] = {"number", "text", "text", "text", "any", "any"};
	static const int used[] = {1, 1, 0, 0, 1, 1};
	for (size_t a = 0; a < 6; a++) {
		assert_string_equal(pal_rubric_town_attr_name(r, a), names[a]);
		assert_string_equal(pal_rubric_town_attr_type(r, a), types[a]);
		assert_int_equal(pal_rubric_town_attr_used(r, a), used[a]);
	}
	pal_rubric_free(r);
}

/* A shipped rubric: every criterion has a kind, a title and sane accessors. */
static void test_shipped_rubric(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	pal_rubric *r = pal_rubric_load("../criteria/villes-internet-2027.json", d, &st);
	assert_non_null(r);
	size_t total = 0, first;
	for (size_t k = 0; k < pal_rubric_count_categories(r); k++) {
		size_t n = pal_rubric_category_criteria(r, k, &first);
		assert_int_equal(first, total);
		for (size_t i = first; i < first + n; i++) {
			assert_int_equal(pal_rubric_criterion_category(r, i), k);
			assert_non_null(pal_rubric_criterion_title(r, i, "en"));
			assert_true(pal_rubric_find_criterion(r, pal_rubric_criterion_id(r, i)) == (long)i);
		}
		total += n;
	}
	assert_int_equal(total, pal_rubric_count_criteria(r));
	pal_rubric_free(r);
	pal_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories_and_texts),
		cmocka_unit_test(test_criteria),
		cmocka_unit_test(test_levels_mentions_attributes),
		cmocka_unit_test(test_shipped_rubric),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
