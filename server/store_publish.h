/*
 * The published results in the campaign store (store.h's conventions: times
 * given by the caller, every change in a transaction with its audit line).
 * A publication is one version of the results JSON with its SHA-256: the
 * table refuses any update or delete (a trigger), so that a certificate
 * printed from a version can always be checked against it; publishing
 * again adds version N+1 and keeps the others.
 */
#ifndef PALMARES_SERVER_STORE_PUBLISH_H
#define PALMARES_SERVER_STORE_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_SHA256_HEX 65 /* 64 lowercase hex digits and a NUL */

/* One published version (without its JSON). */
typedef struct {
	int64_t version, published_at, published_by; /* published_by 0: the command line */
	char sha256[STORE_SHA256_HEX];
	char *by_name;  /* owned, "" when unknown */
	long labelled;  /* the towns that got a certificate, -1 when not recorded */
} store_publication;

void store_publication_clear(store_publication *p);

/*
 * Stores json (len bytes, a results file as pal_results_write() writes it)
 * as the next version, with its SHA-256 computed here, the number of
 * labelled towns it holds, and an audit line "publish" (subject "vN", new
 * value the SHA-256) by who. The published phase starts at now when it has
 * no start yet or a later one (its own audit line). *version (may be NULL)
 * is the new version.
 */
store_status store_publish(store *s, const char *json, size_t len, long labelled, int64_t who, int64_t now,
			   int64_t *version);

/* The latest version in *version, 0 when nothing is published. */
store_status store_publication_latest(store *s, int64_t *version);

/* Every version, newest first; fn's row is borrowed. fn returns nonzero to stop. */
typedef int (*store_publication_fn)(void *ctx, const store_publication *p);
store_status store_publications_list(store *s, store_publication_fn fn, void *ctx);

/* One version: its row in *meta (clear it), and when json is not NULL its
 * results as an owned NUL-terminated text of *len bytes. STORE_NOT_FOUND
 * when there is no such version. */
store_status store_publication_get(store *s, int64_t version, store_publication *meta, char **json, size_t *len);

#endif
