/*
 * A town's answers as the store keeps them (typed text, by criterion id;
 * "ID.evidence" for the evidence) and as the engine reads them: the one
 * place that turns stored answers into a dossier (JSON, the format of
 * `palmares score`'s dossier files), for the dossier page, the organizer's
 * scores and `palmares campaign export` alike, so that each scores exactly
 * what the others do.
 */
#ifndef PALMARES_SERVER_ANSWERS_H
#define PALMARES_SERVER_ANSWERS_H

#include <stddef.h>

#include "palmares/palmares.h"
#include "store.h"

/* A town's answers: the typed answer and evidence
 * of each criterion (owned, NULL when none), by rubric index. */
typedef struct {
	const pal_rubric *rb;
	size_t n;
	char **val, **ev;
} answers;

/* Sets a up for rb's criteria, every answer empty. 0, or -1 when out of memory. */
int answers_init(answers *a, const pal_rubric *rb);

/* Frees a's texts (not a itself). */
void answers_free(answers *a);

/* Replaces *slot (an answer or evidence of a) with a copy of v (NULL: ""); -1 when out of memory. */
int answers_set_text(char **slot, const char *v);

/* Keeps one stored answer in a: criterion "ID" is the answer, "ID.evidence"
 * the evidence; an id the rubric does not have is left aside. 0, or -1 when
 * out of memory. */
int answers_put(answers *a, const char *criterion, const char *value);

/* Reads the town's stored answers into a (initialized); ids the rubric does not have are left aside. */
store_status answers_load(answers *a, store *st, const char *town);

/* The campaign's rubric, loaded from the store's text. Owned; NULL on failure. */
pal_rubric *campaign_rubric(store *st);

/* The campaign's rubric, parsed once per stored text and shared read-only
 * between threads: borrowed, valid until campaign_rubric_cache_free(), which
 * http_stop() calls once no request runs. NULL on failure. */
const pal_rubric *campaign_rubric_shared(store *st);
void campaign_rubric_cache_free(void);

/* The town's dossier as JSON text (owned, NULL when out of memory), from
 * its attributes (a JSON object's text, or NULL) and a's answers. */
char *answers_dossier_json(const pal_rubric *rb, const char *town, const char *name, const char *attrs,
			   const answers *a);

#endif
