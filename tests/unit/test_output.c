/*
 * Atomic outputs (SPEC §7): a committed output replaces the target whole, an
 * aborted or failed one leaves the previous file and no temporary file, and a
 * device (/dev/full, /dev/null) is written in place, never replaced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "palmares/output.h"

static char dir[64];

static const char *path(const char *name)
{
	static char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(path(name), "rb");
	size_t n;
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Number of entries in dir besides . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void test_commit_replaces(void **state)
{
	(void)state;
	char err[256];
	put("r.json", "old");
	pal_output *o = pal_output_open(path("r.json"), err, sizeof err);
	assert_non_null(o);
	fputs("new", pal_output_stream(o));
	assert_string_equal(get("r.json"), "old"); /* untouched until commit */
	/* the temporary file beside it, unnamed until commit where O_TMPFILE works (output.c) */
	assert_true(entries() == 1 || entries() == 2);
	assert_int_equal(pal_output_commit(o, err, sizeof err), 0);
	assert_string_equal(get("r.json"), "new");
	assert_int_equal(entries(), 1);
}

static void test_abort_keeps_old(void **state)
{
	(void)state;
	char err[256];
	put("r.json", "old");
	pal_output *o = pal_output_open(path("r.json"), err, sizeof err);
	assert_non_null(o);
	fputs("half", pal_output_stream(o));
	pal_output_abort(o);
	pal_output_abort(NULL);
	assert_string_equal(get("r.json"), "old");
	assert_int_equal(entries(), 1);
}

static void test_unwritable(void **state)
{
	(void)state;
	char err[256];
	assert_null(pal_output_open(path("no/such/dir/r.json"), err, sizeof err));
	assert_non_null(strstr(err, "cannot write"));
	/* A directory as target: the rename fails, the temporary file goes. */
	assert_int_equal(mkdir(path("d"), 0777), 0);
	pal_output *o = pal_output_open(path("d"), err, sizeof err);
	assert_non_null(o);
	fputs("x", pal_output_stream(o));
	assert_int_equal(pal_output_commit(o, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write"));
	assert_int_equal(rmdir(path("d")), 0);
	assert_int_equal(entries(), 1);
}

/* Renaming over /dev/full would replace the device (as root); it is written in place. */
static void test_device_in_place(void **state)
{
	(void)state;
	char err[256];
	struct stat st;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
		skip();
	pal_output *o = pal_output_open("/dev/full", err, sizeof err);
	assert_non_null(o);
	fputs("results", pal_output_stream(o));
	assert_int_equal(pal_output_commit(o, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot write \"/dev/full\""));
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	o = pal_output_open("/dev/null", err, sizeof err);
	assert_non_null(o);
	fputs("results", pal_output_stream(o));
	assert_int_equal(pal_output_commit(o, err, sizeof err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-output-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path("r.json"));
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_replaces),
		cmocka_unit_test(test_abort_keeps_old),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_device_in_place),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
