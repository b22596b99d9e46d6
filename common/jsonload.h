/*
 * One way to load a JSON input and report its problems (issue 18).
 *
 * Every JSON loader of the library (the rubric, dossiers, marks, and the
 * results and style files of reports/) walks a jansson tree keeping the JSON
 * pointer of the value it is on, files each problem it meets with that
 * pointer, and at the end turns them all into positioned diagnostics with one
 * scan of the text (jsonpos.h). This module holds that machinery once, as
 * jansson funnels every load error through one error_set(): the pointer
 * stack, the problem list (palx_jsonload_add is the one door every problem
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
typedef struct palx_msg_info {
	const char *code;     /* a static string such as "invalid-answer"; NULL: text only */
	long crit;            /* criterion index, or -1 */
	const char *value;    /* as typed (copied into the arena), or NULL */
	const char *extra;    /* per code (copied): "unanswered": criterion ids joined by ","… */
} palx_msg_info;

/* One problem, as filed. */
typedef struct palx_jsonload_problem {
	pal_severity sev;
	char *ptr;          /* JSON pointer of the value concerned, owned */
	char *text;         /* the message, owned */
	void *about;        /* borrowed: what the caller files it under (a dossier), or NULL */
	palx_msg_info *info; /* owned (one block with its strings), or NULL */
} palx_jsonload_problem;

/* Problems go out in the order of the text, as a compiler's would (rather than as found). */
#define PALX_JSONLOAD_SORTED 0x1u

typedef struct palx_jsonload {
	/* Set by the caller (a designated initializer; everything else zero). */
	const char *path;             /* the file named by diagnostics, borrowed */
	unsigned flags;               /* PALX_JSONLOAD_* */
	pal_diags_translate_fn tr;    /* the language of this module's messages; NULL: English */
	const char *oom_text;         /* said when out of memory; NULL: the caller says it */
	size_t max_problems;          /* past it, filing fails as out of memory; 0: no bound */
	/* State. */
	char ptr[1024];               /* JSON pointer of the current value */
	size_t plen;
	palx_jsonload_problem *probs;
	size_t nprobs, cap;
	size_t nerrors, nwarnings;    /* filed, or lost to out of memory */
	int oom;
	json_error_t jerr;            /* of the last palx_jsonload_parse() */
} palx_jsonload;

/*
 * The pointer stack: enter a key or an index (returns what leave() restores).
 * A pointer too long for the buffer keeps its prefix: the position of the parent.
 */
size_t palx_jsonload_enter(palx_jsonload *l, const char *key);
size_t palx_jsonload_enter_index(palx_jsonload *l, size_t i);
void palx_jsonload_leave(palx_jsonload *l, size_t saved);
/* Sets the current pointer outright (a printf format), e.g. "/categories/%zu/id". */
void palx_jsonload_set_ptr(palx_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The current pointer as a readable location into out: /categories/0/points → categories[0].points. */
void palx_jsonload_where(const palx_jsonload *l, char *out, size_t size);

/*
 * Files a problem: the one door. ptr NULL: the current pointer; about and
 * info (copied; NULL: none) ride along to the flush. Returns 0, or -1 when
 * out of memory (l->oom is then set and the problem is lost, but counted).
 */
int palx_jsonload_add(palx_jsonload *l, pal_severity sev, const char *ptr, void *about,
                     const palx_msg_info *info, const char *text);
/* palx_jsonload_add at the current pointer, the text from a format (at most 1,023 bytes). */
void palx_jsonload_vadd(palx_jsonload *l, pal_severity sev, const char *fmt, va_list ap);
void palx_jsonload_error(palx_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void palx_jsonload_warning(palx_jsonload *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* "WHERE: expected WHAT, found an object" at the current pointer. */
void palx_jsonload_expected(palx_jsonload *l, const char *what, const json_t *found);
/* obj[key] (borrowed), or NULL; "WHERE: missing field "KEY"" when required and absent. */
json_t *palx_jsonload_get(palx_jsonload *l, json_t *obj, const char *key, int required);
/* Unknown keys of obj are errors (typos, with a suggestion), except "x-" keys. allowed ends in NULL. */
void palx_jsonload_check_keys(palx_jsonload *l, json_t *obj, const char *const *allowed);

/*
 * Parses text (duplicate keys refused). Returns a new reference, or NULL:
 * out of memory sets l->oom and says l->oom_text (if any); a syntax error
 * says malformed (a format with one %s, jansson's message, through l->tr) at
 * its position, unless diags or malformed is NULL. l->jerr keeps jansson's error.
 */
json_t *palx_jsonload_parse(palx_jsonload *l, const char *text, size_t len, const char *malformed,
                           pal_diags *diags);

/*
 * Where each of the n items of text's top-level array starts (1-based), into
 * the caller's lines and cols. Returns 0, or -1 when out of memory.
 */
int palx_jsonload_items(const char *text, size_t len, size_t n, long *lines, long *cols);

/* Hands one placed problem over; line and col are 0 when unknown. */
typedef void (*palx_jsonload_emit_fn)(void *ctx, const palx_jsonload_problem *p, long line, long col);

/*
 * Places every filed problem in text (one scan), orders them (as found, or
 * by position with PALX_JSONLOAD_SORTED) and hands each to emit (NULL: added
 * to diags under l->path), then says l->oom_text when out of memory. text
 * may be one line of a larger file that starts after line line0: lines are
 * shifted by it, and a problem that cannot be placed gets line0 + 1. When
 * placing runs out of memory, the problems go out unplaced in the order
 * found and l->oom is set. The problems are freed; the loader can file anew.
 */
void palx_jsonload_flush(palx_jsonload *l, const char *text, size_t len, long line0,
                        pal_diags *diags, palx_jsonload_emit_fn emit, void *ctx);
/* Frees the problems without reporting them (an error path). */
void palx_jsonload_release(palx_jsonload *l);

#endif
