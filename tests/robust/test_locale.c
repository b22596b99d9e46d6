/*
 * The library's outputs do not depend on the process locale (issue 6, point
 * 7). The command line runs in the C locale, but a program using libpalmares
 * may well have called setlocale(LC_ALL, "") in a French environment, where
 * printf writes 0,5 and strtod stops at a '.'. A campaign with decimals
 * everywhere (answers, marks, points, rejected marks quoted in messages) is
 * scored and written in the three formats under the C locale, then under
 * the locale named on the command line: the bytes must be the same.
 *
 * Usage: test_locale SCRATCH_DIR LOCALE (e.g. fr_FR.UTF-8, found through
 * LOCPATH if needed). Exits 77 (skipped) when the locale does not exist.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "palmares/palmares.h"

static const char *const inputs[][2] = {
	{"rubric.json",
	 "{\"format\": \"palmares-rubric/1\", \"id\": \"locale-2027\", \"edition\": 2027,\n"
	 " \"label\": \"Locale\", \"categories\": [{\"id\": \"c\", \"criteria\": [\n"
	 "  {\"id\": \"n\", \"kind\": \"number\", \"points\": 10.25, \"steps\": [[0.5, 0.125], [2.75, 0.5], "
	 "[10.5, 1]]},\n"
	 "  {\"id\": \"p\", \"kind\": \"percent\", \"points\": 3.5},\n"
	 "  {\"id\": \"j\", \"kind\": \"jury\", \"points\": 7.75, \"scale\": [0.5, 4.5]}]}],\n"
	 " \"jury\": {\"aggregate\": \"trimmed-mean\", \"disagreement\": 1.5, \"calibrate\": \"z\", "
	 "\"calibrate_min\": 2},\n"
	 " \"levels\": [{\"name\": \"@\", \"min_percent\": 12.5},\n"
	 "  {\"name\": \"@@\", \"min_percent\": 33.33, \"requires\": {\">\": [{\"var\": \"answers.n\"}, 1.5]}}],\n"
	 " \"mentions\": [{\"id\": \"m\", \"name\": \"M\", \"when\": {\">=\": [{\"var\": "
	 "\"criteria.p.fraction\"}, 0.333]}}]}\n"},
	{"d.csv", "town_id;town_name;population;n;p\n1;Un;1 234,5;2,75;33,3\n2;Deux;12;0.5;99.99\n"
	          "3;Trois;7;10,49;0,01\n4;Quatre;3;douze,5;12,5 %\n"},
	{"d.json", "[{\"town\": {\"id\": \"5\", \"name\": \"Cinq\", \"population\": 0.5}, "
	           "\"answers\": {\"n\": 1e-3, \"p\": 66.666666666666671}}]\n"},
	{"m.csv", "juror,town_id,criterion,mark,comment\nj1,1,j,\"2,25\",\nj2,1,j,4.5,\nj3,1,j,0.75,\n"
	          "j1,2,j,\"3,125\",\nj2,2,j,1.5,\nj1,5,j,9.75,\nj3,5,j,\"4,499\",\n"},
	/* A rubric whose every numeric problem is reported with its number. */
	{"bad.json",
	 "{\"format\": \"palmares-rubric/1\", \"id\": \"bad\", \"edition\": 2027, \"label\": \"B\",\n"
	 " \"categories\": [{\"id\": \"c\", \"criteria\": [\n"
	 "  {\"id\": \"n\", \"kind\": \"number\", \"points\": 1.234, \"steps\": [[2.5, 0.75], [1.5, 0.5], "
	 "[-0.5, 1.5]]},\n"
	 "  {\"id\": \"m\", \"kind\": \"number\", \"points\": -2.5, \"steps\": [[1.5, 0.75], [2.5, 0.25]]},\n"
	 "  {\"id\": \"j\", \"kind\": \"jury\", \"points\": 1, \"scale\": [4.5, 0.5]}]}],\n"
	 " \"jury\": {\"disagreement\": -1.5},\n"
	 " \"levels\": [{\"name\": \"@\", \"min_percent\": 50.5}, {\"name\": \"@@\", \"min_percent\": 12.5},\n"
	 "  {\"name\": \"@@@\", \"min_percent\": 100.5}]}\n"},
};

static char dir[512];

static void path(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", dir, name);
}

/* Loads, scores and writes everything into one memory buffer; returns it (free()). */
static char *run(size_t *len)
{
	char p[600];
	char *buf = NULL;
	FILE *mem = open_memstream(&buf, len);
	pal_diags *d = pal_diags_new();
	int st;
	path("rubric.json", p, sizeof p);
	pal_rubric *r = pal_rubric_load(p, d, &st);
	pal_campaign *c = r ? pal_campaign_new(r) : NULL;
	if (!mem || !c) {
		fprintf(stderr, "test_locale: cannot load the rubric\n");
		pal_diags_print(d, 0, stderr);
		exit(1);
	}
	path("d.csv", p, sizeof p);
	pal_campaign_add_dossiers(c, p, d);
	path("d.json", p, sizeof p);
	pal_campaign_add_dossiers(c, p, d);
	path("m.csv", p, sizeof p);
	pal_campaign_add_marks(c, p, d);
	pal_campaign_score(c, d);
	pal_results_write(c, PAL_RESULTS_JSON, NULL, mem);
	pal_results_write(c, PAL_RESULTS_CSV, NULL, mem);
	pal_results_write(c, PAL_RESULTS_TEXT, NULL, mem);
	pal_explain_write(c, "1", NULL, mem);
	pal_template_write(r, PAL_TEMPLATE_SCHEMA, NULL, mem);
	pal_diags_print(d, 0, mem); /* messages quote numbers too */
	pal_campaign_free(c);
	pal_rubric_free(r);
	path("bad.json", p, sizeof p);
	pal_diags *bad = pal_diags_new();
	if (!bad || pal_rubric_load(p, bad, &st) || pal_diags_errors(bad) < 8) {
		fprintf(stderr, "test_locale: the broken rubric was not refused with all its problems\n");
		exit(1);
	}
	pal_diags_print(bad, 0, mem);
	pal_diags_free(bad);
	pal_diags_free(d);
	fclose(mem);
	return buf;
}

int main(int argc, char **argv)
{
	size_t la, lb;
	if (argc != 3) {
		fputs("usage: test_locale SCRATCH_DIR LOCALE\n", stderr);
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/locale-XXXXXX", argv[1]);
	if ((mkdir(argv[1], 0777) != 0 && errno != EEXIST) || !mkdtemp(dir))
		return 2;
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char p[600];
		path(inputs[i][0], p, sizeof p);
		FILE *f = fopen(p, "wb");
		if (!f || fputs(inputs[i][1], f) < 0 || fclose(f) != 0)
			return 2;
	}
	setlocale(LC_ALL, "C");
	char *a = run(&la);
	if (!setlocale(LC_ALL, argv[2])) {
		printf("SKIP: locale %s is not available\n", argv[2]);
		return 77;
	}
	char half[16];
	snprintf(half, sizeof half, "%.1f", 0.5);
	printf("locale %s: printf writes 0.5 as %s\n", argv[2], half);
	char *b = run(&lb);
	setlocale(LC_ALL, "C");
	int same = la == lb && memcmp(a, b, la) == 0;
	if (!same) {
		size_t i = 0;
		while (i < la && i < lb && a[i] == b[i])
			i++;
		size_t from = i > 60 ? i - 60 : 0;
		fprintf(stderr, "test_locale: outputs differ at byte %zu:\n  C:      %.120s\n  %s: %.120s\n",
		        i, a + from, argv[2], b + from);
	} else {
		printf("same %zu bytes of results, explanation, schema and messages in both locales\n", la);
	}
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		char p[600];
		path(inputs[i][0], p, sizeof p);
		remove(p);
	}
	remove(dir);
	free(a);
	free(b);
	return same ? 0 : 1;
}
