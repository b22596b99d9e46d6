/*
 * Atomic outputs (SPEC §7): a committed output replaces the target whole, an
 * aborted or failed one leaves the previous file and no temporary file, and a
 * device (/dev/full, /dev/null) is written in place, never replaced. The file
 * replaced keeps its mode; inside an output directory (PAL_OUTPUT_REGULAR) a
 * link, a FIFO or a device is refused, never written through (issue 19).
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

static mode_t mode_of(const char *name)
{
	struct stat st;
	assert_int_equal(stat(path(name), &st), 0);
	return st.st_mode & 07777;
}

/* chmod 600 before, 600 after: the personal data of results stays private. */
static void test_mode_kept(void **state)
{
	(void)state;
	char err[256];
	mode_t mask = umask(022);
	static const mode_t modes[] = {0600, 0640, 0444};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		put("r.json", "old");
		assert_int_equal(chmod(path("r.json"), modes[i]), 0);
		pal_output *o = pal_output_open(path("r.json"), err, sizeof err);
		assert_non_null(o);
		fputs("new", pal_output_stream(o));
		assert_int_equal(pal_output_commit(o, err, sizeof err), 0);
		assert_string_equal(get("r.json"), "new");
		assert_int_equal(mode_of("r.json"), modes[i]);
		assert_int_equal(unlink(path("r.json")), 0);
	}
	/* A new file follows the umask. */
	umask(027);
	pal_output *o = pal_output_open(path("r.json"), err, sizeof err);
	assert_non_null(o);
	assert_int_equal(pal_output_commit(o, err, sizeof err), 0);
	assert_int_equal(mode_of("r.json"), 0640);
	umask(mask);
	assert_int_equal(entries(), 1);
}

/*
 * Planted in an output directory: a link to a FIFO (opening it for writing
 * would hang), to a device, to a file elsewhere, and a FIFO itself. Each is
 * refused with a message naming it and is left as it was.
 */
static void test_regular_only(void **state)
{
	(void)state;
	char err[256], target[300];
	static const char *const planted[] = {"fifo.pdf", "to-fifo.pdf", "to-null.pdf", "to-file.pdf"};
	static const char *const kinds[] = {"a FIFO", "a symbolic link", "a symbolic link",
	                                    "a symbolic link"};
	struct stat st;
	assert_int_equal(mkfifo(path("fifo.pdf"), 0666), 0);
	assert_int_equal(symlink("fifo.pdf", path("to-fifo.pdf")), 0);
	assert_int_equal(symlink("/dev/null", path("to-null.pdf")), 0);
	put("victim", "keep");
	assert_int_equal(symlink("victim", path("to-file.pdf")), 0);
	for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++) {
		err[0] = '\0';
		assert_null(pal_output_open_flags(path(planted[i]), PAL_OUTPUT_REGULAR, err, sizeof err));
		snprintf(target, sizeof target, "cannot write \"%s\": it is %s", path(planted[i]), kinds[i]);
		assert_non_null(strstr(err, target));
	}
	assert_int_equal(lstat(path("fifo.pdf"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(lstat(path("to-file.pdf"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(get("victim"), "keep");
	/* A regular file, or none, is written as ever. */
	pal_output *o = pal_output_open_flags(path("victim"), PAL_OUTPUT_REGULAR, err, sizeof err);
	assert_non_null(o);
	fputs("new", pal_output_stream(o));
	assert_int_equal(pal_output_commit(o, err, sizeof err), 0);
	assert_string_equal(get("victim"), "new");
	for (size_t i = 0; i < sizeof planted / sizeof planted[0]; i++)
		assert_int_equal(unlink(path(planted[i])), 0);
	assert_int_equal(unlink(path("victim")), 0);
	assert_int_equal(entries(), 1); /* r.json */;
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
		cmocka_unit_test(test_mode_kept),
		cmocka_unit_test(test_regular_only),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
