/*
 * The published versions in the store (store_publish.h) on real SQLite
 * files: nothing published at first; a version keeps its bytes, their
 * SHA-256, who and when, its labelled count; a second version keeps the
 * first; a version cannot be changed or deleted, even by another
 * connection; the published phase starts at the publication unless it
 * started before; the audit log says it; empty results are refused and
 * leave nothing. Times are given, never read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <sodium.h>

#include "store.h"
#include "store_publish.h"

static char dir[64];
static int nfile;

static int scratch_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-publish-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *new_path(void)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/campaign-%d.db", dir, nfile++);
	return p;
}

static const store_town TOWNS[] = {{"33449", "Saint-Médard-en-Jalles", NULL, NULL}};

static store *new_campaign(const char *path)
{
	store *s = NULL;
	char err[256];
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Villes Internet 2027", "{\"id\": \"vi\", \"criteria\": []}", TOWNS,
					     1, 0, 1000),
			 STORE_OK);
	return s;
}

static void hex_of(const char *text, char out[STORE_SHA256_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, STORE_SHA256_HEX, d, sizeof d);
}

struct seen {
	int64_t versions[4];
	long labelled[4];
	int n;
};

static int collect(void *ctx, const store_publication *p)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		s->versions[s->n] = p->version;
		s->labelled[s->n] = p->labelled;
	}
	s->n++;
	return 0;
}

static int stop_at_first(void *ctx, const store_publication *p)
{
	(void)p;
	(*(int *)ctx)++;
	return 1;
}

static long long raw_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_versions(void **state)
{
	(void)state;
	const char *path = new_path();
	store *s = new_campaign(path);
	const char *v1 = "{\"towns\": [1]}", *v2 = "{\"towns\": [2]}";
	char sha[STORE_SHA256_HEX], *json = NULL;
	int64_t version = -1, starts = 0;
	size_t len = 0;
	store_publication p;

	assert_int_equal(store_publication_latest(s, &version), STORE_OK);
	assert_int_equal(version, 0);
	assert_int_equal(store_publication_get(s, 1, &p, &json, &len), STORE_NOT_FOUND);
	assert_null(json);

	assert_int_equal(store_publish(s, v1, strlen(v1), 3, 0, 5000, &version), STORE_OK);
	assert_int_equal(version, 1);
	assert_int_equal(store_publish(s, v2, strlen(v2), 0, 0, 6000, &version), STORE_OK);
	assert_int_equal(version, 2);
	assert_int_equal(store_publication_latest(s, &version), STORE_OK);
	assert_int_equal(version, 2);

	assert_int_equal(store_publication_get(s, 1, &p, &json, &len), STORE_OK);
	hex_of(v1, sha);
	assert_string_equal(json, v1);
	assert_int_equal(len, strlen(v1));
	assert_string_equal(p.sha256, sha);
	assert_int_equal(p.published_at, 5000);
	assert_int_equal(p.labelled, 3);
	store_publication_clear(&p);
	free(json);

	struct seen seen = {{0}, {0}, 0};
	assert_int_equal(store_publications_list(s, collect, &seen), STORE_OK);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.versions[0], 2); /* newest first */
	assert_int_equal(seen.versions[1], 1);
	assert_int_equal(seen.labelled[0], 0);
	int calls = 0;
	assert_int_equal(store_publications_list(s, stop_at_first, &calls), STORE_OK);
	assert_int_equal(calls, 1);

	/* the published phase started at the first publication, not moved by the second */
	assert_int_equal(store_phase_get(s, PHASE_PUBLISHED, &starts), STORE_OK);
	assert_int_equal(starts, 5000);

	/* nothing to publish: refused, nothing added */
	assert_int_equal(store_publish(s, "", 0, 0, 0, 7000, &version), STORE_REFUSED);
	assert_int_equal(store_publication_latest(s, &version), STORE_OK);
	assert_int_equal(version, 2);

	/* another connection cannot change or delete a version */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE publication SET results_json = '{}' WHERE version = 1", NULL,
					  NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM publication", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM publication"), 2);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE what = 'publish'"), 2);
	sqlite3_close(db);
	store_close(s);
}

static void test_phase_planned_later(void **state)
{
	(void)state;
	store *s = new_campaign(new_path());
	int64_t starts = 0;
	permit_phase now;
	/* a date planned after the publication: published means now */
	assert_int_equal(store_phase_set(s, PHASE_DELIBERATION, 100, 0, 50), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_PUBLISHED, 90000, 0, 50), STORE_OK);
	assert_int_equal(store_publish(s, "{}", 2, 0, 0, 8000, NULL), STORE_OK);
	assert_int_equal(store_phase_get(s, PHASE_PUBLISHED, &starts), STORE_OK);
	assert_int_equal(starts, 8000);
	assert_int_equal(store_phase_at(s, 8000, &now), STORE_OK);
	assert_int_equal(now, PHASE_PUBLISHED);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_phase_planned_later),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
