/*
 * The whole campaign scored by the engine, for the organizer's live table,
 * explain and downloads (organizer_scores.c): every town's stored answers
 * turned into its dossier by answers.h (the one conversion), added to one
 * pal_campaign as the lines of a "dossiers.jsonl" file in town id order,
 * given the jury's assignments, marks and overrides (jury_files.h, the
 * one conversion of the jury tables), scored by pal_campaign_score(). Nothing of the engine's rules is
 * recomputed here; what the table shows is read back through
 * palmares/town.h.
 *
 * Reading and scoring 35,000 towns takes seconds (bench/README.md), so the
 * scored campaign is cached, once per process (a server serves one
 * campaign file), and built again only when the campaign's version
 * (store_campaign_version(): the audit log's last id, which every change
 * moves) or its file differs; builds run in the background, and a page
 * does not wait long for one (scores_get()).
 * Requests hold a reference to the scored campaign they read: a rebuild
 * replaces the cached one without freeing what another thread reads.
 */
#ifndef PALMARES_SERVER_SCORES_H
#define PALMARES_SERVER_SCORES_H

#include <stddef.h>
#include <stdint.h>

#include "palmares/palmares.h"
#include "store.h"

/* The name of the dossiers in the results' "source" (what `palmares score
 * dossiers.jsonl` writes for the same dossiers, one per line by town id). */
#define SCORES_DOSSIERS_NAME "dossiers.jsonl"

typedef struct scores scores;

/* The columns the table sorts by. */
typedef enum {
	SCORES_BY_TOWN = 0, /* town id */
	SCORES_BY_NAME,
	SCORES_BY_STATE, /* not started, draft, submitted */
	SCORES_BY_SCORE, /* percent; invalid dossiers first */
	SCORES_BY_LEVEL, /* level; not scored first */
	SCORES_BY_MESSAGES,
	SCORES_BY_COUNT
} scores_by;

/* Flags of scores_get(). */
#define SCORES_FRESH 0x1 /* the current answers, even when that means waiting for a build */

/*
 * The campaign scored from st's answers: the cached one when the campaign
 * has not changed since. Otherwise a thread builds it (with its own store
 * connection, one build at a time) and the request waits for it, at most
 * PALMARES_SCORES_WAIT_MS (150 ms) unless flags has SCORES_FRESH: past
 * that, the cached campaign is returned, older than the answers
 * (scores_current() says so), or, when there is none yet, NULL with
 * *pending set (pending may be NULL). A shared reference (release with
 * scores_release()); NULL (and *pending 0) when the store or memory failed.
 */
scores *scores_get(store *st, unsigned flags, int *pending);

/* 1 when s holds st's current answers (else a rebuild is on its way). */
int scores_current(const scores *s, store *st);

/* When s was built (seconds since the epoch). */
int64_t scores_built_at(const scores *s);

/* Builds the scored campaign from st, without the cache. Owned (release with scores_release()). */
scores *scores_build(store *st);

/* Drops a reference; the last one frees. Accepts NULL. */
void scores_release(scores *s);

/* Borrowed, valid while the reference is held; never changed. */
const pal_campaign *scores_campaign(const scores *s);
const pal_rubric *scores_rubric(const scores *s);

/* The number of towns (the campaign's dossiers, by index t in town id order). */
size_t scores_count(const scores *s);
store_dossier_state scores_state(const scores *s, size_t t);
/* The engine's messages (errors and warnings) about town t's dossier. */
size_t scores_messages(const scores *s, size_t t);

/* The towns' indices in ascending order of by (ties by town id), computed
 * once per scored campaign. Borrowed, valid while the reference is held;
 * NULL when out of memory. */
const size_t *scores_order(scores *s, scores_by by);

/* The version the scored campaign was built at. */
int64_t scores_version(const scores *s);

#endif
