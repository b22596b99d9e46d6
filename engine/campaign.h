/* Campaign internals shared by the loaders and the scorer. */
#ifndef PAL_CAMPAIGN_H
#define PAL_CAMPAIGN_H

#include "model.h"

/* Appends a new zeroed dossier (answers and marks arrays allocated). NULL when out of memory. */
pal_dossier *pal_campaign_new_dossier(pal_campaign *c);
/* Indexes d by town id; a duplicate id makes both dossiers invalid. Returns 0 or -1 (OOM). */
int pal_campaign_register(pal_campaign *c, pal_dossier *d, pal_diags *diags);

/*
 * Interns a juror id: returns the campaign's one copy (borrowed, lives with the
 * campaign) and its small integer in *id, or NULL when out of memory.
 */
const char *pal_campaign_intern_juror(pal_campaign *c, const char *name, uint32_t *id);
size_t pal_campaign_njurors(const pal_campaign *c);
const char *pal_campaign_juror_name(const pal_campaign *c, uint32_t id);
/* s as pal_text_clean_in() would store it, shared when it is short and seen before. NULL: OOM. */
const char *pal_campaign_text(pal_campaign *c, const char *s);

/*
 * The intern tables behind the two above, for a table of one's own (*table
 * NULL at first; copies in arena a). pal_intern returns the one copy of name
 * with its id in *id; once the table holds max names, names not in it are
 * not added and NULL is returned, as when out of memory. pal_intern_text is
 * pal_campaign_text for that table.
 */
const char *pal_intern(pal_arena *a, void **table, size_t max, const char *name, uint32_t *id);
const char *pal_intern_text(pal_arena *a, void **table, const char *s);
size_t pal_intern_count(const void *table);
const char *pal_intern_name(const void *table, uint32_t id);
void pal_intern_free(void *table);

/* Jury statistics computed while scoring, see jurycal.c. Accepts NULL. */
void pal_jury_results_free(void *j);

#endif
