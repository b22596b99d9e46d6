/*
 * Private to the JsonLogic modules (rule.c evaluates, rule_check.c checks):
 * what both must agree on — the operator list with arities, and how a
 * position inside a rule is written in messages.
 *
 * When an operator is added to rule.c's table, eng_rule_check() learns its
 * arity from the same row; if its arguments are data paths or run on array
 * elements, give it the matching RULE_OP_* flag and handle it in rule_check.c.
 */
#ifndef PALMARES_RULE_INT_H
#define PALMARES_RULE_INT_H

#include <stddef.h>

#include "rule.h"

enum {
	RULE_OP_SCOPED = 1 << 0,       /* 2nd argument runs once per array element */
	RULE_OP_VAR = 1 << 1,          /* var: path [, default] */
	RULE_OP_MISSING = 1 << 2,      /* missing: paths, or one array of paths */
	RULE_OP_MISSING_SOME = 1 << 3, /* missing_some: count, array of paths */
};

typedef struct rule_op_info {
	const char *name;
	int min_args, max_args; /* max_args < 0: no upper bound */
	unsigned flags;
} rule_op_info;

/* The operator called name, or NULL. Borrowed from a static table. */
const rule_op_info *eng_rule_op_find(const char *name);

/* Writes "expected 2 arguments, found 1"-style text for a wrong count n. */
void eng_rule_arity_text(const rule_op_info *op, size_t n, char *buf, size_t len);

/*
 * One step from a rule node to a child: the operator key (NULL inside a
 * literal array) and the argument index (-1 when the operator's arguments
 * are a single non-array value).
 */
typedef struct rule_frame {
	const char *key;
	long idx;
} rule_frame;

/*
 * Writes the JSON pointer of frames[1..n-1] (frames[0] is the root) into buf,
 * keys escaped as RFC 6901 says ("~" → "~0", "/" → "~1"). Empty for the root.
 */
void eng_rule_pointer(const rule_frame *frames, int n, char *buf, size_t len);

#endif
