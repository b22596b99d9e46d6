/*
 * JsonLogic rules inside the library: kept as jansson trees (they are small
 * and come from the rubric), evaluated, checked and printed. The public face
 * is palmares/rule.h (JSON text in and out); this header is for the engine,
 * its tests and its fuzzers.
 */
#ifndef PAL_ENGINE_RULE_H
#define PAL_ENGINE_RULE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "palmares/rule.h"

/*
 * Resolver for `var` lookups at the root scope (outside map/filter/reduce...).
 * path is the dotted path as written in the rule ("" for the whole data).
 * Returns a NEW reference to the value, or NULL when the path does not exist
 * (the rule then sees its default, or null).
 */
typedef json_t *(*pal_rule_resolver)(void *ctx, const char *path);

typedef struct pal_rule_env {
	json_t *data;               /* root data (borrowed), used when resolver is NULL */
	pal_rule_resolver resolver; /* optional: overrides `data` at the root scope */
	void *ctx;                  /* passed to resolver */
	long max_steps;             /* 0 = the limit PALMARES_MAX_RULE_STEPS sets (palmares/limits.h) */
} pal_rule_env;

/*
 * Evaluates rule against env. On success returns 0 and stores a NEW reference
 * in *result (json null is a value, never C NULL). On failure returns -1 and
 * writes a message (lower case, no full stop) into err.
 * The result may share nodes with rule and env->data (a literal or a `var`
 * result is returned by reference): treat it as read-only. Neither rule nor
 * data is modified; evaluation keeps no global state.
 */
int eng_rule_eval(const json_t *rule, const pal_rule_env *env, json_t **result,
                  char *err, size_t errlen);

/* JsonLogic truthiness: false, null, 0, "", [] are falsy; everything else truthy. */
int eng_rule_truthy(const json_t *v);

/*
 * Static check: is `rule` valid JsonLogic (known operators, well-formed
 * arguments, depth within limits)? Calls on_var for every `var` whose path is
 * a constant string (or the first element of a constant array form) and that
 * appears at the root scope (not inside map/filter/reduce/all/none/some's
 * second argument), and for every constant string path that `missing` and
 * `missing_some` name at the root scope ("" is passed on as it is). Returns 0
 * if valid, else -1 with a message in err, located by a JSON pointer into the
 * rule: `at /and/1: unknown operator "=>"`. A rule that passes never fails at
 * run time on an operator name, an argument count or its depth.
 */
typedef void (*pal_rule_var_cb)(void *ctx, const char *path);
int eng_rule_check(const json_t *rule, pal_rule_var_cb on_var, void *ctx,
                   char *err, size_t errlen);

/*
 * Writes v as compact JSON on out, reals in their shortest round-trip form
 * (0.1, not 0.10000000000000001) whatever the locale. Returns 0, or -1 when
 * the stream reports an error.
 */
int eng_json_print(FILE *out, const json_t *v);

#endif
