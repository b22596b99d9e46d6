/*
 * The jury in the campaign store (store.h's conventions: times given by the
 * caller, text stored as given, every change in a transaction with its
 * audit line). This header holds what every jury page shares: jurors, the
 * permission target of a juror on a dossier, and the campaign's settings.
 * Marks, assignments, recusals, overrides and publications each have their
 * own file and section below.
 */
#ifndef PALMARES_SERVER_STORE_JURY_H
#define PALMARES_SERVER_STORE_JURY_H

#include <stddef.h>
#include <stdint.h>

#include "permit.h"
#include "store.h"

/* A juror: a person of role juror with the columns of the jurors file. */
typedef struct {
	int64_t person_id;
	char *juror_id; /* the jurors file's `juror` column: what marks and sheets name */
	char *name, *email;
	char *town_id;   /* the juror's own town, "" none */
	char *region;    /* "" none */
	char *conflicts; /* town ids separated by '|', "" none */
} store_juror;

void store_juror_clear(store_juror *j);

/* Adds a juror (a person and its juror row), with an audit line "juror-add"
 * by who. *person_id (may be NULL) is the new person's id. STORE_REFUSED
 * when the juror id is empty or taken. */
store_status store_juror_add(store *s, const store_juror *j, int64_t who, int64_t now, int64_t *person_id);

/* The juror of a person (a juror's session); STORE_NOT_FOUND when the person is no juror. */
store_status store_juror_of_person(store *s, int64_t person_id, store_juror *out);

/* The juror of a juror id. */
store_status store_juror_get(store *s, const char *juror_id, store_juror *out);

/* Every juror, by juror id; fn's juror is borrowed. fn returns nonzero to stop. */
typedef int (*store_juror_fn)(void *ctx, const store_juror *j);
store_status store_jurors_list(store *s, store_juror_fn fn, void *ctx);

/*
 * Fills the jury part of a permission target for juror_id on town_id's
 * dossier: assigned (an assignment row), conflict (the juror's own town, a
 * conflict of the jurors file, or a recusal), the visibility setting of
 * phase and whether the juror has given a mark to every criterion listed
 * (crit[0..ncrit), the dossier's applicable jury criteria; 0 of them: not
 * given). on->town_id and the dossier fields are the caller's.
 */
store_status store_jury_target(store *s, const char *juror_id, const char *town_id, permit_phase phase,
			       const char *const *crit, size_t ncrit, permit_target *on);

/* ---- settings ---- */

/* The setting's keys. */
#define SETTING_VISIBILITY_MARKING "jury.visibility.marking"
#define SETTING_VISIBILITY_DELIBERATION "jury.visibility.deliberation"

/* The value of key as an owned string in *value; STORE_NOT_FOUND (and *value NULL) when unset. */
store_status store_setting_get(store *s, const char *key, char **value);

/* Sets key to value, with an audit line "setting" (subject key, old, new) by who. */
store_status store_setting_set(store *s, const char *key, const char *value, int64_t who, int64_t now);

/* The visibility setting of phase (SEE_NEVER when unset, unknown, or a phase without jurors). */
permit_visibility store_visibility(store *s, permit_phase phase);

/* "never", "after_own", "always"; NULL out of range. And back: -1 for an unknown word. */
const char *store_visibility_word(permit_visibility v);
int store_visibility_of(const char *word);

/* ---- assignments (store_assign.c): who marks which dossier ---- */

typedef struct {
	const char *juror_id, *town_id;
} store_pair;

/* Replaces the whole assignment with v[0..n) in one transaction, with one
 * audit line "assignment" by who (subject "", old and new: the counts of
 * pairs, new followed by note, which says where the plan came from). Marks
 * are kept: the engine counts only the assigned pairs'. STORE_REFUSED when
 * a pair names an unknown juror or town, or is given twice (nothing changed). */
store_status store_assignments_replace(store *s, const store_pair *v, size_t n, const char *note, int64_t who,
				       int64_t now);

/* Moves town's dossier from juror from to juror to, with an audit line
 * "assignment-move" (subject town, old from, new to). STORE_NOT_FOUND when
 * from is not assigned to it; STORE_REFUSED when to is already, or unknown.
 * The eligibility of to is the caller's (the engine's rule). */
store_status store_assignment_move(store *s, const char *town, const char *from, const char *to, int64_t who,
				   int64_t now);

/* Every pair, by juror then town; fn's strings are borrowed; nonzero stops. */
typedef int (*store_pair_fn)(void *ctx, const char *juror_id, const char *town_id);
store_status store_assignments_list(store *s, store_pair_fn fn, void *ctx);

/* Per juror, by juror id: the dossiers assigned and the marks with a value given on them. */
typedef int (*store_load_fn)(void *ctx, const char *juror_id, int64_t assigned, int64_t marks);
store_status store_assignment_counts(store *s, store_load_fn fn, void *ctx);

/* Every assigned pair with marks that have a value: the criteria marked,
 * separated by '\x1f' (US), by juror then town: what "fully marked" is
 * computed from (one row per pair, not per mark). */
typedef int (*store_mark_key_fn)(void *ctx, const char *juror_id, const char *town_id, const char *criteria);
store_status store_assigned_marks_list(store *s, store_mark_key_fn fn, void *ctx);

/* Every recusal: store_recusals_list() in store_marks.h. */

#endif
