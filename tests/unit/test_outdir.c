/*
 * The manifest of an output directory (engine/outdir.c, issue 19 item 3): a
 * complete run removes the files of an earlier run it does not write again,
 * and nothing else — not a file edited since, not a file no manifest lists,
 * not a file a planted manifest names outside the directory, not the files of
 * a run limited to some towns or of towns a stopped run did not reach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "palmares/outdir.h"
#include "scratch_dir.h"
#include "sha256.h"

static const char *at(const char *name)
{
	static char p[8][256];
	static int k;
	char *s = p[k++ % 8];
	snprintf(s, 256, "%s/%s", dir, name);
	return s;
}

static int exists(const char *name)
{
	struct stat st;
	return lstat(at(name), &st) == 0;
}

/* One sync of the files named (written unless listed in `missing`), returning the diagnostics' text. */
static const char *sync_files(const char *const *names, size_t n, const char *missing, unsigned flags)
{
	static char text[2048];
	pal_outdir_file f[8];
	pal_diags *d = pal_diags_new();
	assert_non_null(d);
	for (size_t i = 0; i < n; i++)
		f[i] = (pal_outdir_file){at(names[i]), !(missing && strcmp(missing, names[i]) == 0), NULL};
	assert_int_equal(pal_outdir_sync(dir, "certificates", ".pdf", f, n, flags, d), 0);
	text[0] = '\0';
	for (size_t i = 0; i < pal_diags_count(d); i++) {
		char line[512];
		pal_diag_format(pal_diags_get(d, i), line, sizeof line);
		size_t used = strlen(text);
		snprintf(text + used, sizeof text - used, "%s\n", line);
	}
	pal_diags_free(d);
	return text;
}

static void clean(void)
{
	static const char *const names[] = {"a.pdf", "b.pdf", "c.pdf", ".palmares-certificates"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(at(names[i]));
}

static void test_stale_removed(void **state)
{
	(void)state;
	const char *ab[] = {"a.pdf", "b.pdf"};
	write_file("a.pdf", "certificate a");
	write_file("b.pdf", "certificate b");
	assert_string_equal(sync_files(ab, 2, NULL, PAL_OUTDIR_COMPLETE), "");
	assert_true(exists(".palmares-certificates"));
	/* b lost its level: the next complete run does not write it */
	write_file("a.pdf", "certificate a, again");
	const char *text = sync_files(ab, 1, NULL, PAL_OUTDIR_COMPLETE);
	assert_non_null(strstr(text, "b.pdf: note: removed: an earlier run wrote it and this one does not"));
	assert_false(exists("b.pdf"));
	assert_true(exists("a.pdf"));
	clean();
}

static void test_changed_or_unknown_kept(void **state)
{
	(void)state;
	const char *ab[] = {"a.pdf", "b.pdf"};
	write_file("a.pdf", "certificate a");
	write_file("b.pdf", "certificate b");
	sync_files(ab, 2, NULL, PAL_OUTDIR_COMPLETE);
	write_file("b.pdf", "someone edited b");
	write_file("c.pdf", "someone's own file");
	const char *text = sync_files(ab, 1, NULL, PAL_OUTDIR_COMPLETE);
	assert_non_null(strstr(text, "b.pdf: warning: left in place"));
	assert_non_null(strstr(text, "1 pdf file this run did not write (\"c.pdf\")"));
	assert_true(exists("b.pdf") && exists("c.pdf"));
	clean();
}

/* --town: nothing removed, the manifest keeps the other files; a stopped run keeps what it did not reach. */
static void test_partial_runs_remove_nothing(void **state)
{
	(void)state;
	const char *ab[] = {"a.pdf", "b.pdf"};
	write_file("a.pdf", "certificate a");
	write_file("b.pdf", "certificate b");
	sync_files(ab, 2, NULL, PAL_OUTDIR_COMPLETE);
	assert_string_equal(sync_files(ab, 1, NULL, 0), "");
	assert_true(exists("b.pdf"));
	/* the run stopped before b (a full disk): b is the earlier run's and stays listed */
	assert_string_equal(sync_files(ab, 2, "b.pdf", PAL_OUTDIR_COMPLETE), "");
	assert_true(exists("b.pdf"));
	/* still palmares' own: a later complete run without b removes it */
	assert_non_null(strstr(sync_files(ab, 1, NULL, PAL_OUTDIR_COMPLETE), "b.pdf: note: removed"));
	assert_false(exists("b.pdf"));
	clean();
}

/* A manifest planted by whoever can write into the directory. */
static void test_hostile_manifest(void **state)
{
	(void)state;
	char hex[PALX_SHA256_HEX_LEN + 1], text[1024];
	unsigned char d[PALX_SHA256_LEN];
	const char *victim = "a file outside the directory";
	palx_sha256(victim, strlen(victim), d);
	palx_sha256_hex(d, hex);
	assert_int_equal(mkdir(at("out"), 0777), 0);
	write_file("victim.pdf", victim);
	write_file("out/victim.pdf", victim); /* the one name that is in the directory: fair game */
	snprintf(text, sizeof text,
	         "%s ../victim.pdf\n%s %s/victim.pdf\n%s .hidden\n%s a/../../victim.pdf\nnot a line\n%s\n"
	         "%s victim.pdf\n",
	         hex, hex, dir, hex, hex, hex, hex);
	write_file("out/.palmares-certificates", text);
	pal_diags *diags = pal_diags_new();
	char out[300];
	snprintf(out, sizeof out, "%s/out", dir);
	assert_int_equal(pal_outdir_sync(out, "certificates", ".pdf", NULL, 0, PAL_OUTDIR_COMPLETE, diags), 0);
	pal_diags_free(diags);
	assert_true(exists("victim.pdf"));
	assert_false(exists("out/victim.pdf"));
	/* A manifest that is a link or a FIFO is not read (nor waited on). */
	unlink(at("out/.palmares-certificates"));
	assert_int_equal(symlink("../victim.pdf", at("out/.palmares-certificates")), 0);
	diags = pal_diags_new();
	assert_int_equal(pal_outdir_sync(out, "certificates", ".pdf", NULL, 0, PAL_OUTDIR_COMPLETE, diags), -1);
	pal_diags_free(diags); /* and it is not replaced through the link either: refused */
	assert_true(exists("victim.pdf"));
	unlink(at("out/.palmares-certificates"));
	assert_int_equal(mkfifo(at("out/.palmares-certificates"), 0666), 0);
	diags = pal_diags_new();
	assert_int_equal(pal_outdir_sync(out, "certificates", ".pdf", NULL, 0, PAL_OUTDIR_COMPLETE, diags), -1);
	pal_diags_free(diags);
	unlink(at("out/.palmares-certificates"));
	unlink(at("victim.pdf"));
	assert_int_equal(rmdir(at("out")), 0);
}

int main(void)
{
	(void)scratch_rubric;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_removed),
		cmocka_unit_test(test_changed_or_unknown_kept),
		cmocka_unit_test(test_partial_runs_remove_nothing),
		cmocka_unit_test(test_hostile_manifest),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
