/*
 * What the two files of the rubric loader share: rubric.c reads the rubric's
 * structure, categories, criteria, ids and jury; rubric_awards.c its rules
 * and the awards they decide (levels, mentions). Both walk the tree with one
 * loader and the same short verbs, which are the JSON loading module's
 * (jsonload.h) in the rubric's words. Private to these two files.
 */
#ifndef PAL_RUBRIC_INT_H
#define PAL_RUBRIC_INT_H

#include <stdarg.h>
#include <stdio.h>

#include "jsonload.h"
#include "model.h"
#include "num.h"

struct loader {
	palx_jsonload j;    /* pointer stack and problems (jsonload.h) */
	pal_rubric *r;
	int oom;
};

static inline void problem(struct loader *L, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void warning(struct loader *L, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void problem(struct loader *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	palx_jsonload_vadd(&L->j, PAL_ERROR, fmt, ap);
	va_end(ap);
}

/* What is likely a mistake but may be meant: said, and the rubric still loads. */
static inline void warning(struct loader *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	palx_jsonload_vadd(&L->j, PAL_WARNING, fmt, ap);
	va_end(ap);
}

/* Path stack: enter a key or an index, leave restores. */
static inline size_t enter(struct loader *L, const char *key) { return palx_jsonload_enter(&L->j, key); }
static inline size_t enter_index(struct loader *L, size_t i)
{
	return palx_jsonload_enter_index(&L->j, i);
}
static inline void leave(struct loader *L, size_t saved) { palx_jsonload_leave(&L->j, saved); }
/* A readable dotted location from the current pointer: categories[0].criteria[2].points */
static inline void where(const struct loader *L, char *out, size_t size)
{
	palx_jsonload_where(&L->j, out, size);
}

static inline void expected(struct loader *L, const char *what, const json_t *found)
{
	palx_jsonload_expected(&L->j, what, found);
}

/* Unknown keys are errors (typos), except "x-" keys. allowed is NULL-terminated. */
static inline void check_keys(struct loader *L, json_t *obj, const char *const *allowed)
{
	palx_jsonload_check_keys(&L->j, obj, allowed);
}

static inline json_t *get(struct loader *L, json_t *obj, const char *key, int required)
{
	return palx_jsonload_get(&L->j, obj, key, required);
}

static inline int is_number(const json_t *v)
{
	return json_is_integer(v) || json_is_real(v);
}

/* A number for a message, the same in every locale (printf's %g writes 0,5 in French ones). */
static inline const char *num_text(double x, char *buf, size_t len)
{
	if (eng_format_number_full(x, buf, len) < 0)
		snprintf(buf, len, "%s", x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN");
	return buf;
}
#define NUM(x) num_text((x), (char[32]){0}, 32)

/* rubric.c: texts (a new reference), ids (in the arena), names matched against input. */
json_t *eng_rubric_text_field(struct loader *L, json_t *obj, const char *key, int required);
const char *eng_rubric_id_field(struct loader *L, json_t *obj, int allow_dots);
int eng_rubric_visible_name(struct loader *L, const char *what, const char *name);
/* rubric_awards.c: a rule checked against the rubric's ids (a new reference), levels, mentions. */
json_t *eng_rubric_rule_field(struct loader *L, json_t *obj, const char *key, int required,
                              int applies, int mention);
void eng_rubric_load_levels(struct loader *L, json_t *levels);
void eng_rubric_load_mentions(struct loader *L, json_t *mentions);

/* The short names both files call them by. */
static inline json_t *text_field(struct loader *L, json_t *obj, const char *key, int required)
{
	return eng_rubric_text_field(L, obj, key, required);
}
static inline const char *id_field(struct loader *L, json_t *obj, int allow_dots)
{
	return eng_rubric_id_field(L, obj, allow_dots);
}
static inline int visible_name(struct loader *L, const char *what, const char *name)
{
	return eng_rubric_visible_name(L, what, name);
}
static inline json_t *rule_field(struct loader *L, json_t *obj, const char *key, int required,
                                 int applies, int mention)
{
	return eng_rubric_rule_field(L, obj, key, required, applies, mention);
}

#endif
