/*
 * JsonLogic evaluator (SPEC.md §2), with the semantics of json-logic-js, the
 * reference implementation of jsonlogic.com.
 *
 * Data flow: eng_rule_eval() walks the rule (borrowed) recursively. A
 * one-key object {"op": args} is looked up in ops[]: eager operators get
 * their arguments evaluated first, lazy ones (if, and, or, map, reduce, ...)
 * evaluate only what they need, map & co. with the array element as data.
 * Objects with another number of keys and scalars are literals; arrays are
 * evaluated element by element. Every value produced is a new jansson
 * reference; literals and `var` results are shared with the rule and the
 * data (refcounted, never modified). JavaScript coercions live in rule_js.c.
 *
 * Limits: each node evaluated costs a step, and so does each element copied
 * or visited by merge, cat, in, ==, ...; the whole run is bounded by
 * env->max_steps, and the text it builds by PAL_RULE_MAX_TEXT (steps alone
 * let a doubling string reach hundreds of MB). The frame stack (path[])
 * bounds the recursion at PAL_RULE_MAX_DEPTH and gives the JSON-pointer location of an error. The
 * only loop that can nest values without bound, reduce, checks the depth of
 * its accumulator.
 *
 * Where JsonLogic leaves a choice, see docs/rules.md (e.g. structural ==
 * between arrays, strict arity, errors instead of NaN and Infinity).
 */
#include "rule.h"
#include "palmares/limits.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rule_int.h"
#include "rule_js.h"

typedef struct ev {
	const pal_rule_env *env;
	rjs_ctx js; /* js.budget: steps left, shared with rule_js.c */
	long max_steps;
	int depth;
	rule_frame path[PAL_RULE_MAX_DEPTH];
	char *err;
	size_t errlen;
} ev;

/* The data a rule sees: the root data, or an array element inside map & co. */
typedef struct scope {
	json_t *data; /* borrowed, never NULL */
	int root;     /* env->resolver, when set, replaces data at the root scope */
} scope;

typedef int (*eager_fn)(ev *e, const char *op, json_t **v, size_t n, const scope *s,
                        json_t **out);
typedef int (*lazy_fn)(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                       json_t **out);

struct op {
	rule_op_info info;
	eager_fn eager; /* called with the arguments' values */
	lazy_fn lazy;   /* called with the arguments as written */
};

static int eval(ev *e, const json_t *node, const scope *s, const char *key, long idx,
                json_t **out);

/* ---- errors ---- */

static int vfail(ev *e, int located, const char *fmt, va_list ap)
{
	char where[512];
	size_t off = 0;
	if (!e->err || !e->errlen)
		return -1;
	e->err[0] = '\0';
	if (located && e->depth > 1) {
		int r;
		eng_rule_pointer(e->path, e->depth, where, sizeof where);
		r = snprintf(e->err, e->errlen, "at %s: ", where);
		if (r > 0)
			off = (size_t)r < e->errlen ? (size_t)r : e->errlen - 1;
	}
	vsnprintf(e->err + off, e->errlen - off, fmt, ap);
	return -1;
}

/* Records an error located at the node being evaluated; returns -1. */
static int fail(ev *e, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static int fail(ev *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(e, 1, fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_steps(ev *e)
{
	char msg[128];
	snprintf(msg, sizeof msg, "rule evaluation exceeded %ld steps (limit set by "
	         "PALMARES_MAX_RULE_STEPS)", e->max_steps);
	if (e->err && e->errlen)
		snprintf(e->err, e->errlen, "%s", msg);
	return -1;
}

static int oom(ev *e, const char *op)
{
	return fail(e, "\"%s\": out of memory", op);
}

/* Maps a rule_js.c status to an error; 0 stays 0. */
static int js_status(ev *e, const char *op, int r)
{
	switch (r) {
	case RJS_OK: return 0;
	case RJS_EBUDGET: return fail_steps(e);
	case RJS_ETEXT:
		return fail(e, "\"%s\": rule evaluation built more than %zu bytes of text (a fixed limit)", op,
		            e->js.max_text);
	case RJS_EDEPTH:
		return fail(e, "\"%s\": value nested too deeply (more than %d levels)", op,
		            RJS_MAX_VALUE_DEPTH);
	default: return oom(e, op);
	}
}

static int step(ev *e, long n)
{
	e->js.budget -= n;
	return e->js.budget < 0 ? fail_steps(e) : 0;
}

/* "first argument", ..., "argument 11" */
static void arg_name(size_t i, char *buf, size_t len)
{
	static const char *const names[] = {"first", "second", "third", "fourth", "fifth",
	                                    "sixth", "seventh", "eighth", "ninth", "tenth"};
	if (i < sizeof names / sizeof names[0])
		snprintf(buf, len, "%s argument", names[i]);
	else
		snprintf(buf, len, "argument %zu", i + 1);
}

static int fail_type(ev *e, const char *op, const char *what, size_t i, const json_t *v)
{
	char pos[32], d[64];
	arg_name(i, pos, sizeof pos);
	rjs_describe(v, d, sizeof d);
	return fail(e, "\"%s\": expected %s as %s, found %s", op, what, pos, d);
}

/* ---- arguments and numbers ---- */

static size_t nargs(const json_t *args)
{
	return json_is_array(args) ? json_array_size(args) : 1;
}

/* A non-array argument is a single argument: {"!": true} is {"!": [true]}. */
static const json_t *arg_at(const json_t *args, size_t i)
{
	if (json_is_array(args))
		return json_array_get(args, i);
	return i == 0 ? args : NULL;
}

static int eval_arg(ev *e, const char *op, const json_t *args, size_t i, const scope *s,
                    json_t **out)
{
	return eval(e, arg_at(args, i), s, op, json_is_array(args) ? (long)i : -1, out);
}

/* v[i] as a number, with Number() (parse = 0) or parseFloat() (parse = 1). */
static int arg_number(ev *e, const char *op, json_t **v, size_t i, int parse, double *x)
{
	int r = parse ? rjs_parse_float(&e->js, v[i], x) : rjs_to_number(&e->js, v[i], x);
	if (r)
		return js_status(e, op, r);
	if (isnan(*x))
		return fail_type(e, op, "a number", i, v[i]);
	return 0;
}

/* Integral results within ±2^53 become JSON integers; NaN and ±Infinity are errors. */
static int number_result(ev *e, const char *op, double x, json_t **out)
{
	if (!isfinite(x))
		return fail(e, "\"%s\": result is not a finite number", op);
	if (x == floor(x) && fabs(x) <= 9007199254740992.0)
		*out = json_integer((json_int_t)x);
	else
		*out = json_real(x);
	return *out ? 0 : oom(e, op);
}

/* ---- data access: var, missing, missing_some ---- */

/* Child seg of an object, or element seg (a canonical decimal index) of an array. */
static const json_t *child(const json_t *v, const char *seg, size_t n)
{
	size_t i = 0;
	if (json_is_object(v))
		return json_object_getn(v, seg, n);
	if (!json_is_array(v) || n == 0 || n > 18 || (n > 1 && seg[0] == '0'))
		return NULL;
	for (size_t k = 0; k < n; k++) {
		if (seg[k] < '0' || seg[k] > '9')
			return NULL;
		i = i * 10 + (size_t)(seg[k] - '0');
	}
	return json_array_get(v, i);
}

/* Follows a dotted path; NULL when some step does not exist. Borrowed. */
static const json_t *walk(const json_t *data, const char *path, size_t len)
{
	const char *p = path, *end = path + len;
	const json_t *cur = data;
	for (;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		cur = child(cur, p, dot ? (size_t)(dot - p) : (size_t)(end - p));
		if (!cur || !dot)
			return cur;
		p = dot + 1;
	}
}

/*
 * Looks a path value up (NULL, null and "" mean the whole data). *found is a
 * new reference, or NULL when the path does not exist.
 */
static int lookup(ev *e, const char *op, size_t i, const scope *s, const json_t *key,
                  json_t **found)
{
	char num[RJS_NUMBUF];
	const char *path = "";
	size_t len = 0;

	*found = NULL;
	if (json_is_string(key)) {
		path = json_string_value(key);
		len = json_string_length(key);
	} else if (json_is_integer(key)) {
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(key));
		path = num;
		len = strlen(num);
	} else if (json_is_real(key)) {
		rjs_number_format(json_real_value(key), num);
		path = num;
		len = strlen(num);
	} else if (key && !json_is_null(key)) {
		return fail_type(e, op, "a string or number path", i, key);
	}
	if (step(e, 1 + (long)(len >> 6)))
		return -1;
	if (s->root && e->env->resolver)
		*found = e->env->resolver(e->env->ctx, path);
	else
		*found = json_incref((json_t *)(len ? walk(s->data, path, len) : s->data));
	return 0;
}

static int op_var(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	json_t *found;
	if (lookup(e, op, 0, s, n ? v[0] : NULL, &found))
		return -1;
	*out = found ? found : json_incref(n > 1 ? v[1] : json_null());
	return 0;
}

/* Appends key to res when its value is absent, null or "". */
static int missing_key(ev *e, const char *op, size_t i, const scope *s, json_t *key, json_t *res)
{
	json_t *found;
	int absent;
	if (lookup(e, op, i, s, key, &found))
		return -1;
	absent = !found || json_is_null(found) ||
	         (json_is_string(found) && json_string_length(found) == 0);
	json_decref(found);
	if (absent && json_array_append(res, key))
		return oom(e, op);
	return 0;
}

/* The keys are the first argument when it is an array, else every argument. */
static int op_missing(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	json_t *res = json_array();
	int list = n > 0 && json_is_array(v[0]);
	size_t count = list ? json_array_size(v[0]) : n;
	if (!res)
		return oom(e, op);
	for (size_t i = 0; i < count; i++) {
		json_t *key = list ? json_array_get(v[0], i) : v[i];
		if (missing_key(e, op, list ? 0 : i, s, key, res)) {
			json_decref(res);
			return -1;
		}
	}
	*out = res;
	return 0;
}

static int op_missing_some(ev *e, const char *op, json_t **v, size_t n, const scope *s,
                           json_t **out)
{
	json_t *miss, *keys = v[1];
	double need;
	if (arg_number(e, op, v, 0, 0, &need))
		return -1;
	if (!json_is_array(keys))
		return fail_type(e, op, "an array of paths", 1, keys);
	/* json-logic-js runs {"missing": paths}, which reads [[a, b]] as [a, b]. */
	if (json_is_array(json_array_get(keys, 0)))
		keys = json_array_get(keys, 0);
	if (op_missing(e, op, &keys, 1, s, &miss))
		return -1;
	if ((double)json_array_size(v[1]) - (double)json_array_size(miss) >= need) {
		json_decref(miss);
		if (!(miss = json_array()))
			return oom(e, op);
	}
	*out = miss;
	return 0;
}

/* ---- logic ---- */

/* if / ?: — cond, then, [cond, then]..., [else]. */
static int op_if(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                 json_t **out)
{
	size_t i;
	for (i = 0; i + 1 < n; i += 2) {
		json_t *c;
		int t;
		if (eval_arg(e, op, args, i, s, &c))
			return -1;
		t = rjs_truthy(c);
		json_decref(c);
		if (t)
			return eval_arg(e, op, args, i + 1, s, out);
	}
	if (i < n)
		return eval_arg(e, op, args, i, s, out);
	*out = json_null();
	return 0;
}

/* and returns the first falsy value, or the last; or the first truthy, or the last. */
static int op_and_or(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                     json_t **out)
{
	int stop_on = op[0] == 'o';
	json_t *cur = NULL;
	for (size_t i = 0; i < n; i++) {
		json_decref(cur);
		if (eval_arg(e, op, args, i, s, &cur))
			return -1;
		if (rjs_truthy(cur) == stop_on)
			break;
	}
	*out = cur ? cur : json_null();
	return 0;
}

static int op_not(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	*out = json_boolean(rjs_truthy(v[0]) == (op[1] == '!'));
	return 0;
}

/* == != (JavaScript abstract equality) and === !== (strict). */
static int op_equal(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	int strict = strlen(op) == 3, negate = op[0] == '!', eq = 0, r;
	r = strict ? rjs_strict_equal(&e->js, v[0], v[1], &eq)
	           : rjs_loose_equal(&e->js, v[0], v[1], &eq);
	if (r)
		return js_status(e, op, r);
	*out = json_boolean(eq != negate);
	return 0;
}

/*
 * One JavaScript comparison: a < b is less(a, b) == 1, a > b is less(b, a) == 1,
 * a <= b is less(b, a) == 0 and a >= b is less(a, b) == 0. Where JavaScript
 * would compare a NaN (a word with a number, an array, an object) and quietly
 * answer false, this is a run-time error: SPEC §2 wants no silent false.
 */
static int compare(ev *e, const char *op, const json_t *a, const json_t *b, int *res)
{
	int gt = op[0] == '>', or_equal = op[1] == '=', lt = 0, r;
	const json_t *x = gt != or_equal ? b : a, *y = gt != or_equal ? a : b;
	if ((r = rjs_less(&e->js, x, y, &lt)))
		return js_status(e, op, r);
	if (lt < 0) {
		char da[64], db[64];
		rjs_describe(a, da, sizeof da);
		rjs_describe(b, db, sizeof db);
		return fail(e, "\"%s\": cannot compare %s with %s", op, da, db);
	}
	*res = or_equal ? lt == 0 : lt == 1;
	return 0;
}

/* > >= < <=; < and <= with three arguments test a < b < c ("between"). */
static int op_compare(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	int res = 0;
	if (compare(e, op, v[0], v[1], &res))
		return -1;
	if (res && n == 3 && compare(e, op, v[1], v[2], &res))
		return -1;
	*out = json_boolean(res);
	return 0;
}

/* ---- arithmetic ---- */

static int op_minmax(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	int is_max = op[1] == 'a';
	double best = 0, x;
	for (size_t i = 0; i < n; i++) {
		if (arg_number(e, op, v, i, 0, &x))
			return -1;
		if (i == 0 || (is_max ? x > best : x < best))
			best = x;
	}
	return number_result(e, op, best, out);
}

/* + and * read their arguments with parseFloat, as json-logic-js does. */
static int op_sum_product(ev *e, const char *op, json_t **v, size_t n, const scope *s,
                          json_t **out)
{
	int product = op[0] == '*';
	double acc = product ? 1 : 0, x;
	for (size_t i = 0; i < n; i++) {
		if (arg_number(e, op, v, i, 1, &x))
			return -1;
		acc = product ? acc * x : acc + x;
	}
	return number_result(e, op, acc, out);
}

static int op_minus(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	double a, b;
	if (arg_number(e, op, v, 0, 0, &a))
		return -1;
	if (n == 1)
		return number_result(e, op, -a, out);
	if (arg_number(e, op, v, 1, 0, &b))
		return -1;
	return number_result(e, op, a - b, out);
}

static int op_divide(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	double a, b;
	if (arg_number(e, op, v, 0, 0, &a) || arg_number(e, op, v, 1, 0, &b))
		return -1;
	if (b == 0)
		return fail(e, "\"%s\": division by zero", op);
	return number_result(e, op, op[0] == '/' ? a / b : fmod(a, b), out);
}

/* ---- arrays ---- */

/* The first argument of map & co.; *list is NULL when it is not an array. */
static int scoped_list(ev *e, const char *op, const json_t *args, const scope *s, json_t **list)
{
	if (eval_arg(e, op, args, 0, s, list))
		return -1;
	if (!json_is_array(*list)) {
		json_decref(*list);
		*list = NULL;
	}
	return 0;
}

/* Runs the second argument with elem as the data (the resolver is for the root only). */
static int scoped_eval(ev *e, const char *op, const json_t *args, json_t *elem, json_t **out)
{
	scope in = {elem, 0};
	return eval_arg(e, op, args, 1, &in, out);
}

static int op_map_filter(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                         json_t **out)
{
	int filter = op[0] == 'f';
	json_t *list, *res, *x;
	if (scoped_list(e, op, args, s, &list))
		return -1;
	if (!(res = json_array())) {
		json_decref(list);
		return oom(e, op);
	}
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *elem = json_array_get(list, i);
		int r = 0;
		if (scoped_eval(e, op, args, elem, &x))
			r = -1;
		else if (!filter)
			r = json_array_append_new(res, x) ? oom(e, op) : 0;
		else if (rjs_truthy(x) && json_array_append(res, elem))
			r = oom(e, op);
		if (filter)
			json_decref(x);
		if (r) {
			json_decref(list);
			json_decref(res);
			return -1;
		}
	}
	json_decref(list);
	*out = res;
	return 0;
}

/*
 * all stops at the first falsy element, some and none at the first truthy
 * one; over an empty list or a non-array, all and some are false, none true.
 */
static int op_quantifier(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                         json_t **out)
{
	json_t *list, *x;
	size_t len;
	int is_all = op[0] == 'a', stopped = 0;
	if (scoped_list(e, op, args, s, &list))
		return -1;
	len = list ? json_array_size(list) : 0;
	for (size_t i = 0; i < len && !stopped; i++) {
		if (scoped_eval(e, op, args, json_array_get(list, i), &x)) {
			json_decref(list);
			return -1;
		}
		stopped = rjs_truthy(x) != is_all;
		json_decref(x);
	}
	json_decref(list);
	if (is_all)
		*out = json_boolean(len > 0 && !stopped);
	else
		*out = json_boolean(op[0] == 's' ? stopped : !stopped);
	return 0;
}

/* One reduce step: the logic sees {"current": elem, "accumulator": acc} (acc is stolen). */
static int reduce_step(ev *e, const char *op, const json_t *args, json_t *elem, json_t *acc,
                       json_t **next)
{
	json_t *ctx = json_object();
	int r;
	*next = NULL;
	if (!ctx) {
		json_decref(acc);
		return oom(e, op);
	}
	if (json_object_set_new(ctx, "accumulator", acc) || json_object_set(ctx, "current", elem)) {
		json_decref(ctx);
		return oom(e, op);
	}
	r = scoped_eval(e, op, args, ctx, next);
	/* The accumulator can nest itself ({"var": ""}, [{"var": "accumulator"}]): bound it. */
	if (!r && *next != acc && (json_is_array(*next) || json_is_object(*next)))
		r = js_status(e, op, rjs_check_depth(&e->js, *next, RJS_MAX_VALUE_DEPTH - 1));
	json_decref(ctx);
	if (r) {
		json_decref(*next);
		*next = NULL;
	}
	return r;
}

static int op_reduce(ev *e, const char *op, const json_t *args, size_t n, const scope *s,
                     json_t **out)
{
	json_t *list, *acc = json_null();
	if (scoped_list(e, op, args, s, &list))
		return -1;
	if (n > 2 && eval_arg(e, op, args, 2, s, &acc)) {
		json_decref(list);
		return -1;
	}
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		if (reduce_step(e, op, args, json_array_get(list, i), acc, &acc)) {
			json_decref(list);
			return -1;
		}
	}
	json_decref(list);
	*out = acc;
	return 0;
}

/* Concatenates arrays; other values are appended as single elements. */
static int op_merge(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	json_t *res;
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += json_is_array(v[i]) ? (long)json_array_size(v[i]) : 1;
	if (step(e, total))
		return -1;
	if (!(res = json_array()))
		return oom(e, op);
	for (size_t i = 0; i < n; i++) {
		int r = json_is_array(v[i]) ? json_array_extend(res, v[i]) : json_array_append(res, v[i]);
		if (r) {
			json_decref(res);
			return oom(e, op);
		}
	}
	*out = res;
	return 0;
}

/* ---- strings ---- */

/* Is needle a substring of hay? Charges the comparisons to the budget. */
static int contains(ev *e, const char *hay, size_t hn, const char *needle, size_t nn, int *found)
{
	*found = nn == 0;
	for (size_t i = 0; !*found && nn <= hn && i <= hn - nn; i++) {
		const char *p = memchr(hay + i, needle[0], hn - nn - i + 1);
		if (!p)
			break;
		i = (size_t)(p - hay);
		if (step(e, 1 + (long)(nn >> 6)))
			return -1;
		*found = memcmp(p, needle, nn) == 0;
	}
	return 0;
}

/* in: substring of a string, or strictly equal element of an array; else false. */
static int op_in(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	const json_t *b = v[1];
	int found = 0, r = 0;
	if (json_is_string(b) && json_string_length(b) > 0) {
		rjs_buf t = {0};
		r = js_status(e, op, rjs_to_string(&e->js, v[0], &t));
		if (!r)
			r = contains(e, json_string_value(b), json_string_length(b), t.p ? t.p : "", t.n,
			             &found);
		rjs_buf_free(&t);
	} else if (json_is_array(b)) {
		for (size_t i = 0; !r && !found && i < json_array_size(b); i++)
			r = js_status(e, op, rjs_strict_equal(&e->js, v[0], json_array_get(b, i), &found));
	}
	if (r)
		return -1;
	*out = json_boolean(found);
	return 0;
}

/* cat joins its arguments' String() values, null as "" (Array.prototype.join). */
static int op_cat(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	rjs_buf b = {0};
	int r = 0;
	for (size_t i = 0; !r && i < n; i++)
		if (!json_is_null(v[i]))
			r = js_status(e, op, rjs_to_string(&e->js, v[i], &b));
	if (!r && !(*out = json_stringn(b.p ? b.p : "", b.n)))
		r = oom(e, op);
	rjs_buf_free(&b);
	return r;
}

/* substr's start and length: numbers, or strings that read as numbers. */
static int index_arg(ev *e, const char *op, json_t **v, size_t i, double *x)
{
	int r;
	if (!json_is_number(v[i]) && !json_is_string(v[i]))
		return fail_type(e, op, "a number", i, v[i]);
	if ((r = rjs_to_number(&e->js, v[i], x)))
		return js_status(e, op, r);
	if (isnan(*x))
		return fail_type(e, op, "a number", i, v[i]);
	return 0;
}

/* Byte offset of code point cp in s (UTF-8). */
static size_t cp_offset(const char *s, size_t n, size_t cp)
{
	size_t i = 0;
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && cp-- == 0)
			break;
	return i;
}

/*
 * substr(string, start[, length]) counted in characters (code points): a
 * negative start counts from the end, a negative length leaves that many
 * characters off the end (json-logic-js).
 */
static int op_substr(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	rjs_buf b = {0};
	double start, len = 0, size = 0, count;
	size_t from, to;
	if (index_arg(e, op, v, 1, &start) || (n > 2 && index_arg(e, op, v, 2, &len)))
		return -1;
	if (js_status(e, op, rjs_to_string(&e->js, v[0], &b))) {
		rjs_buf_free(&b);
		return -1;
	}
	for (size_t i = 0; i < b.n; i++)
		size += ((unsigned char)b.p[i] & 0xC0) != 0x80;
	/* String.prototype.substr: ToIntegerOrInfinity, then clamp. */
	start = trunc(start);
	start = start < 0 ? fmax(size + start, 0) : fmin(start, size);
	if (n < 3)
		count = size - start;
	else if (len < 0)
		count = fmax(trunc(size - start + len), 0);
	else
		count = fmin(trunc(len), size - start);
	from = cp_offset(b.p, b.n, (size_t)start);
	to = cp_offset(b.p, b.n, (size_t)(start + count));
	*out = json_stringn(b.n ? b.p + from : "", to - from);
	rjs_buf_free(&b);
	return *out ? 0 : oom(e, op);
}

/* log returns its argument; the library never prints. */
static int op_log(ev *e, const char *op, json_t **v, size_t n, const scope *s, json_t **out)
{
	*out = json_incref(v[0]);
	return 0;
}

/* ---- the operator table ---- */

/*
 * Name, arity, flags for eng_rule_check(), then the function. When adding an
 * operator, see the checklist in rule_int.h and add a case to tests/unit/test_rule.c.
 */
static const struct op ops[] = {
	{{"var", 0, 2, RULE_OP_VAR}, op_var, NULL},
	{{"missing", 0, -1, RULE_OP_MISSING}, op_missing, NULL},
	{{"missing_some", 2, 2, RULE_OP_MISSING_SOME}, op_missing_some, NULL},
	{{"if", 0, -1, 0}, NULL, op_if},
	{{"?:", 3, 3, 0}, NULL, op_if},
	{{"==", 2, 2, 0}, op_equal, NULL},
	{{"===", 2, 2, 0}, op_equal, NULL},
	{{"!=", 2, 2, 0}, op_equal, NULL},
	{{"!==", 2, 2, 0}, op_equal, NULL},
	{{"!", 1, 1, 0}, op_not, NULL},
	{{"!!", 1, 1, 0}, op_not, NULL},
	{{"or", 1, -1, 0}, NULL, op_and_or},
	{{"and", 1, -1, 0}, NULL, op_and_or},
	{{">", 2, 2, 0}, op_compare, NULL},
	{{">=", 2, 2, 0}, op_compare, NULL},
	{{"<", 2, 3, 0}, op_compare, NULL},
	{{"<=", 2, 3, 0}, op_compare, NULL},
	{{"max", 1, -1, 0}, op_minmax, NULL},
	{{"min", 1, -1, 0}, op_minmax, NULL},
	{{"+", 0, -1, 0}, op_sum_product, NULL},
	{{"-", 1, 2, 0}, op_minus, NULL},
	{{"*", 1, -1, 0}, op_sum_product, NULL},
	{{"/", 2, 2, 0}, op_divide, NULL},
	{{"%", 2, 2, 0}, op_divide, NULL},
	{{"map", 2, 2, RULE_OP_SCOPED}, NULL, op_map_filter},
	{{"filter", 2, 2, RULE_OP_SCOPED}, NULL, op_map_filter},
	{{"reduce", 2, 3, RULE_OP_SCOPED}, NULL, op_reduce},
	{{"all", 2, 2, RULE_OP_SCOPED}, NULL, op_quantifier},
	{{"none", 2, 2, RULE_OP_SCOPED}, NULL, op_quantifier},
	{{"some", 2, 2, RULE_OP_SCOPED}, NULL, op_quantifier},
	{{"merge", 0, -1, 0}, op_merge, NULL},
	{{"in", 2, 2, 0}, op_in, NULL},
	{{"cat", 0, -1, 0}, op_cat, NULL},
	{{"substr", 2, 3, 0}, op_substr, NULL},
	{{"log", 1, 1, 0}, op_log, NULL},
};

static const struct op *op_find(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].info.name, name) == 0)
			return &ops[i];
	return NULL;
}

const rule_op_info *eng_rule_op_find(const char *name)
{
	const struct op *op = op_find(name);
	return op ? &op->info : NULL;
}

void eng_rule_arity_text(const rule_op_info *op, size_t n, char *buf, size_t len)
{
	const char *plural = op->min_args == 1 ? "" : "s";
	if (op->max_args < 0)
		snprintf(buf, len, "expected at least %d argument%s, found %zu", op->min_args, plural, n);
	else if (op->min_args == op->max_args)
		snprintf(buf, len, "expected %d argument%s, found %zu", op->min_args, plural, n);
	else
		snprintf(buf, len, "expected %d to %d arguments, found %zu", op->min_args, op->max_args, n);
}

static void put(char *buf, size_t len, size_t *o, char ch)
{
	if (*o + 1 < len)
		buf[(*o)++] = ch;
	buf[*o] = '\0';
}

void eng_rule_pointer(const rule_frame *frames, int n, char *buf, size_t len)
{
	size_t o = 0;
	if (!len)
		return;
	buf[0] = '\0';
	for (int i = 1; i < n; i++) {
		char num[24];
		if (frames[i].key) {
			put(buf, len, &o, '/');
			for (const char *k = frames[i].key; *k; k++) {
				if (*k == '~' || *k == '/') {
					put(buf, len, &o, '~');
					put(buf, len, &o, *k == '~' ? '0' : '1');
				} else {
					put(buf, len, &o, *k);
				}
			}
		}
		if (frames[i].idx >= 0) {
			snprintf(num, sizeof num, "/%ld", frames[i].idx);
			for (const char *k = num; *k; k++)
				put(buf, len, &o, *k);
		}
	}
}

/* ---- evaluation ---- */

static int eval_eager(ev *e, const struct op *op, const json_t *args, size_t n, const scope *s,
                      json_t **out)
{
	json_t *small[8], **v = small;
	size_t i;
	int r = -1;
	if (n > 8 && !(v = rjs_malloc(n * sizeof *v)))
		return oom(e, op->info.name);
	for (i = 0; i < n; i++)
		if (eval_arg(e, op->info.name, args, i, s, &v[i]))
			break;
	if (i == n)
		r = op->eager(e, op->info.name, v, n, s, out);
	while (i-- > 0)
		json_decref(v[i]);
	if (v != small)
		rjs_free(v);
	return r;
}

static int eval_op(ev *e, const json_t *node, const scope *s, json_t **out)
{
	void *it = json_object_iter((json_t *)node);
	const char *name = json_object_iter_key(it);
	const json_t *args = json_object_iter_value(it);
	const struct op *op = op_find(name);
	size_t n = nargs(args);
	char text[96];

	if (!op) {
		rjs_quote(name, strlen(name), text, sizeof text);
		return fail(e, "unknown operator %s", text);
	}
	if (n < (size_t)op->info.min_args || (op->info.max_args >= 0 && n > (size_t)op->info.max_args)) {
		eng_rule_arity_text(&op->info, n, text, sizeof text);
		return fail(e, "\"%s\": %s", op->info.name, text);
	}
	if (op->lazy)
		return op->lazy(e, op->info.name, args, n, s, out);
	return eval_eager(e, op, args, n, s, out);
}

static int eval_array(ev *e, const json_t *node, const scope *s, json_t **out)
{
	json_t *a = json_array(), *x;
	if (!a)
		return oom(e, "[]");
	for (size_t i = 0; i < json_array_size(node); i++) {
		if (eval(e, json_array_get(node, i), s, NULL, (long)i, &x)) {
			json_decref(a);
			return -1;
		}
		if (json_array_append_new(a, x)) {
			json_decref(a);
			return oom(e, "[]");
		}
	}
	*out = a;
	return 0;
}

/* Evaluates node, reached from its parent by (key, idx); *out is a new reference. */
static int eval(ev *e, const json_t *node, const scope *s, const char *key, long idx,
                json_t **out)
{
	int r;
	*out = NULL;
	if (e->depth >= PAL_RULE_MAX_DEPTH) {
		if (e->err && e->errlen)
			snprintf(e->err, e->errlen, "rule nested too deeply (more than %d levels)",
			         PAL_RULE_MAX_DEPTH);
		return -1;
	}
	if (step(e, 1))
		return -1;
	e->path[e->depth].key = key;
	e->path[e->depth].idx = idx;
	e->depth++;
	if (json_is_array(node)) {
		r = eval_array(e, node, s, out);
	} else if (json_is_object(node) && json_object_size(node) == 1) {
		r = eval_op(e, node, s, out);
	} else {
		*out = json_incref((json_t *)node); /* a literal: shared, never modified */
		r = 0;
	}
	e->depth--;
	return r;
}

int eng_rule_eval(const json_t *rule, const pal_rule_env *env, json_t **result, char *err,
                  size_t errlen)
{
	static const pal_rule_env no_env;
	ev e;
	scope root;
	json_t *out = NULL;

	if (err && errlen)
		err[0] = '\0';
	if (!result || !rule) {
		if (err && errlen)
			snprintf(err, errlen, "no rule to evaluate");
		return -1;
	}
	*result = NULL;
	if (!env)
		env = &no_env;
	memset(&e, 0, sizeof e);
	e.env = env;
	e.max_steps = env->max_steps > 0 ? env->max_steps : pal_limits_current()->max_rule_steps;
	e.js.budget = e.max_steps;
	e.js.max_text = PAL_RULE_MAX_TEXT;
	e.err = err;
	e.errlen = errlen;
	root.data = env->data ? env->data : json_null();
	root.root = 1;
	if (eval(&e, rule, &root, NULL, -1, &out))
		return -1;
	*result = out;
	return 0;
}

int eng_rule_truthy(const json_t *v)
{
	return rjs_truthy(v);
}
