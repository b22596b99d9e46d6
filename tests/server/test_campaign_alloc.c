/*
 * The campaign's command line when memory runs out: every allocation of
 * server/export.c, campaign.c, answers.c and the store (through cmocka's
 * allocator, so a leak fails the test) and jansson's (routed there too)
 * fails in turn (n = 0, 1, ... until a whole run succeeds), like
 * test_store_alloc.c.
 * - `campaign export`: a failure comes back as -1 with a message (no crash,
 *   no leak), and does not stand in the way of the next export into the
 *   same folder: run again with memory to spare, it writes exactly the
 *   files of an export that never failed.
 * - `campaign init --dossiers` (campaign_import): a failure leaves no answer
 *   and no audit line of the import (all or nothing); a run that goes
 *   through stores every answer.
 * Usage: test_server_campaign_alloc RUBRIC.json
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <csv.h>
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/failing_alloc.h"

/* strdup's block must come from the same allocator as the free() that ends it. */
static char *test_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}
#define strdup(s) test_strdup(s)

#include "../../server/store_db.c"
#include "../../server/store.c"
#include "../../server/store_people.c"
#include "../../server/store_dossier.c"
#include "../../server/answers.c"
#include "../../server/export.c"
#include "../../server/campaign.c"

static void *json_alloc(size_t n)
{
	return malloc(n);
}

static void json_release(void *p)
{
	free(p);
}

static const char *rubric_path;
static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/palmares-campaign-alloc-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A whole file's bytes (owned, test allocator), NUL-terminated. */
static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static const store_town TOWNS[] = {
	{"33449",
	 "Saint-M\xc3\xa9"
	 "dard-en-Jalles",
	 "{\"population\": 31000, \"region\": \"Nouvelle-Aquitaine\"}", "mairie@smj.example"},
	{"75056", "Paris", "{\"population\": 2133111}", NULL},
};

/* The files of out compared with those of ref (no failure): the same bytes. */
static void same_files(const char *out, const char *ref)
{
	static const char *const names[] = {EXPORT_FILES, MANIFEST};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		char a[256], b[256];
		snprintf(a, sizeof a, "%s/%s", out, names[k]);
		snprintf(b, sizeof b, "%s/%s", ref, names[k]);
		char *x = read_whole(a), *y = read_whole(b);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
}

static void test_every_allocation_fails(void **state)
{
	(void)state;
	char db[128], ref[128], err[512];
	store *s = NULL;
	char *rubric = read_whole(rubric_path);
	const store_answer answers[] = {
		{"site-rgaa", "true"},
		{"consultations-en-ligne", "12"},
		{"demarches-en-ligne", "etat-civil|urbanisme"},
		{"taux-conformite-rgaa.evidence", "https://smj.example/audit.pdf"},
		{"referent-numerique", "Mme <b>Dupont</b>"},
	};
	size_t towns = 0;
	long n, survived = 0;
	snprintf(db, sizeof db, "%s/campaign.db", dir);
	snprintf(ref, sizeof ref, "%s/ref", dir);
	assert_int_equal(store_open(db, STORE_CREATE, &s, NULL, 0), STORE_OK);
	assert_int_equal(store_campaign_init(s, "VI 2027", rubric, TOWNS, 2, 0, 1), STORE_OK);
	assert_int_equal(store_answers_save(s, "33449", 0, answers, sizeof answers / sizeof answers[0], 0, 2,
					    NULL, NULL),
			 STORE_OK);
	free(rubric);
	assert_int_equal(export_campaign(s, ref, &towns, err, sizeof err), 0);
	assert_int_equal(towns, 2);
	for (n = 0;; n++) {
		char out[128];
		int ret, fired;
		snprintf(out, sizeof out, "%s/o%ld", dir, n);
		err[0] = 0;
		failing_alloc_arm(n);
		ret = export_campaign(s, out, NULL, err, sizeof err);
		fired = failing_alloc_fired;
		failing_alloc_disarm();
		if (!fired) {
			assert_int_equal(ret, 0);
			same_files(out, ref);
			break;
		}
		if (ret == 0)
			survived++;
		else
			assert_true(err[0] != 0);
		/* The folder is left as an export's own: the next one goes through. */
		assert_int_equal(export_campaign(s, out, NULL, err, sizeof err), 0);
		same_files(out, ref);
	}
	store_close(s);
	print_message("%ld allocations failed in turn, %ld survived\n", n, survived);
	assert_true(n > 20);
	assert_true(survived < n / 2);
}

static int count_answer(void *ctx, const char *criterion, const char *value, int64_t revision, int64_t at,
			int64_t by)
{
	(void)criterion, (void)value, (void)revision, (void)at, (void)by;
	(*(int *)ctx)++;
	return 0;
}

static int count_import(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
			const char *old_value, const char *new_value)
{
	(void)id, (void)at, (void)who, (void)subject, (void)old_value, (void)new_value;
	*(int *)ctx += strcmp(what, "import") == 0;
	return 0;
}

static void test_import_allocation_fails(void **state)
{
	(void)state;
	char path[128], err[512];
	char *rubric = read_whole(rubric_path);
	const char *const files[] = {path};
	long n, survived = 0;
	FILE *f;
	snprintf(path, sizeof path, "%s/dossiers.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[{\"format\":\"palmares-dossier/"
	      "1\",\"rubric\":\"villes-internet-2027\",\"town\":{\"id\":\"33449\","
	      "\"name\":\"Saint-M\u00e9dard-en-Jalles\",\"population\":31000},\"answers\":{\"site-rgaa\":"
	      "true,"
	      "\"taux-conformite-rgaa\":72.5,\"demarches-en-ligne\":[\"etat-civil\",\"urbanisme\"],\"pass-"
	      "numerique\":\"n/a\"},"
	      "\"evidence\":{\"taux-conformite-rgaa\":\"https://smj.example/audit.pdf\"}},"
	      "{\"format\":\"palmares-dossier/"
	      "1\",\"rubric\":\"villes-internet-2027\",\"town\":{\"id\":\"75056\","
	      "\"name\":\"Paris\",\"population\":2133111},\"answers\":{\"consultations-en-ligne\":40}}]",
	      f);
	assert_int_equal(fclose(f), 0);
	for (n = 0;; n++) {
		char db[128];
		store *s = NULL;
		size_t imported = 0;
		int ret, fired, answers = 0, imports = 0;
		pal_diags *d = pal_diags_new();
		assert_non_null(d);
		snprintf(db, sizeof db, "%s/i%ld.db", dir, n);
		assert_int_equal(store_open(db, STORE_CREATE, &s, NULL, 0), STORE_OK);
		assert_int_equal(store_campaign_init(s, "VI 2027", rubric, TOWNS, 2, 0, 1), STORE_OK);
		err[0] = 0;
		failing_alloc_arm(n);
		ret = campaign_import(s, files, 1, 5, d, &imported, err, sizeof err);
		fired = failing_alloc_fired;
		failing_alloc_disarm();
		pal_diags_free(d);
		assert_int_equal(store_answers_list(s, "33449", count_answer, &answers), STORE_OK);
		assert_int_equal(store_answers_list(s, "75056", count_answer, &answers), STORE_OK);
		assert_int_equal(store_audit_list(s, count_import, &imports), STORE_OK);
		store_close(s);
		if (ret == 0) {
			/* 4 answers and 1 evidence for the first town, 1 answer for Paris */
			assert_int_equal(imported, 2);
			assert_int_equal(answers, 6);
			assert_int_equal(imports, 2);
			survived += fired;
		} else {
			assert_true(err[0] != 0);
			assert_int_equal(answers, 0);
			assert_int_equal(imports, 0);
		}
		if (!fired) {
			if (ret != 0)
				print_error("%s\n", err);
			assert_int_equal(ret, 0);
			break;
		}
	}
	free(rubric);
	print_message("%ld allocations failed in turn, %ld survived\n", n, survived);
	assert_true(n > 20);
	assert_true(survived < n / 2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_fails),
		cmocka_unit_test(test_import_allocation_fails),
	};
	if (argc != 2) {
		fprintf(stderr, "usage: %s RUBRIC.json\n", argv[0]);
		return 2;
	}
	rubric_path = argv[1];
	/* jansson's blocks (the rubric's loading, the dossiers' JSON) through the same allocator. */
	json_set_alloc_funcs(json_alloc, json_release);
	return cmocka_run_group_tests(tests, setup, teardown);
}
