/*
 * One way to load a JSON input and report its problems (issue 18).
 *
 * Every JSON loader of the library (the rubric, dossiers, marks, and the
 * results and style files of reports/) walks a jansson tree keeping the JSON
 * pointer of the value it is on, files each problem it meets with that
 * pointer, and at the end turns them all into positioned diagnostics with one
 * scan of the text (jsonpos.h). This module holds that machinery once, as
 * jansson funnels every load error through one error_set(): the pointer
 * stack, the problem list (pal_jsonload_add is the one door every problem
 * goes through), parsing with its syntax and out-of-memory messages, and the
 * flush that places, orders and hands the problems over.
 *
 * The wording of messages stays with each loader: this module only adds the
 * engine's common phrases ("missing field", "unknown field", "expected X,
 * found an object"), which the rubric loader uses.
 */
#ifndef PAL_JSONLOAD_H
#define PAL_JSONLOAD_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

#include "palmares/diag.h"

/*
 * The structured form of a dossier's message, written to the results'
 * "messages" (docs/results.md) so that the feedback report can word it in
 * its own language, about the town's answers, without file names. The codes
 * are listed there; when a message changes meaning, its code changes too.
 */
typedef struct pal_msg_info {
	const char *code;     /* a static string such as "invalid-answer"; NULL: text only */
	long crit;            /* criterion index, or -1 */
	const char *value;    /* as typed (copied into the arena), or NULL */
	const char *extra;    /* per code (copied): "unanswered": criterion ids joined by ","… */
} pal_msg_info;

/* One problem, as filed. */
typedef struct pal_jsonload_problem {
	pal_severity sev;
	char *ptr;          /* JSON pointer of the value concerned, owned */
	char *text;         /* the message, owned */
	void *about;        /* borrowed: what the caller files it under (a dossier), or NULL */
	pal_msg_info *info; /* owned (one block with its strings), or NULL */
} pal_jsonload_problem;

/* Problems go out in the order of the text, as a compiler's would (rather than as found). */
#define PAL_JSONLOAD_SORTED 0x1u

typedef struct pal_jsonload {
	/* Set by the caller (a designated initializer; everything else zero). */
	const char *path;             /* the file named by diagnostics, borrowed */
	unsigned flags;               /* PAL_JSONLOAD_* */
	pal_diags_translate_fn tr;    /* the language of this module's messages; NULL: English */
	const char *oom_text;         /* said when out of memory; NULL: the caller says it */
	size_t max_problems;          /* past it, filing fails as out of memory; 0: no bound */
	/* State. */
	char ptr[1024];               /* JSON pointer of the current value */
	size_t plen;
	pal_jsonload_problem *probs;
	size_t nprobs, cap;
	size_t nerrors, nwarnings;    /* filed, or lost to out of memory */
	int oom;
	json_error_t jerr;            /* of the last pal_jsonload_parse() */
} pal_jsonload;

/*
 * The pointer stack: enter a key or an index (returns what leave() restores).
 * A pointer too long for the buffer keeps its prefix: the position of the parent.
 */
size_t pal_jsonload_enter(pal_jsonload *l, const char *key);
size_t pal_jsonload_enter_index(pal_jsonload *l, size_t i);
void pal_jsonload_leave(pal_jsonload *l, size_t saved);
/* Sets the current pointer outright (a printf format), e.g. "/categories/%zu/id". */
void pal_jsonload_set_ptr(pal_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The current pointer as a readable location into out: /categories/0/points → categories[0].points. */
void pal_jsonload_where(const pal_jsonload *l, char *out, size_t size);

/*
 * Files a problem: the one door. ptr NULL: the current pointer; about and
 * info (copied; NULL: none) ride along to the flush. Returns 0, or -1 when
 * out of memory (l->oom is then set and the problem is lost, but counted).
 */
int pal_jsonload_add(pal_jsonload *l, pal_severity sev, const char *ptr, void *about,
                     const pal_msg_info *info, const char *text);
/* pal_jsonload_add at the current pointer, the text from a format (at most 1,023 bytes). */
void pal_jsonload_vadd(pal_jsonload *l, pal_severity sev, const char *fmt, va_list ap);
void pal_jsonload_error(pal_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void pal_jsonload_warning(pal_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* "WHERE: expected WHAT, found an object" at the current pointer. */
void pal_jsonload_expected(pal_jsonload *l, const char *what, const json_t *found);
/* obj[key] (borrowed), or NULL; "WHERE: missing field "KEY"" when required and absent. */
json_t *pal_jsonload_get(pal_jsonload *l, json_t *obj, const char *key, int required);
/* Unknown keys of obj are errors (typos, with a suggestion), except "x-" keys. allowed ends in NULL. */
void pal_jsonload_check_keys(pal_jsonload *l, json_t *obj, const char *const *allowed);

/*
 * Parses text (duplicate keys refused). Returns a new reference, or NULL:
 * out of memory sets l->oom and says l->oom_text (if any); a syntax error
 * says malformed (a format with one %s, jansson's message, through l->tr) at
 * its position, unless diags or malformed is NULL. l->jerr keeps jansson's error.
 */
json_t *pal_jsonload_parse(pal_jsonload *l, const char *text, size_t len, const char *malformed,
                           pal_diags *diags);

/*
 * Where each of the n items of text's top-level array starts (1-based), into
 * the caller's lines and cols. Returns 0, or -1 when out of memory.
 */
int pal_jsonload_items(const char *text, size_t len, size_t n, long *lines, long *cols);

/* Hands one placed problem over; line and col are 0 when unknown. */
typedef void (*pal_jsonload_emit_fn)(void *ctx, const pal_jsonload_problem *p, long line, long col);

/*
 * Places every filed problem in text (one scan), orders them (as found, or
 * by position with PAL_JSONLOAD_SORTED) and hands each to emit (NULL: added
 * to diags under l->path), then says l->oom_text when out of memory. text
 * may be one line of a larger file that starts after line line0: lines are
 * shifted by it, and a problem that cannot be placed gets line0 + 1. When
 * placing runs out of memory, the problems go out unplaced in the order
 * found and l->oom is set. The problems are freed; the loader can file anew.
 */
void pal_jsonload_flush(pal_jsonload *l, const char *text, size_t len, long line0,
                        pal_diags *diags, pal_jsonload_emit_fn emit, void *ctx);
/* Frees the problems without reporting them (an error path). */
void pal_jsonload_release(pal_jsonload *l);

#endif
