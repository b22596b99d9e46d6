/*
 * The town's dossier in the campaign store, on real SQLite files in a
 * scratch directory: the revision check of two tabs, submission and
 * reopening, evidence files (the same bytes stored once, listed, removed,
 * audited). Times are given, never read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_scratch.h"

static void test_two_tabs(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_person town;
	store_conflicts c = {0};
	int64_t rev = -1;
	assert_int_equal(store_person_of_town(s, "33449", &town), STORE_OK);
	assert_int_equal(town.role, ROLE_TOWN);
	assert_string_equal(town.town_id, "33449");
	/* both tabs read the dossier at revision 0; tab A saves first */
	const store_answer tab_a[] = {{"open-data", "12"}, {"wifi", "yes"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_a, 2, town.id, 2000, &rev, &c), STORE_OK);
	assert_int_equal(rev, 1);
	assert_int_equal(c.n, 0);
	/* tab B changes open-data too: refused whole, told what A saved */
	const store_answer tab_b[] = {{"budget", "5000"}, {"open-data", "15"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_b, 2, town.id, 2001, &rev, &c),
			 STORE_CONFLICT);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].criterion, "open-data");
	assert_string_equal(c.v[0].theirs, "12");
	assert_int_equal(c.v[0].revision, 1);
	assert_int_equal(c.v[0].updated_at, 2000);
	assert_int_equal(c.v[0].updated_by, town.id);
	assert_string_equal(answers_of(s, "33449"), "open-data=12@1;wifi=yes@1;");
	/* B saving other criteria, or the same value as A, is no conflict */
	const store_answer tab_b2[] = {{"budget", "5000"}, {"open-data", "12"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_b2, 2, town.id, 2002, &rev, &c), STORE_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(rev, 2);
	assert_string_equal(answers_of(s, "33449"), "budget=5000@2;open-data=12@1;wifi=yes@1;");
	/* a save that changes nothing keeps the revision */
	assert_int_equal(store_answers_save(s, "33449", 2, tab_b2, 2, town.id, 2003, &rev, &c), STORE_OK);
	assert_int_equal(rev, 2);
	/* with the current revision, a change goes through */
	const store_answer tab_a2[] = {{"open-data", "15"}};
	assert_int_equal(store_answers_save(s, "33449", 2, tab_a2, 1, town.id, 2004, &rev, &c), STORE_OK);
	assert_int_equal(rev, 3);
	/* another town's dossier is untouched */
	assert_string_equal(answers_of(s, "75056"), "");
	store_conflicts_clear(&c);
	store_conflicts_clear(NULL);
	store_person_clear(&town);
	store_close(s);
}

static void test_submit_reopen(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_dossier d;
	int64_t rev = 0;
	const char *receipt = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	const store_answer a[] = {{"wifi", "yes"}};
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_NOT_STARTED);
	assert_int_equal(d.submitted_at, -1);
	assert_int_equal(store_answers_save(s, "69123", 0, a, 1, 0, 10, &rev, NULL), STORE_OK);
	/* what the town saw is not what is stored: refused */
	assert_int_equal(store_dossier_submit(s, "69123", 0, receipt, 0, 11), STORE_CONFLICT);
	assert_int_equal(store_dossier_submit(s, "69123", rev, "not a sha", 0, 11), STORE_REFUSED);
	assert_int_equal(store_dossier_submit(
				 s, "69123", rev,
				 "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", 0, 11),
			 STORE_REFUSED);
	assert_int_equal(store_dossier_submit(s, "69123", rev, receipt, 0, 12), STORE_OK);
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_SUBMITTED);
	assert_int_equal(d.submitted_at, 12);
	assert_string_equal(d.receipt, receipt);
	/* submitted: no more saves, no second submission */
	assert_int_equal(store_answers_save(s, "69123", rev, a, 1, 0, 13, NULL, NULL), STORE_REFUSED);
	assert_int_equal(store_dossier_submit(s, "69123", rev, receipt, 0, 13), STORE_REFUSED);
	/* reopened by the organizer: a draft again */
	assert_int_equal(store_dossier_reopen(s, "69123", 0, 14), STORE_OK);
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_DRAFT);
	assert_true(d.reopened);
	assert_string_equal(d.receipt, "");
	const store_answer b[] = {{"wifi", "no"}};
	assert_int_equal(store_answers_save(s, "69123", rev, b, 1, 0, 15, &rev, NULL), STORE_OK);
	assert_int_equal(store_dossier_reopen(s, "00000", 0, 14), STORE_NOT_FOUND);
	store_close(s);
}

static void test_evidence(void **state)
{
	(void)state;
	store *s = new_campaign();
	const char pdf[] = "%PDF-1.4\n\0binary\xff";
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	int64_t id = 0, id2 = 0;
	store_evidence e;
	assert_int_equal(store_evidence_add(s, "33449", "open-data", sha, "délibération.pdf",
					    "application/pdf", pdf, sizeof pdf, 0, 5, &id),
			 STORE_OK);
	assert_int_equal(store_evidence_get(s, "33449", id, &e), STORE_OK);
	assert_int_equal(e.size, sizeof pdf);
	assert_memory_equal(e.data, pdf, sizeof pdf);
	assert_string_equal(e.name, "délibération.pdf");
	assert_string_equal(e.sha256, sha);
	store_evidence_clear(&e);
	store_evidence_clear(NULL);
	/* another town's file is not found, as a missing one */
	assert_int_equal(store_evidence_get(s, "75056", id, &e), STORE_NOT_FOUND);
	assert_int_equal(store_evidence_get(s, "33449", id + 100, &e), STORE_NOT_FOUND);
	/* an empty file */
	assert_int_equal(
		store_evidence_add(s, "33449", "x", sha, "empty.txt", "text/plain", NULL, 0, 0, 5, &id2),
		STORE_OK);
	assert_int_equal(store_evidence_get(s, "33449", id2, &e), STORE_OK);
	assert_int_equal(e.size, 0);
	store_evidence_clear(&e);
	assert_int_equal(store_evidence_add(s, "33449", "x", "abc", "a", "b", "", 0, 0, 5, NULL),
			 STORE_REFUSED);
	store_close(s);
}

static int count_files(void *ctx, const store_evidence_info *e)
{
	char *acc = ctx;
	size_t n = strlen(acc);
	snprintf(acc + n, 512 - n, "%lld %s %s %s %zu;", (long long)e->id, e->criterion, e->name, e->type,
		 e->size);
	return 0;
}

/* The same bytes twice are one file; lists; the town of a file; removal, audited. */
static void test_evidence_dedup_remove(void **state)
{
	(void)state;
	store *s = new_campaign();
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	const char *sha2 = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	int64_t id = 0, again = 0, other = 0, third = 0;
	char acc[512] = "", *town = NULL, expect[512];
	assert_int_equal(
		store_evidence_add(s, "33449", "c", sha, "a.pdf", "application/pdf", "%PDF", 4, 0, 5, &id),
		STORE_OK);
	assert_int_equal(
		store_evidence_add(s, "33449", "c", sha, "b.pdf", "application/pdf", "%PDF", 4, 0, 6, &again),
		STORE_OK);
	assert_int_equal(again, id);
	/* another criterion, or another town, keeps its own copy */
	assert_int_equal(
		store_evidence_add(s, "33449", "d", sha, "a.pdf", "application/pdf", "%PDF", 4, 0, 6, &other),
		STORE_OK);
	assert_int_not_equal(other, id);
	assert_int_equal(
		store_evidence_add(s, "75056", "c", sha2, "x.txt", "text/plain", "xy", 2, 0, 6, &third),
		STORE_OK);
	assert_int_equal(store_evidence_list(s, "33449", count_files, acc), STORE_OK);
	snprintf(expect, sizeof expect, "%lld c a.pdf application/pdf 4;%lld d a.pdf application/pdf 4;",
		 (long long)id, (long long)other);
	assert_string_equal(acc, expect);
	assert_int_equal(store_evidence_town(s, third, &town), STORE_OK);
	assert_string_equal(town, "75056");
	free(town);
	assert_int_equal(store_evidence_town(s, third + 100, &town), STORE_NOT_FOUND);
	assert_null(town);
	/* removing: only the town's own file */
	assert_int_equal(store_evidence_remove(s, "33449", third, 0, 7), STORE_NOT_FOUND);
	assert_int_equal(store_evidence_remove(s, "33449", id, 0, 7), STORE_OK);
	assert_int_equal(store_evidence_remove(s, "33449", id, 0, 7), STORE_NOT_FOUND);
	acc[0] = 0;
	assert_int_equal(store_evidence_list(s, "33449", count_files, acc), STORE_OK);
	snprintf(expect, sizeof expect, "%lld d a.pdf application/pdf 4;", (long long)other);
	assert_string_equal(acc, expect);
	struct audit_lines a = {{0}, 0};
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	assert_non_null(strstr(a.text, "7 0 evidence-remove 33449/c "
				       "0123456789abcdef0123456789abcdef"
				       "0123456789abcdef0123456789abcdef a.pdf>-\n"));
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_tabs),
		cmocka_unit_test(test_submit_reopen),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_evidence_dedup_remove),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
