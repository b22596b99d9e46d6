/*
 * Typing one answer for one criterion (SPEC §3.2, §3.3), shared by the CSV and
 * JSON intakes. The answer is stored in the dossier; on rejection a message
 * saying what was expected is returned and the answer is marked invalid.
 */
#ifndef PAL_ANSWER_H
#define PAL_ANSWER_H

#include "model.h"

/*
 * A refused option, for the town's report (results' messages[], docs/
 * results.md): code "unknown-option" (the option as typed; the closest option
 * id or "") or "option-separator" (the answer as typed; the separator typed,
 * or "list" for a JSON string holding several options). code is NULL when
 * the refusal is not about an option: the caller chooses the code.
 */
typedef struct pal_answer_refusal {
	const char *code;
	char value[100];
	char extra[100];
} pal_answer_refusal;

/*
 * Reads a CSV cell (UTF-8) for criterion c into a. Returns 0 when accepted,
 * else -1 with "expected …" written into why (the caller adds the position,
 * town and column) and ref filled (ref may be NULL). Strings are copied into
 * the arena.
 */
int eng_answer_from_text(palx_arena *arena, const pal_criterion *c, const char *cell,
                         pal_answer *a, char *why, size_t whylen, pal_answer_refusal *ref);
/* Same for a typed JSON value. */
int eng_answer_from_json(palx_arena *arena, const pal_criterion *c, json_t *v, pal_answer *a,
                         char *why, size_t whylen, pal_answer_refusal *ref);
/*
 * What a kind's reader gets (the row of eng_kinds[], kinds.c): the reader
 * stores the answer in a and returns 0, or writes why (and ref, when not
 * NULL) and returns -1 (its caller marks the answer invalid), or returns -2
 * when out of memory.
 */
typedef struct pal_answer_in {
	palx_arena *arena;
	const pal_criterion *c;
	const char *cell;        /* a cell as typed, or NULL for a JSON value */
	const char *s;           /* the cell trimmed (not empty) */
	size_t n;
	json_t *v;               /* a JSON value (not null), or NULL for a cell */
	const char *shown;       /* the JSON value as messages show it */
	pal_answer *a;
	char *why;
	size_t wl;
	pal_answer_refusal *ref;
} pal_answer_in;

/* The kinds' readers, for eng_kinds[] only: everyone else calls pal_answer_from_*(). */
int eng_answer_yesno_text(const pal_answer_in *in);
int eng_answer_yesno_json(const pal_answer_in *in);
int eng_answer_number_text(const pal_answer_in *in);
int eng_answer_number_json(const pal_answer_in *in);
int eng_answer_percent_text(const pal_answer_in *in);
int eng_answer_percent_json(const pal_answer_in *in);
int eng_answer_choice_text(const pal_answer_in *in);
int eng_answer_choice_json(const pal_answer_in *in);
int eng_answer_multi_text(const pal_answer_in *in);
int eng_answer_multi_json(const pal_answer_in *in);
int eng_answer_jury_text(const pal_answer_in *in);
int eng_answer_jury_json(const pal_answer_in *in);
int eng_answer_info_text(const pal_answer_in *in);
int eng_answer_info_json(const pal_answer_in *in);

/* The answer as rules and results see it: a new reference (json null when unanswered). */
json_t *eng_answer_to_json(const pal_criterion *c, const pal_answer *a);
/* What a kind expects, for messages: "a number ≥ 0", "yes or no"… Borrowed. */
const char *eng_answer_expected(const pal_criterion *c);

#endif
