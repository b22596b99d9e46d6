/*
 * JavaScript value semantics on jansson values, for the JsonLogic evaluator
 * (rule.c). JsonLogic is defined by json-logic-js, so its coercions are those
 * of JavaScript: String(v), Number(v), parseFloat(v), == and ===, and the
 * relational comparison behind < <= > >=.
 *
 * Private to engine/: nothing here is API. Every function that walks a value
 * is bounded in depth (RJS_MAX_VALUE_DEPTH) and charges its work to a budget
 * shared with the evaluator, so that a huge or deeply nested value ends with
 * an error instead of a hang or a stack overflow.
 */
#ifndef PALMARES_RULE_JS_H
#define PALMARES_RULE_JS_H

#include <jansson.h>
#include <stddef.h>

/* Deepest value walked (jansson's own parser stops at 2048 levels too). */
#define RJS_MAX_VALUE_DEPTH 2048
/* Large enough for any number rjs_number_format() writes. */
#define RJS_NUMBUF 40

/* Status codes returned by the functions below. */
enum {
	RJS_OK = 0,
	RJS_ENOMEM = -1, /* an allocation failed */
	RJS_EDEPTH = -2, /* a value is nested deeper than RJS_MAX_VALUE_DEPTH */
	RJS_EBUDGET = -3, /* the work budget ran out */
	RJS_ETEXT = -4    /* more text was built than max_text */
};

/*
 * Work budget: one unit per value node visited and per 64 bytes of text
 * built; and the bytes of text built so far, at most max_text (0: no limit),
 * since a budget of steps alone let a string double up to hundreds of MB.
 */
typedef struct rjs_ctx {
	long budget;
	size_t text, max_text;
} rjs_ctx;

/* Growable byte buffer; zero-initialise, release with rjs_buf_free(). */
typedef struct rjs_buf {
	char *p;
	size_t n, cap;
} rjs_buf;

/*
 * Allocation goes through jansson's allocator (json_set_alloc_funcs), so that
 * unit tests can count and fail the evaluator's allocations with jansson's.
 */
void *rjs_malloc(size_t n);
void rjs_free(void *p);

int rjs_buf_add(rjs_ctx *c, rjs_buf *b, const char *s, size_t n);
void rjs_buf_free(rjs_buf *b);

/* JS Number::toString: shortest round-trip digits, "1e+21", "1e-7", "-0" as "0". */
void rjs_number_format(double x, char out[RJS_NUMBUF]);
/* The number of a JSON number (integer or real). */
double rjs_number_value(const json_t *v);

/* JS truthiness of a JSON value (NULL, false, null, 0, "", [] are falsy). */
int rjs_truthy(const json_t *v);

/* Appends JS String(v) (arrays joined with ",", objects "[object Object]"). */
int rjs_to_string(rjs_ctx *c, const json_t *v, rjs_buf *out);
/* JS Number(v); *out may be NaN or infinite. */
int rjs_to_number(rjs_ctx *c, const json_t *v, double *out);
/* JS parseFloat(String(v)); *out may be NaN or infinite. */
int rjs_parse_float(rjs_ctx *c, const json_t *v, double *out);

/*
 * *eq = (a == b) with JS abstract equality, or (a === b) with strict equality.
 * Two arrays or two objects compare by content (see rule.c's header).
 */
int rjs_loose_equal(rjs_ctx *c, const json_t *a, const json_t *b, int *eq);
int rjs_strict_equal(rjs_ctx *c, const json_t *a, const json_t *b, int *eq);
/* *lt = 1 if a < b in JS, 0 if not, -1 when undefined (a NaN was involved). */
int rjs_less(rjs_ctx *c, const json_t *a, const json_t *b, int *lt);

/* Fails with RJS_EDEPTH when v is nested deeper than limit levels. */
int rjs_check_depth(rjs_ctx *c, const json_t *v, int limit);

/*
 * Short description of a value for messages: null, true, 12, "text" (quoted,
 * escaped, cut at about 40 bytes), an array, an object. Never allocates.
 */
void rjs_describe(const json_t *v, char *buf, size_t len);
/* Writes s as a quoted, escaped string, cut at about 40 bytes. Never allocates. */
void rjs_quote(const char *s, size_t n, char *buf, size_t len);

#endif
