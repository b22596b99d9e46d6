/*
 * Document commands: parse options, load the results (and a style), render
 * into one file or, for "-o DIR/", one file per town. The exit status is the
 * worst of loading and rendering (SPEC §7: 1 input rejected, 2 usage or I/O).
 */
#define _GNU_SOURCE /* memmem: a PDF is binary, its lines may hold NUL bytes */
#include "docargs.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "progress.h"

typedef struct args {
	const char *results, *out, *style, *lang, *verify_url, *format, *secret_file;
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
		cli_error("%s expects a number from %g to %g, found \"%s\"", opt,
		        min, max, v);
		return -1;
	}
	*out = d;
	return 0;
}

/* The options a document command takes, each followed by a value. */
static int known_option(const char *o, pal_doc_kind kind)
{
	static const char *const all[] = {"-o", "--output", "--style", "--lang", "--format", "--dpi",
	                                  "--jobs"};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(o, all[i]) == 0)
			return 1;
	return ((strcmp(o, "--verify-url") == 0 || strcmp(o, "--secret-file") == 0) &&
	        kind == PAL_DOC_CERTIFICATES) ||
	       (strcmp(o, "--town") == 0 && kind != PAL_DOC_BOOKLET);
}

/* Returns 0, -1 for a usage error (message printed), 1 for --help. */
static int parse(int argc, char **argv, pal_doc_kind kind, const char *usage, args *a)
{
	double jobs = 0;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0)
			return 1;
		if (o[0] != '-' || strcmp(o, "-") == 0) {
			if (a->results) {
				cli_error("unexpected argument \"%s\"", o);
				return -1;
			}
			a->results = o;
			continue;
		}
		if (!known_option(o, kind)) {
			char near[32];
			if (args_closest_option(o, usage, near, sizeof near))
				cli_error("unknown option \"%s\": did you mean \"%s\"?",
				        o, near);
			else
				cli_error("unknown option \"%s\"", o);
			return -1;
		}
		if (!v) {
			cli_error("option %s needs a value", o);
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
		else if (strcmp(o, "--verify-url") == 0)
			a->verify_url = v;
		else if (strcmp(o, "--secret-file") == 0)
			a->secret_file = v;
		else if (strcmp(o, "--town") == 0)
			a->towns[a->ntowns++] = v;
		else if (strcmp(o, "--dpi") == 0) {
			if (number(o, v, 10, 1200, &a->dpi) != 0)
				return -1;
		} else if (strcmp(o, "--jobs") == 0) {
			if (number(o, v, 1, 1024, &jobs) != 0)
				return -1;
			a->jobs = (long)jobs;
		}
	}
	if (!a->results || !a->out) {
		cli_error("a results file and -o OUT are required");
		return -1;
	}
	if (a->lang && strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0) {
		cli_error("--lang expects fr or en, found \"%s\"", a->lang);
		return -1;
	}
	if (a->format && strcmp(a->format, "pdf") != 0 && strcmp(a->format, "png") != 0) {
		cli_error("--format expects pdf or png, found \"%s\"", a->format);
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
		cli_error("cannot create directory \"%s\": %s", out,
		        cli_tr(strerror(errno)));
		*err = 1;
	}
	return 1;
}

/*
 * The format of one output file: the extension of -o names it (.pdf, .png),
 * so that a PDF is never written under another format's name. Returns 0, or
 * -1 with the message printed.
 */
static int doc_format(const args *a, pal_doc_format *fmt)
{
	static const struct args_format formats[] = {
		{"pdf", ".pdf", PAL_DOC_PDF},
		{"png", ".png", PAL_DOC_PNG},
	};
	int v, rc = args_output_format(a->format, a->out, formats, 2, &v);
	if (rc == ARGS_FORMAT_CONTRADICTS) {
		cli_error("--format %s contradicts -o \"%s\": drop --format, or name the file .%s: "
		          "nothing written", a->format, a->out, a->format);
		return -1;
	}
	if (rc != 0) { /* --format itself was checked by parse() */
		cli_error("cannot write a %s file: -o takes a name ending in .pdf or .png, a directory "
		          "DIR/, or no extension: nothing written", args_extension(a->out));
		return -1;
	}
	*fmt = (pal_doc_format)v;
	return 0;
}

/*
 * What was rendered, for the line said on success: the renderer reports the
 * towns it renders to the progress callback (from its worker threads with
 * -o DIR/), so the count comes from there rather than from a second reckoning
 * of which towns get a document.
 */
typedef struct tally {
	_Atomic uint64_t towns; /* towns to render, as the renderer counts them */
	int show;               /* the progress line is on: pass every call on */
	int dir;                /* one file per town */
	pal_doc_format format;
} tally;

static void tally_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
	tally *t = ctx;
	atomic_store(&t->towns, total);
	if (t->show)
		progress_update(NULL, phase, done, total);
}

/* The /Count of the last /Type /Pages object from the current position of f on, or 0. */
static unsigned long pages_from(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long pages = 0;
	int in_pages = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		const char *count;
		if (memmem(line, (size_t)len, "/Type /Pages", 12))
			in_pages = 1;
		else if (memmem(line, (size_t)len, "/Type", 5))
			in_pages = 0;
		if (in_pages && (count = memmem(line, (size_t)len, "/Count ", 7)) != NULL) {
			pages = strtoul(count + 7, NULL, 10);
			in_pages = 0;
		}
	}
	free(line);
	return pages;
}

/*
 * The pages of a PDF that cairo wrote: the /Count of its /Type /Pages object
 * (the last one, as a reader takes it). cairo writes the page tree near the
 * end, before the catalog and the cross-reference table, so the end of the
 * file is read first, four times more each time it is not there: a 100 MB
 * document costs a few MB of reading, not 100. 0 when it cannot be found:
 * the line then names the file without its pages.
 */
static unsigned long pdf_pages(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned long pages = 0;
	off_t size;
	if (!f)
		return 0;
	if (fseeko(f, 0, SEEK_END) == 0 && (size = ftello(f)) > 0) {
		for (off_t window = (off_t)1 << 16;; window *= 4) {
			off_t from = size > window ? size - window : 0;
			if (fseeko(f, from, SEEK_SET) != 0 || (pages = pages_from(f)) != 0 || from == 0)
				break;
		}
	}
	fclose(f);
	return pages;
}

/* One line on stderr on success: what was written, where. */
static void say_written(const char *cmd, const args *a, const tally *t)
{
	uint64_t n = atomic_load(&t->towns);
	if (t->dir) {
		if (n == 1)
			cli_note("%s: 1 file written to %s", cmd, a->out);
		else if (n) /* none: the renderer has said "nothing written" */
			cli_note("%s: %llu files written to %s", cmd,
			        (unsigned long long)n, a->out);
		return;
	}
	if (strcmp(a->out, "-") == 0) {
		cli_note("%s: written to standard output", cmd);
		return;
	}
	unsigned long pages = t->format == PAL_DOC_PNG ? 1 : pdf_pages(a->out);
	if (pages == 1)
		cli_note("%s: 1 page written to %s", cmd, a->out);
	else if (pages)
		cli_note("%s: %lu pages written to %s", cmd, pages, a->out);
	else
		cli_note("%s: written to %s", cmd, a->out);
}

static cli_status render(const args *a, pal_doc_kind kind, const pal_doc_results *r,
                         const pal_doc_style *style, pal_diags *d, tally *t)
{
	int dir_err, dir = is_dir_output(a->out, &dir_err);
	pal_doc_options o = {
		.kind = kind,
		.format = a->format && strcmp(a->format, "png") == 0 ? PAL_DOC_PNG : PAL_DOC_PDF,
		.lang = a->lang,
		.style = style,
		.verify_url = a->verify_url,
		.towns = a->ntowns ? a->towns : NULL,
		.ntowns = a->ntowns,
		.png_dpi = a->dpi,
		.jobs = (int)a->jobs,
		.progress = tally_progress,
		.progress_ctx = t,
	};
	t->show = progress_start();
	t->dir = dir;
	if (dir_err)
		return CLI_FAILED;
	if (!dir && doc_format(a, &o.format) != 0)
		return CLI_FAILED;
	t->format = o.format;
	if (dir && kind == PAL_DOC_BOOKLET) {
		cli_error("the booklet is one file: -o OUT.pdf");
		return CLI_FAILED;
	}
	return cli_status_of(dir ? pal_doc_render_dir(r, &o, a->out, d)
	                         : pal_doc_render(r, &o, a->out, d));
}

int docargs_key(pal_doc_results *r, const char *secret_file, pal_diags *d)
{
	size_t len = 0;
	unsigned char *secret = pal_doc_secret_load(secret_file, &len, d);
	if (!secret)
		return -1;
	int rc = pal_doc_results_set_secret(r, secret, len);
	pal_doc_secret_free(secret, len);
	if (rc != 0)
		pal_diags_add(d, PAL_ERROR, NULL, 0, 0, "%s", cli_tr("out of memory"));
	return rc;
}

cli_status docargs_run(int argc, char **argv, pal_doc_kind kind, const char *usage)
{
	args a = {0};
	int loaded = PAL_DOC_OK, style_status = PAL_DOC_OK, rc;
	cli_status status;
	a.towns = calloc((size_t)argc + 1, sizeof(char *));
	if (!a.towns)
		return CLI_FAILED;
	rc = parse(argc, argv, kind, usage, &a);
	if (rc != 0) {
		cli_usage(usage, rc > 0);
		free(a.towns);
		return rc > 0 ? CLI_OK : CLI_FAILED;
	}
	progress_start(); /* now: loading a large results file counts in the run's time */
	pal_diags *d = pal_diags_new();
	pal_doc_style *style = NULL;
	pal_doc_results *r = d ? pal_doc_results_load(a.results, d, &loaded) : NULL;
	status = cli_status_of(loaded);
	if (r && a.secret_file && docargs_key(r, a.secret_file, d) != 0) {
		pal_doc_results_free(r);
		r = NULL;
		status = CLI_FAILED;
	}
	if (r && a.style)
		style = pal_doc_style_load(a.style, d, &style_status);
	tally t = {0};
	int rendered = 0;
	if (r && (!a.style || style)) {
		cli_status st = render(&a, kind, r, style, d, &t);
		/* "no town gets a certificate" is rejected input too, and wrote nothing */
		rendered = st != CLI_FAILED && (kind == PAL_DOC_BOOKLET || atomic_load(&t.towns) > 0);
		status = cli_worst(status, st);
	} else if (r) {
		status = cli_status_of(style_status);
	}
	progress_end(); /* rendering is over: the messages follow on a clean line */
	pal_doc_diags_print(d, 0, stderr);
	if (rendered && d && !pal_diags_oom(d))
		say_written(argv[0], &a, &t);
	if (!d)
		status = CLI_FAILED;
	pal_doc_style_free(style);
	pal_doc_results_free(r);
	pal_diags_free(d);
	free(a.towns);
	return status;
}
