/*
 * Document commands: parse options, load the results (and a style), render
 * into one file or, for "-o DIR/", one file per town. The exit status is the
 * worst of loading and rendering (SPEC §7: 1 input rejected, 2 usage or I/O).
 */
#include "docargs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "progress.h"

typedef struct args {
	const char *results, *out, *style, *lang, *verify_url, *format;
	const char **towns;
	size_t ntowns;
	double dpi;
	long jobs;
} args;

static int number(const char *opt, const char *v, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || d < min || d > max) {
		fprintf(stderr, _("palmares: error: %s expects a number from %g to %g, found \"%s\"\n"), opt,
		        min, max, v);
		return -1;
	}
	*out = d;
	return 0;
}

/* Returns 0, -1 for a usage error (message printed), 1 for --help. */
static int parse(int argc, char **argv, pal_doc_kind kind, args *a)
{
	double jobs = 0;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0)
			return 1;
		if (o[0] != '-' || strcmp(o, "-") == 0) {
			if (a->results) {
				fprintf(stderr, _("palmares: error: unexpected argument \"%s\"\n"), o);
				return -1;
			}
			a->results = o;
			continue;
		}
		if (!v) {
			fprintf(stderr, _("palmares: error: option %s needs a value\n"), o);
			return -1;
		}
		i++;
		if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0)
			a->out = v;
		else if (strcmp(o, "--style") == 0)
			a->style = v;
		else if (strcmp(o, "--lang") == 0)
			a->lang = v;
		else if (strcmp(o, "--format") == 0)
			a->format = v;
		else if (strcmp(o, "--verify-url") == 0 && kind == PAL_DOC_CERTIFICATES)
			a->verify_url = v;
		else if (strcmp(o, "--town") == 0 && kind != PAL_DOC_BOOKLET)
			a->towns[a->ntowns++] = v;
		else if (strcmp(o, "--dpi") == 0) {
			if (number(o, v, 10, 1200, &a->dpi) != 0)
				return -1;
		} else if (strcmp(o, "--jobs") == 0) {
			if (number(o, v, 1, 1024, &jobs) != 0)
				return -1;
			a->jobs = (long)jobs;
		} else {
			fprintf(stderr, _("palmares: error: unknown option \"%s\"\n"), o);
			return -1;
		}
	}
	if (!a->results || !a->out) {
		fprintf(stderr, "%s", _("palmares: error: a results file and -o OUT are required\n"));
		return -1;
	}
	if (a->lang && strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0) {
		fprintf(stderr, _("palmares: error: --lang expects fr or en, found \"%s\"\n"), a->lang);
		return -1;
	}
	if (a->format && strcmp(a->format, "pdf") != 0 && strcmp(a->format, "png") != 0) {
		fprintf(stderr, _("palmares: error: --format expects pdf or png, found \"%s\"\n"), a->format);
		return -1;
	}
	return 0;
}

/* "-o DIR/" (or an existing directory): one file per town. Creates DIR/ if needed. */
static int is_dir_output(const char *out, int *err)
{
	struct stat sb;
	size_t n = strlen(out);
	*err = 0;
	if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 1;
	if (n == 0 || out[n - 1] != '/')
		return 0;
	if (mkdir(out, 0777) != 0) {
		fprintf(stderr, _("palmares: error: cannot create directory \"%s\": %s\n"), out,
		        strerror(errno));
		*err = 1;
	}
	return 1;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int render(const args *a, pal_doc_kind kind, const pal_doc_results *r,
                  const pal_doc_style *style, pal_diags *d)
{
	int dir_err, dir = is_dir_output(a->out, &dir_err);
	pal_doc_options o = {
		.kind = kind,
		.format = (a->format ? strcmp(a->format, "png") == 0 : ends_with(a->out, ".png"))
		              ? PAL_DOC_PNG : PAL_DOC_PDF,
		.lang = a->lang,
		.style = style,
		.verify_url = a->verify_url,
		.towns = a->ntowns ? a->towns : NULL,
		.ntowns = a->ntowns,
		.png_dpi = a->dpi,
		.jobs = (int)a->jobs,
		.progress = progress_start() ? progress_update : NULL,
	};
	if (dir_err)
		return EXIT_USAGE;
	if (dir && kind == PAL_DOC_BOOKLET) {
		fprintf(stderr, "%s", _("palmares: error: the booklet is one file: -o OUT.pdf\n"));
		return EXIT_USAGE;
	}
	return dir ? pal_doc_render_dir(r, &o, a->out, d) : pal_doc_render(r, &o, a->out, d);
}

int docargs_run(int argc, char **argv, pal_doc_kind kind, const char *usage)
{
	args a = {0};
	int status = EXIT_OK, style_status = EXIT_OK, rc;
	a.towns = calloc((size_t)argc + 1, sizeof(char *));
	if (!a.towns)
		return EXIT_USAGE;
	rc = parse(argc, argv, kind, &a);
	if (rc != 0) {
		fputs(usage, rc > 0 ? stdout : stderr);
		free(a.towns);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	progress_start(); /* now: loading a large results file counts in the run's time */
	pal_diags *d = pal_diags_new();
	pal_doc_style *style = NULL;
	pal_doc_results *r = d ? pal_doc_results_load(a.results, d, &status) : NULL;
	if (r && a.style)
		style = pal_doc_style_load(a.style, d, &style_status);
	if (r && (!a.style || style)) {
		int st = render(&a, kind, r, style, d);
		status = st > status ? st : status;
	} else if (r) {
		status = style_status;
	}
	progress_end(); /* rendering is over: the messages follow on a clean line */
	pal_doc_diags_print(d, 0, stderr);
	if (!d)
		status = EXIT_USAGE;
	pal_doc_style_free(style);
	pal_doc_results_free(r);
	pal_diags_free(d);
	free(a.towns);
	return status;
}
