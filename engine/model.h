/*
 * The engine's data model, shared by the loaders (rubric.c, dossier.c,
 * marks.c), the scorer (score.c) and the writers (results.c, explain.c).
 * Private: the public API in include/palmares/ only exposes opaque handles.
 *
 * Memory: a rubric owns one arena (strings, arrays) and a few jansson values
 * (texts and rules); a campaign owns one arena for all its dossiers.
 */
#ifndef PAL_MODEL_H
#define PAL_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "jurystats.h"
#include "jsonload.h" /* palx_msg_info */
#include "palmares/palmares.h"

/*
 * Criterion kinds. What varies by kind is one row of eng_kinds[] (kinds.c),
 * below: code that does a kind's work goes through it, not through a switch.
 *
 * To add a kind:
 *  1. add its PAL_KIND_ value here, before PAL_KIND_COUNT;
 *  2. give it its row in eng_kinds[] (kinds.c): its name in a rubric, the
 *     rubric fields it takes, what its answer must be, its readers of a cell
 *     and of a JSON value (answer.c, declared in answer.h), its fraction and
 *     its cell of the dossier's JSON Schema; the compiler refuses a table
 *     shorter than the enum, tests/unit/test_kinds.c a row left empty;
 *  3. a rubric field no kind took before: a PAL_FIELD_ bit, its name in
 *     rubric.c's kind_specific[] and in load_criterion()'s keys[], its
 *     loading in load_criterion() and its place in pal_criterion;
 *  4. reports/report.c, expected_text(): what an answer must be, in the
 *     report's language (the report reads the kind by name from the results
 *     file, not from this table: it is built from the results file alone),
 *     and its French in po/fr.po;
 *  5. the Python programs that know the rubric format on their own: the
 *     reference tests/reference/palmares_ref.py (the cross-check compares
 *     the engine with it) and criteria/check_rubric.py (KINDS and the
 *     fields of each);
 *  6. the list of kinds in README.md ("Criterion kinds"), a unit test in
 *     tests/unit/test_kinds.c and golden tests of its answers and refusals.
 *
 * What still names a kind instead of reading the table, and why:
 *  - PAL_KIND_JURY (marks.c, jury*.c, score.c, results.c, explain.c,
 *    dossier.c, rubric.c's jury_index): a jury criterion is marked by jurors,
 *    not answered by the town; its marks, calibration and statistics are a
 *    concept of their own, not a property of a row;
 *  - PAL_KIND_INFO (score.c, results.c, explain.c): information is not
 *    scored; the writers show it apart from the scored criteria;
 *  - pal_rubric_criterion_bounds() (rubric_view.c): the numbers a kind's
 *    answer may be, which answer.c checks in its readers;
 *  - the switches on the answer type (pal_answer_type: explain.c's
 *    answer_text(), eng_answer_to_json(), town_view.c's
 *    pal_town_results_answer()): a type is shared by several kinds
 *    (a number and a percent both hold a number).
 */
typedef enum pal_kind {
	PAL_KIND_YESNO,
	PAL_KIND_NUMBER,
	PAL_KIND_PERCENT,
	PAL_KIND_CHOICE,
	PAL_KIND_MULTI,
	PAL_KIND_JURY,
	PAL_KIND_INFO,
	PAL_KIND_COUNT        /* not a kind: the number of kinds */
} pal_kind;

/* The rubric fields a kind takes besides the common ones (pal_kind_info.fields). */
enum { PAL_FIELD_POINTS = 1, PAL_FIELD_STEPS = 2, PAL_FIELD_OPTIONS = 4, PAL_FIELD_SCALE = 8 };

enum { PAL_EVIDENCE_NONE, PAL_EVIDENCE_OPTIONAL, PAL_EVIDENCE_REQUIRED };

typedef struct pal_option {
	const char *id;
	double fraction;
} pal_option;

typedef struct pal_criterion {
	const char *id;
	json_t *title;        /* text (string or language object), may be NULL */
	json_t *description;  /* likewise; only kept, never checked (rubric.c, quiet_text) */
	pal_kind kind;
	double points;        /* 0 for info */
	double (*steps)[2];
	size_t nsteps;
	pal_option *options;
	size_t noptions;
	uint32_t *option_slots; /* hash table of option index + 1 by ASCII-folded id (0 = empty), or NULL */
	size_t option_cap;      /* its size, a power of two */
	double scale_min, scale_max;
	json_t *applies;      /* rule or NULL */
	int allow_na;
	int evidence;
	size_t category;      /* index of its category */
	size_t jury_index;    /* index among jury criteria, for jury kind */
} pal_criterion;

typedef struct pal_category {
	const char *id;
	json_t *title;
	json_t *description;  /* may be NULL, as a criterion's */
	int exclude;          /* not_applicable: "exclude" */
	size_t first, count;  /* its criteria are contiguous in rubric->criteria */
} pal_category;

typedef struct pal_level {
	const char *name;
	double min_percent;
	json_t *requires;
} pal_level;

typedef struct pal_mention {
	const char *id;
	json_t *name;
	json_t *when;
	int min_level;
} pal_mention;

struct pal_rubric {
	palx_arena arena;
	const char *path;
	const char *id;
	long edition;
	json_t *label;
	const char *language;
	pal_category *categories;
	size_t ncategories;
	pal_criterion *criteria;
	size_t ncriteria;
	size_t *crit_order;   /* criteria indices sorted by id */
	size_t njury;         /* number of jury criteria */
	pal_aggregate aggregate;
	int min_marks;
	double disagreement;  /* < 0: none */
	int calibrate_z;
	int calibrate_min;
	pal_level *levels;
	size_t nlevels;
	pal_mention *mentions;
	size_t nmentions;
	/* each town.<name> its rules read, but id and name, in the order of the file (arena) */
	const char **town_attrs;
	size_t ntown_attrs;
	char sha256[65];
};

/* Looks up a criterion or category id; returns its index or -1. */
long eng_rubric_find_criterion(const pal_rubric *r, const char *id);
long eng_rubric_find_category(const pal_rubric *r, const char *id);
/* Text of a title/label in lang (falls back to the rubric language, then any). Borrowed. */
const char *eng_rubric_text(const pal_rubric *r, const json_t *text, const char *lang);

/* ---- dossiers ---- */

typedef enum pal_answer_type {
	PAL_ANS_NONE = 0,     /* unanswered */
	PAL_ANS_NA,           /* answered not applicable */
	PAL_ANS_BOOL,
	PAL_ANS_NUMBER,
	PAL_ANS_CHOICE,
	PAL_ANS_MULTI,
	PAL_ANS_TEXT,         /* info */
	PAL_ANS_INVALID,      /* rejected answer (error recorded) */
} pal_answer_type;

/*
 * An answer as the engine reads it. A dossier stores it in 9 bytes, not 16:
 * the value in d->values, the type and flags in d->meta (a national campaign
 * holds millions of answers); pal_dossier_answer() rebuilds it.
 */
typedef struct pal_answer {
	uint8_t type;
	uint8_t ignored;      /* answer to a criterion that does not apply */
	uint16_t nchoices;    /* multi: number of chosen options */
	uint8_t has_evidence; /* its text is in the dossier's evidence list */
	union {
		int b;
		double num;
		uint32_t choice;
		uint32_t *choices;  /* multi: option indices (arena); choices[-1] is their count */
		const char *text;
	} v;
} pal_answer;

struct pal_answer_in;  /* answer.h */
struct pal_jw;         /* jsonw.h */

/* One row of eng_kinds[]: what a kind of criterion is and does. */
typedef struct pal_kind_info {
	const char *name;     /* in a rubric's "kind" and in the results' messages */
	const char *article;  /* "a" or "an", before the name in messages */
	unsigned fields;      /* PAL_FIELD_*: the rubric fields it requires; it refuses the others */
	const char *expected; /* what its answer must be, for messages: "a number ≥ 0" */
	uint8_t answer_type;  /* the pal_answer_type of an answer it accepts (besides n/a) */
	/* Read an answer (answer.c): a cell trimmed and not empty, a JSON value not null. */
	int (*from_text)(const struct pal_answer_in *in);
	int (*from_json)(const struct pal_answer_in *in);
	/* The fraction of a valid answer, 0 to 1; NULL: not scored from an answer. */
	double (*fraction)(const pal_criterion *c, const pal_answer *a);
	/* Writes the JSON Schema of its answer; NULL: towns do not answer it (no column). */
	void (*schema)(const pal_criterion *c, struct pal_jw *w);
} pal_kind_info;

/* Indexed by pal_kind (kinds.c). */
extern const pal_kind_info eng_kinds[PAL_KIND_COUNT];

/* The kind named name in a rubric, or -1. */
int eng_kind_find(const char *name);
/* The kinds' names for a message, "yes-no, number, … or info", into buf. */
void eng_kind_list(char *buf, size_t len);

/* d->meta bits. APPLIES is scoring's: the criterion applies to the town. */
enum { PAL_META_TYPE = 7, PAL_META_IGNORED = 8, PAL_META_EVIDENCE = 16, PAL_META_APPLIES = 32 };

/* Evidence texts are few: a list per dossier, not a pointer in every answer. */
typedef struct pal_evidence {
	const char *text;
	struct pal_evidence *next;
	uint32_t crit;
} pal_evidence;

/* 48 bytes (a multiple of the arena's alignment): millions of them in a national campaign. */
typedef struct pal_mark {
	const char *juror;     /* interned: one copy per juror */
	double mark;
	const char *comment;
	struct pal_mark *next;
	uint32_t juror_id;     /* index in the campaign's juror table */
	uint32_t line;         /* in the marks file (saturates at UINT32_MAX) */
	uint32_t file;         /* index in the campaign's marks files: eng_mark_file() */
	uint8_t rejected;      /* a duplicate: dropped before scoring */
} pal_mark;

typedef struct pal_msg {
	pal_severity severity;
	const char *text;     /* formatted with its position */
	const char *body;     /* the same without position nor leading "town ID \"NAME\"" */
	palx_msg_info info;    /* code NULL when the message has no structured form */
	struct pal_msg *next;
} pal_msg;

typedef enum pal_status {
	PAL_STATUS_SCORED,
	PAL_STATUS_PENDING,
	PAL_STATUS_INVALID,
} pal_status;

/*
 * A criterion's result, as writers and rules see it. Not stored: a dossier
 * keeps only its applicability flags and jury aggregates (the rest follows
 * from its answers), and eng_dossier_results() (score.h) fills these into a
 * caller's scratch array, in a microsecond. Storing them cost 56 bytes per
 * criterion per dossier: half the memory of a national campaign.
 */
typedef struct pal_crit_result {
	double fraction, points, max;
	double aggregate, aggregate_raw;  /* jury */
	unsigned nmarks;
	uint8_t applicable;
	uint8_t evidence_missing;
	uint8_t disagreement;
	uint8_t has_aggregate;
} pal_crit_result;

/* What scoring keeps of one jury criterion of one dossier (24 bytes). */
typedef struct pal_jury_result {
	double aggregate_raw;            /* on the criterion's scale */
	double fraction;                 /* calibrated aggregate as a fraction (the aggregate on
	                                    the scale follows from it: crit_view() in score.c) */
	uint32_t nmarks;
	uint8_t has_aggregate;
	uint8_t disagreement;
} pal_jury_result;

typedef struct pal_cat_result {
	double points, max;
} pal_cat_result;

typedef struct pal_dossier {
	const char *town_id;
	const char *town_name;
	json_t *attrs;         /* population (number) and other attributes */
	const char *file;
	long line, col;
	uint64_t *values;      /* rubric->ncriteria answer values (pal_answer.v's bytes) */
	uint8_t *meta;         /* rubric->ncriteria: answer type | PAL_META_IGNORED | PAL_META_EVIDENCE */
	pal_evidence *evidence;
	const unsigned char *has_column; /* CSV: criteria with a column; NULL = all */
	pal_mark **marks;      /* rubric->njury lists */
	pal_msg *msgs, *msgs_tail;
	int invalid;           /* has errors */
	/* computed */
	pal_status status;
	int decided;           /* scoring decided applicability: pal_dossier_applies() */
	pal_jury_result *jury; /* rubric->njury */
	pal_cat_result *cat;   /* rubric->ncategories */
	int computed;          /* fractions were computed (eng_dossier_results() needs it) */
	double points, max, percent, percent_r;
	int computed_level, level;
	int has_override;
	int override_count;     /* overrides naming this town */
	const char *override_reason;
	int previous_level;    /* -1 unknown */
	uint64_t mentions;     /* bit i = mention i awarded */
	long rank;             /* 0 = none */
	int next_level;        /* 0 = none */
	double points_missing;
	uint64_t unmet;        /* bit k-1: level k requires unmet (k ≤ next) */
	int level_capped;      /* a rule failed */
} pal_dossier;

typedef struct pal_history {
	const char *town_id;
	int level;
} pal_history;

struct pal_campaign {
	const pal_rubric *rubric;
	palx_arena arena;
	pal_dossier **dossiers;
	size_t ndossiers, cap;
	void *index;           /* town id -> dossier hash table */
	/* history from --previous */
	long prev_edition;     /* 0 = none */
	json_t *prev_levels;   /* object town id -> level */
	/* assignments (juror, town) pairs, or NULL */
	void *assignments;
	/* overrides read by pal_campaign_set_overrides (overrides.c), or NULL */
	void *overrides;
	int scored;
	double *points;        /* weight of each criterion (rubric points) */
	/* scratch for the writers' eng_dossier_results() (one writer at a time), from scoring */
	pal_crit_result *view_crit;
	pal_cat_result *view_cat;
	int quiet;             /* rule failures are not recorded (what-if scoring) */
	/* jury statistics, computed by scoring */
	void *jury;
	void *jurors;          /* interned juror ids (campaign.c) */
	void *texts;           /* interned short texts: eng_campaign_text() */
	void *mark_index;      /* juror -> mark of long mark lists while loading (markindex.c) */
	int oom;               /* a message could not be recorded: scoring fails (PAL_IOERR) */
	const char **mark_files; /* paths of the marks files read, in order */
	size_t nmark_files;
	pal_progress_fn progress; /* or NULL */
	void *progress_ctx;
};

/*
 * Adds a message to a dossier (and to diags when given), with its structured
 * form for the town's report (info: its strings are copied; a message the
 * town reads needs a code, docs/results.md). Returns 0 or -1 (OOM).
 */
int eng_dossier_msg_info(pal_campaign *c, pal_dossier *d, pal_diags *diags, pal_severity sev,
                         const char *file, long line, long col, const palx_msg_info *info,
                         const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 9, 10)))
#endif
	;
/* A palx_msg_info on the stack: PAL_MSG_INFO("invalid-answer", crit, value, extra). */
#define PAL_MSG_INFO(code, crit, value, extra) (&(const palx_msg_info){(code), (crit), (value), (extra)})

/* Answer i of d. */
static inline pal_answer pal_dossier_answer(const pal_dossier *d, size_t i)
{
	pal_answer a;
	uint8_t m = d->meta[i];
	a.type = m & PAL_META_TYPE;
	a.ignored = (m & PAL_META_IGNORED) != 0;
	a.has_evidence = (m & PAL_META_EVIDENCE) != 0;
	memcpy(&a.v, &d->values[i], sizeof(a.v));
	a.nchoices = a.type == PAL_ANS_MULTI ? (uint16_t)a.v.choices[-1] : 0;
	return a;
}

/* Stores a as answer i of d (its choices, for a multi answer, from set_multi in answer.c). */
static inline void pal_dossier_put_answer(pal_dossier *d, size_t i, const pal_answer *a)
{
	d->meta[i] = (uint8_t)((d->meta[i] & PAL_META_APPLIES) | (a->type & PAL_META_TYPE) |
	                       (a->ignored ? PAL_META_IGNORED : 0) |
	                       (a->has_evidence ? PAL_META_EVIDENCE : 0));
	memcpy(&d->values[i], &a->v, sizeof(a->v));
}

/* Whether criterion i applies to d (once scoring decided it). */
static inline int pal_dossier_applies(const pal_dossier *d, size_t i)
{
	return (d->meta[i] & PAL_META_APPLIES) != 0;
}

/* The path of the marks file m comes from. */
const char *eng_mark_file(const pal_campaign *c, const pal_mark *m);

/* The evidence given for criterion i, or NULL. */
const char *eng_dossier_evidence(const pal_dossier *d, size_t i);
/* Sets it (text from the campaign's arena). Returns 0, or -1 when out of memory. */
int eng_dossier_set_evidence(pal_campaign *c, pal_dossier *d, size_t i, const char *text);

/* Finds a dossier by town id (the first one when the id is duplicated). */
pal_dossier *eng_campaign_find(const pal_campaign *c, const char *town_id);

#endif
