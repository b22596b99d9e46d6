/*
 * The results file as documents see it (private to reports/).
 *
 * results.c fills these structures from the JSON once; the renderers only
 * read them, so several threads can render from one pal_doc_results. Every
 * string lives in the results' arena and has already been cleaned of control
 * and bidi characters (clean.h). Private functions shared between the files
 * of reports/ carry the rep_ prefix.
 */
#ifndef PAL_REPORTS_MODEL_H
#define PAL_REPORTS_MODEL_H

#include <stddef.h>

#include "arena.h"
#include "palmares/documents.h"

/* A text in several languages (a plain string is stored under lang ""). */
typedef struct rep_i18n {
	size_t n;
	const char **langs;
	const char **vals;
} rep_i18n;

typedef enum rep_status {
	REP_SCORED,
	REP_PENDING,
	REP_INVALID,
} rep_status;

typedef enum rep_answer_kind {
	REP_ANS_NONE, /* unanswered or absent */
	REP_ANS_BOOL,
	REP_ANS_NUMBER,
	REP_ANS_TEXT, /* a string, or a list joined with ", " */
	REP_ANS_NA,   /* answered "n/a" */
} rep_answer_kind;

typedef struct rep_mark {
	const char *juror;
	double mark;
	int has_mark;
	const char *comment; /* may be NULL */
} rep_mark;

typedef struct rep_crit {
	const char *id, *category;
	rep_i18n title; /* optional in results: empty when absent */
	int applicable;
	rep_answer_kind answer_kind;
	int answer_bool;
	double answer_num;
	const char *answer_text;
	int has_score;
	double fraction, points, max;
	const char **notes;
	size_t nnotes;
	int jury; /* has a marks list */
	rep_mark *marks;
	size_t nmarks;
	int has_aggregate;
	double aggregate;
	int disagreement;
} rep_crit;

/* One of a town's messages in its structured form (results "messages", docs/results.md). */
typedef struct rep_message {
	int error;       /* else a warning or a note */
	const char *code; /* NULL: no structured form, text only */
	const char *criterion, *kind, *value, *extra; /* each may be NULL */
	const char **options;
	size_t noptions;
	const char *text; /* the message without its position */
} rep_message;

typedef struct rep_cat {
	const char *id;
	rep_i18n title;
	double points, max, percent;
} rep_cat;

typedef struct rep_town {
	size_t index; /* position in the file's towns array */
	const char *id, *name;
	int usable; /* no error found in the town's entry */
	rep_status status;
	int has_score;
	double points, max, percent;
	int computed_level, level; /* -1 when null */
	const char *level_name;    /* "" when none */
	int overridden;
	const char *override_reason;
	int previous_level; /* -1 when null */
	const char **mentions;
	size_t nmentions;
	long rank; /* 0 when null */
	double population;
	int has_population;
	const char *department, *region;
	rep_cat *cats;
	size_t ncats;
	rep_crit *crits;
	size_t ncrits;
	int has_next;
	int next_level;
	const char *next_name;
	double next_min_percent, next_missing;
	long *unmet;
	size_t nunmet;
	const char **errors, **warnings;
	size_t nerrors, nwarnings;
	rep_message *msgs; /* from "messages", when the results have them (has_msgs) */
	size_t nmsgs;
	int has_msgs;
	char code[PAL_CODE_SIZE]; /* "" unless certified */
} rep_town;

typedef struct rep_mention {
	const char *id;
	rep_i18n name;
} rep_mention;

struct pal_doc_results {
	palx_arena arena;
	const char *path;
	const char *generator;
	const char *rubric_id;
	long edition;
	const char *sha256;
	const char *language;
	rep_i18n label;
	const char **levels;
	size_t nlevels;
	rep_mention *mentions;
	size_t nmentions;
	/* Optional in results (the engine writes them): titles by id, thresholds. */
	rep_mention *cat_titles, *crit_titles;
	size_t ncat_titles, ncrit_titles;
	double *min_percents; /* nlevels entries, or NULL */
	rep_town *towns;
	size_t ntowns;
};

/* The value of t in lang, else in fallback, else the plain one, else the first; NULL if empty. */
const char *rep_i18n_pick(const rep_i18n *t, const char *lang, const char *fallback);
/* Mention entry by id, or NULL. */
const rep_mention *rep_mention_find(const pal_doc_results *r, const char *id);
/* Title of a category or criterion from the rubric part of the results, or NULL. */
const rep_i18n *rep_cat_title(const pal_doc_results *r, const char *id);
const rep_i18n *rep_crit_title(const pal_doc_results *r, const char *id);

/*
 * Messages (diagnostics) in the language of the environment, not of the
 * document: a French user reads French messages about an English document
 * (docs/documents.md). Borrowed: the translation, or msgid.
 */
const char *rep_msg(const char *msgid)
#if defined(__GNUC__)
	__attribute__((format_arg(1)))
#endif
	;
/*
 * (Re)computes the verification code of every certified town (verify.c):
 * keyed with secret when secret_len > 0. Returns 0, or -1 when out of memory.
 */
int rep_codes(pal_doc_results *r, const void *secret, size_t secret_len);
/* strerror(e) in the language of messages (the common errors are in po/fr.po). */
const char *rep_strerror(int e);
/*
 * An engine message of pal_output ("cannot write \"PATH\": REASON") in the
 * language of messages, into buf; returns buf. Any other text, or one that
 * does not fit in buf, is returned as it is (err: borrowed).
 */
const char *rep_msg_output(const char *err, char *buf, size_t len);

#endif
