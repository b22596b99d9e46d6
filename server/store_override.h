/*
 * The organizer's level overrides in the campaign store (the override
 * table; store.h's conventions: times given by the caller, every change in
 * a transaction with its audit line). One override per town at most: its
 * level as the overrides file writes it — here always the level's number,
 * "0" (no level) to the rubric's count, which no level name can be
 * mistaken for — and its reason. The engine applies them when it scores
 * the campaign (the overrides file the export writes holds the same rows).
 */
#ifndef PALMARES_SERVER_STORE_OVERRIDE_H
#define PALMARES_SERVER_STORE_OVERRIDE_H

#include <stdint.h>

#include "store.h"

/* One town's override; owned strings (store_override_clear()). */
typedef struct {
	char *level; /* as stored: the level's number */
	char *reason;
	int64_t at; /* when it was set */
	int64_t by; /* who set it (a person id), 0 for the command line */
} store_override;

void store_override_clear(store_override *o);

/* town_id's override; STORE_NOT_FOUND (o zeroed) when it has none. */
store_status store_override_get(store *s, const char *town_id, store_override *o);

/*
 * Sets town_id's override to level with reason (level NULL: removes it),
 * with an audit line "override" by who: subject the town id, old and new
 * "LEVEL: REASON" (old NULL when there was none; new "remove: REASON" for
 * a removal, so that the reason of a removal is kept too). STORE_REFUSED
 * when the reason is empty, the level is "" or the town is unknown;
 * STORE_NOT_FOUND when removing an override that does not exist. The level
 * is the caller's to check against the rubric.
 */
store_status store_override_set(store *s, const char *town_id, const char *level, const char *reason,
				int64_t who, int64_t now);

/* Every override by town id; fn's strings are borrowed. fn returns nonzero to stop. */
typedef int (*store_override_fn)(void *ctx, const char *town_id, const store_override *o);
store_status store_overrides_list(store *s, store_override_fn fn, void *ctx);

#endif
