/*
 * The organizer's level overrides in the store (server/store_override.c) on a
 * real SQLite file: set, replace, remove, each with its audit line (old →
 * new as "LEVEL: REASON", "remove: REASON" for a removal); refused without a
 * reason, with an empty level, for an unknown town (nothing written, no audit
 * line); removing what is not there is not found; the list by town id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_override.h"

static char dir[64] = "/tmp/palmares-override-XXXXXX";

static const store_town TOWNS[] = {
	{"33449", "Saint-Médard-en-Jalles", "{}", NULL},
	{"75056", "Paris", "{}", NULL},
};

typedef struct {
	int n;
	char last[3][200]; /* subject, old, new of the last override line */
} audit_seen;

static int on_audit(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
		    const char *old_value, const char *new_value)
{
	audit_seen *a = ctx;
	(void)id, (void)at, (void)who;
	if (strcmp(what, "override") != 0)
		return 0;
	a->n++;
	snprintf(a->last[0], sizeof a->last[0], "%s", subject ? subject : "(null)");
	snprintf(a->last[1], sizeof a->last[1], "%s", old_value ? old_value : "(null)");
	snprintf(a->last[2], sizeof a->last[2], "%s", new_value ? new_value : "(null)");
	return 0;
}

static audit_seen audit_of(store *s)
{
	audit_seen a;
	memset(&a, 0, sizeof a);
	assert_int_equal(store_audit_list(s, on_audit, &a), STORE_OK);
	return a;
}

static int count_rows(void *ctx, const char *town, const store_override *o)
{
	(void)town, (void)o;
	++*(int *)ctx;
	return 0;
}

static void test_overrides(void **state)
{
	(void)state;
	char path[128], err[256];
	store *s = NULL;
	store_override o;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/campaign.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(
		store_campaign_init(s, "VI 2027", "{\"id\": \"vi\", \"criteria\": []}", TOWNS, 2, 0, 1),
		STORE_OK);

	/* refused whole: no reason, an empty level, an unknown town; nothing to remove */
	assert_int_equal(store_override_set(s, "75056", "2", "", 7, 10), STORE_REFUSED);
	assert_int_equal(store_override_set(s, "75056", "2", NULL, 7, 10), STORE_REFUSED);
	assert_int_equal(store_override_set(s, "75056", "", "why", 7, 10), STORE_REFUSED);
	assert_int_equal(store_override_set(s, "00000", "2", "why", 7, 10), STORE_REFUSED);
	assert_int_equal(store_override_set(s, "75056", NULL, "why", 7, 10), STORE_NOT_FOUND);
	assert_int_equal(store_override_get(s, "75056", &o), STORE_NOT_FOUND);
	assert_int_equal(audit_of(s).n, 0);

	/* set: the row and a line none → "2: reason" */
	assert_int_equal(store_override_set(s, "75056", "2", "audition du 18 mars", 0, 10), STORE_OK);
	assert_int_equal(store_override_get(s, "75056", &o), STORE_OK);
	assert_string_equal(o.level, "2");
	assert_string_equal(o.reason, "audition du 18 mars");
	assert_int_equal(o.at, 10);
	store_override_clear(&o);
	audit_seen a = audit_of(s);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.last[0], "75056");
	assert_string_equal(a.last[1], "(null)");
	assert_string_equal(a.last[2], "2: audition du 18 mars");

	/* replaced: old → new */
	assert_int_equal(store_override_set(s, "75056", "0", "'; DROP TABLE override; --", 0, 11), STORE_OK);
	a = audit_of(s);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.last[1], "2: audition du 18 mars");
	assert_string_equal(a.last[2], "0: '; DROP TABLE override; --");
	int n = 0;
	assert_int_equal(store_overrides_list(s, count_rows, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* removed, with its reason in the log */
	assert_int_equal(store_override_set(s, "75056", NULL, "retour au calcul", 0, 12), STORE_OK);
	assert_int_equal(store_override_get(s, "75056", &o), STORE_NOT_FOUND);
	a = audit_of(s);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.last[1], "0: '; DROP TABLE override; --");
	assert_string_equal(a.last[2], "remove: retour au calcul");
	n = 0;
	assert_int_equal(store_overrides_list(s, count_rows, &n), STORE_OK);
	assert_int_equal(n, 0);
	store_close(s);
	snprintf(err, sizeof err, "rm -rf '%s'", dir);
	assert_int_equal(system(err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overrides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
