/* Campaign internals shared by the loaders and the scorer. */
#ifndef PAL_CAMPAIGN_H
#define PAL_CAMPAIGN_H

#include "intern.h"
#include "model.h"

/* Appends a new zeroed dossier (answers and marks arrays allocated). NULL when out of memory. */
pal_dossier *eng_campaign_new_dossier(pal_campaign *c);
/* Indexes d by town id; a duplicate id makes both dossiers invalid. Returns 0 or -1 (OOM). */
int eng_campaign_register(pal_campaign *c, pal_dossier *d, pal_diags *diags);

/* Interned juror ids and texts (eng_campaign_intern_juror, eng_intern...): intern.h. */

#endif
