/*
 * The campaign's people in the store, on real SQLite files in a scratch
 * directory: jurors and a juror's permission target, the settings, the
 * append-only audit log and its pages, invitations and sessions, phases,
 * rate limits, towns and their people. Times are given, never read.
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

#include "store.h"
#include "store_jury.h"
#include "store_scratch.h"

/* A string literal as the char * of a store_juror given to the store (never freed). */
#define S(x) ((char *)(x))

/* Jurors, the permission target of a juror on a dossier, the settings. */
static void test_jury_basics(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_juror j = {0, S("j-martin"), S("Claire Martin"), S("claire@example.org"), S("33449"), S("Nouvelle-Aquitaine"),
			 S("69123|00001")};
	store_juror nguyen = {0, S("j-nguyen"), S(""), S(""), S(""), S(""), S("")}, got;
	store_juror dup = {0, S("j-martin"), S("Another"), S(""), S(""), S(""), S("")};
	int64_t id = 0, id2 = 0;
	char *v = NULL;
	const char *crit[] = {"innovation", "mediation"};
	permit_target on;
	assert_int_equal(store_juror_add(s, &j, 0, 2000, &id), STORE_OK);
	assert_int_equal(store_juror_add(s, &nguyen, 0, 2000, &id2), STORE_OK);
	assert_int_equal(store_juror_add(s, &dup, 0, 2000, NULL), STORE_REFUSED);
	assert_int_equal(store_juror_of_person(s, id, &got), STORE_OK);
	assert_string_equal(got.juror_id, "j-martin");
	assert_string_equal(got.name, "Claire Martin");
	assert_string_equal(got.conflicts, "69123|00001");
	store_juror_clear(&got);
	/* a juror without a name is named by their id */
	assert_int_equal(store_juror_get(s, "j-nguyen", &got), STORE_OK);
	assert_string_equal(got.name, "j-nguyen");
	store_juror_clear(&got);
	assert_int_equal(store_juror_get(s, "j-nobody", &got), STORE_NOT_FOUND);
	/* the first person (the campaign's towns come first) is no juror */
	assert_int_equal(store_juror_of_person(s, 1, &got), STORE_NOT_FOUND);

	sqlite3 *db = raw_open(store_path(s));
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO assignment VALUES ('j-martin', '75056', 0), ('j-martin', '69123', 0),"
				      " ('j-nguyen', '33449', 0), ('j-nguyen', '75056', 0);"
				      "INSERT INTO recusal VALUES ('j-nguyen', '75056', 'my cousin is the mayor', 0);"
				      "INSERT INTO mark VALUES ('j-martin', '75056', 'innovation', '4', '', 1, 0),"
				      " ('j-martin', '75056', 'mediation', '', 'draft comment', 1, 0);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* assigned, no conflict; one mark given of two */
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_MARKING, crit, 2, &on), STORE_OK);
	assert_true(on.assigned && !on.conflict && !on.own_marks_given && on.visibility == SEE_NEVER);
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.own_marks_given);
	/* assigned but a conflict of the jurors file; own town, not assigned; not assigned */
	assert_int_equal(store_jury_target(s, "j-martin", "69123", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && on.conflict);
	assert_int_equal(store_jury_target(s, "j-martin", "33449", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(!on.assigned && on.conflict);
	/* "6912" is not "69123" */
	assert_int_equal(store_jury_target(s, "j-martin", "6912", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(!on.assigned && !on.conflict);
	/* recused */
	assert_int_equal(store_jury_target(s, "j-nguyen", "75056", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && on.conflict);
	assert_int_equal(store_jury_target(s, "j-nguyen", "33449", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && !on.conflict && !on.own_marks_given);
	assert_int_equal(store_jury_target(s, "j-nobody", "33449", PHASE_MARKING, crit, 1, &on), STORE_NOT_FOUND);
	assert_true(!on.assigned);

	/* settings: unset is never; set per phase; an unknown word is never */
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_NEVER);
	assert_int_equal(store_setting_get(s, SETTING_VISIBILITY_MARKING, &v), STORE_NOT_FOUND);
	assert_null(v);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_MARKING, "after_own", 0, 3000), STORE_OK);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_DELIBERATION, "always", 0, 3000), STORE_OK);
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_AFTER_OWN);
	assert_int_equal(store_visibility(s, PHASE_DELIBERATION), SEE_ALWAYS);
	assert_int_equal(store_visibility(s, PHASE_SUBMISSION), SEE_NEVER);
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_DELIBERATION, crit, 1, &on), STORE_OK);
	assert_int_equal(on.visibility, SEE_ALWAYS);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_MARKING, "sometimes", 0, 3000), STORE_OK);
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_NEVER);
	assert_int_equal(store_visibility_of("always"), SEE_ALWAYS);
	assert_int_equal(store_visibility_of("Always"), -1);
	assert_null(store_visibility_word(SEE_COUNT));
	/* every change is in the log */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE what = 'juror-add'"), 2);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE what = 'setting'"), 3);
	sqlite3_close(db);
	store_close(s);
}

static void test_audit_append_only(void **state)
{
	(void)state;
	store *s = new_campaign();
	char path[128];
	struct audit_lines a = {{0}, 0};
	store_person town;
	sqlite3 *db;
	char *msg = NULL;
	snprintf(path, sizeof path, "%s/campaign-%d.db", dir, nfile - 1);
	assert_int_equal(store_person_of_town(s, "75056", &town), STORE_OK);
	const store_answer x[] = {{"wifi", "yes"}};
	const store_answer y[] = {{"wifi", "no"}};
	assert_int_equal(store_answers_save(s, "75056", 0, x, 1, town.id, 500, NULL, NULL), STORE_OK);
	assert_int_equal(store_answers_save(s, "75056", 1, y, 1, town.id, 501, NULL, NULL), STORE_OK);
	assert_int_equal(store_audit_append(s, 0, 502, "note", "", NULL, "by hand"), STORE_OK);
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	/* campaign-init, 3 towns, 2 answers, the note */
	assert_int_equal(a.n, 7);
	char want[256];
	snprintf(want, sizeof want, "500 %lld answer 75056/wifi ->yes\n501 %lld answer 75056/wifi yes>no\n",
		 (long long)town.id, (long long)town.id);
	assert_non_null(strstr(a.text, want));
	assert_non_null(strstr(a.text, "1000 0 campaign-init  ->Villes Internet 2027\n"));
	/* another connection cannot rewrite or erase it */
	db = raw_open(path);
	assert_int_equal(
		sqlite3_exec(db, "UPDATE audit SET new = 'forged' WHERE what = 'answer'", NULL, NULL, &msg),
		SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, &msg), SQLITE_CONSTRAINT);
	sqlite3_free(msg);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE new = 'forged'"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), 7);
	sqlite3_close(db);
	store_person_clear(&town);
	store_close(s);
}

/* The organizer's page of the log: newest first, limited, then older than a line. */
static void test_audit_page(void **state)
{
	(void)state;
	store *s = new_campaign();
	struct audit_lines a = {{0}, 0};
	for (int i = 0; i < 5; i++) {
		char v[16];
		snprintf(v, sizeof v, "n%d", i);
		assert_int_equal(store_audit_append(s, 0, 600 + i, "note", "", NULL, v), STORE_OK);
	}
	assert_int_equal(store_audit_page(s, 0, 2, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.text, "604 0 note  ->n4\n603 0 note  ->n3\n");
	/* campaign-init and 3 towns come first: ids 1-4, the notes 5-9 */
	memset(&a, 0, sizeof a);
	assert_int_equal(store_audit_page(s, 7, 3, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.text, "601 0 note  ->n1\n600 0 note  ->n0\n1000 0 town-add 69123 ->Lyon\n");
	memset(&a, 0, sizeof a);
	assert_int_equal(store_audit_page(s, 1, 10, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 0);
	store_close(s);
}

static void test_invitations_sessions(void **state)
{
	(void)state;
	store *s = new_campaign();
	unsigned char raw[AUTH_TOKEN_BYTES], h[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES], csrf[AUTH_TOKEN_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE];
	int64_t org = 0, person = 0, removed = -1;
	store_session ss;
	store_person p;
	assert_int_equal(auth_init(), AUTH_OK);
	assert_int_equal(store_person_add(s, ROLE_ORGANIZER, NULL, "Orga", "orga@example.org", 0, 1, &org),
			 STORE_OK);
	auth_token_new(raw, text);
	auth_token_hash(raw, h);
	assert_int_equal(store_invitation_add(s, org, h, 5000), STORE_OK);
	/* found (a GET) as often as wanted, used (a POST) once, before it expires */
	assert_int_equal(store_invitation_find(s, h, 4000, &person), STORE_OK);
	assert_int_equal(person, org);
	assert_int_equal(store_invitation_find(s, h, 5000, &person), STORE_NOT_FOUND);
	person = 0;
	assert_int_equal(store_invitation_use(s, h, 4001, &person), STORE_OK);
	assert_int_equal(person, org);
	assert_int_equal(store_invitation_use(s, h, 4002, &person), STORE_NOT_FOUND);
	assert_int_equal(store_invitation_find(s, h, 4002, &person), STORE_NOT_FOUND);
	/* expired unused */
	auth_token_new(raw, NULL);
	auth_token_hash(raw, h2);
	assert_int_equal(store_invitation_add(s, org, h2, 100), STORE_OK);
	assert_int_equal(store_invitation_use(s, h2, 100, &person), STORE_NOT_FOUND);
	/* the token itself is not a key: only its hash */
	assert_int_equal(store_invitation_find(s, raw, 1, &person), STORE_NOT_FOUND);

	/* sessions */
	auth_token_new(raw, NULL);
	auth_token_hash(raw, h);
	auth_token_new(csrf, NULL);
	assert_int_equal(store_session_add(s, h, org, csrf, 4001, 4001 + 3600), STORE_OK);
	assert_int_equal(store_session_find(s, h, 4500, &ss), STORE_OK);
	assert_int_equal(ss.person_id, org);
	assert_int_equal(ss.role, ROLE_ORGANIZER);
	assert_null(ss.town_id);
	assert_memory_equal(ss.csrf, csrf, sizeof csrf);
	store_session_clear(&ss);
	assert_int_equal(store_session_find(s, h, 4001 + 3600, &ss), STORE_NOT_FOUND);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_NOT_FOUND);
	/* a town's session carries its town */
	assert_int_equal(store_person_of_town(s, "33449", &p), STORE_OK);
	assert_int_equal(store_session_add(s, h2, p.id, csrf, 1, 9000), STORE_OK);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_OK);
	assert_int_equal(ss.role, ROLE_TOWN);
	assert_string_equal(ss.town_id, "33449");
	store_session_clear(&ss);
	store_person_clear(&p);
	/* logout, expiry */
	assert_int_equal(store_session_delete(s, h2), STORE_OK);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_NOT_FOUND);
	assert_int_equal(store_session_delete(s, h2), STORE_OK);
	assert_int_equal(store_sessions_expire(s, 8000, &removed), STORE_OK);
	assert_int_equal(removed, 1);
	/* the organizer's password, by e-mail */
	assert_int_equal(store_person_set_password(s, org, "$argon2id$v=19$m=8,t=1,p=1$x$y", org, 9),
			 STORE_OK);
	assert_int_equal(store_organizer_by_email(s, "orga@example.org", &p), STORE_OK);
	assert_int_equal(p.id, org);
	assert_string_equal(p.password_hash, "$argon2id$v=19$m=8,t=1,p=1$x$y");
	store_person_clear(&p);
	assert_int_equal(store_organizer_by_email(s, "mairie@smj.example", &p), STORE_NOT_FOUND);
	assert_int_equal(store_person_set_password(s, 424242, "x", org, 9), STORE_NOT_FOUND);
	assert_int_equal(store_person_get(s, org, &p), STORE_OK);
	assert_string_equal(p.name, "Orga");
	store_person_clear(&p);
	store_person_clear(NULL);
	store_close(s);
}

static void test_phases(void **state)
{
	(void)state;
	store *s = new_campaign();
	permit_phase p = PHASE_COUNT;
	int64_t at = 0;
	assert_int_equal(store_phase_at(s, 0, &p), STORE_OK);
	assert_int_equal(p, PHASE_SETUP);
	assert_int_equal(store_phase_set(s, PHASE_SUBMISSION, 100, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_MARKING, 200, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_PUBLISHED, 400, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_SETUP, 0, 0, 1), STORE_REFUSED);
	assert_int_equal(store_phase_at(s, 99, &p), STORE_OK);
	assert_int_equal(p, PHASE_SETUP);
	assert_int_equal(store_phase_at(s, 100, &p), STORE_OK);
	assert_int_equal(p, PHASE_SUBMISSION);
	assert_int_equal(store_phase_at(s, 399, &p), STORE_OK);
	assert_int_equal(p, PHASE_MARKING);
	assert_int_equal(store_phase_at(s, 400, &p), STORE_OK);
	assert_int_equal(p, PHASE_PUBLISHED);
	/* the deadline moved: audited with old and new */
	assert_int_equal(store_phase_set(s, PHASE_MARKING, 250, 0, 2), STORE_OK);
	assert_int_equal(store_phase_get(s, PHASE_MARKING, &at), STORE_OK);
	assert_int_equal(at, 250);
	assert_int_equal(store_phase_get(s, PHASE_DELIBERATION, &at), STORE_OK);
	assert_int_equal(at, -1);
	struct audit_lines a = {{0}, 0};
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	assert_non_null(strstr(a.text, "2 0 phase-set marking 200>250\n"));
	store_close(s);
}

static void test_rate_limit(void **state)
{
	(void)state;
	store *s = new_campaign();
	int allowed = -1, i;
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1000 + i, 60, 3, &allowed), STORE_OK);
		assert_true(allowed);
	}
	assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1010, 60, 3, &allowed), STORE_OK);
	assert_false(allowed);
	/* another key has its own counter */
	assert_int_equal(store_rate_hit(s, "login:198.51.100.7", 1010, 60, 3, &allowed), STORE_OK);
	assert_true(allowed);
	/* the next window starts afresh */
	assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1060, 60, 3, &allowed), STORE_OK);
	assert_true(allowed);
	assert_int_equal(store_rate_prune(s, 2000, 60), STORE_OK);
	store_close(s);
}

static int collect_person(void *ctx, int64_t id, permit_role role, const char *town_id, const char *name,
			  const char *email)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 1024 - n, "%lld,%s,%s,%s,%s\n", (long long)id, permit_role_name(role),
		 town_id ? town_id : "-", name, email);
	return 0;
}

static void test_towns_people(void **state)
{
	(void)state;
	store *s = new_campaign();
	char *name = NULL, *attrs = NULL, *email = NULL, people[1024] = "";
	int64_t juror = 0;
	assert_int_equal(store_town_get(s, "33449", &name, &attrs, &email), STORE_OK);
	assert_string_equal(name, "Saint-Médard-en-Jalles");
	assert_string_equal(attrs, "{\"population\": 31000}");
	assert_string_equal(email, "mairie@smj.example");
	free(name);
	free(attrs);
	free(email);
	name = attrs = NULL;
	assert_int_equal(store_town_get(s, "75056", NULL, &attrs, NULL), STORE_OK);
	assert_string_equal(attrs, "{}");
	free(attrs);
	assert_int_equal(store_town_get(s, "00000", &name, NULL, NULL), STORE_NOT_FOUND);
	assert_null(name);
	assert_int_equal(store_person_add(s, ROLE_JUROR, NULL, "Jeanne", "j@example.org", 0, 1, &juror),
			 STORE_OK);
	assert_int_equal(store_people_list(s, collect_person, people), STORE_OK);
	char want[512];
	snprintf(want, sizeof want,
		 "1,town,33449,Saint-Médard-en-Jalles,mairie@smj.example\n2,town,75056,Paris,\n"
		 "3,town,69123,Lyon,contact@lyon.example\n%lld,juror,-,Jeanne,j@example.org\n",
		 (long long)juror);
	assert_string_equal(people, want);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jury_basics),
		cmocka_unit_test(test_audit_append_only),
		cmocka_unit_test(test_audit_page),
		cmocka_unit_test(test_invitations_sessions),
		cmocka_unit_test(test_phases),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_towns_people),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
