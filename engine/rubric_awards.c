/*
 * The rubric's rules and the awards they decide (SPEC §1): every rule of a
 * rubric (a criterion's applies, a level's requires, a mention's when) is
 * checked here against the ids the rubric defines, with a suggestion for a
 * near miss, and the levels and mentions are read. Called by rubric.c once
 * the categories and criteria, whose ids the rules name, are known.
 */
#include <stdlib.h>
#include <string.h>

#include "rubric_int.h"
#include "rule.h"
#include "text.h"

/* ---- rules ---- */

struct var_ctx {
	struct loader *L;
	const char *rule_name;   /* e.g. levels[4].requires */
	int applies;             /* applies rules see town and answers only */
	int mention;             /* mention rules may use `level` */
};

static int field_in(const char *f, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(f, *list) == 0)
			return 1;
	return 0;
}

/*
 * ": did you mean \"x\"?" for word among the criterion ids (cats 0), the
 * category ids (cats 1) or a fixed list, into buf; "" when nothing is close.
 * Out of memory only loses the suggestion: the problem is reported anyway.
 */
static const char *suggest(const pal_rubric *r, const char *word, int cats,
                           const char *const *fixed, char *buf, size_t len)
{
	const char *best = NULL;
	buf[0] = '\0';
	if (fixed) {
		size_t n = 0;
		while (fixed[n])
			n++;
		best = pal_text_closest(word, fixed, n);
	} else {
		size_t n = cats ? r->ncategories : r->ncriteria;
		const char **ids = malloc((n ? n : 1) * sizeof(*ids));
		if (!ids)
			return buf;
		for (size_t i = 0; i < n; i++)
			ids[i] = cats ? r->categories[i].id : r->criteria[i].id;
		best = pal_text_closest(word, ids, n);
		free(ids);
	}
	if (best)
		snprintf(buf, len, ": did you mean \"%s\"?", best);
	return buf;
}

/*
 * Keeps the name of a town attribute a rule reads (town.<name>, but its id
 * and name), once, in the order of the file: what a program that builds the
 * dossier form asks for (palmares/rubric.h, rubric_view.c).
 */
static void note_town_attr(struct loader *L, const char *name)
{
	pal_rubric *r = L->r;
	if (!*name || strcmp(name, "id") == 0 || strcmp(name, "name") == 0)
		return;
	for (size_t i = 0; i < r->ntown_attrs; i++)
		if (strcmp(r->town_attrs[i], name) == 0)
			return;
	size_t n = r->ntown_attrs;
	if ((n & (n - 1)) == 0) { /* 0, 1, 2, 4…: full, grow to twice (the old copy stays in the arena) */
		const char **v = palx_arena_alloc(&r->arena, (n ? 2 * n : 1) * sizeof(*v));
		if (!v) {
			L->oom = 1;
			return;
		}
		if (n)
			memcpy(v, r->town_attrs, n * sizeof(*v));
		r->town_attrs = v;
	}
	if (!(r->town_attrs[n] = palx_arena_strdup(&r->arena, name))) {
		L->oom = 1;
		return;
	}
	r->ntown_attrs++;
}

/* Checks one constant var path of a rule against the rubric's ids. */
static void check_var(void *ctx, const char *path)
{
	static const char *const crit_fields[] = {"fraction", "points", "max", "applicable", NULL};
	static const char *const cat_fields[] = {"points", "max", "percent", NULL};
	static const char *const heads[] = {"town", "answers", "criteria", "categories", "total",
	                                    "level", "history", NULL};
	static const char *const town_fields[] = {"id", "name", "population", "region", "department",
	                                          "type", NULL};
	struct var_ctx *vc = ctx;
	struct loader *L = vc->L;
	pal_rubric *r = L->r;
	char head[128], id[256], hint[300];
	const char *rest = NULL, *rest2 = NULL;
	size_t n = strcspn(path, ".");
	char w[512];

	where(L, w, sizeof w);
	if (path[0] == '\0')
		return; /* the whole data */
	snprintf(head, sizeof head, "%.*s", (int)n, path);
	if (path[n] == '.') {
		rest = path + n + 1;
		size_t m = strcspn(rest, ".");
		snprintf(id, sizeof id, "%.*s", (int)m, rest);
		if (rest[m] == '.')
			rest2 = rest + m + 1;
	}
	if (vc->applies && strcmp(head, "town") != 0 && strcmp(head, "answers") != 0) {
		problem(L, "%s: \"%s\": applies rules see only town and answers", w, path);
		return;
	}
	if (strcmp(head, "town") == 0 && rest && !rest2)
		note_town_attr(L, id);
	if (strcmp(head, "town") == 0 && rest && !rest2 && !field_in(id, town_fields) &&
	    *suggest(r, id, 0, town_fields, hint, sizeof hint)) {
		/* any town.<attr> may be given by dossiers: a likely typo, not an error */
		warning(L, "%s: \"%s\": not a field palmares knows%s (towns without a \"%s\" attribute "
		        "give null)", w, path, hint, id);
		return;
	}
	if (strcmp(head, "town") == 0 || strcmp(head, "history") == 0)
		return;
	if (strcmp(head, "level") == 0) {
		if (!vc->mention)
			problem(L, "%s: \"%s\": the level is known to mention rules only", w, path);
		return;
	}
	if (strcmp(head, "answers") == 0) {
		if (rest && eng_rubric_find_criterion(r, id) < 0)
			problem(L, "%s: \"%s\": no criterion \"%s\" in this rubric%s", w, path, id,
			        suggest(r, id, 0, NULL, hint, sizeof hint));
		return;
	}
	if (strcmp(head, "criteria") == 0) {
		if (!rest)
			return;
		if (eng_rubric_find_criterion(r, id) < 0)
			problem(L, "%s: \"%s\": no criterion \"%s\" in this rubric%s", w, path, id,
			        suggest(r, id, 0, NULL, hint, sizeof hint));
		else if (rest2 && !field_in(rest2, crit_fields))
			problem(L, "%s: \"%s\": %sa criterion has fraction, points, max and applicable", w,
			        path, *suggest(r, rest2, 0, crit_fields, hint, sizeof hint) ? hint + 2 : "");
		return;
	}
	if (strcmp(head, "categories") == 0) {
		if (!rest)
			return;
		if (eng_rubric_find_category(r, id) < 0)
			problem(L, "%s: \"%s\": no category \"%s\" in this rubric%s", w, path, id,
			        suggest(r, id, 1, NULL, hint, sizeof hint));
		else if (rest2 && !field_in(rest2, cat_fields))
			problem(L, "%s: \"%s\": %sa category has points, max and percent", w, path,
			        *suggest(r, rest2, 0, cat_fields, hint, sizeof hint) ? hint + 2 : "");
		return;
	}
	if (strcmp(head, "total") == 0) {
		if (rest && (rest2 || !field_in(id, cat_fields)))
			problem(L, "%s: \"%s\": %stotal has points, max and percent", w, path,
			        *suggest(r, rest2 ? rest2 : id, 0, cat_fields, hint, sizeof hint) ? hint + 2
			                                                                       : "");
		return;
	}
	if (*suggest(r, head, 0, heads, hint, sizeof hint))
		problem(L, "%s: \"%s\": unknown data%s", w, path, hint);
	else
		problem(L, "%s: \"%s\": unknown data (rules see town, answers, criteria, categories, "
		        "total, level and history)", w, path);
}

/* Validates a rule field; returns a new reference or NULL. */
json_t *eng_rubric_rule_field(struct loader *L, json_t *obj, const char *key, int required,
                              int applies, int mention)
{
	json_t *v = get(L, obj, key, required);
	char err[512], w[512];
	if (!v)
		return NULL;
	size_t s = enter(L, key);
	struct var_ctx vc = {L, key, applies, mention};
	if (eng_rule_check(v, check_var, &vc, err, sizeof err) != 0) {
		where(L, w, sizeof w);
		problem(L, "%s: invalid rule: %s", w, err);
		leave(L, s);
		return NULL;
	}
	leave(L, s);
	return json_incref(v);
}

/* ---- levels and mentions ---- */

void eng_rubric_load_levels(struct loader *L, json_t *levels)
{
	static const char *const keys[] = {"name", "min_percent", "requires", "description", NULL};
	pal_rubric *r = L->r;
	char w[512];
	size_t s = enter(L, "levels");
	if (!json_is_array(levels) || json_array_size(levels) == 0 || json_array_size(levels) > 64) {
		expected(L, "a list of 1 to 64 levels", levels);
		leave(L, s);
		return;
	}
	r->levels = palx_arena_alloc(&r->arena, json_array_size(levels) * sizeof(*r->levels));
	if (!r->levels) {
		L->oom = 1;
		leave(L, s);
		return;
	}
	for (size_t i = 0; i < json_array_size(levels); i++) {
		json_t *lv = json_array_get(levels, i);
		size_t s2 = enter_index(L, i);
		pal_level *l = &r->levels[r->nlevels];
		if (!json_is_object(lv)) {
			expected(L, "a level (an object)", lv);
			leave(L, s2);
			continue;
		}
		check_keys(L, lv, keys);
		json_t *name = get(L, lv, "name", 1);
		if (name) {
			size_t s3 = enter(L, "name");
			if (!json_is_string(name) || json_string_length(name) == 0)
				expected(L, "a non-empty name", name);
			else if (!visible_name(L, "level name", json_string_value(name)))
				; /* reported */
			else if (!(l->name = palx_arena_strdup(&r->arena, json_string_value(name))))
				L->oom = 1;
			for (size_t k = 0; l->name && k < r->nlevels; k++)
				if (r->levels[k].name && strcmp(r->levels[k].name, l->name) == 0) {
					where(L, w, sizeof w);
					problem(L, "%s: duplicate level name \"%s\" (also levels[%zu])", w, l->name, k);
				}
			leave(L, s3);
		}
		json_t *mp = get(L, lv, "min_percent", 1);
		if (mp) {
			size_t s3 = enter(L, "min_percent");
			where(L, w, sizeof w);
			if (!is_number(mp)) {
				expected(L, "a percentage in [0, 100]", mp);
			} else {
				l->min_percent = json_number_value(mp);
				if (!(l->min_percent >= 0 && l->min_percent <= 100))
					problem(L, "%s: expected a percentage in [0, 100], found %s", w,
					        NUM(l->min_percent));
				else if (r->nlevels > 0 && l->min_percent < r->levels[r->nlevels - 1].min_percent)
					problem(L, "%s: levels go from lowest to highest: min_percent %s is below the "
					        "previous level's %s", w, NUM(l->min_percent),
					        NUM(r->levels[r->nlevels - 1].min_percent));
			}
			leave(L, s3);
		}
		l->requires = rule_field(L, lv, "requires", 0, 0, 0);
		if (!l->name)
			l->name = "";
		r->nlevels++;
		leave(L, s2);
	}
	leave(L, s);
}

void eng_rubric_load_mentions(struct loader *L, json_t *mentions)
{
	static const char *const keys[] = {"id", "name", "description", "when", "min_level", NULL};
	pal_rubric *r = L->r;
	char w[512];
	size_t s = enter(L, "mentions");
	if (!json_is_array(mentions) || json_array_size(mentions) > 64) {
		expected(L, "a list of at most 64 mentions", mentions);
		leave(L, s);
		return;
	}
	r->mentions = palx_arena_alloc(&r->arena, (json_array_size(mentions) + 1) * sizeof(*r->mentions));
	if (!r->mentions) {
		L->oom = 1;
		leave(L, s);
		return;
	}
	for (size_t i = 0; i < json_array_size(mentions); i++) {
		json_t *m = json_array_get(mentions, i);
		size_t s2 = enter_index(L, i);
		if (!json_is_object(m)) {
			expected(L, "a mention (an object)", m);
			leave(L, s2);
			continue;
		}
		check_keys(L, m, keys);
		pal_mention *mt = &r->mentions[r->nmentions];
		const char *id = id_field(L, m, 0);
		mt->id = id ? id : "";
		for (size_t k = 0; id && k < r->nmentions; k++)
			if (strcmp(r->mentions[k].id, id) == 0) {
				size_t s3 = enter(L, "id");
				where(L, w, sizeof w);
				problem(L, "%s: duplicate mention id \"%s\" (also mentions[%zu])", w, id, k);
				leave(L, s3);
			}
		mt->name = text_field(L, m, "name", 1);
		mt->when = rule_field(L, m, "when", 1, 0, 1);
		mt->min_level = 1;
		json_t *ml = json_object_get(m, "min_level");
		if (ml) {
			size_t s3 = enter(L, "min_level");
			where(L, w, sizeof w);
			if (!json_is_integer(ml))
				expected(L, "a level number", ml);
			else if (json_integer_value(ml) < 0 || (size_t)json_integer_value(ml) > r->nlevels)
				problem(L, "%s: expected a level number from 0 to %zu, found %lld", w, r->nlevels,
				        (long long)json_integer_value(ml));
			else
				mt->min_level = (int)json_integer_value(ml);
			leave(L, s3);
		}
		r->nmentions++;
		leave(L, s2);
	}
	leave(L, s);
}
