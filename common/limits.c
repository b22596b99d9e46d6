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

/*
 * The largest value of each limit the code can honour (issue 19, item 12:
 * PALMARES_MAX_FIELD=2^64-1 was accepted, then max_field + 1 wrapped to 0 and
 * every field over 64 KiB was refused). What is held in memory (a JSON file
 * read whole, then ten times that in jansson's tree; one CSV field, which
 * libcsv's buffer doubles) stops at a quarter of the address space, and at
 * 1 TiB, far beyond any machine's memory, so that doubling a buffer or adding
 * one never wraps. A streamed CSV file is only counted: 1024 TiB. A record's
 * fields are counted and indexed: 16 Mi of them. Steps are a long counted down.
 * which: 0 file, 1 JSON, 2 field, 3 columns, 4 steps (the order of pal_limits).
 */
unsigned long long pal_limits_max(int which)
{
	unsigned long long held = (unsigned long long)(SIZE_MAX / 4);
	unsigned long long file = (unsigned long long)SIZE_MAX;
	if (held > 1ULL << 40)
		held = 1ULL << 40;
	if (file > 1ULL << 50)
		file = 1ULL << 50;
	switch (which) {
	case 0: return file;
	case 1:
	case 2: return held;
	case 3: return 1ULL << 24;
	default: return (unsigned long long)LONG_MAX;
	}
}

static size_t clamp(size_t v, size_t def, int which)
{
	if (v == 0)
		return def;
	return (unsigned long long)v > pal_limits_max(which) ? (size_t)pal_limits_max(which) : v;
}

void pal_limits_set(const pal_limits *l)
{
	limits.max_file = clamp(l->max_file, PAL_LIMIT_FILE, 0);
	limits.max_json = clamp(l->max_json, PAL_LIMIT_JSON, 1);
	limits.max_field = clamp(l->max_field, PAL_LIMIT_FIELD, 2);
	limits.max_columns = clamp(l->max_columns, PAL_LIMIT_COLUMNS, 3);
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

/* Writes a maximum the way a user writes it: "1T", "1024T", "16777216". */
static void show_max(unsigned long long v, int size, char *buf, size_t len)
{
	const char *units = "KMGT";
	int u = -1;
	while (size && u < 3 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	if (u >= 0)
		snprintf(buf, len, "%llu%c", v, units[u]);
	else
		snprintf(buf, len, "%llu", v);
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
		unsigned long long n, max = pal_limits_max(env_vars[i].which);
		char shown[32];
		if (!v)
			continue;
		if (parse_count(v, env_vars[i].size, max, &n) != 0) {
			show_max(max, env_vars[i].size, shown, sizeof shown);
			if (err && errlen)
				snprintf(err, errlen, "%s: expected %s from 1 to %s%s, found \"%.40s\"",
				         env_vars[i].name, env_vars[i].size ? "a size" : "a whole number", shown,
				         env_vars[i].size ? " such as 4M or 2G" : "", v);
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
