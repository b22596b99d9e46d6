/*
 * Document commands: parse options, load the results (and a style), render
 * into one file or, for "-o DIR/", one file per town. The exit status is the
 * worst of loading and rendering (SPEC §7: 1 input rejected, 2 usage or I/O).
 */
#define _GNU_SOURCE /* memmem: a PDF is binary, its lines may hold NUL bytes */
#include "docargs.h"

#include <errno.h>
#include <stdarg.h>
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

typedef struct parse_ctx {
	args *a;
	const char *cmd, *usage;
} parse_ctx;

/* A usage error of the document commands: the reason, then the usage. Returns -1. */
static int refuse(const parse_ctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(const parse_ctx *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_verror(fmt, ap);
	va_end(ap);
	cli_usage(p->usage, 0);
	return -1;
}

static int number(const parse_ctx *p, const char *opt, const char *v, double min, double max,
                  double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || d < min || d > max)
		return refuse(p, "%s: %s is a number from %g to %g, not \"%s\"", p->cmd, opt, min, max, v);
	*out = d;
	return 0;
}

/* The options of the document commands, all followed by a value; which kinds take each. */
enum { OUT, STYLE, LANG, FORMAT, DPI, JOBS, TOWN, VERIFY_URL, SECRET_FILE };

#define ALL_KINDS ((1u << PAL_DOC_CERTIFICATES) | (1u << PAL_DOC_REPORT) | (1u << PAL_DOC_BOOKLET))

static const struct {
	struct cli_option opt;
	unsigned kinds; /* 1 << pal_doc_kind */
} doc_options[] = {
	{{"-o", OUT, 1}, ALL_KINDS},
	{{"--output", OUT, 1}, ALL_KINDS},
	{{"--town", TOWN, 1}, (1u << PAL_DOC_CERTIFICATES) | (1u << PAL_DOC_REPORT)},
	{{"--style", STYLE, 1}, ALL_KINDS},
	{{"--lang", LANG, 1}, ALL_KINDS},
	{{"--verify-url", VERIFY_URL, 1}, 1u << PAL_DOC_CERTIFICATES},
	{{"--format", FORMAT, 1}, ALL_KINDS},
	{{"--dpi", DPI, 1}, ALL_KINDS},
	{{"--jobs", JOBS, 1}, ALL_KINDS},
	{{"--secret-file", SECRET_FILE, 1}, 1u << PAL_DOC_CERTIFICATES},
};

#define NDOC_OPTIONS (sizeof doc_options / sizeof doc_options[0])

static int on_option(void *ctx, int id, const char *name, const char *v)
{
	parse_ctx *p = ctx;
	args *a = p->a;
	double jobs = 0;
	switch (id) {
	case OUT: a->out = v; break;
	case STYLE: a->style = v; break;
	case LANG: a->lang = v; break;
	case FORMAT: a->format = v; break;
	case VERIFY_URL: a->verify_url = v; break;
	case SECRET_FILE: a->secret_file = v; break;
	case TOWN: a->towns[a->ntowns++] = v; break;
	case DPI: return number(p, name, v, 10, 1200, &a->dpi);
	default:
		if (number(p, name, v, 1, 1024, &jobs) != 0)
			return -1;
		a->jobs = (long)jobs;
	}
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	parse_ctx *p = ctx;
	if (p->a->results)
		return refuse(p, "%s: unexpected argument \"%s\"", p->cmd, arg);
	p->a->results = arg;
	return 0;
}

/* The command line of a document command, into *a. */
static cli_parse_result parse(int argc, char **argv, pal_doc_kind kind, const char *usage, args *a)
{
	struct cli_option table[NDOC_OPTIONS];
	size_t n = 0;
	for (size_t i = 0; i < NDOC_OPTIONS; i++)
		if (doc_options[i].kinds & (1u << kind))
			table[n++] = doc_options[i].opt;
	parse_ctx p = {a, argv[0], usage};
	struct cli_parser parser = {argv[0], usage, table, n, 0, on_option, on_argument, &p};
	cli_parse_result rc = cli_parse_options(&parser, argc, argv);
	if (rc != CLI_PARSED)
		return rc;
	if (!a->results || !a->out)
		refuse(&p, "a results file and -o OUT are required");
	else if (a->lang && strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0)
		refuse(&p, "%s: --lang is fr or en, not \"%s\"", p.cmd, a->lang);
	else if (a->format && strcmp(a->format, "pdf") != 0 && strcmp(a->format, "png") != 0)
		refuse(&p, "%s: --format is %s, not \"%s\"", p.cmd, cli_tr("pdf or png"), a->format);
	else
		return CLI_PARSED;
	return CLI_PARSE_FAILED;
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
	while ((len = getline(&line, &cap, f)) > 0 && line) { /* line: for the compiler */
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
	int loaded = PAL_DOC_OK, style_status = PAL_DOC_OK;
	cli_status status;
	a.towns = calloc((size_t)argc + 1, sizeof(char *));
	if (!a.towns)
		return CLI_FAILED;
	cli_parse_result parsed = parse(argc, argv, kind, usage, &a);
	if (parsed != CLI_PARSED) {
		free(a.towns);
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
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
