/*
 * The data a rule sees while scoring (SPEC §4.5): town, answers, criteria,
 * categories, total, level and history of one dossier, as JSON, built only
 * as far as a rule's var path reaches (resolve()). Which sections exist
 * depends on the stage: applicability sees the town and its answers only.
 * Moved out of score.c, which evaluates its rules through eng_rule_view_eval.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "ruleview.h"
#include "rule.h"

struct rule_ctx {
	const pal_campaign *c;
	const pal_dossier *d;
	const pal_crit_result *crit; /* the dossier's results, NULL while applicability is decided */
	const pal_cat_result *cat;
	enum pal_rule_stage stage;
	int oom; /* a value could not be built: the rule must fail, not see it missing */
};

/* v, or NULL with x->oom set when a value that exists could not be built. */
static json_t *built(const struct rule_ctx *x, json_t *v)
{
	if (!v)
		((struct rule_ctx *)x)->oom = 1;
	return v;
}

/* json_object_set_new() that records a failure in x->oom. */
static void put(const struct rule_ctx *x, json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, built(x, v)))
		((struct rule_ctx *)x)->oom = 1;
}

static json_t *num_json(double x)
{
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return json_real(x);
}

/* Walks the rest of a dotted path inside v (steals v). Returns a new reference or NULL. */
static json_t *walk(json_t *v, const char *rest)
{
	while (v && rest && *rest) {
		size_t n = strcspn(rest, ".");
		char key[256];
		json_t *next = NULL;
		snprintf(key, sizeof key, "%.*s", (int)n, rest);
		if (json_is_object(v)) {
			next = json_object_get(v, key);
		} else if (json_is_array(v)) {
			char *end;
			long i = strtol(key, &end, 10);
			if (*key && !*end && i >= 0)
				next = json_array_get(v, (size_t)i);
		}
		json_incref(next);
		json_decref(v);
		v = next;
		rest = rest[n] == '.' ? rest + n + 1 : NULL;
	}
	return v;
}

static json_t *town_json(const pal_dossier *d)
{
	json_t *t = json_deep_copy(d->attrs);
	if (t && (json_object_set_new(t, "id", json_string(d->town_id)) ||
	          json_object_set_new(t, "name", json_string(d->town_name)))) {
		json_decref(t);
		return NULL;
	}
	return t;
}

static json_t *crit_json(const struct rule_ctx *x, size_t i)
{
	const pal_crit_result *cr = &x->crit[i];
	return json_pack("{s:o,s:o,s:o,s:b}", "fraction", num_json(cr->fraction), "points",
	                 num_json(cr->points), "max", num_json(cr->max), "applicable", cr->applicable);
}

static json_t *cat_json(const pal_cat_result *k)
{
	double pct = k->max > 0 ? 100 * k->points / k->max : 0;
	return json_pack("{s:o,s:o,s:o}", "points", num_json(k->points), "max", num_json(k->max),
	                 "percent", num_json(pct));
}

static json_t *section(const struct rule_ctx *x, const char *head)
{
	const pal_rubric *r = x->c->rubric;
	const pal_dossier *d = x->d;
	json_t *o;
	if (strcmp(head, "town") == 0)
		return built(x, town_json(d));
	if (strcmp(head, "answers") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncriteria; i++) {
			pal_answer a = pal_dossier_answer(d, i);
			put(x, o, r->criteria[i].id, eng_answer_to_json(&r->criteria[i], &a));
		}
		return o;
	}
	if (x->stage == PAL_STAGE_APPLIES)
		return NULL;
	if (strcmp(head, "criteria") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncriteria; i++)
			put(x, o, r->criteria[i].id, crit_json(x, i));
		return o;
	}
	if (strcmp(head, "categories") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncategories; i++)
			put(x, o, r->categories[i].id, cat_json(&x->cat[i]));
		return o;
	}
	if (strcmp(head, "total") == 0) {
		pal_cat_result t = {d->points, d->max};
		return built(x, cat_json(&t));
	}
	if (strcmp(head, "level") == 0)
		return x->stage == PAL_STAGE_MENTION ? built(x, json_integer(d->level)) : NULL;
	if (strcmp(head, "history") == 0) {
		o = built(x, json_object());
		json_t *lv = x->c->prev_levels ? json_object_get(x->c->prev_levels, d->town_id) : NULL;
		if (o && lv) {
			char ed[32];
			snprintf(ed, sizeof ed, "%ld", x->c->prev_edition);
			put(x, o, ed, json_incref(lv));
		}
		return o;
	}
	return NULL;
}

/* Resolves a var path without building the whole data for the common cases. */
static json_t *resolve(void *ctx, const char *path)
{
	const struct rule_ctx *x = ctx;
	const pal_rubric *r = x->c->rubric;
	const pal_dossier *d = x->d;
	char head[32], id[256];
	size_t n = strcspn(path, ".");
	if (!*path) {
		static const char *const heads[] = {"town", "answers", "criteria", "categories", "total",
		                                    "level", "history", NULL};
		json_t *all = built(x, json_object());
		for (const char *const *h = heads; all && *h; h++) {
			json_t *s = section(x, *h);
			if (s)
				put(x, all, *h, s);
		}
		return all;
	}
	if (n >= sizeof head)
		return NULL;
	snprintf(head, sizeof head, "%.*s", (int)n, path);
	if (path[n] != '.')
		return section(x, head);
	const char *rest = path + n + 1;
	size_t m = strcspn(rest, ".");
	const char *rest2 = rest[m] == '.' ? rest + m + 1 : NULL;
	if (m >= sizeof id)
		return NULL;
	snprintf(id, sizeof id, "%.*s", (int)m, rest);
	if (strcmp(head, "town") == 0) {
		if (strcmp(id, "id") == 0)
			return walk(built(x, json_string(d->town_id)), rest2);
		if (strcmp(id, "name") == 0)
			return walk(built(x, json_string(d->town_name)), rest2);
		return walk(json_incref(json_object_get(d->attrs, id)), rest2);
	}
	if (strcmp(head, "answers") == 0) {
		long i = eng_rubric_find_criterion(r, id);
		if (i < 0)
			return NULL;
		pal_answer a = pal_dossier_answer(d, (size_t)i);
		return walk(built(x, eng_answer_to_json(&r->criteria[i], &a)), rest2);
	}
	if (x->stage != PAL_STAGE_APPLIES && strcmp(head, "criteria") == 0) {
		long i = eng_rubric_find_criterion(r, id);
		return i < 0 ? NULL : walk(built(x, crit_json(x, (size_t)i)), rest2);
	}
	if (x->stage != PAL_STAGE_APPLIES && strcmp(head, "categories") == 0) {
		long i = eng_rubric_find_category(r, id);
		return i < 0 ? NULL : walk(built(x, cat_json(&x->cat[i])), rest2);
	}
	return walk(section(x, head), rest);
}


int eng_rule_view_eval(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                       const pal_cat_result *cat, const json_t *rule, enum pal_rule_stage st,
                       struct pal_rule_at at, pal_diags *diags)
{
	char name[96];
	struct rule_ctx x = {c, d, crit, cat, st, 0};
	pal_rule_env env = {NULL, resolve, &x, 0};
	json_t *res = NULL;
	char err[512];
	if (!rule)
		return 1;
	int rc = eng_rule_eval(rule, &env, &res, err, sizeof err);
	if (x.oom) { /* the rule saw missing values where there were some: its result is void */
		json_decref(res);
		snprintf(err, sizeof err, "out of memory");
		rc = -1;
	}
	if (rc != 0) {
		if (c->quiet)
			return -1;
		snprintf(name, sizeof name, at.fmt, at.i, at.j);
		eng_dossier_msg_info(c, d, diags, PAL_ERROR, d->file, d->line, d->col,
		                     PAL_MSG_INFO("rule-failed", -1, NULL, name),
		                     "town %s \"%s\": rule %s failed: %s", d->town_id, d->town_name, name, err);
		return -1;
	}
	int t = eng_rule_truthy(res);
	json_decref(res);
	return t;
}
