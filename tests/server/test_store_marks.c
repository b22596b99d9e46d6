/*
 * Marks and recusals in the store (store_marks.h), on a real SQLite file in a
 * scratch directory: a juror's save (values and comments as typed, a comment
 * alone a draft, an audit line per change, unchanged edits not written), the
 * revision check of two tabs (a conflict saves nothing and lists what
 * changed; an untouched field is no conflict), the lists the pages read,
 * and recusals (a reason required, once, a conflict for store_jury_target(),
 * listed for the organizer). Times are given, never read.
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
#include "store_jury.h"
#include "store_marks.h"

static char dir[64];

static int scratch_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-marks-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const store_town TOWNS[] = {
	{"33449", "Saint-Médard-en-Jalles", NULL, NULL},
	{"75056", "Paris", NULL, NULL},
};

#define S(x) ((char *)(x))

/* A campaign of TOWNS with jurors j-a (of town 33449) and j-b, each assigned both towns. */
static store *campaign(const char *name)
{
	store *s = NULL;
	char err[256], path[128];
	store_juror a = {0, S("j-a"), S("A"), S(""), S("33449"), S(""), S("")};
	store_juror b = {0, S("j-b"), S("B"), S(""), S(""), S(""), S("")};
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "L", "{\"criteria\": []}", TOWNS, 2, 0, 1000), STORE_OK);
	assert_int_equal(store_juror_add(s, &a, 0, 1000, NULL), STORE_OK);
	assert_int_equal(store_juror_add(s, &b, 0, 1000, NULL), STORE_OK);
	return s;
}

struct rows {
	char text[1024];
	int n;
};

static int row_text(void *ctx, const store_mark_row *m)
{
	struct rows *r = ctx;
	size_t len = strlen(r->text);
	snprintf(r->text + len, sizeof r->text - len, "%s/%s/%s=%s|%s@%lld;", m->juror_id, m->town_id,
		 m->criterion, m->value, m->comment, (long long)m->revision);
	r->n++;
	return 0;
}

static int audit_count(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
		       const char *old_value, const char *new_value)
{
	(void)id, (void)at, (void)who, (void)subject, (void)old_value, (void)new_value;
	if (!strncmp(what, "mark", 4) || !strcmp(what, "recuse"))
		(*(int *)ctx)++;
	return 0;
}

static void test_save(void **state)
{
	(void)state;
	store *s = campaign("save");
	store_mark_edit e[] = {{"quality", "9,5", "Très bien"}, {"innovation", NULL, "à revoir"}};
	struct rows r = {"", 0};
	int64_t rev = -1;
	int audits = 0;
	assert_int_equal(store_marks_revision(s, "j-b", "75056", &rev), STORE_OK);
	assert_int_equal(rev, 0);
	assert_int_equal(store_marks_save(s, "j-b", "75056", 0, e, 2, 7, 2000, &rev, NULL), STORE_OK);
	assert_int_equal(rev, 1);
	assert_int_equal(store_marks_of(s, "j-b", "75056", row_text, &r), STORE_OK);
	assert_string_equal(r.text, "j-b/75056/innovation=|à revoir@1;j-b/75056/quality=9,5|Très bien@1;");
	assert_int_equal(store_audit_list(s, audit_count, &audits), STORE_OK);
	assert_int_equal(audits, 3); /* a value, two comments */
	/* the same again changes nothing: no revision, no audit line */
	assert_int_equal(store_marks_save(s, "j-b", "75056", 1, e, 2, 7, 2001, &rev, NULL), STORE_OK);
	assert_int_equal(rev, 1);
	audits = 0;
	assert_int_equal(store_audit_list(s, audit_count, &audits), STORE_OK);
	assert_int_equal(audits, 3);
	/* a comment alone is not a mark given */
	const char *crit[] = {"quality", "innovation"};
	permit_target on = {"75056", 0, 0, 0, 0, SEE_NEVER, 0};
	assert_int_equal(store_jury_target(s, "j-b", "75056", PHASE_MARKING, crit, 2, &on), STORE_OK);
	assert_int_equal(on.own_marks_given, 0);
	store_close(s);
}

static void test_two_tabs(void **state)
{
	(void)state;
	store *s = campaign("tabs");
	store_mark_edit first = {"quality", "5", "bien"}, tab_b = {"quality", "6", NULL},
			tab_a = {"quality", "4", NULL}, other = {"innovation", "3", NULL},
			comment = {"quality", NULL, "très bien"};
	store_conflicts c = {0};
	struct rows r = {"", 0};
	int64_t rev;
	assert_int_equal(store_marks_save(s, "j-a", "75056", 0, &first, 1, 7, 2000, &rev, NULL), STORE_OK);
	/* two tabs read at revision 1; B saves, then A from revision 1 */
	assert_int_equal(store_marks_save(s, "j-a", "75056", 1, &tab_b, 1, 7, 2001, &rev, NULL), STORE_OK);
	assert_int_equal(rev, 2);
	assert_int_equal(store_marks_save(s, "j-a", "75056", 1, &tab_a, 1, 7, 2002, &rev, &c),
			 STORE_CONFLICT);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].criterion, "quality");
	assert_string_equal(c.v[0].theirs, "6");
	store_conflicts_clear(&c);
	/* tab A's other field, or the comment B did not change: no conflict */
	assert_int_equal(store_marks_save(s, "j-a", "75056", 1, &other, 1, 7, 2003, &rev, &c), STORE_OK);
	assert_int_equal(store_marks_save(s, "j-a", "75056", 1, &comment, 1, 7, 2004, &rev, &c),
			 STORE_CONFLICT);
	assert_string_equal(c.v[0].criterion, "quality.comment");
	store_conflicts_clear(&c);
	assert_int_equal(store_marks_of_town(s, "75056", row_text, &r), STORE_OK);
	assert_string_equal(r.text, "j-a/75056/innovation=3|@3;j-a/75056/quality=6|bien@2;");
	r.text[0] = 0;
	assert_int_equal(store_marks_of_juror(s, "j-b", row_text, &r), STORE_OK);
	assert_string_equal(r.text, "");
	store_close(s);
}

struct recusals {
	char text[256];
};

static int recusal_text(void *ctx, const store_recusal *rc)
{
	struct recusals *r = ctx;
	size_t len = strlen(r->text);
	snprintf(r->text + len, sizeof r->text - len, "%s(%s)/%s(%s):%s@%lld;", rc->juror_id, rc->juror_name,
		 rc->town_id, rc->town_name, rc->reason, (long long)rc->at);
	return 0;
}

static void test_recusal(void **state)
{
	(void)state;
	store *s = campaign("recusal");
	struct recusals r = {""};
	permit_target on = {"75056", 0, 0, 0, 0, SEE_NEVER, 0};
	int audits = 0;
	assert_int_equal(store_recusal_add(s, "j-b", "75056", "", 9, 3000), STORE_REFUSED);
	assert_int_equal(store_recusal_add(s, "j-b", "75056", NULL, 9, 3000), STORE_REFUSED);
	assert_int_equal(store_jury_target(s, "j-b", "75056", PHASE_MARKING, NULL, 0, &on), STORE_OK);
	assert_int_equal(on.conflict, 0);
	assert_int_equal(store_recusal_add(s, "j-b", "75056", "ma sœur y est élue", 9, 3000), STORE_OK);
	assert_int_equal(store_recusal_add(s, "j-b", "75056", "again", 9, 3001), STORE_REFUSED);
	assert_int_equal(store_recusal_add(s, "j-nobody", "75056", "x", 9, 3001), STORE_REFUSED);
	assert_int_equal(store_jury_target(s, "j-b", "75056", PHASE_MARKING, NULL, 0, &on), STORE_OK);
	assert_int_equal(on.conflict, 1);
	assert_int_equal(store_recusals_list(s, recusal_text, &r), STORE_OK);
	assert_string_equal(r.text, "j-b(B)/75056(Paris):ma sœur y est élue@3000;");
	assert_int_equal(store_audit_list(s, audit_count, &audits), STORE_OK);
	assert_int_equal(audits, 1);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_two_tabs),
		cmocka_unit_test(test_recusal),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
