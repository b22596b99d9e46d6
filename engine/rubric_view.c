/*
 * What a rubric holds, for the programs that show it (palmares/rubric.h):
 * read-only accessors over the loaded model (model.h), so that the model
 * stays private and may change without the clients noticing. Nothing is
 * computed here that the loader did not already decide.
 */
#include <math.h>
#include <string.h>

#include "model.h"
#include "palmares/rubric.h"

const char *pal_rubric_language(const pal_rubric *r)
{
	return r->language;
}

const char *pal_rubric_label(const pal_rubric *r, const char *lang)
{
	return eng_rubric_text(r, r->label, lang);
}

/* ---- categories ---- */

const char *pal_rubric_category_id(const pal_rubric *r, size_t k)
{
	return r->categories[k].id;
}

const char *pal_rubric_category_title(const pal_rubric *r, size_t k, const char *lang)
{
	const char *t = eng_rubric_text(r, r->categories[k].title, lang);
	return t ? t : r->categories[k].id;
}

const char *pal_rubric_category_description(const pal_rubric *r, size_t k, const char *lang)
{
	return eng_rubric_text(r, r->categories[k].description, lang);
}

int pal_rubric_category_excludes(const pal_rubric *r, size_t k)
{
	return r->categories[k].exclude;
}

size_t pal_rubric_category_criteria(const pal_rubric *r, size_t k, size_t *first)
{
	*first = r->categories[k].first;
	return r->categories[k].count;
}

/* ---- criteria ---- */

long pal_rubric_find_criterion(const pal_rubric *r, const char *id)
{
	return eng_rubric_find_criterion(r, id);
}

const char *pal_rubric_criterion_id(const pal_rubric *r, size_t i)
{
	return r->criteria[i].id;
}

size_t pal_rubric_criterion_category(const pal_rubric *r, size_t i)
{
	return r->criteria[i].category;
}

const char *pal_rubric_criterion_title(const pal_rubric *r, size_t i, const char *lang)
{
	const char *t = eng_rubric_text(r, r->criteria[i].title, lang);
	return t ? t : r->criteria[i].id;
}

const char *pal_rubric_criterion_description(const pal_rubric *r, size_t i, const char *lang)
{
	return eng_rubric_text(r, r->criteria[i].description, lang);
}

const char *pal_rubric_criterion_kind(const pal_rubric *r, size_t i)
{
	return eng_kinds[r->criteria[i].kind].name;
}

const char *pal_rubric_criterion_expected(const pal_rubric *r, size_t i)
{
	return eng_kinds[r->criteria[i].kind].expected;
}

double pal_rubric_criterion_points(const pal_rubric *r, size_t i)
{
	return r->criteria[i].points;
}

/* The bounds answer.c checks (number_answer's callers) and a jury scale. */
int pal_rubric_criterion_bounds(const pal_rubric *r, size_t i, double *min, double *max)
{
	const pal_criterion *c = &r->criteria[i];
	switch (c->kind) {
	case PAL_KIND_NUMBER:
		*min = 0;
		*max = HUGE_VAL;
		return 1;
	case PAL_KIND_PERCENT:
		*min = 0;
		*max = 100;
		return 1;
	case PAL_KIND_JURY:
		*min = c->scale_min;
		*max = c->scale_max;
		return 1;
	default: return 0;
	}
}

size_t pal_rubric_criterion_count_steps(const pal_rubric *r, size_t i)
{
	return r->criteria[i].nsteps;
}

void pal_rubric_criterion_step(const pal_rubric *r, size_t i, size_t s, double *threshold, double *fraction)
{
	*threshold = r->criteria[i].steps[s][0];
	*fraction = r->criteria[i].steps[s][1];
}

size_t pal_rubric_criterion_count_options(const pal_rubric *r, size_t i)
{
	return r->criteria[i].noptions;
}

const char *pal_rubric_criterion_option(const pal_rubric *r, size_t i, size_t o)
{
	return r->criteria[i].options[o].id;
}

double pal_rubric_criterion_option_fraction(const pal_rubric *r, size_t i, size_t o)
{
	return r->criteria[i].options[o].fraction;
}

int pal_rubric_criterion_allows_na(const pal_rubric *r, size_t i)
{
	return r->criteria[i].allow_na;
}

int pal_rubric_criterion_has_applies(const pal_rubric *r, size_t i)
{
	return r->criteria[i].applies != NULL;
}

const char *pal_rubric_criterion_evidence(const pal_rubric *r, size_t i)
{
	int e = r->criteria[i].evidence;
	return e == PAL_EVIDENCE_REQUIRED ? "required" : e == PAL_EVIDENCE_OPTIONAL ? "optional" : "none";
}

/* ---- levels and mentions ---- */

const char *pal_rubric_level_name(const pal_rubric *r, size_t i)
{
	return r->levels[i].name;
}

double pal_rubric_level_min_percent(const pal_rubric *r, size_t i)
{
	return r->levels[i].min_percent;
}

size_t pal_rubric_count_mentions(const pal_rubric *r)
{
	return r->nmentions;
}

const char *pal_rubric_mention_id(const pal_rubric *r, size_t m)
{
	return r->mentions[m].id;
}

const char *pal_rubric_mention_name(const pal_rubric *r, size_t m, const char *lang)
{
	const char *t = eng_rubric_text(r, r->mentions[m].name, lang);
	return t ? t : r->mentions[m].id;
}

/* ---- the town's attributes ---- */

/* The template's town columns besides town_id and town_name (template.c), with their types. */
static const struct {
	const char *name, *type;
} fixed[] = {{"population", "number"}, {"region", "text"}, {"department", "text"}, {"type", "text"}};
#define NFIXED (sizeof fixed / sizeof fixed[0])

static int is_fixed(const char *name)
{
	for (size_t k = 0; k < NFIXED; k++)
		if (strcmp(fixed[k].name, name) == 0)
			return 1;
	return 0;
}

/* The a-th name the rules read that is not a fixed one, or NULL. */
static const char *extra(const pal_rubric *r, size_t a)
{
	for (size_t k = 0; k < r->ntown_attrs; k++)
		if (!is_fixed(r->town_attrs[k]) && a-- == 0)
			return r->town_attrs[k];
	return NULL;
}

size_t pal_rubric_count_town_attrs(const pal_rubric *r)
{
	size_t n = NFIXED;
	for (size_t k = 0; k < r->ntown_attrs; k++)
		n += !is_fixed(r->town_attrs[k]);
	return n;
}

const char *pal_rubric_town_attr_name(const pal_rubric *r, size_t a)
{
	return a < NFIXED ? fixed[a].name : extra(r, a - NFIXED);
}

const char *pal_rubric_town_attr_type(const pal_rubric *r, size_t a)
{
	(void)r;
	return a < NFIXED ? fixed[a].type : "any";
}

int pal_rubric_town_attr_used(const pal_rubric *r, size_t a)
{
	if (a >= NFIXED)
		return 1;
	for (size_t k = 0; k < r->ntown_attrs; k++)
		if (strcmp(r->town_attrs[k], fixed[a].name) == 0)
			return 1;
	return 0;
}
