/*
 * The JSON loaders' common machinery (jsonload.h): while a loader walks its
 * tree, palx_jsonload_enter/leave keep the pointer of the current value and
 * every problem goes through palx_jsonload_add into one list; at the end
 * palx_jsonload_flush asks jsonpos.c for all their positions in one scan and
 * hands them over, placed and ordered. Out of memory anywhere is remembered
 * in l->oom and said once, never half-handled.
 */
#include "jsonload.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "jsonpos.h"
#include "text.h"

static const char *tr(const palx_jsonload *l, const char *msgid)
{
	return l->tr ? l->tr(msgid) : msgid;
}

size_t palx_jsonload_enter(palx_jsonload *l, const char *key)
{
	size_t saved = l->plen;
	if (palx_jsonpos_push(l->ptr, sizeof l->ptr, &l->plen, key))
		l->ptr[l->plen = saved] = '\0';
	return saved;
}

size_t palx_jsonload_enter_index(palx_jsonload *l, size_t i)
{
	char b[32];
	snprintf(b, sizeof b, "%zu", i);
	return palx_jsonload_enter(l, b);
}

void palx_jsonload_leave(palx_jsonload *l, size_t saved)
{
	l->plen = saved;
	l->ptr[saved] = '\0';
}

void palx_jsonload_set_ptr(palx_jsonload *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->ptr, sizeof l->ptr, fmt, ap);
	va_end(ap);
	l->plen = n < 0 ? 0 : (size_t)n < sizeof l->ptr ? (size_t)n : sizeof l->ptr - 1;
	l->ptr[l->plen] = '\0';
}

void palx_jsonload_where(const palx_jsonload *l, char *out, size_t size)
{
	size_t o = 0;
	const char *p = l->ptr;
	out[0] = '\0';
	while (*p == '/' && o + 1 < size) {
		const char *seg = ++p;
		size_t n = strcspn(seg, "/");
		int digits = n > 0;
		for (size_t k = 0; k < n; k++)
			digits &= isdigit((unsigned char)seg[k]) != 0;
		int w = digits ? snprintf(out + o, size - o, "[%.*s]", (int)n, seg)
		               : snprintf(out + o, size - o, "%s%.*s", o ? "." : "", (int)n, seg);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
		p = seg + n;
	}
}

/* malloc'd, not strdup'd: the unit tests' failing allocator sees it. */
static char *copy(const char *s)
{
	size_t n = s ? strlen(s) + 1 : 0;
	char *c = s ? malloc(n) : NULL;
	return c ? memcpy(c, s, n) : NULL;
}

/* One block: the struct, then its value and extra strings. */
static palx_msg_info *copy_info(const palx_msg_info *info)
{
	size_t lv = info->value ? strlen(info->value) + 1 : 0, le = info->extra ? strlen(info->extra) + 1 : 0;
	palx_msg_info *c = malloc(sizeof(*c) + lv + le);
	if (!c)
		return NULL;
	*c = *info;
	char *s = (char *)(c + 1);
	if (info->value)
		c->value = memcpy(s, info->value, lv);
	if (info->extra)
		c->extra = memcpy(s + lv, info->extra, le);
	return c;
}

int palx_jsonload_add(palx_jsonload *l, pal_severity sev, const char *ptr, void *about,
                     const palx_msg_info *info, const char *text)
{
	palx_jsonload_problem p = {sev, copy(ptr ? ptr : l->ptr), copy(text), about,
	                          info ? copy_info(info) : NULL};
	l->nerrors += sev == PAL_ERROR;
	l->nwarnings += sev == PAL_WARNING;
	if (!p.ptr || !p.text || (info && !p.info) ||
	    (l->max_problems && l->nprobs == l->cap && l->cap > l->max_problems))
		goto oom;
	if (l->nprobs == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		palx_jsonload_problem *v = realloc(l->probs, cap * sizeof(*v));
		if (!v)
			goto oom;
		l->probs = v;
		l->cap = cap;
	}
	l->probs[l->nprobs++] = p;
	return 0;
oom:
	free(p.ptr);
	free(p.text);
	free(p.info);
	l->oom = 1;
	return -1;
}

void palx_jsonload_vadd(palx_jsonload *l, pal_severity sev, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	palx_jsonload_add(l, sev, NULL, NULL, NULL, buf);
}

void palx_jsonload_error(palx_jsonload *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	palx_jsonload_vadd(l, PAL_ERROR, fmt, ap);
	va_end(ap);
}

void palx_jsonload_warning(palx_jsonload *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	palx_jsonload_vadd(l, PAL_WARNING, fmt, ap);
	va_end(ap);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

void palx_jsonload_expected(palx_jsonload *l, const char *what, const json_t *found)
{
	char w[512];
	palx_jsonload_where(l, w, sizeof w);
	palx_jsonload_error(l, "%s%sexpected %s, found %s", w, *w ? ": " : "", what, type_name(found));
}

json_t *palx_jsonload_get(palx_jsonload *l, json_t *obj, const char *key, int required)
{
	json_t *v = json_object_get(obj, key);
	if (!v && required) {
		char w[512];
		palx_jsonload_where(l, w, sizeof w);
		palx_jsonload_error(l, "%s%smissing field \"%s\"", w, *w ? ": " : "", key);
	}
	return v;
}

void palx_jsonload_check_keys(palx_jsonload *l, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (strncmp(key, "x-", 2) == 0)
			continue;
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(*a, key) == 0;
		if (ok)
			continue;
		size_t s = palx_jsonload_enter(l, key);
		char w[512];
		palx_jsonload_where(l, w, sizeof w);
		/* Suggest the closest allowed key. */
		const char *best = NULL;
		size_t bestd = (size_t)-1;
		for (const char *const *a = allowed; *a; a++) {
			size_t d = palx_text_distance(key, *a);
			if (d < bestd) {
				bestd = d;
				best = *a;
			}
		}
		if (best && bestd <= 2)
			palx_jsonload_error(l, "%s: unknown field \"%s\" (did you mean \"%s\"?)", w, key, best);
		else
			palx_jsonload_error(l, "%s: unknown field \"%s\"", w, key);
		palx_jsonload_leave(l, s);
	}
}

/*
 * jansson's syntax message, "WHAT near 'TOKEN'", in the language of messages:
 * WHAT through the catalog (the common ones are in po/fr.po), the token as is.
 */
static const char *syntax_text(const palx_jsonload *l, const char *e, char *buf, size_t len)
{
	const char *near = strstr(e, " near ");
	char head[200];
	if (!near) {
		snprintf(buf, len, "%s", tr(l, e));
		return buf;
	}
	snprintf(head, sizeof head, "%.*s", (int)(near - e), e);
	const char *tok = strcmp(near + 6, "end of file") == 0 ? tr(l, "end of file") : near + 6;
	snprintf(buf, len, tr(l, "%s near %s"), tr(l, head), tok);
	return buf;
}

json_t *palx_jsonload_parse(palx_jsonload *l, const char *text, size_t len, const char *malformed,
                           pal_diags *diags)
{
	char why[400];
	json_error_t *e = &l->jerr;
	/* palx_json_loadb: jansson may drop a character or report a syntax error when out of memory. */
	json_t *root = palx_json_loadb(text, len, JSON_REJECT_DUPLICATES, e);
	if (root)
		return root;
	if (palx_json_oom(e)) {
		l->oom = 1;
		if (l->oom_text && diags)
			pal_diags_add(diags, PAL_ERROR, l->path, 0, 0, "%s", tr(l, l->oom_text));
	} else if (malformed && diags) {
		syntax_text(l, e->text, why, sizeof why);
		pal_diags_add(diags, PAL_ERROR, l->path, e->line > 0 ? e->line : 0,
		              e->column > 0 ? e->column : 0, tr(l, malformed), why);
	}
	return NULL;
}

int palx_jsonload_items(const char *text, size_t len, size_t n, long *lines, long *cols)
{
	char (*ptrs)[24] = malloc((n + 1) * sizeof(*ptrs));
	const char **pp = malloc((n + 1) * sizeof(*pp));
	int rc = -1;
	if (ptrs && pp) {
		for (size_t i = 0; i < n; i++) {
			snprintf(ptrs[i], sizeof ptrs[i], "/%zu", i);
			pp[i] = ptrs[i];
		}
		rc = palx_jsonpos_find(text, len, pp, n, lines, cols);
	}
	free(ptrs);
	free(pp);
	return rc;
}

/* A problem's place in the order of the text. */
struct placed {
	size_t i;
	long line, col;
};

static int by_position(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Fills order with the problems' positions, sorted when the loader asks.
 * Returns 0, or -1 when out of memory: order is then as found, unplaced.
 */
static int place(palx_jsonload *l, const char *text, size_t len, struct placed *order)
{
	size_t n = l->nprobs;
	const char **ptrs = malloc(n * sizeof(*ptrs));
	long *lines = calloc(n, sizeof(long)), *cols = calloc(n, sizeof(long));
	int rc = -1;
	if (ptrs && lines && cols) {
		for (size_t i = 0; i < n; i++)
			ptrs[i] = l->probs[i].ptr;
		rc = palx_jsonpos_find(text, len, ptrs, n, lines, cols);
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (struct placed){i, rc == 0 ? lines[i] : 0, rc == 0 ? cols[i] : 0};
	if (rc == 0 && (l->flags & PALX_JSONLOAD_SORTED))
		qsort(order, n, sizeof(*order), by_position);
	free(ptrs);
	free(lines);
	free(cols);
	return rc;
}

void palx_jsonload_flush(palx_jsonload *l, const char *text, size_t len, long line0,
                        pal_diags *diags, palx_jsonload_emit_fn emit, void *ctx)
{
	size_t n = l->nprobs;
	struct placed *order = n ? malloc(n * sizeof(*order)) : NULL;
	if (n && (!order || place(l, text, len, order) != 0))
		l->oom = 1; /* the problems go out unplaced, and out of memory is said */
	for (size_t k = 0; k < n; k++) {
		size_t i = order ? order[k].i : k;
		long line = order ? order[k].line : 0, col = line ? order[k].col : 0;
		line = line ? line + line0 : line0 ? line0 + 1 : 0;
		const palx_jsonload_problem *p = &l->probs[i];
		if (emit)
			emit(ctx, p, line, col);
		else
			pal_diags_add(diags, p->sev, l->path, line, col, "%s", p->text);
	}
	if (l->oom && l->oom_text)
		pal_diags_add(diags, PAL_ERROR, l->path, 0, 0, "%s", tr(l, l->oom_text));
	free(order);
	palx_jsonload_release(l);
}

void palx_jsonload_release(palx_jsonload *l)
{
	for (size_t i = 0; i < l->nprobs; i++) {
		free(l->probs[i].ptr);
		free(l->probs[i].text);
		free(l->probs[i].info);
	}
	free(l->probs);
	l->probs = NULL;
	l->nprobs = l->cap = 0;
}
