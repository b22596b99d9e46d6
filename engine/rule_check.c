/*
 * Static check of a JsonLogic rule (eng_rule_check), run when a rubric is
 * loaded so that a broken rule is refused before any dossier is scored.
 *
 * Data flow: the rule (borrowed) is walked once, recursively, with the same
 * operator table and depth limit as the evaluator (rule.c, via rule_int.h):
 * a rule that passes never fails on an unknown operator, a wrong argument
 * count or its nesting depth at run time. Literal arrays are walked like the
 * evaluator walks them; any object inside a rule must be a one-key operator
 * object. Constant data paths at the root scope (var, missing, missing_some)
 * are handed to the caller's callback, which checks them against the rubric.
 * The first problem ends the walk, with its JSON-pointer location.
 */
#include "rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rule_int.h"
#include "rule_js.h"

typedef struct ck {
	pal_rule_var_cb on_var;
	void *ctx;
	int depth;
	rule_frame path[PAL_RULE_MAX_DEPTH];
	char *err;
	size_t errlen;
} ck;

static int check_node(ck *c, const json_t *node, int root, const char *key, long idx);

/* Records an error located at the node being checked; returns -1. */
static int cfail(ck *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static int cfail(ck *c, const char *fmt, ...)
{
	char where[512];
	size_t off = 0;
	va_list ap;
	if (!c->err || !c->errlen)
		return -1;
	if (c->depth > 1) {
		int r;
		eng_rule_pointer(c->path, c->depth, where, sizeof where);
		r = snprintf(c->err, c->errlen, "at %s: ", where);
		if (r > 0)
			off = (size_t)r < c->errlen ? (size_t)r : c->errlen - 1;
	}
	va_start(ap, fmt);
	vsnprintf(c->err + off, c->errlen - off, fmt, ap);
	va_end(ap);
	return -1;
}

static size_t nargs(const json_t *args)
{
	return json_is_array(args) ? json_array_size(args) : 1;
}

static const json_t *arg_at(const json_t *args, size_t i)
{
	if (json_is_array(args))
		return json_array_get(args, i);
	return i == 0 ? args : NULL;
}

static long arg_idx(const json_t *args, size_t i)
{
	return json_is_array(args) ? (long)i : -1;
}

static void report(ck *c, const json_t *path)
{
	if (c->on_var && json_is_string(path))
		c->on_var(c->ctx, json_string_value(path));
}

/* Reports a constant path, or each constant path of a literal array. */
static void report_paths(ck *c, const json_t *v)
{
	if (json_is_array(v))
		for (size_t i = 0; i < json_array_size(v); i++)
			report(c, json_array_get(v, i));
	else
		report(c, v);
}

/* var: path (string, number, null or a rule computing it) and an optional default. */
static int check_var(ck *c, const rule_op_info *op, const json_t *args, size_t n, int root)
{
	const json_t *path = n ? arg_at(args, 0) : NULL;
	char d[64];
	if (path && !json_is_string(path) && !json_is_number(path) && !json_is_null(path) &&
	    !json_is_object(path)) {
		rjs_describe(path, d, sizeof d);
		return cfail(c, "\"%s\": expected a string or number path as first argument, found %s",
		             op->name, d);
	}
	for (size_t i = 0; i < n; i++)
		if (check_node(c, arg_at(args, i), root, op->name, arg_idx(args, i)))
			return -1;
	if (root && path)
		report(c, path);
	return 0;
}

/* missing: its paths are the first argument when that is an array, else every argument. */
static int check_missing(ck *c, const rule_op_info *op, const json_t *args, size_t n, int root)
{
	for (size_t i = 0; i < n; i++)
		if (check_node(c, arg_at(args, i), root, op->name, arg_idx(args, i)))
			return -1;
	if (!root || n == 0)
		return 0;
	if (json_is_array(arg_at(args, 0)))
		report_paths(c, arg_at(args, 0));
	else
		for (size_t i = 0; i < n; i++)
			report(c, arg_at(args, i));
	return 0;
}

/* missing_some: a count and an array of paths (or a rule that computes one). */
static int check_missing_some(ck *c, const rule_op_info *op, const json_t *args, size_t n,
                              int root)
{
	const json_t *paths = arg_at(args, 1);
	char d[64];
	if (!json_is_array(paths) && !json_is_object(paths)) {
		rjs_describe(paths, d, sizeof d);
		return cfail(c, "\"%s\": expected an array of paths as second argument, found %s",
		             op->name, d);
	}
	for (size_t i = 0; i < n; i++)
		if (check_node(c, arg_at(args, i), root, op->name, arg_idx(args, i)))
			return -1;
	if (root && json_is_array(paths))
		report_paths(c, paths);
	return 0;
}

static int check_op(ck *c, const json_t *node, int root)
{
	void *it;
	const char *name;
	const json_t *args;
	const rule_op_info *op;
	size_t n;
	char text[96];

	if (json_object_size(node) != 1)
		return cfail(c, "expected one operator per object");
	it = json_object_iter((json_t *)node);
	name = json_object_iter_key(it);
	args = json_object_iter_value(it);
	if (!(op = eng_rule_op_find(name))) {
		rjs_quote(name, strlen(name), text, sizeof text);
		return cfail(c, "unknown operator %s", text);
	}
	n = nargs(args);
	if (n < (size_t)op->min_args || (op->max_args >= 0 && n > (size_t)op->max_args)) {
		eng_rule_arity_text(op, n, text, sizeof text);
		return cfail(c, "\"%s\": %s", op->name, text);
	}
	if (op->flags & RULE_OP_VAR)
		return check_var(c, op, args, n, root);
	if (op->flags & RULE_OP_MISSING)
		return check_missing(c, op, args, n, root);
	if (op->flags & RULE_OP_MISSING_SOME)
		return check_missing_some(c, op, args, n, root);
	for (size_t i = 0; i < n; i++) {
		/* map & co. run their second argument on array elements, not on the root data. */
		int in_root = root && !((op->flags & RULE_OP_SCOPED) && i == 1);
		if (check_node(c, arg_at(args, i), in_root, op->name, arg_idx(args, i)))
			return -1;
	}
	return 0;
}

static int check_node(ck *c, const json_t *node, int root, const char *key, long idx)
{
	int r = 0;
	if (c->depth >= PAL_RULE_MAX_DEPTH) {
		if (c->err && c->errlen)
			snprintf(c->err, c->errlen, "rule nested too deeply (more than %d levels)",
			         PAL_RULE_MAX_DEPTH);
		return -1;
	}
	c->path[c->depth].key = key;
	c->path[c->depth].idx = idx;
	c->depth++;
	if (json_is_array(node)) {
		for (size_t i = 0; !r && i < json_array_size(node); i++)
			r = check_node(c, json_array_get(node, i), root, NULL, (long)i);
	} else if (json_is_object(node)) {
		r = check_op(c, node, root);
	}
	c->depth--;
	return r;
}

int eng_rule_check(const json_t *rule, pal_rule_var_cb on_var, void *ctx, char *err,
                   size_t errlen)
{
	ck c;
	if (err && errlen)
		err[0] = '\0';
	if (!rule) {
		if (err && errlen)
			snprintf(err, errlen, "no rule to check");
		return -1;
	}
	memset(&c, 0, sizeof c);
	c.on_var = on_var;
	c.ctx = ctx;
	c.err = err;
	c.errlen = errlen;
	return check_node(&c, rule, 1, NULL, -1);
}
