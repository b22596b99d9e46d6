/*
 * Rubric loader (SPEC §1): reads the JSON file with jansson, walks it once
 * checking every field, and builds the arena-backed pal_rubric. Problems are
 * collected with the JSON pointer of the value concerned, then turned into
 * line:column positions by one rescan and appended to diags in the order of
 * the file (jsonload.h), so that every problem of a rubric is reported in one
 * run. The rules, levels and mentions are read by rubric_awards.c.
 *
 * When adding a rubric field: accept it in the field list of its object
 * below, validate it, store it in model.h, and describe it in docs/rubric.md (a row of
 * its table: tests/cli/userdocs.py checks every key of these tables is there)
 * and `palmares template --format schema` if it concerns dossiers.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "rubric_int.h"
#include "sha256.h"
#include "rule.h"
#include "text.h"

#define MAX_RUBRIC_BYTES (64L * 1024 * 1024)

static int valid_id(const char *s, int allow_dots)
{
	if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (const char *p = s + 1; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(islower(c) || isdigit(c) || c == '-' || (allow_dots && (c == '.' || c == '_'))))
			return 0;
	}
	return 1;
}

/* A JSON string of s through the neutraliser (text.h); NULL with L->oom when out of memory. */
static json_t *clean_string(struct loader *L, const char *s)
{
	char *t = palx_text_clean(s);
	json_t *v = t ? json_string(t) : NULL;
	free(t);
	if (!v)
		L->oom = 1;
	return v;
}

/*
 * The text as the results and documents will show it: every string (and
 * language key) cleaned, like any text of a dossier (docs/decisions.md).
 * Returns a new reference, or NULL with L->oom set.
 */
static json_t *clean_text(struct loader *L, json_t *v)
{
	if (json_is_string(v))
		return clean_string(L, json_string_value(v));
	json_t *out = json_object();
	const char *lang;
	json_t *t;
	if (!out) {
		L->oom = 1;
		return NULL;
	}
	json_object_foreach(v, lang, t) {
		char *k = palx_text_clean(lang);
		json_t *c = clean_string(L, json_string_value(t));
		if (!k || !c || json_object_set_new(out, k, c)) {
			if (!c || !k)
				json_decref(c);
			free(k);
			json_decref(out);
			L->oom = 1;
			return NULL;
		}
		free(k);
	}
	return out;
}

/*
 * Names the rubric's input is matched against (level names, option ids) are
 * refused rather than cleaned when they hold a control or bidirectional
 * character: cleaning would make them differ from what organizers type.
 */
int eng_rubric_visible_name(struct loader *L, const char *what, const char *name)
{
	char w[512], ex[160];
	if (palx_text_is_clean(name))
		return 1;
	where(L, w, sizeof w);
	palx_text_excerpt(name, strlen(name), 100, ex, sizeof ex);
	problem(L, "%s: %s \"%s\" holds an invisible or control character (shown as <U+...>)", w,
	        what, ex);
	return 0;
}

/* Texts: a string, or an object of language code -> string. Returns a new reference. */
json_t *eng_rubric_text_field(struct loader *L, json_t *obj, const char *key, int required)
{
	json_t *v = get(L, obj, key, required);
	if (!v)
		return NULL;
	size_t s = enter(L, key);
	json_t *out = NULL;
	if (json_is_string(v)) {
		out = clean_text(L, v);
	} else if (json_is_object(v) && json_object_size(v) > 0) {
		const char *lang;
		json_t *t;
		int ok = 1;
		json_object_foreach(v, lang, t) {
			if (!json_is_string(t)) {
				size_t s2 = enter(L, lang);
				expected(L, "a string", t);
				leave(L, s2);
				ok = 0;
			}
		}
		if (ok)
			out = clean_text(L, v);
	} else {
		expected(L, "a text (a string or an object of language -> string)", v);
	}
	leave(L, s);
	return out;
}

/*
 * A description (of a category or a criterion) for the programs that show
 * the rubric (palmares/rubric.h): kept when it is a text, cleaned like a
 * title, and never checked, as it never was before it was kept, so that no
 * rubric that loaded fails to load now. NULL when absent or not a text.
 */
static json_t *quiet_text(struct loader *L, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	const char *lang;
	json_t *t;
	if (!json_is_string(v) && !(json_is_object(v) && json_object_size(v) > 0))
		return NULL;
	if (json_is_object(v))
		json_object_foreach(v, lang, t)
			if (!json_is_string(t))
				return NULL;
	return clean_text(L, v);
}

/* Points: a number > 0 with at most two decimals. */
static double points_field(struct loader *L, json_t *v)
{
	char w[512];
	where(L, w, sizeof w);
	if (!is_number(v)) {
		expected(L, "a number > 0", v);
		return 0;
	}
	double p = json_number_value(v);
	if (!(p > 0) || p > 1e9) {
		problem(L, "%s: expected a number > 0, found %s", w, NUM(p));
		return 0;
	}
	double cents = p * 100;
	if (fabs(cents - nearbyint(cents)) > 1e-6) {
		problem(L, "%s: points have at most two decimals, found %s", w, NUM(p));
		return 0;
	}
	return p;
}

static int fraction_ok(struct loader *L, json_t *v, double *out)
{
	char w[512];
	where(L, w, sizeof w);
	if (!is_number(v)) {
		expected(L, "a fraction in [0, 1]", v);
		return 0;
	}
	double f = json_number_value(v);
	if (!(f >= 0 && f <= 1)) {
		problem(L, "%s: expected a fraction in [0, 1], found %s", w, NUM(f));
		return 0;
	}
	*out = f;
	return 1;
}

/* ---- criteria ---- */

static void load_steps(struct loader *L, pal_criterion *c, json_t *steps)
{
	char w[512];
	size_t s = enter(L, "steps");
	where(L, w, sizeof w);
	if (!json_is_array(steps) || json_array_size(steps) == 0) {
		expected(L, "a non-empty list of [threshold, fraction]", steps);
		leave(L, s);
		return;
	}
	size_t n = json_array_size(steps);
	c->steps = palx_arena_alloc(&L->r->arena, n * sizeof(*c->steps));
	if (!c->steps) {
		L->oom = 1;
		leave(L, s);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *st = json_array_get(steps, i);
		size_t s2 = enter_index(L, i);
		double f = 0;
		if (!json_is_array(st) || json_array_size(st) != 2 || !is_number(json_array_get(st, 0))) {
			expected(L, "[threshold, fraction]", st);
		} else if (fraction_ok(L, json_array_get(st, 1), &f)) {
			double t = json_number_value(json_array_get(st, 0));
			where(L, w, sizeof w);
			if (t < 0)
				problem(L, "%s: thresholds are numbers >= 0, found %s", w, NUM(t));
			if (c->nsteps > 0 && !(t > c->steps[c->nsteps - 1][0]))
				problem(L, "%s: thresholds must be strictly increasing (%s after %s)", w, NUM(t),
				        NUM(c->steps[c->nsteps - 1][0]));
			else if (c->nsteps > 0 && f < c->steps[c->nsteps - 1][1])
				problem(L, "%s: fractions must not decrease (%s after %s)", w, NUM(f),
				        NUM(c->steps[c->nsteps - 1][1]));
			c->steps[c->nsteps][0] = t;
			c->steps[c->nsteps][1] = f;
			c->nsteps++;
		}
		leave(L, s2);
	}
	leave(L, s);
}

static void load_options(struct loader *L, pal_criterion *c, json_t *opts)
{
	char w[512];
	size_t s = enter(L, "options");
	if (!json_is_object(opts) || json_object_size(opts) == 0) {
		expected(L, "a non-empty object of option id -> fraction", opts);
		leave(L, s);
		return;
	}
	/*
	 * Answers name options case-insensitively: a hash table finds one in O(1)
	 * (answer.c), and finds ids differing only by case here. Comparing each
	 * option with the ones before it took 12 s for 100,000 options.
	 */
	size_t nopts = json_object_size(opts), cap = 16;
	while (cap < 2 * nopts)
		cap *= 2;
	c->options = palx_arena_alloc(&L->r->arena, nopts * sizeof(*c->options));
	c->option_slots = palx_arena_alloc(&L->r->arena, cap * sizeof(*c->option_slots));
	c->option_cap = cap;
	if (!c->options || !c->option_slots) {
		L->oom = 1;
		c->option_slots = NULL;
		leave(L, s);
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(opts, key, v) {
		size_t s2 = enter(L, key), klen = strlen(key);
		double f;
		where(L, w, sizeof w);
		if (key[0] && !visible_name(L, "option id", key))
			; /* reported */
		else if (key[0] == '\0' || strchr(key, '|'))
			problem(L, "%s: an option id is non-empty and has no \"|\"", w);
		size_t k = (size_t)palx_text_word_hash(key, klen) & (cap - 1);
		for (; c->option_slots[k]; k = (k + 1) & (cap - 1)) {
			const char *id = c->options[c->option_slots[k] - 1].id;
			if (palx_text_same_word(id, strlen(id), key, klen))
				problem(L, "%s: options \"%s\" and \"%s\" are the same answer (answers match "
				        "options ignoring case, accents and the difference between spaces, "
				        "\"-\" and \"_\")", w, id, key);
		}
		if (fraction_ok(L, v, &f)) {
			c->options[c->noptions].id = palx_arena_strdup(&L->r->arena, key);
			c->options[c->noptions].fraction = f;
			if (!c->options[c->noptions].id)
				L->oom = 1;
			else
				c->option_slots[k] = (uint32_t)++c->noptions;
		}
		leave(L, s2);
	}
	leave(L, s);
}

static void load_scale(struct loader *L, pal_criterion *c, json_t *sc)
{
	size_t s = enter(L, "scale");
	char w[512];
	where(L, w, sizeof w);
	if (!json_is_array(sc) || json_array_size(sc) != 2 || !is_number(json_array_get(sc, 0)) ||
	    !is_number(json_array_get(sc, 1))) {
		expected(L, "a scale [min, max]", sc);
	} else {
		c->scale_min = json_number_value(json_array_get(sc, 0));
		c->scale_max = json_number_value(json_array_get(sc, 1));
		if (!(c->scale_max > c->scale_min))
			problem(L, "%s: the scale is empty: max (%s) must be greater than min (%s)", w,
			        NUM(c->scale_max), NUM(c->scale_min));
	}
	leave(L, s);
}

/* The fields only some kinds take, by name; a kind's row of eng_kinds[] (kinds.c) says which. */
static const struct {
	const char *name;
	unsigned field;
} kind_specific[] = {{"points", PAL_FIELD_POINTS}, {"steps", PAL_FIELD_STEPS},
                     {"options", PAL_FIELD_OPTIONS}, {"scale", PAL_FIELD_SCALE}};

static int kind_takes(pal_kind k, unsigned field)
{
	return (eng_kinds[k].fields & field) != 0;
}

static void load_criterion(struct loader *L, pal_criterion *c, json_t *obj)
{
	static const char *const keys[] = {"id", "title", "description", "kind", "points", "steps",
		"options", "scale", "applies", "allow_na", "evidence", NULL};
	char w[512];
	check_keys(L, obj, keys);
	json_t *kind = get(L, obj, "kind", 1);
	c->kind = PAL_KIND_INFO;
	if (kind) {
		size_t s = enter(L, "kind");
		int k = json_is_string(kind) ? eng_kind_find(json_string_value(kind)) : -1;
		if (k < 0) {
			char kinds[160], what[180];
			eng_kind_list(kinds, sizeof kinds);
			snprintf(what, sizeof what, "a kind (%s)", kinds);
			where(L, w, sizeof w);
			if (json_is_string(kind))
				problem(L, "%s: unknown kind \"%s\" (%s)", w, json_string_value(kind), kinds);
			else
				expected(L, what, kind);
			leave(L, s);
			return;
		}
		c->kind = (pal_kind)k;
		leave(L, s);
	} else {
		return;
	}
	for (size_t f = 0; f < sizeof kind_specific / sizeof kind_specific[0]; f++) {
		json_t *v = json_object_get(obj, kind_specific[f].name);
		if (v && !kind_takes(c->kind, kind_specific[f].field)) {
			size_t s = enter(L, kind_specific[f].name);
			where(L, w, sizeof w);
			problem(L, "%s: %s %s criterion has no %s", w, eng_kinds[c->kind].article,
			        eng_kinds[c->kind].name, kind_specific[f].name);
			leave(L, s);
		}
	}
	c->title = text_field(L, obj, "title", 0);
	c->description = quiet_text(L, obj, "description");
	json_t *v;
	if (kind_takes(c->kind, PAL_FIELD_POINTS) && (v = get(L, obj, "points", 1))) {
		size_t s = enter(L, "points");
		c->points = points_field(L, v);
		leave(L, s);
	}
	if (kind_takes(c->kind, PAL_FIELD_STEPS) && (v = get(L, obj, "steps", 1)))
		load_steps(L, c, v);
	if (kind_takes(c->kind, PAL_FIELD_OPTIONS) && (v = get(L, obj, "options", 1)))
		load_options(L, c, v);
	if (kind_takes(c->kind, PAL_FIELD_SCALE) && (v = get(L, obj, "scale", 1)))
		load_scale(L, c, v);
	c->applies = rule_field(L, obj, "applies", 0, 1, 0);
	if ((v = json_object_get(obj, "allow_na"))) {
		size_t s = enter(L, "allow_na");
		if (!json_is_boolean(v))
			expected(L, "true or false", v);
		c->allow_na = json_is_true(v);
		leave(L, s);
	}
	if ((v = json_object_get(obj, "evidence"))) {
		size_t s = enter(L, "evidence");
		const char *e = json_string_value(v);
		if (e && strcmp(e, "none") == 0)
			c->evidence = PAL_EVIDENCE_NONE;
		else if (e && strcmp(e, "optional") == 0)
			c->evidence = PAL_EVIDENCE_OPTIONAL;
		else if (e && strcmp(e, "required") == 0)
			c->evidence = PAL_EVIDENCE_REQUIRED;
		else
			expected(L, "\"none\", \"optional\" or \"required\"", v);
		leave(L, s);
	}
}

/* ---- ids ---- */

const char *eng_rubric_id_field(struct loader *L, json_t *obj, int allow_dots)
{
	json_t *v = get(L, obj, "id", 1);
	char w[512];
	if (!v)
		return NULL;
	size_t s = enter(L, "id");
	const char *out = NULL;
	where(L, w, sizeof w);
	if (!json_is_string(v))
		expected(L, "an id (a string)", v);
	else if (!valid_id(json_string_value(v), allow_dots))
		problem(L, "%s: invalid id \"%s\": ids match [a-z0-9][a-z0-9-]*%s", w,
		        json_string_value(v), allow_dots ? " (dots and underscores allowed)" : "");
	else if (!(out = palx_arena_strdup(&L->r->arena, json_string_value(v))))
		L->oom = 1;
	leave(L, s);
	return out;
}

/*
 * Sorted index of ids for binary search: criteria then categories. qsort has
 * no context argument in C11, and a static pointer to the rubric would make
 * two threads loading rubrics at once (the web front's pool) sort each
 * other's: the comparator sees (id, index) pairs instead.
 */
struct id_at {
	const char *id;
	size_t i;
};
static int by_crit_id(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->i > y->i) - (x->i < y->i); /* duplicates, reported later: in file order */
}

/* Category and criterion ids share one namespace. */
static void check_unique_ids(struct loader *L)
{
	pal_rubric *r = L->r;
	/* An empty id is a missing or invalid one, already reported: no duplicates of it. */
	for (size_t i = 0; i < r->ncategories; i++)
		for (size_t j = i + 1; j < r->ncategories; j++)
			if (*r->categories[i].id && strcmp(r->categories[i].id, r->categories[j].id) == 0) {
				palx_jsonload_set_ptr(&L->j, "/categories/%zu/id", j);
				problem(L, "categories[%zu].id: duplicate id \"%s\" (also categories[%zu])", j,
				        r->categories[j].id, i);
			}
	for (size_t k = 0; k + 1 < r->ncriteria; k++) {
		const pal_criterion *a = &r->criteria[r->crit_order[k]];
		const pal_criterion *b = &r->criteria[r->crit_order[k + 1]];
		if (*a->id && strcmp(a->id, b->id) == 0) {
			size_t i = r->crit_order[k + 1];
			size_t cat = b->category, in = i - r->categories[cat].first;
			palx_jsonload_set_ptr(&L->j, "/categories/%zu/criteria/%zu/id", cat, in);
			problem(L, "categories[%zu].criteria[%zu].id: duplicate criterion id \"%s\"", cat, in,
			        b->id);
		}
	}
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *a = &r->criteria[i];
		if (*a->id && eng_rubric_find_category(r, a->id) >= 0) {
			size_t in = i - r->categories[a->category].first;
			palx_jsonload_set_ptr(&L->j, "/categories/%zu/criteria/%zu/id", a->category, in);
			problem(L, "categories[%zu].criteria[%zu].id: \"%s\" is also a category id (ids are "
			        "shared by categories and criteria)", a->category, in, a->id);
		}
	}
	palx_jsonload_set_ptr(&L->j, "%s", "");
}

long eng_rubric_find_criterion(const pal_rubric *r, const char *id)
{
	size_t lo = 0, hi = r->ncriteria;
	if (!r->crit_order) {
		for (size_t i = 0; i < r->ncriteria; i++)
			if (r->criteria[i].id && strcmp(r->criteria[i].id, id) == 0)
				return (long)i;
		return -1;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->criteria[r->crit_order[mid]].id, id);
		if (c == 0)
			return (long)r->crit_order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long eng_rubric_find_category(const pal_rubric *r, const char *id)
{
	for (size_t i = 0; i < r->ncategories; i++)
		if (r->categories[i].id && strcmp(r->categories[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* ---- categories: first pass reads ids and criteria, rules come after ids are known ---- */

static void load_categories(struct loader *L, json_t *cats)
{
	static const char *const keys[] = {"id", "title", "description", "not_applicable", "criteria",
	                                   NULL};
	pal_rubric *r = L->r;
	size_t s = enter(L, "categories");
	size_t total = 0;
	if (!json_is_array(cats) || json_array_size(cats) == 0) {
		expected(L, "a non-empty list of categories", cats);
		leave(L, s);
		return;
	}
	for (size_t i = 0; i < json_array_size(cats); i++) {
		json_t *crits = json_object_get(json_array_get(cats, i), "criteria");
		total += json_is_array(crits) ? json_array_size(crits) : 0;
	}
	r->categories = palx_arena_alloc(&r->arena, json_array_size(cats) * sizeof(*r->categories));
	r->criteria = palx_arena_alloc(&r->arena, (total ? total : 1) * sizeof(*r->criteria));
	if (!r->categories || !r->criteria) {
		L->oom = 1;
		leave(L, s);
		return;
	}
	for (size_t i = 0; i < json_array_size(cats); i++) {
		json_t *cat = json_array_get(cats, i);
		size_t s2 = enter_index(L, i);
		if (!json_is_object(cat)) {
			expected(L, "a category (an object)", cat);
			leave(L, s2);
			continue;
		}
		check_keys(L, cat, keys);
		const char *id = id_field(L, cat, 0);
		pal_category *c = &r->categories[r->ncategories];
		c->id = id ? id : "";
		c->title = text_field(L, cat, "title", 0);
		c->description = quiet_text(L, cat, "description");
		json_t *na = json_object_get(cat, "not_applicable");
		if (na) {
			size_t s3 = enter(L, "not_applicable");
			const char *v = json_string_value(na);
			if (v && strcmp(v, "exclude") == 0)
				c->exclude = 1;
			else if (!v || strcmp(v, "redistribute") != 0)
				expected(L, "\"redistribute\" or \"exclude\"", na);
			leave(L, s3);
		}
		c->first = r->ncriteria;
		json_t *crits = get(L, cat, "criteria", 1);
		if (crits) {
			size_t s3 = enter(L, "criteria");
			if (!json_is_array(crits) || json_array_size(crits) == 0)
				expected(L, "a non-empty list of criteria", crits);
			else
				for (size_t k = 0; k < json_array_size(crits); k++) {
					json_t *cr = json_array_get(crits, k);
					size_t s4 = enter_index(L, k);
					pal_criterion *p = &r->criteria[r->ncriteria];
					if (!json_is_object(cr)) {
						expected(L, "a criterion (an object)", cr);
					} else {
						const char *cid = id_field(L, cr, 0);
						p->id = cid ? cid : "";
						p->category = r->ncategories;
						r->ncriteria++;
					}
					leave(L, s4);
				}
			leave(L, s3);
		}
		c->count = r->ncriteria - c->first;
		r->ncategories++;
		leave(L, s2);
	}
	leave(L, s);
}

/* Second pass over criteria, once every id is known (rules may name any of them). */
static void load_criteria_details(struct loader *L, json_t *cats)
{
	pal_rubric *r = L->r;
	size_t s = enter(L, "categories");
	size_t ci = 0;
	for (size_t i = 0; i < json_array_size(cats); i++) {
		json_t *crits = json_object_get(json_array_get(cats, i), "criteria");
		size_t s2 = enter_index(L, i);
		size_t s3 = enter(L, "criteria");
		for (size_t k = 0; json_is_array(crits) && k < json_array_size(crits); k++) {
			json_t *cr = json_array_get(crits, k);
			if (!json_is_object(cr))
				continue;
			size_t s4 = enter_index(L, k);
			pal_criterion *c = &r->criteria[ci++];
			load_criterion(L, c, cr);
			if (c->kind == PAL_KIND_JURY)
				c->jury_index = r->njury++;
			leave(L, s4);
		}
		leave(L, s3);
		leave(L, s2);
	}
	leave(L, s);
}

/* ---- jury ---- */

static int int_field(struct loader *L, json_t *obj, const char *key, long min, long max, long def)
{
	json_t *v = json_object_get(obj, key);
	char w[512];
	if (!v)
		return (int)def;
	size_t s = enter(L, key);
	long out = def;
	where(L, w, sizeof w);
	if (!json_is_integer(v))
		expected(L, "an integer", v);
	else if (json_integer_value(v) < min || json_integer_value(v) > max)
		problem(L, "%s: expected an integer from %ld to %ld, found %lld", w, min, max,
		        (long long)json_integer_value(v));
	else
		out = (long)json_integer_value(v);
	leave(L, s);
	return (int)out;
}

static void load_jury(struct loader *L, json_t *jury)
{
	static const char *const keys[] = {"aggregate", "min_marks", "disagreement", "calibrate",
	                                   "calibrate_min", NULL};
	pal_rubric *r = L->r;
	char w[512];
	r->min_marks = 1;
	r->disagreement = -1;
	r->calibrate_min = 5;
	if (!jury)
		return;
	size_t s = enter(L, "jury");
	if (!json_is_object(jury)) {
		expected(L, "an object", jury);
		leave(L, s);
		return;
	}
	check_keys(L, jury, keys);
	json_t *v = json_object_get(jury, "aggregate");
	if (v) {
		size_t s2 = enter(L, "aggregate");
		const char *a = json_string_value(v);
		if (!a || eng_aggregate_parse(a, &r->aggregate) != 0)
			expected(L, "\"mean\", \"median\" or \"trimmed-mean\"", v);
		leave(L, s2);
	}
	r->min_marks = int_field(L, jury, "min_marks", 0, 1000, 1);
	r->calibrate_min = int_field(L, jury, "calibrate_min", 1, 1000000, 5);
	if ((v = json_object_get(jury, "disagreement"))) {
		size_t s2 = enter(L, "disagreement");
		where(L, w, sizeof w);
		if (!is_number(v))
			expected(L, "a number >= 0", v);
		else if (json_number_value(v) < 0)
			problem(L, "%s: expected a number >= 0, found %s", w, NUM(json_number_value(v)));
		else
			r->disagreement = json_number_value(v);
		leave(L, s2);
	}
	if ((v = json_object_get(jury, "calibrate"))) {
		size_t s2 = enter(L, "calibrate");
		const char *c = json_string_value(v);
		if (c && strcmp(c, "z") == 0)
			r->calibrate_z = 1;
		else if (!c || strcmp(c, "none") != 0)
			expected(L, "\"none\" or \"z\"", v);
		leave(L, s2);
	}
	leave(L, s);
}

/* ---- loading ---- */

static void load_top(struct loader *L, json_t *root)
{
	static const char *const keys[] = {"format", "id", "edition", "label", "description",
		"language", "categories", "jury", "levels", "mentions", NULL};
	pal_rubric *r = L->r;
	char w[512];
	if (!json_is_object(root)) {
		expected(L, "a rubric (a JSON object)", root);
		return;
	}
	check_keys(L, root, keys);
	json_t *f = get(L, root, "format", 1);
	if (f && (!json_is_string(f) || strcmp(json_string_value(f), "palmares-rubric/1") != 0)) {
		size_t s = enter(L, "format");
		if (json_is_string(f))
			problem(L, "format: expected \"palmares-rubric/1\", found \"%s\"", json_string_value(f));
		else
			expected(L, "\"palmares-rubric/1\"", f);
		leave(L, s);
	}
	const char *id = id_field(L, root, 1);
	r->id = id ? id : "";
	json_t *ed = get(L, root, "edition", 1);
	if (ed) {
		size_t s = enter(L, "edition");
		if (!json_is_integer(ed))
			expected(L, "a year (an integer)", ed);
		else
			r->edition = (long)json_integer_value(ed);
		leave(L, s);
	}
	r->label = text_field(L, root, "label", 1);
	json_t *lang = json_object_get(root, "language");
	r->language = "fr";
	if (lang) {
		size_t s = enter(L, "language");
		where(L, w, sizeof w);
		if (!json_is_string(lang) || json_string_length(lang) < 2 || json_string_length(lang) > 16 ||
		    !palx_text_is_clean(json_string_value(lang)))
			expected(L, "a language code such as \"fr\"", lang);
		else if (!(r->language = palx_arena_strdup(&r->arena, json_string_value(lang))))
			L->oom = 1;
		leave(L, s);
	}
	json_t *cats = get(L, root, "categories", 1);
	if (cats)
		load_categories(L, cats);
	r->crit_order = palx_arena_alloc(&r->arena, (r->ncriteria + 1) * sizeof(size_t));
	if (!r->crit_order) {
		L->oom = 1;
		return;
	}
	struct id_at *pairs = malloc((r->ncriteria + 1) * sizeof *pairs);
	if (!pairs) {
		L->oom = 1;
		return;
	}
	for (size_t i = 0; i < r->ncriteria; i++)
		pairs[i] = (struct id_at){r->criteria[i].id, i};
	qsort(pairs, r->ncriteria, sizeof *pairs, by_crit_id);
	for (size_t i = 0; i < r->ncriteria; i++)
		r->crit_order[i] = pairs[i].i;
	free(pairs);
	check_unique_ids(L);
	if (cats)
		load_criteria_details(L, cats);
	load_jury(L, json_object_get(root, "jury"));
	json_t *levels = get(L, root, "levels", 1);
	if (levels)
		eng_rubric_load_levels(L, levels);
	json_t *mentions = json_object_get(root, "mentions");
	if (mentions)
		eng_rubric_load_mentions(L, mentions);
}

/* The rubric in text[0..len), named path in messages; the text stays the caller's. */
static pal_rubric *load_text(const char *path, const char *text, size_t len, pal_diags *diags, int *status)
{
	/* Problems are reported in the order of the file, as a compiler would. */
	struct loader L = {.j = {.path = path, .flags = PALX_JSONLOAD_SORTED,
	                         .oom_text = "out of memory while loading the rubric"}};
	json_t *root = palx_jsonload_parse(&L.j, text, len, "malformed JSON: %s", diags);
	if (!root) {
		*status = L.j.oom ? PAL_IOERR : PAL_REJECTED;
		return NULL;
	}
	pal_rubric *r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(root);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while loading the rubric");
		*status = PAL_IOERR;
		return NULL;
	}
	palx_arena_init(&r->arena, 0);
	r->path = palx_arena_strdup(&r->arena, path);
	unsigned char digest[PALX_SHA256_LEN];
	palx_sha256(text, len, digest);
	palx_sha256_hex(digest, r->sha256);
	L.r = r;
	L.oom = !r->path;
	load_top(&L, root);
	L.j.oom |= L.oom;
	if (L.j.nprobs || L.j.oom)
		palx_jsonload_flush(&L.j, text, len, 0, diags, NULL, NULL);
	if (L.j.nerrors || L.j.oom) {
		pal_rubric_free(r);
		r = NULL;
		*status = L.j.oom ? PAL_IOERR : PAL_REJECTED; /* out of memory: as for the other inputs */
	} else {
		*status = PAL_OK;
	}
	json_decref(root);
	return r;
}

pal_rubric *pal_rubric_load(const char *path, pal_diags *diags, int *status)
{
	char *text;
	size_t len;
	int st = palx_file_read(path, MAX_RUBRIC_BYTES, &text, &len, diags);
	if (st) {
		*status = st;
		return NULL;
	}
	pal_rubric *r = load_text(path, text, len, diags, status);
	free(text);
	return r;
}

pal_rubric *pal_rubric_load_text(const char *name, const char *text, size_t len, pal_diags *diags, int *status)
{
	if (len > MAX_RUBRIC_BYTES) { /* as for a file: not read at all */
		pal_diags_add(diags, PAL_ERROR, name, 0, 0, "file is larger than the limit of %zu bytes",
		              (size_t)MAX_RUBRIC_BYTES);
		*status = PAL_IOERR;
		return NULL;
	}
	return load_text(name, text, len, diags, status);
}

void pal_rubric_free(pal_rubric *r)
{
	if (!r)
		return;
	json_decref(r->label);
	for (size_t i = 0; i < r->ncategories; i++) {
		json_decref(r->categories[i].title);
		json_decref(r->categories[i].description);
	}
	for (size_t i = 0; i < r->ncriteria; i++) {
		json_decref(r->criteria[i].title);
		json_decref(r->criteria[i].description);
		json_decref(r->criteria[i].applies);
	}
	for (size_t i = 0; i < r->nlevels; i++)
		json_decref(r->levels[i].requires);
	for (size_t i = 0; i < r->nmentions; i++) {
		json_decref(r->mentions[i].name);
		json_decref(r->mentions[i].when);
	}
	palx_arena_release(&r->arena);
	free(r);
}

const char *eng_rubric_text(const pal_rubric *r, const json_t *text, const char *lang)
{
	if (!text)
		return NULL;
	if (json_is_string(text))
		return json_string_value(text);
	const char *s = lang ? json_string_value(json_object_get(text, lang)) : NULL;
	if (!s && r)
		s = json_string_value(json_object_get(text, r->language));
	if (!s) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)text, k, v) {
			if (json_is_string(v))
				return json_string_value(v);
		}
	}
	return s;
}

const char *pal_rubric_id(const pal_rubric *r) { return r->id; }
long pal_rubric_edition(const pal_rubric *r) { return r->edition; }
size_t pal_rubric_count_criteria(const pal_rubric *r) { return r->ncriteria; }
size_t pal_rubric_count_categories(const pal_rubric *r) { return r->ncategories; }
size_t pal_rubric_count_levels(const pal_rubric *r) { return r->nlevels; }
size_t pal_rubric_count_jury(const pal_rubric *r) { return r->njury; }
