/*
 * Streaming JSON writer used by the results writer. Keeps only a comma flag
 * per nesting level; pretty mode puts each member of the two outer levels on
 * its own line so that results files diff well.
 */
#define _GNU_SOURCE 1 /* fputs_unlocked */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "rule.h"
#include "num.h"

/*
 * A results file is millions of small writes: the unlocked stdio variants
 * (glibc) skip a lock per call, which was a third of the JSON writer's time.
 * The stream is never shared between threads while a writer uses it.
 */
#if defined(__GLIBC__)
#define PUTC putc_unlocked
#define PUTS fputs_unlocked
#define WRITE fwrite_unlocked
#else
#define PUTC putc
#define PUTS fputs
#define WRITE fwrite
#endif

void eng_jw_init(pal_jw *w, FILE *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
	w->first[0] = 1;
}

static void sep(pal_jw *w)
{
	if (w->depth > 0 && !w->first[w->depth])
		PUTC(',', w->out);
	if (w->pretty && w->depth > 0 && w->depth <= 2) {
		PUTC('\n', w->out);
		for (int i = 0; i < w->depth; i++)
			PUTS("  ", w->out);
	}
	w->first[w->depth] = 0;
}

/* Values directly after a key (or inside a compact value) need no separator. */
static void value(pal_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	sep(w);
}

static void open(pal_jw *w, char c)
{
	value(w);
	PUTC(c, w->out);
	if (w->depth < 63)
		w->depth++;
	w->first[w->depth] = 1;
}

static void close_(pal_jw *w, char c)
{
	int empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (w->pretty && !empty && w->depth < 2) {
		PUTC('\n', w->out);
		for (int i = 0; i < w->depth; i++)
			PUTS("  ", w->out);
	}
	PUTC(c, w->out);
	if (w->depth == 0 && w->pretty)
		PUTC('\n', w->out);
}

void eng_jw_obj(pal_jw *w) { open(w, '{'); }
void eng_jw_end_obj(pal_jw *w) { close_(w, '}'); }
void eng_jw_arr(pal_jw *w) { open(w, '['); }
void eng_jw_end_arr(pal_jw *w) { close_(w, ']'); }

/* Bytes that go out as they are: not NUL, a control character, '"', '\\' or DEL. */
static const unsigned char plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x22 '"' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,           /* 0x5c '\\' */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,           /* 0x7f DEL */
	/* 0x80 to 0xff: UTF-8, checked where it came in */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

void eng_json_escape(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	PUTC('"', out);
	for (;; p++) {
		unsigned char c = *p;
		if (plain[c]) /* most bytes: one load and one test */
			continue;
		if (!c)
			break;
		/* Safe bytes go out in runs: one fwrite instead of a fputc each. */
		WRITE(run, 1, (size_t)(p - run), out);
		run = p + 1;
		if (c == '"' || c == '\\') {
			PUTC('\\', out);
			PUTC(c, out);
		} else if (c == '\n') {
			PUTS("\\n", out);
		} else if (c == '\t') {
			PUTS("\\t", out);
		} else if (c == '\r') {
			PUTS("\\r", out);
		} else {
			PUTS("\\u00", out);
			PUTC(hex[c >> 4], out);
			PUTC(hex[c & 15], out);
		}
	}
	WRITE(run, 1, (size_t)(p - run), out);
	PUTC('"', out);
}

void eng_jw_key(pal_jw *w, const char *key)
{
	sep(w);
	eng_json_escape(w->out, key);
	PUTC(':', w->out);
	w->after_key = 1;
}

void eng_jw_str(pal_jw *w, const char *s)
{
	value(w);
	if (s)
		eng_json_escape(w->out, s);
	else
		PUTS("null", w->out);
}

void eng_jw_num(pal_jw *w, double x)
{
	char b[64];
	value(w);
	eng_format_number(x, b, sizeof b);
	PUTS(b, w->out);
}

void eng_jw_full(pal_jw *w, double x)
{
	char b[64];
	value(w);
	eng_format_number_full(x, b, sizeof b);
	PUTS(b, w->out);
}

void eng_jw_int(pal_jw *w, long long x)
{
	value(w);
	fprintf(w->out, "%lld", x);
}

void eng_jw_bool(pal_jw *w, int b)
{
	value(w);
	PUTS(b ? "true" : "false", w->out);
}

void eng_jw_null(pal_jw *w)
{
	value(w);
	PUTS("null", w->out);
}

void eng_jw_json(pal_jw *w, const json_t *v)
{
	value(w);
	if (!v) {
		PUTS("null", w->out);
		return;
	}
	/* jansson prints reals with %.17g in the C locale only; go through our formatter. */
	switch (json_typeof(v)) {
	case JSON_REAL: {
		char b[64];
		eng_format_number_full(json_real_value(v), b, sizeof b);
		PUTS(b, w->out);
		break;
	}
	case JSON_OBJECT: {
		const char *k;
		json_t *e;
		PUTC('{', w->out);
		int first = 1;
		json_object_foreach((json_t *)v, k, e) {
			if (!first)
				PUTC(',', w->out);
			first = 0;
			eng_json_escape(w->out, k);
			PUTC(':', w->out);
			w->after_key = 1;
			eng_jw_json(w, e);
		}
		PUTC('}', w->out);
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *e;
		PUTC('[', w->out);
		json_array_foreach(v, i, e) {
			if (i)
				PUTC(',', w->out);
			w->after_key = 1;
			eng_jw_json(w, e);
		}
		PUTC(']', w->out);
		break;
	}
	/* Scalars are written here rather than by json_dumps, which allocates and,
	 * out of memory, would have left a silent null in the results. */
	case JSON_STRING:
		eng_json_escape(w->out, json_string_value(v)); /* jansson refuses NUL in strings */
		break;
	case JSON_INTEGER:
		fprintf(w->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	default:
		PUTS(json_is_true(v) ? "true" : json_is_false(v) ? "false" : "null", w->out);
		break;
	}
}

int eng_json_print(FILE *out, const json_t *v)
{
	pal_jw w;
	eng_jw_init(&w, out, 0);
	eng_jw_json(&w, v);
	return ferror(out) ? -1 : 0;
}
