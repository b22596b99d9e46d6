/*
 * Marks and recusals in the campaign store (store.h's conventions: times
 * given by the caller, text stored as given, every change in a transaction
 * with its audit line). A mark row is one juror's mark and comment on one
 * criterion of one town's dossier, kept as typed ("9,5" stays "9,5": the
 * engine's marks reader decides what it is worth); value "" is no mark yet,
 * so a comment alone is a draft. The rows of one juror on one dossier carry
 * the revision of the save that last changed them, and the highest of them
 * is the revision a form reads, so that a second tab cannot overwrite the
 * first silently (as store_answers_save() does for towns).
 */
#ifndef PALMARES_SERVER_STORE_MARKS_H
#define PALMARES_SERVER_STORE_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A change to save: value and comment as typed; NULL leaves that part as stored. */
typedef struct {
	const char *criterion, *value, *comment;
} store_mark_edit;

/* A stored mark (strings borrowed, valid during the callback). */
typedef struct {
	const char *juror_id, *town_id, *criterion, *value, *comment;
	int64_t revision, updated_at;
} store_mark_row;

typedef int (*store_mark_fn)(void *ctx, const store_mark_row *m);

/* The revision of juror's marks on town (0 before the first save). */
store_status store_marks_revision(store *s, const char *juror, const char *town, int64_t *revision);

/*
 * Saves juror's edits on town's dossier, read at base_revision. A value or
 * comment that another save changed since then (its row's revision >
 * base_revision) to something else than what is being saved is a conflict:
 * nothing is saved, STORE_CONFLICT is returned and c (may be NULL) lists
 * each ("ID" for a mark, "ID.comment" for a comment, with what is stored).
 * Edits equal to what is stored are not written; each change writes an
 * audit line ("mark" or "mark-comment", subject "JUROR/TOWN/ID", old and
 * new). *new_revision (may be NULL) is the revision after the save.
 * Nests in a caller's transaction.
 */
store_status store_marks_save(store *s, const char *juror, const char *town, int64_t base_revision,
			      const store_mark_edit *e, size_t n, int64_t who, int64_t now,
			      int64_t *new_revision, store_conflicts *c);

/* juror's marks on town, by criterion. A non-zero return of fn stops. */
store_status store_marks_of(store *s, const char *juror, const char *town, store_mark_fn fn, void *ctx);

/* Every juror's marks on town, by juror then criterion. */
store_status store_marks_of_town(store *s, const char *town, store_mark_fn fn, void *ctx);

/* Every mark of juror, by town then criterion. */
store_status store_marks_of_juror(store *s, const char *juror, store_mark_fn fn, void *ctx);

/* The towns assigned to juror, by town id (conflicts included: the caller
 * asks permit()); fn gets the town id and name. */
typedef int (*store_assigned_fn)(void *ctx, const char *town_id, const char *town_name);
store_status store_assigned_of_juror(store *s, const char *juror, store_assigned_fn fn, void *ctx);

/* ---- recusals ---- */

/* juror recuses from town with a reason (not empty): the dossier becomes a
 * conflict (store_jury_target()), with an audit line "recuse" (subject
 * "JUROR/TOWN", new the reason). STORE_REFUSED when the reason is empty or
 * the juror recused already. */
store_status store_recusal_add(store *s, const char *juror, const char *town, const char *reason, int64_t who,
			       int64_t now);

/* A recusal as lists show it (strings borrowed, valid during the call). */
typedef struct {
	const char *juror_id, *juror_name, *town_id, *town_name, *reason;
	int64_t at;
} store_recusal;

/* Every recusal, oldest first (the organizer's jurors page: "recused"). */
typedef int (*store_recusal_fn)(void *ctx, const store_recusal *rc);
store_status store_recusals_list(store *s, store_recusal_fn fn, void *ctx);

#endif
