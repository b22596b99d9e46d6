/*
 * Process-wide input limits (include/palmares/limits.h, docs/limits.md).
 *
 * One static struct, set once at start-up (the command line copies the
 * PALMARES_MAX_* variables into it) and read by the loaders: csvread.c for
 * file size, field length and field count, fileio.c's callers for whole-file
 * JSON, rule.c for evaluation steps, reports/load.c for results files.
 *
 * Checklist when a limit is added: a field here and in pal_limits, its
 * variable in env_vars[], its default and message in docs/limits.md, and a
 * case in tests/cli/limits.sh.
 */
#include "palmares/limits.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pal_limits limits = {
	PAL_LIMIT_FILE, PAL_LIMIT_JSON, PAL_LIMIT_FIELD, PAL_LIMIT_COLUMNS, PAL_LIMIT_RULE_STEPS,
};

void pal_limits_get(pal_limits *out)
{
	*out = limits;
}

const pal_limits *pal_limits_current(void)
{
	return &limits;
}

void pal_limits_set(const pal_limits *l)
{
	limits.max_file = l->max_file ? l->max_file : PAL_LIMIT_FILE;
	limits.max_json = l->max_json ? l->max_json : PAL_LIMIT_JSON;
	limits.max_field = l->max_field ? l->max_field : PAL_LIMIT_FIELD;
	limits.max_columns = l->max_columns ? l->max_columns : PAL_LIMIT_COLUMNS;
	limits.max_rule_steps = l->max_rule_steps > 0 ? l->max_rule_steps : PAL_LIMIT_RULE_STEPS;
}

/*
 * Parses a whole number > 0 with, when `size`, an optional K/M/G/T suffix
 * (powers of 1024) and an optional B or iB. Returns 0, or -1.
 */
static int parse_count(const char *s, int size, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v, mul = 1;
	if (!s || *s < '0' || *s > '9')
		return -1; /* no sign, no space, no empty value */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v == 0)
		return -1;
	if (size && *end) {
		const char *units = "KMGT";
		const char *u = strchr(units, *end >= 'a' ? *end - 32 : *end);
		if (u && *end) {
			mul = 1ULL << (10 * (u - units + 1));
			end++;
			if (*end == 'i')
				end++;
		}
		if (*end == 'B')
			end++;
	}
	if (*end || v > max / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int pal_limits_from_env(pal_limits *l, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int size;   /* a size in bytes (suffixes allowed) rather than a count */
		int which;
	} env_vars[] = {
		{"PALMARES_MAX_FILE", 1, 0},
		{"PALMARES_MAX_JSON", 1, 1},
		{"PALMARES_MAX_FIELD", 1, 2},
		{"PALMARES_MAX_COLUMNS", 0, 3},
		{"PALMARES_MAX_RULE_STEPS", 0, 4},
	};
	pal_limits_get(l);
	for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++) {
		const char *v = getenv(env_vars[i].name);
		unsigned long long n;
		/* Fields are size_t, steps a long: cap each at what it can hold. */
		unsigned long long max = env_vars[i].which == 4 ? (unsigned long long)LONG_MAX
		                                                : (unsigned long long)SIZE_MAX;
		if (!v)
			continue;
		if (parse_count(v, env_vars[i].size, max, &n) != 0) {
			if (err && errlen)
				snprintf(err, errlen, "%s: expected %s, found \"%.40s\"", env_vars[i].name,
				         env_vars[i].size ? "a size such as 4M or 2G" : "a whole number > 0", v);
			return -1;
		}
		switch (env_vars[i].which) {
		case 0: l->max_file = (size_t)n; break;
		case 1: l->max_json = (size_t)n; break;
		case 2: l->max_field = (size_t)n; break;
		case 3: l->max_columns = (size_t)n; break;
		default: l->max_rule_steps = (long)n; break;
		}
	}
	return 0;
}
