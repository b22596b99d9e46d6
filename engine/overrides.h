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

/* What pal_campaign_set_overrides read (c->overrides), applied by every scoring. */
struct pal_overrides {
	pal_override *v;   /* malloc'd: the valid rows */
	size_t n;
	int status;        /* of the reading: PAL_OK, PAL_REJECTED or PAL_IOERR */
	const char *path;  /* campaign arena */
	pal_diags *diags;  /* the reading's messages, given when the overrides apply */
};

/* The campaign's overrides (c->overrides). Accepts NULL. */
void eng_overrides_free(void *o);

#endif
