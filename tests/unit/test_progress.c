/*
 * The progress line of the command line (cli/progress.c): the text of a
 * line (units, percent, rate, time left) from fixed figures, and the line
 * itself drawn into a file standing in for stderr, from several threads at
 * once. No test depends on how fast it runs: the figures are given, and
 * PALMARES_PROGRESS_INTERVAL=0 draws on every update.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "progress.h"

static void expect_line(const char *phase, uint64_t done, uint64_t total, double elapsed,
                        const char *want)
{
	char buf[256];
	int n = progress_format(buf, sizeof buf, phase, done, total, elapsed);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_counts(void **state)
{
	(void)state;
	/* 1024 in 0.2 s: 5120/s; 33976 left at that rate: 6.6 s, shown rounded up */
	expect_line("scoring", 1024, 35000, 0.2, "scoring 1024 / 35000 dossiers (2%), 5120/s, 0:07 left");
	expect_line("writing", 256, 512, 1.0, "writing 256 / 512 dossiers (50%), 256/s, 0:01 left");
	/* slow phases keep one decimal of their rate */
	expect_line("rendering", 3, 340, 1.0, "rendering 3 / 340 towns (0%), 3.0/s, 1:53 left");
}

static void test_bytes(void **state)
{
	(void)state;
	/* bytes shown in MB (10^6), one decimal from 10 MB, two below */
	expect_line("reading", 12300000, 45600000, 1.5,
	            "reading 12.3 / 45.6 MB (26%), 8.2 MB/s, 0:05 left");
	expect_line("reading", 20000, 40000, 0.1, "reading 0.02 / 0.04 MB (50%), 0.2 MB/s, 0:01 left");
}

static void test_too_early_to_tell(void **state)
{
	(void)state;
	/* nothing done yet, or too little time: no rate and no time left, not a wild guess */
	expect_line("scoring", 0, 30, 5.0, "scoring 0 / 30 dossiers (0%)");
	expect_line("scoring", 256, 30000, 0.01, "scoring 256 / 30000 dossiers (0%)");
}

static void test_edges(void **state)
{
	(void)state;
	/* total unknown: no percent, no time left */
	expect_line("rendering", 12, 0, 2.0, "rendering 12 towns, 6.0/s");
	/* done past total (a file that grew while read): 100%, nothing left */
	expect_line("reading", 50000000, 40000000, 1.0, "reading 50.0 / 40.0 MB (100%), 50.0 MB/s");
	/* an hour and more */
	expect_line("scoring", 1, 3724, 1.0, "scoring 1 / 3724 dossiers (0%), 1.0/s, 1:02:03 left");
	/* beyond 99 hours is no estimate */
	expect_line("scoring", 1, 1000000, 1.0, "scoring 1 / 1000000 dossiers (0%), 1.0/s");
	/* a phase the reporter does not know has no unit */
	expect_line("sorting", 5, 10, 1.0, "sorting 5 / 10 (50%), 5.0/s, 0:01 left");
}

static void test_truncated(void **state)
{
	(void)state;
	char buf[8];
	int n = progress_format(buf, sizeof buf, "scoring", 1, 2, 0);
	assert_string_equal(buf, "scoring");
	assert_int_equal(n, (int)strlen("scoring 1 / 2 dossiers (50%)"));
}

/* ---- the line, drawn into a file in place of stderr ---- */

#define THREADS 4
#define UPDATES 200

static void *updater(void *arg)
{
	(void)arg;
	for (uint64_t i = 1; i <= UPDATES; i++)
		progress_update(NULL, "rendering", i, THREADS * UPDATES);
	return NULL;
}

/* The file's text; owned, free with free(). */
static char *slurp(FILE *f)
{
	long len;
	char *s;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	s = malloc((size_t)len + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
	s[len] = '\0';
	return s;
}

/*
 * One test for all of it: the reporter is started once per process. Every
 * drawn line must be whole — "\rpalmares: " … "\033[K", never two threads'
 * lines mixed — and the last thing written must be the erasure.
 */
static void test_lines(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	pthread_t th[THREADS];
	int saved = dup(STDERR_FILENO);
	assert_non_null(f);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	setenv("PALMARES_PROGRESS", "1", 1);
	setenv("PALMARES_PROGRESS_INTERVAL", "0", 1);
	assert_int_equal(progress_start(), 1);
	progress_update(NULL, "scoring", 1, 2);
	progress_clear();
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, updater, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	progress_end();
	progress_update(NULL, "scoring", 2, 2); /* ended: draws nothing */
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);

	char *s = slurp(f), *p = s;
	const char *first = "\rpalmares: scoring 1 / 2 dossiers (50%)";
	size_t lines = 0;
	assert_memory_equal(s, first, strlen(first));
	while ((p = strstr(p, "\rpalmares: ")) != NULL) {
		char *end = strstr(p, "\033[K");
		assert_non_null(end);
		/* no other line starts inside this one */
		assert_true(memchr(p + 1, '\r', (size_t)(end - p - 1)) == NULL);
		p = end;
		lines++;
	}
	assert_true(lines >= 2);
	assert_non_null(strstr(s, "\rpalmares: rendering "));
	assert_non_null(strstr(s, " towns ("));
	size_t len = strlen(s);
	assert_true(len >= 4);
	assert_string_equal(s + len - 4, "\r\033[K");
	free(s);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_too_early_to_tell),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
