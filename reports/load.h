/*
 * Helpers shared by the JSON loaders of reports/ (results.c, style.c).
 *
 * A loader walks the jansson tree keeping the JSON pointer of the current
 * value (for positions) and a readable field path (for messages). Problems
 * are collected as it goes and turned into diagnostics at the end, when one
 * scan of the text has found every position at once: the engine's JSON
 * loading module does both (common/jsonload.h), for every loader alike.
 */
#ifndef PAL_REPORTS_LOAD_H
#define PAL_REPORTS_LOAD_H

#include <jansson.h>
#include <stddef.h>

#include "arena.h"
#include "jsonload.h"
#include "model.h"
#include "palmares/diag.h"

typedef struct rep_loader {
	palx_arena *arena;
	const char *path;
	char disp[512];
	size_t dlen;
	const char *subject; /* e.g. "town 33449 \"Name\"", prefixed to messages; may be NULL */
	size_t disp_base;    /* field paths in messages start here */
	size_t errors;
	int oom;
	palx_jsonload j;      /* the pointer stack and the problems (common/jsonload.h) */
} rep_loader;

/* A saved position of the pointer stacks, restored by rep_pop(). */
typedef struct rep_mark_pos {
	size_t plen, dlen;
} rep_mark_pos;

rep_mark_pos rep_push_key(rep_loader *l, const char *key);
rep_mark_pos rep_push_index(rep_loader *l, size_t i);
void rep_pop(rep_loader *l, rep_mark_pos m);

/* Records a problem at the current value: "[subject, ]field "path": text". */
void rep_problem_at(rep_loader *l, pal_severity sev, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Records "expected WHAT, found VALUE" at the current value. */
void rep_expected(rep_loader *l, const char *what, const json_t *found);

/*
 * Typed getters of obj[key]. A missing or null key is fine unless required
 * (then "missing"); a value of the wrong type is an error. Strings are
 * cleaned (clean.h) and copied into the arena. Each returns 1 when a value
 * was stored, 0 otherwise.
 */
int rep_get_str(rep_loader *l, const json_t *obj, const char *key, int required, const char **out);
int rep_get_num(rep_loader *l, const json_t *obj, const char *key, int required, double *out);
int rep_get_int(rep_loader *l, const json_t *obj, const char *key, int required, long min,
                long max, long *out);
int rep_get_bool(rep_loader *l, const json_t *obj, const char *key, int required, int *out);
/* A text: a string or an object of language code -> string. */
int rep_get_text(rep_loader *l, const json_t *obj, const char *key, int required, rep_i18n *out);
/* An array of strings. */
int rep_get_strs(rep_loader *l, const json_t *obj, const char *key, int required,
                 const char ***out, size_t *n);

/* A cleaned arena copy of a JSON string value, or NULL (and oom set). */
const char *rep_str(rep_loader *l, const json_t *s);

/*
 * Reads path whole into a malloc'd buffer (*len bytes, NUL-terminated), at
 * most PALMARES_MAX_JSON bytes; flags as pal_input_open()'s (common/fileio.h):
 * PAL_INPUT_STREAM to accept a pipe. Returns NULL with an I/O diagnostic in
 * diags.
 */
char *rep_read_file(const char *path, unsigned flags, size_t *len, pal_diags *diags);
/* Parses text (duplicates rejected); on a syntax error adds a positioned diagnostic. */
json_t *rep_parse(const char *path, const char *text, size_t len, pal_diags *diags);
/* Turns the collected problems into positioned diagnostics and frees them. */
void rep_loader_flush(rep_loader *l, const char *text, size_t len, pal_diags *diags);

#endif
