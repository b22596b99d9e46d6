/*
 * pal_rule_eval_text(): the public way to evaluate a rule, JSON text in and
 * out, so that no jansson type crosses the library's API (palmares/rule.h).
 * It parses both texts as the command line always has (any JSON value, a key
 * given twice refused), evaluates with the engine's eng_rule_eval() and
 * prints the result with eng_json_print().
 */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; glibc declares it here too */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "rule.h"

/* Duplicate keys in a rule are nearly always a mistake; jansson would keep the last. */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

/* Parses text[0..len); NULL with *e filled, *oom set when memory ran out. */
static json_t *parse(const char *text, size_t len, pal_rule_error *e, int *oom)
{
	json_error_t je;
	json_t *v = palx_json_loadb(text, len, LOAD_FLAGS, &je);
	if (v)
		return v;
	*oom = palx_json_oom(&je);
	e->line = je.line;
	e->column = je.column;
	snprintf(e->text, sizeof e->text, "%s", je.text);
	return NULL;
}

/* v as compact JSON in a new string, or NULL when out of memory. */
static char *print(const json_t *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	int bad = eng_json_print(f, v) != 0;
	if (fclose(f) != 0 || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}

pal_rule_status pal_rule_eval_text(const char *rule, size_t rule_len, const char *data, size_t data_len,
                                   char **result, pal_rule_error *e)
{
	int oom = 0;
	json_t *r, *d = NULL, *out = NULL;
	pal_rule_status st = PAL_RULE_OK;
	memset(e, 0, sizeof *e);
	*result = NULL;
	if (!(r = parse(rule, rule_len, e, &oom)))
		return oom ? PAL_RULE_NOMEM : PAL_RULE_BAD_RULE;
	if (data && !(d = parse(data, data_len, e, &oom))) {
		json_decref(r);
		return oom ? PAL_RULE_NOMEM : PAL_RULE_BAD_DATA;
	}
	pal_rule_env env = {d, NULL, NULL, 0};
	if (eng_rule_eval(r, &env, &out, e->text, sizeof e->text) != 0)
		st = PAL_RULE_FAILED;
	else if (!(*result = print(out)))
		st = PAL_RULE_NOMEM;
	json_decref(out);
	json_decref(d);
	json_decref(r);
	return st;
}
