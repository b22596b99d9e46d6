/*
 * palmares — JsonLogic rules (docs/rules.md), as a program that links the
 * library sees them: JSON text in, JSON text out. The library keeps rules as
 * jansson trees inside (engine/rule.h); no jansson type crosses this header,
 * so that a program is free to use another JSON library, or another jansson.
 * Evaluation never aborts: every failure (malformed JSON, division by zero, a
 * result that is not a finite number, too deep a rule, too many steps, an
 * unknown operator) is returned as an error with a message.
 */
#ifndef PALMARES_RULE_H
#define PALMARES_RULE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Limits: rules deeper than this fail cleanly. A run's steps are bounded by
 * PALMARES_MAX_RULE_STEPS (palmares/limits.h).
 */
#define PAL_RULE_MAX_DEPTH 256
/*
 * Text one run may build (cat, substr, the strings compared by ==, in...),
 * counted as it is built: a cat doubling a string costs a step per 64 bytes
 * and reached 662 MB within the step limit; this bounds its memory to a few
 * times 16 MiB (docs/limits.md).
 */
#define PAL_RULE_MAX_TEXT ((size_t)16 << 20)

/* Where a JSON text could not be parsed: 1-based line and column, and why (jansson's words). */
typedef struct pal_rule_error {
	int line, column;
	char text[1024];
} pal_rule_error;

/* What pal_rule_eval_text() found. */
typedef enum pal_rule_status {
	PAL_RULE_OK = 0,        /* *result holds the value */
	PAL_RULE_BAD_RULE = 1,  /* the rule is not JSON: where and why in *e */
	PAL_RULE_BAD_DATA = 2,  /* the data is not JSON: where and why in *e */
	PAL_RULE_FAILED = 3,    /* the evaluation failed: the message in e->text (line and column 0) */
	PAL_RULE_NOMEM = 4      /* out of memory */
} pal_rule_status;

/*
 * Evaluates the JsonLogic rule rule[0..rule_len) against the data
 * data[0..data_len) (data NULL: null), both JSON texts of any type; a key
 * given twice in one object is refused, being nearly always a mistake. The
 * steps are bounded by PALMARES_MAX_RULE_STEPS (palmares/limits.h). On
 * PAL_RULE_OK, *result is the value as compact JSON on one line (reals in
 * their shortest round-trip form, whatever the locale), NUL-terminated,
 * allocated with malloc: the caller frees it. Otherwise *result is NULL and
 * *e says why.
 */
pal_rule_status pal_rule_eval_text(const char *rule, size_t rule_len, const char *data, size_t data_len,
                                   char **result, pal_rule_error *e);

#ifdef __cplusplus
}
#endif
#endif
