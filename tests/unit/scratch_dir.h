/*
 * A scratch directory for the unit tests whose code under test takes paths:
 * scratch_setup and scratch_teardown are cmocka group fixtures (a fresh
 * directory under /tmp, removed with what the tests wrote in it), and
 * write_file puts text in a file there; scratch_rubric loads a rubric from
 * its text or fails the test with the reasons. Include after cmocka.h.
 */
#ifndef PAL_TEST_SCRATCH_DIR_H
#define PAL_TEST_SCRATCH_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palmares/palmares.h"

static char dir[64];

/* Writes text to dir/name; the path stays valid for the next 15 calls. */
static const char *write_file(const char *name, const char *text)
{
	static char path[16][256];
	static int k;
	char *p = path[k++ % 16];
	snprintf(p, 256, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static pal_rubric *scratch_rubric(const char *json, pal_diags *d)
{
	int st;
	pal_rubric *r = pal_rubric_load(write_file("rubric.json", json), d, &st);
	if (!r) {
		pal_diags_print(d, 0, stderr);
		fail_msg("rubric rejected");
	}
	return r;
}

static int scratch_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
