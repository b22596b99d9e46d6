/*
 * Answer typing: from a spreadsheet cell (office dialect: decimal comma,
 * thousands spaces, oui/non, n/a words, "|" for multi) or from a typed JSON
 * value, into the compact pal_answer the scorer reads. Each kind has its
 * reader of a cell and of a JSON value, which its row of eng_kinds[]
 * (kinds.c) names; eng_answer_from_text() and eng_answer_from_json() do what
 * every kind shares and call it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"
#include "excerpt.h"
#include "num.h"
#include "text.h"

const char *eng_answer_expected(const pal_criterion *c)
{
	return eng_kinds[c->kind].expected;
}

static void options_list(const pal_criterion *c, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < c->noptions && o + 1 < len; i++) {
		int w = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", c->options[i].id);
		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
}

/*
 * Option ids match as the same word (text.h): case, accents and the choice
 * between space, '-' and '_' are the clerk's spelling, not a different answer.
 * The rubric refuses two options that would match the same word.
 */
static int option_is(const pal_criterion *c, size_t i, const char *s, size_t n)
{
	return palx_text_same_word(c->options[i].id, strlen(c->options[i].id), s, n);
}

/* The option s[0..n) names as the same word, or -1: O(1) through the rubric's table. */
static long find_option(const pal_criterion *c, const char *s, size_t n)
{
	if (!c->option_slots) { /* a criterion not made by the rubric loader */
		for (size_t i = 0; i < c->noptions; i++)
			if (option_is(c, i, s, n))
				return (long)i;
		return -1;
	}
	size_t mask = c->option_cap - 1;
	for (size_t k = (size_t)palx_text_word_hash(s, n) & mask; c->option_slots[k]; k = (k + 1) & mask)
		if (option_is(c, c->option_slots[k] - 1, s, n))
			return (long)c->option_slots[k] - 1;
	return -1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && strchr(" \t\r\n", **s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && strchr(" \t\r\n", (*s)[*n - 1]))
		(*n)--;
}

/* The option closest to s[0..n), or NULL: a message that fails to suggest is still a message. */
static const char *closest_option(const pal_criterion *c, const char *s, size_t n)
{
	const char *small[32], **ids = small, *best = NULL;
	char word[256];
	if (n >= sizeof word)
		return NULL;
	if (c->noptions > sizeof small / sizeof small[0] && !(ids = malloc(c->noptions * sizeof(*ids))))
		return NULL;
	memcpy(word, s, n);
	word[n] = '\0';
	for (size_t i = 0; i < c->noptions; i++)
		ids[i] = c->options[i].id;
	best = pal_text_closest(word, ids, c->noptions);
	if (ids != small)
		free(ids);
	return best;
}

/*
 * "unknown option": with the likely cause when there is one. In a multi
 * answer (list: 1 in a cell, 2 in a JSON array), a ',' or ';' is a list typed
 * with the spreadsheet's habit, not an option; elsewhere the nearest option
 * id is suggested.
 */
static int unknown_option(const pal_criterion *c, const char *s, size_t n, int list,
                          char *why, size_t wl, pal_answer_refusal *ref)
{
	char opts[512], ex[128], hint[320] = "";
	const char *best;
	options_list(c, opts, sizeof opts);
	palx_text_excerpt(s, n, 80, ex, sizeof ex);
	const char *comma = list ? memchr(s, ',', n) : NULL, *semi = list ? memchr(s, ';', n) : NULL;
	char sep = comma && (!semi || comma < semi) ? ',' : ';';
	best = comma || semi ? NULL : closest_option(c, s, n);
	if ((comma || semi) && list == 2)
		snprintf(hint, sizeof hint, ": a list holds one option per string");
	else if (comma || semi)
		snprintf(hint, sizeof hint, ": options are separated by \"|\", not \"%c\"", sep);
	else if (best)
		snprintf(hint, sizeof hint, ": did you mean \"%s\"?", best);
	snprintf(why, wl, "unknown option \"%s\"%s (expected one of: %s)", ex, hint, opts);
	if (ref) {
		ref->code = comma || semi ? "option-separator" : "unknown-option";
		palx_text_excerpt(s, n, 60, ref->value, sizeof ref->value);
		snprintf(ref->extra, sizeof ref->extra, "%s", list == 2 && (comma || semi) ? "list"
		         : comma || semi ? (sep == ',' ? "," : ";") : best ? best : "");
	}
	return -1;
}

/* s[0..n) quoted for a message: cut between characters, hidden ones made visible (text.h). */
static const char *quoted(char *buf, size_t len, const char *s, size_t n)
{
	char ex[100];
	palx_text_excerpt(s, n, 60, ex, sizeof ex);
	snprintf(buf, len, "\"%s\"", ex);
	return buf;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Multi answers: a set of option indices, kept in rubric order. */
static int set_multi(palx_arena *arena, const pal_criterion *c, const long *idx, size_t n,
                     pal_answer *a)
{
	/* v[0] is the count: a stored answer keeps only the pointer (model.h) */
	uint32_t *v = palx_arena_alloc(arena, (n + 1) * sizeof(*v));
	size_t k = 0;
	if (!v)
		return -1;
	/* Sorted, each once: O(n log n), where a walk over every option cost O(options × n). */
	for (size_t i = 0; i < n; i++)
		if (idx[i] >= 0 && (size_t)idx[i] < c->noptions)
			v[1 + k++] = (uint32_t)idx[i];
	qsort(v + 1, k, sizeof(*v), by_index);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || v[u] != v[1 + i])
			v[1 + u++] = v[1 + i];
	k = u;
	v[0] = (uint32_t)k;
	a->type = PAL_ANS_MULTI;
	a->v.choices = v + 1;
	a->nchoices = (uint16_t)k;
	return 0;
}

/* Reals in their shortest form (-0.1, not jansson's -0.10000000000000001); no allocation. */
static void json_shown(json_t *v, char *buf, size_t len)
{
	eng_json_excerpt(v, 60, buf, len);
}

/* ---- what every reader shares ---- */

/* The answer as messages show it: the JSON value, or the cell quoted. */
static const char *shown(const pal_answer_in *in, char *buf, size_t len)
{
	return in->v ? in->shown : quoted(buf, len, in->s, in->n);
}

/* Refuses the answer: "expected E, found X" then tail. Returns -1. */
static int expected_found(const pal_answer_in *in, const char *expected, const char *tail)
{
	/* Only messages need the quoted cell: built here, it would cost every cell a printf. */
	char b[128];
	snprintf(in->why, in->wl, "expected %s, found %s%s", expected, shown(in, b, sizeof b), tail);
	return -1;
}

/* Whether the answer says "not applicable" (n/a, sans objet… num.h). */
static int says_na(const pal_answer_in *in)
{
	if (in->v)
		return json_is_string(in->v) && eng_num_is_na(json_string_value(in->v));
	return eng_num_is_na(in->cell);
}

/*
 * "Not applicable" where the town may not say so is refused here only when
 * the criterion always applies; under an `applies` rule the answer may agree
 * with the rubric, which scoring decides (score.c, applicability()).
 */
static int not_applicable(const pal_answer_in *in)
{
	if (!in->c->allow_na && !in->c->applies)
		return expected_found(in, eng_answer_expected(in->c),
		                      ": this criterion does not accept \"not applicable\"");
	in->a->type = PAL_ANS_NA;
	return 0;
}

/* ---- one reader per kind and form, in the order of eng_kinds[] ---- */

int eng_answer_yesno_text(const pal_answer_in *in)
{
	int b;
	if (says_na(in))
		return not_applicable(in);
	if (eng_num_parse_yesno(in->cell, &b) != 0)
		return expected_found(in, eng_answer_expected(in->c), "");
	in->a->type = PAL_ANS_BOOL;
	in->a->v.b = b;
	return 0;
}

int eng_answer_yesno_json(const pal_answer_in *in)
{
	if (says_na(in))
		return not_applicable(in);
	if (!json_is_boolean(in->v))
		return expected_found(in, "true or false", "");
	in->a->type = PAL_ANS_BOOL;
	in->a->v.b = json_is_true(in->v);
	return 0;
}

/* Stores a number answer when ok, else refuses it. */
static int number_answer(const pal_answer_in *in, double x, int ok)
{
	if (!ok)
		return expected_found(in, eng_answer_expected(in->c), "");
	in->a->type = PAL_ANS_NUMBER;
	in->a->v.num = x;
	return 0;
}

int eng_answer_number_text(const pal_answer_in *in)
{
	double x;
	int pct = 0;
	if (says_na(in))
		return not_applicable(in);
	if (eng_num_parse_office(in->cell, &x, &pct) != 0)
		return expected_found(in, eng_answer_expected(in->c), "");
	return number_answer(in, x, !pct && x >= 0);
}

int eng_answer_number_json(const pal_answer_in *in)
{
	if (says_na(in))
		return not_applicable(in);
	if (!json_is_number(in->v))
		return expected_found(in, eng_answer_expected(in->c), "");
	double x = json_number_value(in->v);
	return number_answer(in, x, x >= 0);
}

int eng_answer_percent_text(const pal_answer_in *in)
{
	double x;
	int pct = 0;
	if (says_na(in))
		return not_applicable(in);
	if (eng_num_parse_office(in->cell, &x, &pct) != 0)
		return expected_found(in, eng_answer_expected(in->c), "");
	return number_answer(in, x, x >= 0 && x <= 100);
}

int eng_answer_percent_json(const pal_answer_in *in)
{
	if (says_na(in))
		return not_applicable(in);
	if (!json_is_number(in->v))
		return expected_found(in, eng_answer_expected(in->c), "");
	double x = json_number_value(in->v);
	return number_answer(in, x, x >= 0 && x <= 100);
}

/* The option s[0..n) names, or "not applicable" when none is spelled so (an option may be). */
static int choice_answer(const pal_answer_in *in, const char *s, size_t n)
{
	long o = find_option(in->c, s, n);
	if (o < 0 && says_na(in))
		return not_applicable(in);
	if (o < 0)
		return unknown_option(in->c, s, n, 0, in->why, in->wl, in->ref);
	in->a->type = PAL_ANS_CHOICE;
	in->a->v.choice = (uint32_t)o;
	return 0;
}

int eng_answer_choice_text(const pal_answer_in *in)
{
	return choice_answer(in, in->s, in->n);
}

int eng_answer_choice_json(const pal_answer_in *in)
{
	if (!json_is_string(in->v))
		return expected_found(in, "an option id (a string)", "");
	return choice_answer(in, json_string_value(in->v), json_string_length(in->v));
}

int eng_answer_multi_text(const pal_answer_in *in)
{
	long idx[64];
	size_t k = 0;
	long *big = NULL, *v = idx;
	size_t parts = 1;
	const char *s = in->s;
	size_t n = in->n;
	if (says_na(in))
		return not_applicable(in);
	for (size_t i = 0; i < n; i++)
		parts += s[i] == '|';
	if (parts > 64 && !(v = big = malloc(parts * sizeof(long))))
		return -2;
	const char *p = s, *end = s + n;
	while (p <= end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *q = bar ? bar : end;
		const char *t = p;
		size_t tl = (size_t)(q - p);
		trim(&t, &tl);
		if (tl) {
			long o = find_option(in->c, t, tl);
			if (o < 0) {
				free(big);
				return unknown_option(in->c, t, tl, 1, in->why, in->wl, in->ref);
			}
			v[k++] = o;
		}
		p = q + 1;
	}
	int r = set_multi(in->arena, in->c, v, k, in->a);
	free(big);
	return r ? -2 : 0;
}

/* A JSON multi answer that is not a list: "a|b" or "a, b", the CSV habit in a format with lists. */
static int multi_not_list(const pal_answer_in *in)
{
	const char *str = json_is_string(in->v) ? json_string_value(in->v) : NULL;
	char tail[160];
	if (str && str[strcspn(str, "|,;")])
		return expected_found(in, "a list of option ids",
		                      ": write one string per option, as in [\"a\", \"b\"]");
	if (!str)
		return expected_found(in, "a list of option ids", "");
	snprintf(tail, sizeof tail, ": write [%s]", in->shown);
	return expected_found(in, "a list of option ids", tail);
}

int eng_answer_multi_json(const pal_answer_in *in)
{
	if (says_na(in))
		return not_applicable(in);
	if (!json_is_array(in->v))
		return multi_not_list(in);
	size_t n = json_array_size(in->v);
	long *idx = malloc((n ? n : 1) * sizeof(long));
	if (!idx)
		return -2;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(in->v, i);
		if (!json_is_string(e)) {
			char b[128];
			json_shown(e, b, sizeof b);
			snprintf(in->why, in->wl, "expected option ids (strings), found %s", b);
			free(idx);
			return -1;
		}
		long o = find_option(in->c, json_string_value(e), json_string_length(e));
		if (o < 0) {
			unknown_option(in->c, json_string_value(e), json_string_length(e), 2, in->why, in->wl,
			               in->ref);
			free(idx);
			return -1;
		}
		idx[i] = o;
	}
	int r = set_multi(in->arena, in->c, idx, n, in->a);
	free(idx);
	return r ? -2 : 0;
}

/* A jury criterion takes no answer from the town, only "not applicable" when it allows it. */
static int jury_answer(const pal_answer_in *in)
{
	char b[128];
	if (in->c->allow_na && says_na(in))
		return not_applicable(in);
	snprintf(in->why, in->wl, "an answer to a jury criterion (towns don't mark themselves), found %s",
	         shown(in, b, sizeof b));
	return -1;
}

int eng_answer_jury_text(const pal_answer_in *in)
{
	return jury_answer(in);
}

int eng_answer_jury_json(const pal_answer_in *in)
{
	return jury_answer(in);
}

/* Information is text, kept as written ("n/a" included): t is owned (NULL: out of memory). */
static int info_answer(const pal_answer_in *in, char *t)
{
	in->a->v.text = t ? palx_arena_strdup(in->arena, t) : NULL;
	free(t);
	if (!in->a->v.text)
		return -2;
	in->a->type = PAL_ANS_TEXT;
	return 0;
}

int eng_answer_info_text(const pal_answer_in *in)
{
	return info_answer(in, palx_text_clean(in->cell));
}

int eng_answer_info_json(const pal_answer_in *in)
{
	/* Information is shown as text: numbers and booleans are kept as written. */
	json_t *v = in->v;
	char *t = NULL;
	if (json_is_string(v)) {
		t = palx_text_clean(json_string_value(v));
	} else if (json_is_real(v)) {
		char b[32];
		t = eng_format_number_full(json_real_value(v), b, sizeof b) >= 0 ? palx_text_clean(b) : NULL;
	} else if (json_is_number(v) || json_is_boolean(v)) {
		char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		t = d ? palx_text_clean(d) : NULL;
		free(d);
	} else {
		return expected_found(in, "a text", "");
	}
	return info_answer(in, t);
}

/* ---- the two entries ---- */

/* A refused answer is marked invalid; out of memory leaves it as it is. */
static int settled(pal_answer *a, int r)
{
	if (r == -1)
		a->type = PAL_ANS_INVALID;
	return r;
}

int eng_answer_from_text(palx_arena *arena, const pal_criterion *c, const char *cell,
                         pal_answer *a, char *why, size_t wl, pal_answer_refusal *ref)
{
	pal_answer_in in = {arena, c, cell, cell, strlen(cell), NULL, NULL, a, why, wl, ref};
	if (ref)
		ref->code = NULL;
	trim(&in.s, &in.n);
	a->type = PAL_ANS_NONE;
	if (in.n == 0)
		return 0;
	return settled(a, eng_kinds[c->kind].from_text(&in));
}

int eng_answer_from_json(palx_arena *arena, const pal_criterion *c, json_t *v, pal_answer *a,
                         char *why, size_t wl, pal_answer_refusal *ref)
{
	char shown_v[128];
	pal_answer_in in = {arena, c, NULL, NULL, 0, v, shown_v, a, why, wl, ref};
	if (ref)
		ref->code = NULL;
	a->type = PAL_ANS_NONE;
	if (!v || json_is_null(v))
		return 0;
	json_shown(v, shown_v, sizeof shown_v);
	return settled(a, eng_kinds[c->kind].from_json(&in));
}

json_t *eng_answer_to_json(const pal_criterion *c, const pal_answer *a)
{
	switch (a->type) {
	case PAL_ANS_NA: return json_string("n/a");
	case PAL_ANS_BOOL: return json_boolean(a->v.b);
	case PAL_ANS_NUMBER: {
		double x = a->v.num;
		if (x == floor(x) && fabs(x) < 9007199254740992.0)
			return json_integer((json_int_t)x);
		return json_real(x);
	}
	case PAL_ANS_CHOICE: return json_string(c->options[a->v.choice].id);
	case PAL_ANS_MULTI: {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < a->nchoices; i++)
			if (json_array_append_new(arr, json_string(c->options[a->v.choices[i]].id))) {
				json_decref(arr);
				return NULL;
			}
		return arr;
	}
	case PAL_ANS_TEXT: return json_string(a->v.text);
	default: return json_null();
	}
}
