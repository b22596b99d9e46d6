/*
 * Loader helpers of reports/: the readable field path beside the pointer
 * stack, typed getters, messages. The pointer stack, the problem list and
 * their flush are the engine's (common/jsonload.h), as for every JSON loader.
 * Messages follow the house rule: lower case, failure first, subject quoted,
 * e.g. `town 33449 "Nîmes", field "score.points": expected a number, found "12"`.
 */
#include "load.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "fileio.h"
#include "palmares/limits.h"

/* The module's loader, configured for reports/: messages in the documents' language. */
static palx_jsonload *jl(rep_loader *l)
{
	l->j.path = l->path;
	l->j.tr = rep_msg;
	l->j.oom_text = "out of memory while loading";
	l->j.max_problems = 1000000; /* a hostile file's problems stay within bounds */
	return &l->j;
}

static rep_mark_pos save(const rep_loader *l)
{
	rep_mark_pos m = {l->j.plen, l->dlen};
	return m;
}

static void disp_append(rep_loader *l, const char *s)
{
	int r = snprintf(l->disp + l->dlen, sizeof l->disp - l->dlen, "%s", s);
	if (r > 0)
		l->dlen += (size_t)r < sizeof l->disp - l->dlen ? (size_t)r : sizeof l->disp - l->dlen - 1;
}

rep_mark_pos rep_push_key(rep_loader *l, const char *key)
{
	rep_mark_pos m = save(l);
	palx_jsonload_enter(&l->j, key);
	if (l->dlen > l->disp_base)
		disp_append(l, ".");
	disp_append(l, key);
	return m;
}

rep_mark_pos rep_push_index(rep_loader *l, size_t i)
{
	char num[32];
	rep_mark_pos m = save(l);
	palx_jsonload_enter_index(&l->j, i);
	snprintf(num, sizeof num, "[%zu]", i);
	disp_append(l, num);
	return m;
}

void rep_pop(rep_loader *l, rep_mark_pos m)
{
	palx_jsonload_leave(&l->j, m.plen);
	l->dlen = m.dlen;
	l->disp[m.dlen] = '\0';
}

void rep_problem_at(rep_loader *l, pal_severity sev, const char *fmt, ...)
{
	char body[768], *text;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, rep_msg(fmt), ap); /* msgfmt --check keeps the formats alike */
	va_end(ap);
	const char *field = l->disp + (l->disp_base < l->dlen ? l->disp_base : l->dlen);
	size_t n = strlen(body) + strlen(field) + (l->subject ? strlen(l->subject) : 0) + 40;
	text = malloc(n);
	if (text) {
		if (*field)
			snprintf(text, n, rep_msg("%s%sfield \"%s\": %s"), l->subject ? l->subject : "",
			         l->subject ? ", " : "", field, body);
		else
			snprintf(text, n, "%s%s%s", l->subject ? l->subject : "", l->subject ? ": " : "", body);
	}
	if (sev == PAL_ERROR)
		l->errors++;
	if (!text || palx_jsonload_add(jl(l), sev, NULL, NULL, NULL, text) != 0)
		l->oom = 1;
	free(text);
}

void rep_expected(rep_loader *l, const char *what, const json_t *found)
{
	char shown[64] = "nothing";
	if (found) {
		/* ASCII-escaped so that no control or bidi character reaches a terminal. */
		char *s = json_dumps(found, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
		if (s) {
			size_t n = strlen(s);
			if (n >= sizeof shown)
				snprintf(shown, sizeof shown, "%.56s…", s);
			else
				memcpy(shown, s, n + 1);
			free(s);
		}
	}
	if (json_is_null(found) || !found)
		rep_problem_at(l, PAL_ERROR, "expected %s, found %s", rep_msg(what),
		               found ? "null" : rep_msg("nothing"));
	else
		rep_problem_at(l, PAL_ERROR, "expected %s, found %s", rep_msg(what), shown);
}

const char *rep_str(rep_loader *l, const json_t *s)
{
	const char *v = rep_clean(l->arena, json_string_value(s), json_string_length(s));
	if (!v)
		l->oom = 1;
	return v;
}

/* Fetches obj[key]; reports a missing required key. Returns NULL for missing or null. */
static const json_t *field(rep_loader *l, const json_t *obj, const char *key, int required)
{
	const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	if ((!v || json_is_null(v)) && required) {
		rep_mark_pos m = rep_push_key(l, key);
		palx_jsonload_leave(&l->j, m.plen); /* position of the enclosing object: the key is not there */
		rep_problem_at(l, PAL_ERROR, "missing");
		rep_pop(l, m);
	}
	return json_is_null(v) ? NULL : v;
}

int rep_get_str(rep_loader *l, const json_t *obj, const char *key, int required, const char **out)
{
	const json_t *v = field(l, obj, key, required);
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		rep_mark_pos m = rep_push_key(l, key);
		rep_expected(l, "a string", v);
		rep_pop(l, m);
		return 0;
	}
	const char *s = rep_str(l, v);
	if (!s)
		return 0; /* out of memory, recorded: *out keeps its default */
	*out = s;
	return 1;
}

int rep_get_num(rep_loader *l, const json_t *obj, const char *key, int required, double *out)
{
	const json_t *v = field(l, obj, key, required);
	if (!v)
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		rep_mark_pos m = rep_push_key(l, key);
		rep_expected(l, "a number", v);
		rep_pop(l, m);
		return 0;
	}
	*out = json_number_value(v);
	return 1;
}

int rep_get_int(rep_loader *l, const json_t *obj, const char *key, int required, long min,
                long max, long *out)
{
	const json_t *v = field(l, obj, key, required);
	if (!v)
		return 0;
	double d = json_is_number(v) ? json_number_value(v) : NAN;
	if (!(d >= (double)min && d <= (double)max && d == floor(d))) {
		char what[96];
		snprintf(what, sizeof what, rep_msg("an integer from %ld to %ld"), min, max);
		rep_mark_pos m = rep_push_key(l, key);
		rep_expected(l, what, v);
		rep_pop(l, m);
		return 0;
	}
	*out = (long)d;
	return 1;
}

int rep_get_bool(rep_loader *l, const json_t *obj, const char *key, int required, int *out)
{
	const json_t *v = field(l, obj, key, required);
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		rep_mark_pos m = rep_push_key(l, key);
		rep_expected(l, "true or false", v);
		rep_pop(l, m);
		return 0;
	}
	*out = json_is_true(v);
	return 1;
}

static int text_object(rep_loader *l, const json_t *v, rep_i18n *out)
{
	size_t n = json_object_size(v), i = 0;
	const char *k;
	json_t *s;
	out->langs = palx_arena_alloc(l->arena, (n + 1) * sizeof(char *));
	out->vals = palx_arena_alloc(l->arena, (n + 1) * sizeof(char *));
	if (!out->langs || !out->vals) {
		l->oom = 1;
		return 0;
	}
	json_object_foreach((json_t *)v, k, s) {
		rep_mark_pos m = rep_push_key(l, k);
		if (!json_is_string(s)) {
			rep_expected(l, "a string", s);
		} else {
			out->langs[i] = palx_arena_strdup(l->arena, k);
			out->vals[i] = rep_str(l, s);
			if (!out->langs[i] || !out->vals[i])
				l->oom = 1;
			else
				i++;
		}
		rep_pop(l, m);
	}
	out->n = i;
	return i > 0;
}

int rep_get_text(rep_loader *l, const json_t *obj, const char *key, int required, rep_i18n *out)
{
	const json_t *v = field(l, obj, key, required);
	memset(out, 0, sizeof *out);
	if (!v)
		return 0;
	rep_mark_pos m = rep_push_key(l, key);
	int ok = 0;
	if (json_is_string(v)) {
		out->langs = palx_arena_alloc(l->arena, sizeof(char *));
		out->vals = palx_arena_alloc(l->arena, sizeof(char *));
		if (out->langs && out->vals) {
			out->langs[0] = "";
			out->vals[0] = rep_str(l, v);
			out->n = out->vals[0] != NULL;
			ok = (int)out->n;
		} else {
			l->oom = 1;
		}
	} else if (json_is_object(v)) {
		ok = text_object(l, v, out);
	} else {
		rep_expected(l, "a text (a string or an object of language -> string)", v);
	}
	rep_pop(l, m);
	return ok;
}

int rep_get_strs(rep_loader *l, const json_t *obj, const char *key, int required,
                 const char ***out, size_t *n)
{
	const json_t *v = field(l, obj, key, required);
	*n = 0;
	if (!v)
		return 0;
	rep_mark_pos m = rep_push_key(l, key);
	if (!json_is_array(v)) {
		rep_expected(l, "an array of strings", v);
		rep_pop(l, m);
		return 0;
	}
	*out = palx_arena_alloc(l->arena, (json_array_size(v) + 1) * sizeof(char *));
	if (!*out) {
		l->oom = 1;
		rep_pop(l, m);
		return 0;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *s = json_array_get(v, i);
		rep_mark_pos mi = rep_push_index(l, i);
		if (!json_is_string(s))
			rep_expected(l, "a string", s);
		else if (((*out)[*n] = rep_str(l, s)) != NULL)
			(*n)++;
		rep_pop(l, mi);
	}
	rep_pop(l, m);
	return 1;
}

char *rep_read_file(const char *path, unsigned flags, size_t *len, pal_diags *diags)
{
	char *buf = NULL;
	/*
	 * The engine's reader: size checked before reading, streams stopped at
	 * the limit; its messages in the language of the documents.
	 */
	pal_diags_translate_fn was = pal_diags_set_translate(diags, rep_msg);
	int rc = palx_file_read_flags(path, pal_limits_current()->max_json, "PALMARES_MAX_JSON", flags, &buf, len,
	                             diags);
	pal_diags_set_translate(diags, was);
	if (rc != 0)
		return NULL;
	return buf;
}

json_t *rep_parse(const char *path, const char *text, size_t len, pal_diags *diags)
{
	palx_jsonload j = {.path = path, .tr = rep_msg, .oom_text = "out of memory while reading"};
	return palx_jsonload_parse(&j, text, len, "malformed JSON: %s", diags);
}

void rep_loader_flush(rep_loader *l, const char *text, size_t len, pal_diags *diags)
{
	jl(l)->oom |= l->oom;
	palx_jsonload_flush(&l->j, text, len, 0, diags, NULL, NULL);
	l->oom |= l->j.oom;
}
