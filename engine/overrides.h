/* Private: overrides (SPEC §5), parsed by overrides.c and applied by score.c. */
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

/*
 * Reads an overrides CSV (town_id,level,reason). *out is an owned array (free
 * with free()) of *n valid rows; rejected rows are reported in diags.
 */
int pal_overrides_load(pal_campaign *c, const char *path, pal_override **out, size_t *n,
                       pal_diags *diags);

#endif
