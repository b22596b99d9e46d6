/*
 * The published versions in the store (store_publish.h). The SHA-256 is
 * computed here from the very bytes stored, so that what the page shows is
 * the digest of what /verify and the documents read. The number of
 * labelled towns is kept in the setting table ("publication.vN.labelled"):
 * the publication table has no column for it, and counting means loading a
 * results file that can be hundreds of megabytes.
 */
#include "store_db.h"
#include "store_jury.h"
#include "store_publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

void store_publication_clear(store_publication *p)
{
	if (!p)
		return;
	free(p->by_name);
	memset(p, 0, sizeof *p);
}

static void sha256_hex(const char *data, size_t len, char out[STORE_SHA256_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)data, len);
	sodium_bin2hex(out, STORE_SHA256_HEX, d, sizeof d);
}

struct publish_args {
	const char *json;
	size_t len;
	long labelled;
	int64_t who, now, *version;
};

static void labelled_key(int64_t version, char *buf, size_t len)
{
	snprintf(buf, len, "publication.v%lld.labelled", (long long)version);
}

static store_status publish_tx(store *s, void *ctx)
{
	const struct publish_args *a = ctx;
	char sha[STORE_SHA256_HEX], subject[40], key[64], count[32];
	int64_t version = 0, starts = -1;
	store_status st;
	sqlite3_stmt *q;
	sha256_hex(a->json, a->len, sha);
	if (!(q = sdb_stmt(s, Q_PUBLICATION_INSERT, &st)))
		return st;
	sqlite3_bind_int64(q, 1, a->now);
	sdb_bind_who(q, 2, a->who);
	sqlite3_bind_text(q, 3, a->json, (int)a->len, SQLITE_STATIC);
	sdb_bind_text(s, q, 4, sha);
	if ((st = sdb_one_id(s, q, &version, "nothing published")) != STORE_OK)
		return st;
	labelled_key(version, key, sizeof key);
	snprintf(count, sizeof count, "%ld", a->labelled);
	if (!(q = sdb_stmt(s, Q_SETTING_SET, &st)))
		return st;
	sdb_bind_text(s, q, 1, key);
	sdb_bind_text(s, q, 2, count);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	snprintf(subject, sizeof subject, "v%lld", (long long)version);
	if ((st = store_audit_append(s, a->who, a->now, "publish", subject, NULL, sha)) != STORE_OK)
		return st;
	/* Published means published now: the towns' documents, /verify and the
	 * palmarès answer from this moment, whatever date was planned. */
	if ((st = store_phase_get(s, PHASE_PUBLISHED, &starts)) != STORE_OK)
		return st;
	if (starts < 0 || starts > a->now)
		if ((st = store_phase_set(s, PHASE_PUBLISHED, a->now, a->who, a->now)) != STORE_OK)
			return st;
	if (a->version)
		*a->version = version;
	return STORE_OK;
}

store_status store_publish(store *s, const char *json, size_t len, long labelled, int64_t who, int64_t now,
			   int64_t *version)
{
	struct publish_args a = {json, len, labelled, who, now, version};
	if (!json || !len || len > (size_t)0x7fffffff)
		return sdb_err(s, STORE_REFUSED, "no results to publish");
	return store_tx(s, publish_tx, &a);
}

store_status store_publication_latest(store *s, int64_t *version)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PUBLICATION_LATEST, &st);
	if (!q)
		return st;
	return sdb_one_id(s, q, version, "nothing published");
}

/* The labelled count of version, -1 when not recorded. */
static long labelled_of(store *s, int64_t version)
{
	char key[64], *v = NULL, *end;
	long n = -1;
	labelled_key(version, key, sizeof key);
	if (store_setting_get(s, key, &v) == STORE_OK && v) {
		n = strtol(v, &end, 10);
		if (*end || n < 0)
			n = -1;
	}
	free(v);
	return n;
}

/* Fills p from the current row of a publication statement. */
static int publication_row(sqlite3_stmt *q, store_publication *p)
{
	int oom = 0;
	const unsigned char *sha = sqlite3_column_text(q, 3);
	memset(p, 0, sizeof *p);
	p->version = sqlite3_column_int64(q, 0);
	p->published_at = sqlite3_column_int64(q, 1);
	p->published_by = sqlite3_column_int64(q, 2);
	snprintf(p->sha256, sizeof p->sha256, "%s", sha ? (const char *)sha : "");
	p->by_name = sdb_col_dup(q, 4, &oom);
	if (oom || !p->by_name) {
		store_publication_clear(p);
		return -1;
	}
	return 0;
}

store_status store_publications_list(store *s, store_publication_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PUBLICATION_LIST, &st);
	store_publication *rows = NULL;
	size_t n = 0, cap = 0, i;
	int rc;
	if (!q)
		return st;
	/* Read whole first: fn may run other statements (the labelled counts). */
	st = STORE_OK;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c = cap ? 2 * cap : 8;
			store_publication *r = realloc(rows, c * sizeof *r);
			if (!r) {
				st = sdb_err(s, STORE_NOMEM, "out of memory");
				break;
			}
			rows = r;
			cap = c;
		}
		if (publication_row(q, &rows[n]) != 0) {
			st = sdb_err(s, STORE_NOMEM, "out of memory");
			break;
		}
		n++;
	}
	if (st == STORE_OK && rc != SQLITE_DONE)
		st = sdb_rc(s, rc);
	sdb_done(s, q);
	for (i = 0; i < n; i++) {
		rows[i].labelled = labelled_of(s, rows[i].version);
		if (st == STORE_OK && fn && fn(ctx, &rows[i]))
			fn = NULL; /* stopped: the rest is only freed */
		store_publication_clear(&rows[i]);
	}
	free(rows);
	return st;
}

store_status store_publication_get(store *s, int64_t version, store_publication *meta, char **json, size_t *len)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PUBLICATION_GET, &st);
	int rc;
	if (json)
		*json = NULL;
	memset(meta, 0, sizeof *meta);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, version);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		st = publication_row(q, meta) == 0 ? STORE_OK : sdb_err(s, STORE_NOMEM, "out of memory");
		if (st == STORE_OK && json) {
			const char *t = (const char *)sqlite3_column_text(q, 5);
			size_t n = (size_t)sqlite3_column_bytes(q, 5);
			*json = malloc(n + 1);
			if (!*json || !t) {
				free(*json);
				*json = NULL;
				store_publication_clear(meta);
				st = sdb_err(s, STORE_NOMEM, "out of memory");
			} else {
				memcpy(*json, t, n);
				(*json)[n] = 0;
				if (len)
					*len = n;
			}
		}
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such version") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	if (st == STORE_OK)
		meta->labelled = labelled_of(s, meta->version);
	return st;
}
