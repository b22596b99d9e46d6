/*
 * Answer typing: from a spreadsheet cell (office dialect: decimal comma,
 * thousands spaces, oui/non, n/a words, "|" for multi) or from a typed JSON
 * value, into the compact pal_answer the scorer reads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"
#include "excerpt.h"
#include "num.h"
#include "text.h"

const char *pal_answer_expected(const pal_criterion *c)
{
	switch (c->kind) {
	case PAL_KIND_YESNO: return "yes or no (oui/non, true/false, 1/0, x)";
	case PAL_KIND_NUMBER: return "a number ≥ 0";
	case PAL_KIND_PERCENT: return "a percentage from 0 to 100";
	case PAL_KIND_CHOICE: return "one of the options";
	case PAL_KIND_MULTI: return "options separated by \"|\"";
	case PAL_KIND_JURY: return "no answer (jury criteria are marked by the jury)";
	default: return "a text";
	}
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
	return pal_text_same_word(c->options[i].id, strlen(c->options[i].id), s, n);
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
	for (size_t k = (size_t)pal_text_word_hash(s, n) & mask; c->option_slots[k]; k = (k + 1) & mask)
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
	pal_text_excerpt(s, n, 80, ex, sizeof ex);
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
		pal_text_excerpt(s, n, 60, ref->value, sizeof ref->value);
		snprintf(ref->extra, sizeof ref->extra, "%s", list == 2 && (comma || semi) ? "list"
		         : comma || semi ? (sep == ',' ? "," : ";") : best ? best : "");
	}
	return -1;
}

/* s[0..n) quoted for a message: cut between characters, hidden ones made visible (text.h). */
static const char *quoted(char *buf, size_t len, const char *s, size_t n)
{
	char ex[100];
	pal_text_excerpt(s, n, 60, ex, sizeof ex);
	snprintf(buf, len, "\"%s\"", ex);
	return buf;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Multi answers: a set of option indices, kept in rubric order. */
static int set_multi(pal_arena *arena, const pal_criterion *c, const long *idx, size_t n,
                     pal_answer *a)
{
	/* v[0] is the count: a stored answer keeps only the pointer (model.h) */
	uint32_t *v = pal_arena_alloc(arena, (n + 1) * sizeof(*v));
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

/* Stores a number answer; -1 when out of range (the caller says what was found). */
static int number_in_range(const pal_criterion *c, double x, int percent_sign, pal_answer *a)
{
	if (c->kind == PAL_KIND_NUMBER && (percent_sign || !(x >= 0)))
		return -1;
	if (c->kind == PAL_KIND_PERCENT && !(x >= 0 && x <= 100))
		return -1;
	a->type = PAL_ANS_NUMBER;
	a->v.num = x;
	return 0;
}

int pal_answer_from_text(pal_arena *arena, const pal_criterion *c, const char *cell,
                         pal_answer *a, char *why, size_t wl, pal_answer_refusal *ref)
{
	if (ref)
		ref->code = NULL;
	const char *s = cell;
	size_t n = strlen(cell);
	char shown[128];
	trim(&s, &n);
	a->type = PAL_ANS_NONE;
	if (n == 0)
		return 0;
	/* Only messages need the quoted cell: built lazily, it would cost every cell a printf. */
#define SHOWN quoted(shown, sizeof shown, s, n)
	if (c->kind == PAL_KIND_JURY && !(c->allow_na && pal_num_is_na(cell))) {
		snprintf(why, wl, "an answer to a jury criterion (towns don't mark themselves), found %s",
		         SHOWN);
		goto bad;
	}
	if (c->kind == PAL_KIND_INFO) {
		char *t = pal_text_clean(cell);
		a->v.text = t ? pal_arena_strdup(arena, t) : NULL;
		free(t);
		if (!a->v.text)
			return -2;
		a->type = PAL_ANS_TEXT;
		return 0;
	}
	/*
	 * "Not applicable" where the town may not say so is refused here only when
	 * the criterion always applies; under an `applies` rule the answer may agree
	 * with the rubric, which scoring decides (score.c, applicability()).
	 */
	if (pal_num_is_na(cell) && !(c->kind == PAL_KIND_CHOICE && find_option(c, s, n) >= 0)) {
		if (!c->allow_na && !c->applies) {
			snprintf(why, wl, "expected %s, found %s: this criterion does not accept "
			         "\"not applicable\"", pal_answer_expected(c), SHOWN);
			goto bad;
		}
		a->type = PAL_ANS_NA;
		return 0;
	}
	switch (c->kind) {
	case PAL_KIND_YESNO: {
		int b;
		if (pal_num_parse_yesno(cell, &b) != 0) {
			snprintf(why, wl, "expected %s, found %s", pal_answer_expected(c), SHOWN);
			goto bad;
		}
		a->type = PAL_ANS_BOOL;
		a->v.b = b;
		return 0;
	}
	case PAL_KIND_NUMBER:
	case PAL_KIND_PERCENT: {
		double x;
		int pct = 0;
		if (pal_num_parse_office(cell, &x, &pct) != 0) {
			snprintf(why, wl, "expected %s, found %s", pal_answer_expected(c), SHOWN);
			goto bad;
		}
		if (number_in_range(c, x, pct, a)) {
			snprintf(why, wl, "expected %s, found %s", pal_answer_expected(c), SHOWN);
			goto bad;
		}
		return 0;
	}
	case PAL_KIND_CHOICE: {
		long o = find_option(c, s, n);
		if (o < 0) {
			unknown_option(c, s, n, 0, why, wl, ref);
			goto bad;
		}
		a->type = PAL_ANS_CHOICE;
		a->v.choice = (uint32_t)o;
		return 0;
	}
	case PAL_KIND_MULTI: {
		long idx[64];
		size_t k = 0;
		long *big = NULL, *v = idx;
		size_t parts = 1;
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
				long o = find_option(c, t, tl);
				if (o < 0) {
					free(big);
					unknown_option(c, t, tl, 1, why, wl, ref);
					goto bad;
				}
				v[k++] = o;
			}
			p = q + 1;
		}
		int r = set_multi(arena, c, v, k, a);
		free(big);
		return r ? -2 : 0;
	}
	default:
		break;
	}
	return 0;
bad:
	a->type = PAL_ANS_INVALID;
	return -1;
#undef SHOWN
}

/* Reals in their shortest form (-0.1, not jansson's -0.10000000000000001); no allocation. */
static void json_shown(json_t *v, char *buf, size_t len)
{
	pal_json_excerpt(v, 60, buf, len);
}

int pal_answer_from_json(pal_arena *arena, const pal_criterion *c, json_t *v, pal_answer *a,
                         char *why, size_t wl, pal_answer_refusal *ref)
{
	if (ref)
		ref->code = NULL;
	char shown[128];
	a->type = PAL_ANS_NONE;
	if (!v || json_is_null(v))
		return 0;
	json_shown(v, shown, sizeof shown);
	if (c->kind == PAL_KIND_JURY &&
	    !(c->allow_na && json_is_string(v) && pal_num_is_na(json_string_value(v)))) {
		snprintf(why, wl, "an answer to a jury criterion (towns don't mark themselves), found %s",
		         shown);
		goto bad;
	}
	if (c->kind == PAL_KIND_INFO) {
		/* Information is shown as text: numbers and booleans are kept as written. */
		char *t = NULL;
		if (json_is_string(v)) {
			t = pal_text_clean(json_string_value(v));
		} else if (json_is_real(v)) {
			char b[32];
			t = pal_format_number_full(json_real_value(v), b, sizeof b) >= 0 ? pal_text_clean(b)
			                                                                  : NULL;
		} else if (json_is_number(v) || json_is_boolean(v)) {
			char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			t = d ? pal_text_clean(d) : NULL;
			free(d);
		} else {
			snprintf(why, wl, "expected a text, found %s", shown);
			goto bad;
		}
		a->v.text = t ? pal_arena_strdup(arena, t) : NULL;
		free(t);
		if (!a->v.text)
			return -2;
		a->type = PAL_ANS_TEXT;
		return 0;
	}
	if (json_is_string(v) && pal_num_is_na(json_string_value(v)) &&
	    !(c->kind == PAL_KIND_CHOICE &&
	      find_option(c, json_string_value(v), json_string_length(v)) >= 0)) {
		if (!c->allow_na && !c->applies) { /* as in a cell, above */
			snprintf(why, wl, "expected %s, found %s: this criterion does not accept "
			         "\"not applicable\"", pal_answer_expected(c), shown);
			goto bad;
		}
		a->type = PAL_ANS_NA;
		return 0;
	}
	switch (c->kind) {
	case PAL_KIND_YESNO:
		if (!json_is_boolean(v)) {
			snprintf(why, wl, "expected true or false, found %s", shown);
			goto bad;
		}
		a->type = PAL_ANS_BOOL;
		a->v.b = json_is_true(v);
		return 0;
	case PAL_KIND_NUMBER:
	case PAL_KIND_PERCENT:
		if (!json_is_number(v)) {
			snprintf(why, wl, "expected %s, found %s", pal_answer_expected(c), shown);
			goto bad;
		}
		if (number_in_range(c, json_number_value(v), 0, a)) {
			snprintf(why, wl, "expected %s, found %s", pal_answer_expected(c), shown);
			goto bad;
		}
		return 0;
	case PAL_KIND_CHOICE: {
		long o = json_is_string(v) ? find_option(c, json_string_value(v), json_string_length(v)) : -1;
		if (!json_is_string(v)) {
			snprintf(why, wl, "expected an option id (a string), found %s", shown);
			goto bad;
		}
		if (o < 0) {
			unknown_option(c, json_string_value(v), json_string_length(v), 0, why, wl, ref);
			goto bad;
		}
		a->type = PAL_ANS_CHOICE;
		a->v.choice = (uint32_t)o;
		return 0;
	}
	case PAL_KIND_MULTI: {
		if (!json_is_array(v)) {
			/* "a|b" or "a, b": the CSV habit, in a format that has lists */
			const char *str = json_is_string(v) ? json_string_value(v) : NULL;
			if (str && str[strcspn(str, "|,;")])
				snprintf(why, wl, "expected a list of option ids, found %s: write one string "
				         "per option, as in [\"a\", \"b\"]", shown);
			else if (str)
				snprintf(why, wl, "expected a list of option ids, found %s: write [%s]", shown,
				         shown);
			else
				snprintf(why, wl, "expected a list of option ids, found %s", shown);
			goto bad;
		}
		size_t n = json_array_size(v);
		long *idx = malloc((n ? n : 1) * sizeof(long));
		if (!idx)
			return -2;
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_array_get(v, i);
			long o = json_is_string(e) ? find_option(c, json_string_value(e), json_string_length(e)) : -1;
			if (!json_is_string(e)) {
				json_shown(e, shown, sizeof shown);
				snprintf(why, wl, "expected option ids (strings), found %s", shown);
				free(idx);
				goto bad;
			}
			if (o < 0) {
				unknown_option(c, json_string_value(e), json_string_length(e), 2, why, wl, ref);
				free(idx);
				goto bad;
			}
			idx[i] = o;
		}
		int r = set_multi(arena, c, idx, n, a);
		free(idx);
		return r ? -2 : 0;
	}
	default:
		break;
	}
	return 0;
bad:
	a->type = PAL_ANS_INVALID;
	return -1;
}

json_t *pal_answer_to_json(const pal_criterion *c, const pal_answer *a)
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
