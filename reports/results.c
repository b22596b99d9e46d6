/*
 * Results loader (SPEC §6) for documents: the results file is the only input
 * of certificates, reports and the booklet, so it is validated here with the
 * same care as any user input — every problem with its file:line:col.
 *
 * Data flow: read the text, parse it with jansson, walk the tree into the
 * arena-backed model (model.h), computing each certified town's verification
 * code; then resolve the collected problems' positions in one scan.
 * Fields that documents do not use are ignored, so that the engine may add
 * fields without breaking documents. A town whose entry has an error is kept
 * (verify and messages can still name it) but marked unusable.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "fileio.h"
#include "load.h"
#include "model.h"

const char *rep_i18n_pick(const rep_i18n *t, const char *lang, const char *fallback)
{
	const char *plain = NULL, *fb = NULL;
	if (!t || t->n == 0)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (lang && strcmp(t->langs[i], lang) == 0)
			return t->vals[i];
		if (fallback && strcmp(t->langs[i], fallback) == 0)
			fb = t->vals[i];
		if (t->langs[i][0] == '\0')
			plain = t->vals[i];
	}
	return fb ? fb : plain ? plain : t->vals[0];
}

const rep_mention *rep_mention_find(const pal_doc_results *r, const char *id)
{
	for (size_t i = 0; i < r->nmentions; i++)
		if (strcmp(r->mentions[i].id, id) == 0)
			return &r->mentions[i];
	return NULL;
}

static const rep_i18n *named_find(const rep_mention *v, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return v[i].name.n ? &v[i].name : NULL;
	return NULL;
}

const rep_i18n *rep_cat_title(const pal_doc_results *r, const char *id)
{
	return named_find(r->cat_titles, r->ncat_titles, id);
}

const rep_i18n *rep_crit_title(const pal_doc_results *r, const char *id)
{
	return named_find(r->crit_titles, r->ncrit_titles, id);
}

static void *alloc_n(rep_loader *l, size_t n, size_t size)
{
	void *p = palx_arena_alloc(l->arena, (n ? n : 1) * size);
	if (!p)
		l->oom = 1;
	return p;
}

static void load_mentions(rep_loader *l, pal_doc_results *r, const json_t *obj)
{
	const char *k;
	json_t *v;
	if (!obj)
		return;
	rep_mark_pos m = rep_push_key(l, "mentions");
	if (!json_is_object(obj)) {
		rep_expected(l, "an object of mention id -> name", obj);
		rep_pop(l, m);
		return;
	}
	r->mentions = alloc_n(l, json_object_size(obj), sizeof(rep_mention));
	json_object_foreach((json_t *)obj, k, v) {
		if (!r->mentions)
			break;
		rep_mention *me = &r->mentions[r->nmentions];
		me->id = palx_arena_strdup(l->arena, k);
		if (me->id && rep_get_text(l, obj, k, 1, &me->name))
			r->nmentions++;
	}
	rep_pop(l, m);
}

/* rubric.categories [{id, title}], rubric.criteria {id: title}, rubric.min_percents: optional. */
static void load_titles(rep_loader *l, pal_doc_results *r, const json_t *rub)
{
	const json_t *cats = json_object_get(rub, "categories");
	const json_t *crits = json_object_get(rub, "criteria");
	const json_t *mins = json_object_get(rub, "min_percents");
	const char *k;
	json_t *v;
	if (json_is_array(cats) && (r->cat_titles = alloc_n(l, json_array_size(cats), sizeof(rep_mention)))) {
		rep_mark_pos m = rep_push_key(l, "categories");
		for (size_t i = 0; i < json_array_size(cats); i++) {
			const json_t *o = json_array_get(cats, i);
			rep_mention *e = &r->cat_titles[r->ncat_titles];
			rep_mark_pos mi = rep_push_index(l, i);
			if (json_is_object(o) && rep_get_str(l, o, "id", 1, &e->id)) {
				rep_get_text(l, o, "title", 0, &e->name);
				r->ncat_titles++;
			}
			rep_pop(l, mi);
		}
		rep_pop(l, m);
	}
	if (json_is_object(crits) && (r->crit_titles = alloc_n(l, json_object_size(crits), sizeof(rep_mention)))) {
		rep_mark_pos m = rep_push_key(l, "criteria");
		json_object_foreach((json_t *)crits, k, v) {
			rep_mention *e = &r->crit_titles[r->ncrit_titles];
			e->id = palx_arena_strdup(l->arena, k);
			if (e->id && !json_is_null(v))
				rep_get_text(l, crits, k, 0, &e->name);
			r->ncrit_titles += e->id != NULL;
		}
		rep_pop(l, m);
	}
	if (json_is_array(mins) && json_array_size(mins) == r->nlevels &&
	    (r->min_percents = alloc_n(l, r->nlevels, sizeof(double))))
		for (size_t i = 0; i < r->nlevels; i++)
			r->min_percents[i] = json_number_value(json_array_get(mins, i));
}

static int hex64(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return 0;
	return n == 64;
}

static void load_rubric(rep_loader *l, pal_doc_results *r, const json_t *rub)
{
	long edition = 0;
	rep_mark_pos m = rep_push_key(l, "rubric");
	rep_get_str(l, rub, "id", 1, &r->rubric_id);
	if (rep_get_int(l, rub, "edition", 1, 0, 9999, &edition))
		r->edition = edition;
	if (rep_get_str(l, rub, "sha256", 1, &r->sha256)) {
		if (!hex64(r->sha256)) {
			rep_mark_pos ms = rep_push_key(l, "sha256");
			rep_expected(l, "64 hexadecimal digits", json_object_get(rub, "sha256"));
			rep_pop(l, ms);
			r->sha256 = NULL;
		} else {
			char *lower = palx_arena_strdup(l->arena, r->sha256);
			for (char *p = lower; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			r->sha256 = lower;
			l->oom |= !lower;
		}
	}
	rep_get_text(l, rub, "label", 1, &r->label);
	rep_get_str(l, rub, "language", 0, &r->language);
	if (rep_get_strs(l, rub, "levels", 1, &r->levels, &r->nlevels) && r->nlevels == 0) {
		rep_mark_pos ml = rep_push_key(l, "levels");
		rep_problem_at(l, PAL_ERROR, "expected at least one level");
		rep_pop(l, ml);
	}
	load_mentions(l, r, json_object_get(rub, "mentions"));
	load_titles(l, r, rub);
	rep_pop(l, m);
	if (!r->language) {
		/* Results without rubric.language: the label's first language, else French. */
		r->language = "fr";
		for (size_t i = 0; i < r->label.n; i++)
			if (r->label.langs[i][0]) {
				r->language = r->label.langs[i];
				break;
			}
	}
}

/* A message of a town's errors/warnings: a string, or an object with "message"/"text". */
static void load_msgs(rep_loader *l, const json_t *t, const char *key, const char ***out, size_t *n)
{
	const json_t *a = json_object_get(t, key);
	*n = 0;
	if (!a || json_is_null(a))
		return;
	rep_mark_pos m = rep_push_key(l, key);
	if (!json_is_array(a)) {
		rep_expected(l, "an array", a);
		rep_pop(l, m);
		return;
	}
	*out = alloc_n(l, json_array_size(a), sizeof(char *));
	for (size_t i = 0; *out && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);
		const json_t *s = json_is_object(e) ? json_object_get(e, "message") : e;
		if (json_is_object(e) && !s)
			s = json_object_get(e, "text");
		rep_mark_pos mi = rep_push_index(l, i);
		if (json_is_string(s))
			(*out)[(*n)++] = rep_str(l, s);
		else
			rep_expected(l, "a message (a string or an object with \"message\")", e);
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

/* "messages": the structured form of errors and warnings (optional: older results lack it). */
static void load_messages(rep_loader *l, rep_town *t, const json_t *o)
{
	const json_t *a = json_object_get(o, "messages");
	if (!a || json_is_null(a))
		return;
	rep_mark_pos m = rep_push_key(l, "messages");
	if (!json_is_array(a)) {
		rep_expected(l, "an array of messages", a);
		rep_pop(l, m);
		return;
	}
	t->has_msgs = 1;
	t->msgs = alloc_n(l, json_array_size(a), sizeof(rep_message));
	for (size_t i = 0; t->msgs && i < json_array_size(a); i++) {
		const json_t *e = json_array_get(a, i);
		rep_message *g = &t->msgs[t->nmsgs];
		const char *sev = NULL;
		rep_mark_pos mi = rep_push_index(l, i);
		memset(g, 0, sizeof *g); /* a refused entry before may have filled some fields */
		if (!json_is_object(e)) {
			rep_expected(l, "an object", e);
		} else {
			int ok = rep_get_str(l, e, "text", 1, &g->text);
			if (rep_get_str(l, e, "severity", 1, &sev))
				g->error = strcmp(sev, "error") == 0;
			rep_get_str(l, e, "code", 0, &g->code);
			rep_get_str(l, e, "criterion", 0, &g->criterion);
			rep_get_str(l, e, "kind", 0, &g->kind);
			rep_get_str(l, e, "value", 0, &g->value);
			rep_get_str(l, e, "extra", 0, &g->extra);
			rep_get_strs(l, e, "options", 0, &g->options, &g->noptions);
			t->nmsgs += ok && sev;
		}
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

static void load_answer(rep_loader *l, rep_crit *c, const json_t *a)
{
	if (!a || json_is_null(a)) {
		c->answer_kind = REP_ANS_NONE;
	} else if (json_is_boolean(a)) {
		c->answer_kind = REP_ANS_BOOL;
		c->answer_bool = json_is_true(a);
	} else if (json_is_number(a)) {
		c->answer_kind = REP_ANS_NUMBER;
		c->answer_num = json_number_value(a);
	} else if (json_is_string(a) && strcmp(json_string_value(a), "n/a") == 0) {
		c->answer_kind = REP_ANS_NA;
	} else if (json_is_string(a)) {
		c->answer_kind = REP_ANS_TEXT;
		c->answer_text = rep_str(l, a);
	} else {
		/* A list (multi) is shown as its items joined; anything else as JSON. */
		size_t cap = 1, off = 0;
		for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++)
			cap += json_string_length(json_array_get(a, i)) + 3;
		char *buf = json_is_array(a) ? calloc(1, cap) : json_dumps(a, JSON_COMPACT);
		for (size_t i = 0; buf && json_is_array(a) && i < json_array_size(a); i++) {
			const json_t *item = json_array_get(a, i);
			const char *s = json_is_string(item) ? json_string_value(item) : "?";
			size_t n = json_is_string(item) ? json_string_length(item) : 1;
			if (i) {
				memcpy(buf + off, ", ", 2);
				off += 2;
			}
			memcpy(buf + off, s, n); /* within cap computed above */
			off += n;
		}
		c->answer_kind = REP_ANS_TEXT;
		c->answer_text = buf ? rep_clean(l->arena, buf, strlen(buf)) : NULL;
		free(buf);
		if (!c->answer_text)
			l->oom = 1;
	}
}

static void load_marks(rep_loader *l, rep_crit *c, const json_t *a)
{
	rep_mark_pos m = rep_push_key(l, "marks");
	if (!json_is_array(a)) {
		rep_expected(l, "an array of marks", a);
		rep_pop(l, m);
		return;
	}
	c->jury = 1;
	c->marks = alloc_n(l, json_array_size(a), sizeof(rep_mark));
	for (size_t i = 0; c->marks && i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i);
		rep_mark *k = &c->marks[c->nmarks];
		rep_mark_pos mi = rep_push_index(l, i);
		if (!json_is_object(o)) {
			rep_expected(l, "an object", o);
		} else {
			int ok = rep_get_str(l, o, "juror", 1, &k->juror);
			k->has_mark = rep_get_num(l, o, "mark", 0, &k->mark);
			rep_get_str(l, o, "comment", 0, &k->comment);
			if (ok)
				c->nmarks++;
		}
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

static void load_crit(rep_loader *l, rep_crit *c, const json_t *o)
{
	const json_t *marks = json_object_get(o, "marks");
	rep_get_str(l, o, "id", 1, &c->id);
	rep_get_str(l, o, "category", 0, &c->category);
	rep_get_text(l, o, "title", 0, &c->title);
	c->applicable = 1;
	rep_get_bool(l, o, "applicable", 0, &c->applicable);
	load_answer(l, c, json_object_get(o, "answer"));
	c->has_score = rep_get_num(l, o, "fraction", 0, &c->fraction);
	c->has_score &= rep_get_num(l, o, "points", 0, &c->points);
	c->has_score &= rep_get_num(l, o, "max", 0, &c->max);
	rep_get_strs(l, o, "notes", 0, &c->notes, &c->nnotes);
	if (marks && !json_is_null(marks))
		load_marks(l, c, marks);
	c->has_aggregate = rep_get_num(l, o, "aggregate", 0, &c->aggregate);
	rep_get_bool(l, o, "disagreement", 0, &c->disagreement);
}

static void load_crits(rep_loader *l, rep_town *t, const json_t *a)
{
	if (!a || json_is_null(a))
		return;
	rep_mark_pos m = rep_push_key(l, "criteria");
	if (!json_is_array(a)) {
		rep_expected(l, "an array of criteria", a);
		rep_pop(l, m);
		return;
	}
	t->crits = alloc_n(l, json_array_size(a), sizeof(rep_crit));
	for (size_t i = 0; t->crits && i < json_array_size(a); i++) {
		rep_mark_pos mi = rep_push_index(l, i);
		if (!json_is_object(json_array_get(a, i)))
			rep_expected(l, "an object", json_array_get(a, i));
		else
			load_crit(l, &t->crits[t->ncrits++], json_array_get(a, i));
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

static void load_cats(rep_loader *l, rep_town *t, const json_t *a)
{
	if (!a || json_is_null(a))
		return;
	rep_mark_pos m = rep_push_key(l, "categories");
	if (!json_is_array(a)) {
		rep_expected(l, "an array of categories", a);
		rep_pop(l, m);
		return;
	}
	t->cats = alloc_n(l, json_array_size(a), sizeof(rep_cat));
	for (size_t i = 0; t->cats && i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i);
		rep_cat *c = &t->cats[t->ncats];
		rep_mark_pos mi = rep_push_index(l, i);
		if (!json_is_object(o)) {
			rep_expected(l, "an object", o);
		} else {
			int ok = rep_get_str(l, o, "id", 1, &c->id);
			rep_get_text(l, o, "title", 0, &c->title);
			ok &= rep_get_num(l, o, "points", 1, &c->points);
			ok &= rep_get_num(l, o, "max", 1, &c->max);
			ok &= rep_get_num(l, o, "percent", 1, &c->percent);
			t->ncats += ok;
		}
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

static void load_next(rep_loader *l, const pal_doc_results *r, rep_town *t, const json_t *o)
{
	long lv = 0;
	if (!o || json_is_null(o))
		return;
	rep_mark_pos m = rep_push_key(l, "next_level");
	if (!json_is_object(o)) {
		rep_expected(l, "an object or null", o);
		rep_pop(l, m);
		return;
	}
	t->has_next = rep_get_int(l, o, "level", 1, 1, (long)r->nlevels, &lv);
	t->next_level = (int)lv;
	rep_get_str(l, o, "name", 0, &t->next_name);
	t->has_next &= rep_get_num(l, o, "min_percent", 1, &t->next_min_percent);
	t->has_next &= rep_get_num(l, o, "points_missing", 1, &t->next_missing);
	const json_t *u = json_object_get(o, "unmet_requires");
	if (u && !json_is_null(u)) {
		rep_mark_pos mu = rep_push_key(l, "unmet_requires");
		t->unmet = alloc_n(l, json_array_size(u), sizeof(long));
		if (!json_is_array(u))
			rep_expected(l, "an array of level numbers", u);
		for (size_t i = 0; t->unmet && json_is_array(u) && i < json_array_size(u); i++) {
			json_t *e = json_array_get(u, i);
			if (json_is_integer(e) && json_integer_value(e) >= 1 &&
			    json_integer_value(e) <= (json_int_t)r->nlevels) {
				t->unmet[t->nunmet++] = (long)json_integer_value(e);
			} else {
				rep_mark_pos mi = rep_push_index(l, i);
				rep_expected(l, "a level number", e);
				rep_pop(l, mi);
			}
		}
		rep_pop(l, mu);
	}
	if (t->has_next && !t->next_name)
		t->next_name = r->levels[t->next_level - 1];
	rep_pop(l, m);
}

static void load_status(rep_loader *l, rep_town *t, const json_t *o)
{
	const char *st = NULL;
	t->status = REP_INVALID;
	if (!rep_get_str(l, o, "status", 1, &st))
		return;
	if (strcmp(st, "scored") == 0) {
		t->status = REP_SCORED;
	} else if (strcmp(st, "pending") == 0) {
		t->status = REP_PENDING;
	} else if (strcmp(st, "invalid") != 0) {
		rep_mark_pos m = rep_push_key(l, "status");
		rep_expected(l, "\"scored\", \"pending\" or \"invalid\"", json_object_get(o, "status"));
		rep_pop(l, m);
	}
}

static void load_score(rep_loader *l, rep_town *t, const json_t *o)
{
	const json_t *s = json_object_get(o, "score");
	int required = t->status == REP_SCORED;
	if (!s || json_is_null(s)) {
		if (required)
			rep_get_num(l, o, "score", 1, &t->points); /* reports "missing" */
		return;
	}
	rep_mark_pos m = rep_push_key(l, "score");
	if (!json_is_object(s)) {
		rep_expected(l, "an object", s);
	} else {
		t->has_score = rep_get_num(l, s, "points", 1, &t->points);
		t->has_score &= rep_get_num(l, s, "max", 1, &t->max);
		t->has_score &= rep_get_num(l, s, "percent", 1, &t->percent);
	}
	rep_pop(l, m);
}

static void load_levels(rep_loader *l, const pal_doc_results *r, rep_town *t, const json_t *o)
{
	long lv = -1, rank = 0, prev = -1;
	const json_t *ov = json_object_get(o, "override");
	int scored = t->status == REP_SCORED;
	t->level = t->computed_level = -1;
	if (rep_get_int(l, o, "level", scored, 0, (long)r->nlevels, &lv) && scored)
		t->level = (int)lv;
	if (rep_get_int(l, o, "computed_level", 0, 0, (long)r->nlevels, &lv) && scored)
		t->computed_level = (int)lv;
	if (rep_get_int(l, o, "rank", scored, 1, 1000000000L, &rank) && scored)
		t->rank = rank;
	if (rep_get_int(l, o, "previous_level", 0, 0, 1000, &prev))
		t->previous_level = (int)prev;
	t->level_name = t->level >= 1 ? r->levels[t->level - 1] : "";
	if (ov && !json_is_null(ov)) {
		rep_mark_pos m = rep_push_key(l, "override");
		t->overridden = 1;
		if (json_is_object(ov))
			rep_get_str(l, ov, "reason", 0, &t->override_reason);
		else if (json_is_string(ov))
			t->override_reason = rep_str(l, ov);
		rep_pop(l, m);
	}
}

static void load_town_mentions(rep_loader *l, const pal_doc_results *r, rep_town *t, const json_t *o)
{
	rep_get_strs(l, o, "mentions", 0, &t->mentions, &t->nmentions);
	rep_mark_pos m = rep_push_key(l, "mentions");
	for (size_t i = 0; i < t->nmentions; i++) {
		if (!rep_mention_find(r, t->mentions[i])) {
			rep_mark_pos mi = rep_push_index(l, i);
			rep_problem_at(l, PAL_ERROR, "unknown mention \"%s\" (not in rubric.mentions)",
			               t->mentions[i]);
			rep_pop(l, mi);
		}
	}
	rep_pop(l, m);
	if (t->status != REP_SCORED)
		t->nmentions = 0;
}

static void load_attributes(rep_loader *l, rep_town *t, const json_t *o)
{
	const json_t *a = json_object_get(o, "attributes");
	if (!a || json_is_null(a))
		return;
	rep_mark_pos m = rep_push_key(l, "attributes");
	if (!json_is_object(a)) {
		rep_expected(l, "an object", a);
	} else {
		const json_t *p = json_object_get(a, "population");
		if (json_is_number(p)) {
			t->population = json_number_value(p);
			t->has_population = 1;
		}
		if (json_is_string(json_object_get(a, "department")))
			t->department = rep_str(l, json_object_get(a, "department"));
		if (json_is_string(json_object_get(a, "region")))
			t->region = rep_str(l, json_object_get(a, "region"));
	}
	rep_pop(l, m);
}

static void load_town(rep_loader *l, pal_doc_results *r, rep_town *t, const json_t *o)
{
	char subject[256];
	size_t errors = l->errors;
	t->previous_level = -1;
	t->id = t->name = "";
	rep_get_str(l, o, "id", 1, &t->id);
	rep_get_str(l, o, "name", 1, &t->name);
	if (t->id[0])
		snprintf(subject, sizeof subject, rep_msg("town %.80s \"%.120s\""), t->id, t->name);
	else
		snprintf(subject, sizeof subject, rep_msg("town without id \"%.120s\""), t->name);
	l->subject = subject;
	load_status(l, t, o);
	/*
	 * score writes "id": "" for a dossier that forgot its town id: that
	 * dossier is invalid, and its report must still tell the town so (issue
	 * 13, item 3). Only a town that could get a level needs an id: its
	 * certificate code is made from it.
	 */
	if (t->id[0] == '\0' && json_is_string(json_object_get(o, "id")) && t->status != REP_INVALID) {
		rep_mark_pos m = rep_push_key(l, "id");
		rep_problem_at(l, PAL_ERROR, "expected a non-empty town id: only an invalid dossier may "
		               "lack one");
		rep_pop(l, m);
	}
	load_score(l, t, o);
	load_levels(l, r, t, o);
	load_town_mentions(l, r, t, o);
	load_attributes(l, t, o);
	load_cats(l, t, json_object_get(o, "categories"));
	load_crits(l, t, json_object_get(o, "criteria"));
	if (t->status == REP_SCORED)
		load_next(l, r, t, json_object_get(o, "next_level"));
	load_msgs(l, o, "errors", &t->errors, &t->nerrors);
	load_msgs(l, o, "warnings", &t->warnings, &t->nwarnings);
	load_messages(l, t, o);
	l->subject = NULL;
	t->usable = l->errors == errors;
}

static void load_towns(rep_loader *l, pal_doc_results *r, const json_t *a)
{
	rep_mark_pos m = rep_push_key(l, "towns");
	if (!json_is_array(a)) {
		rep_expected(l, "an array of towns", a);
		rep_pop(l, m);
		return;
	}
	r->towns = alloc_n(l, json_array_size(a), sizeof(rep_town));
	for (size_t i = 0; r->towns && i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i);
		rep_town *t = &r->towns[r->ntowns++];
		rep_mark_pos mi = rep_push_index(l, i);
		l->disp_base = l->dlen; /* town messages name fields from the town down */
		t->index = i;
		if (!json_is_object(o)) {
			t->id = t->name = "";
			rep_expected(l, "a town object", o);
		} else {
			load_town(l, r, t, o);
		}
		l->disp_base = 0;
		rep_pop(l, mi);
	}
	rep_pop(l, m);
}

/* Codes are computed once here, so that documents and verify agree by construction. */
static void compute_codes(rep_loader *l, pal_doc_results *r)
{
	if (rep_codes(r, NULL, 0) != 0) /* unkeyed; pal_doc_results_set_secret() keys them */
		l->oom = 1;
}

pal_doc_results *pal_doc_results_load(const char *path, pal_diags *diags, int *status)
{
	size_t len = 0;
	char *text = rep_read_file(path, PAL_INPUT_STREAM, &len, diags);
	*status = PAL_DOC_IOERR;
	if (!text)
		return NULL;
	pal_doc_results *r = pal_doc_results_load_text(path, text, len, diags, status);
	free(text);
	return r;
}

/* The loader proper, on a text in memory: a file's content, or the web
 * front's live results, which never go through a temporary file. */
pal_doc_results *pal_doc_results_load_text(const char *path, const char *text, size_t len, pal_diags *diags,
                                           int *status)
{
	const char *format = NULL;
	*status = PAL_DOC_REJECTED;
	json_t *root = rep_parse(path, text, len, diags);
	pal_doc_results *r = root ? calloc(1, sizeof *r) : NULL;
	if (!r) {
		if (root)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "%s", rep_msg("out of memory"));
		json_decref(root);
		return NULL;
	}
	palx_arena_init(&r->arena, 0);
	rep_loader l = {.arena = &r->arena, .path = path};
	r->path = palx_arena_strdup(&r->arena, path);
	l.oom = !r->path;
	if (!json_is_object(root)) {
		rep_expected(&l, "a results object", root);
	} else if (rep_get_str(&l, root, "format", 1, &format) &&
	           strcmp(format, "palmares-results/1") != 0) {
		rep_mark_pos m = rep_push_key(&l, "format");
		rep_expected(&l, "\"palmares-results/1\"", json_object_get(root, "format"));
		rep_pop(&l, m);
	}
	size_t top_errors = l.errors;
	if (format && strcmp(format, "palmares-results/1") == 0) {
		rep_get_str(&l, root, "generator", 0, &r->generator);
		load_rubric(&l, r, json_object_get(root, "rubric"));
		top_errors = l.errors;
		if (top_errors == 0)
			load_towns(&l, r, json_object_get(root, "towns"));
		compute_codes(&l, r);
	}
	rep_loader_flush(&l, text, len, diags);
	json_decref(root);
	if (top_errors || l.oom || !format) {
		pal_doc_results_free(r);
		return NULL;
	}
	*status = l.errors ? PAL_DOC_REJECTED : PAL_DOC_OK;
	return r;
}

void pal_doc_results_free(pal_doc_results *r)
{
	if (!r)
		return;
	palx_arena_release(&r->arena);
	free(r);
}

size_t pal_doc_results_count(const pal_doc_results *r) { return r ? r->ntowns : 0; }
const char *pal_doc_results_language(const pal_doc_results *r) { return r->language; }
long pal_doc_results_edition(const pal_doc_results *r) { return r->edition; }
const char *pal_doc_results_label(const pal_doc_results *r, const char *lang)
{
	return rep_i18n_pick(&r->label, lang ? lang : r->language, "");
}
const char *pal_doc_town_id(const pal_doc_results *r, size_t i) { return r->towns[i].id; }
const char *pal_doc_town_name(const pal_doc_results *r, size_t i) { return r->towns[i].name; }
const char *pal_doc_town_level_name(const pal_doc_results *r, size_t i) { return r->towns[i].level_name; }
size_t pal_doc_town_mention_count(const pal_doc_results *r, size_t i) { return r->towns[i].nmentions; }
const char *pal_doc_town_code(const pal_doc_results *r, size_t i) { return r->towns[i].code; }

int pal_doc_town_level(const pal_doc_results *r, size_t i)
{
	return r->towns[i].status == REP_SCORED ? r->towns[i].level : -1;
}

int pal_doc_town_certified(const pal_doc_results *r, size_t i)
{
	const rep_town *t = &r->towns[i];
	return t->usable && t->status == REP_SCORED && t->level >= 1 && t->code[0];
}

const char *pal_doc_town_mention(const pal_doc_results *r, size_t i, size_t m, const char *lang)
{
	const char *id = r->towns[i].mentions[m];
	const rep_mention *me = rep_mention_find(r, id);
	const char *name = me ? rep_i18n_pick(&me->name, lang ? lang : r->language, r->language) : NULL;
	return name ? name : id;
}

size_t pal_doc_results_find(const pal_doc_results *r, const char *town_id)
{
	for (size_t i = 0; i < r->ntowns; i++)
		if (strcmp(r->towns[i].id, town_id) == 0)
			return i;
	return (size_t)-1;
}

long pal_doc_verify(const pal_doc_results *r, const char *code, size_t *found, size_t max)
{
	char norm[PAL_CODE_SIZE];
	long n = 0;
	if (pal_doc_code_normalize(code, norm) != 0)
		return -1;
	for (size_t i = 0; i < r->ntowns; i++) {
		if (pal_doc_town_certified(r, i) && strcmp(r->towns[i].code, norm) == 0) {
			if ((size_t)n < max)
				found[n] = i;
			n++;
		}
	}
	return n;
}
