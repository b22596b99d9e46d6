/*
 * The borderline list of the live campaign (the engine's
 * pal_borderline_compute(), as `palmares sensitivity` and `progress` print
 * it), for the deliberation page. Computing it scores every jury mark of
 * every dossier again three ways (a mark at its scale's ends, or removed),
 * which takes seconds on a national campaign, and it works in the scored
 * campaign's scratch space, so it cannot run on the campaign that scores.h
 * shares between requests: a background thread scores its own copy of the
 * campaign (scores_build()), computes the list on it, keeps a copy of the
 * list and frees the rest. One list per process, kept while the campaign's
 * version does not move; a page waits for a new one as long as a scores
 * page waits for its figures (PALMARES_SCORES_WAIT_MS), then shows the
 * previous list (or says it is being computed).
 */
#ifndef PALMARES_SERVER_BORDERLINE_H
#define PALMARES_SERVER_BORDERLINE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct border_list border_list;

/*
 * The borderline list of st's campaign at version (scores_version() of the
 * figures shown) or newer: the cached one, or one computed now (waiting a
 * while); an older one when the new one is not ready in time; NULL with
 * *pending set when there is none yet; NULL and *pending 0 when the store
 * or memory failed. A shared reference: border_release().
 */
border_list *border_get(store *st, int64_t version, int *pending);
void border_release(border_list *b); /* accepts NULL */

/* The version of the campaign it was computed at. */
int64_t border_version(const border_list *b);

/* The dossiers on an edge, in the campaign's order (town id). Strings borrowed while the reference is held. */
size_t border_count(const border_list *b);
const char *border_town(const border_list *b, size_t i);
unsigned border_why(const border_list *b, size_t i); /* PAL_BORDER_* bits (palmares/jury.h) */
size_t border_count_marks(const border_list *b, size_t i);
void border_mark(const border_list *b, size_t i, size_t k, const char **juror, const char **criterion);
/* The index of town_id in the list, or -1. */
long border_find(const border_list *b, const char *town_id);

#endif
