/* Private: overrides (SPEC §5), read by overrides.c and applied when scoring (score.c). */
#ifndef PAL_OVERRIDES_H
#define PAL_OVERRIDES_H

#include "model.h"

typedef struct pal_override {
	const char *town_id;  /* arena */
	int level;            /* 0..N */
	const char *reason;   /* arena, non-empty */
	const char *file;
	long line;
} pal_override;

/* The campaign's overrides (c->overrides). Accepts NULL. */
void pal_overrides_free(void *o);

/*
 * Applies the overrides set on c (c->overrides not NULL) to its scored
 * dossiers, after the reading's messages: a town unknown or overridden twice
 * is an error, a dossier not scored a warning. Returns the worst of the
 * reading's status and these.
 */
int pal_overrides_apply(pal_campaign *c, pal_diags *diags);

#endif
