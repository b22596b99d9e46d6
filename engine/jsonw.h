/*
 * A tiny streaming JSON writer: results are written as they are produced,
 * never built as one giant tree. Numbers never depend on the locale.
 */
#ifndef PAL_JSONW_H
#define PAL_JSONW_H

#include <stdio.h>

typedef struct pal_jw {
	FILE *out;
	int depth;
	int first[64];   /* per depth: no member written yet */
	int pretty;
	int after_key;
} pal_jw;

void eng_jw_init(pal_jw *w, FILE *out, int pretty);
void eng_jw_obj(pal_jw *w);
void eng_jw_end_obj(pal_jw *w);
void eng_jw_arr(pal_jw *w);
void eng_jw_end_arr(pal_jw *w);
/* Member key inside an object (the value follows). */
void eng_jw_key(pal_jw *w, const char *key);
void eng_jw_str(pal_jw *w, const char *s);   /* NULL writes null */
void eng_jw_num(pal_jw *w, double x);        /* rounded to 2 decimals (reported numbers) */
void eng_jw_full(pal_jw *w, double x);       /* full precision, shortest round-trip form */
void eng_jw_int(pal_jw *w, long long x);
void eng_jw_bool(pal_jw *w, int b);
void eng_jw_null(pal_jw *w);
/* A jansson value, written compactly. */
struct json_t;
void eng_jw_json(pal_jw *w, const struct json_t *v);

/* Writes s as a JSON string literal (with quotes). */
void eng_json_escape(FILE *out, const char *s);

#endif
