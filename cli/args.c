/*
 * Shared argument handling of the campaign commands: positional RUBRIC and
 * DOSSIER files, repeatable --marks, and the options of SPEC §7. Also the one
 * place where a campaign is loaded for the command line, so that check,
 * score and explain report exactly the same problems.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <dirent.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "progress.h"

void args_flush(pal_diags *diags, size_t *printed)
{
	progress_clear(); /* messages start at the left margin, never after a progress line */
	pal_diags_print(diags, *printed, stderr);
	*printed = pal_diags_count(diags);
}

cli_status args_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cli_verror(fmt, ap);
	va_end(ap);
	cli_usage(usage, 0);
	return CLI_FAILED;
}

const char *args_extension(const char *path)
{
	const char *base, *dot;
	if (!path)
		return NULL;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	/* ".results" is a hidden file without extension; "r." has none either */
	return dot && dot != base && dot[1] ? dot : NULL;
}

int args_output_format(const char *format, const char *output, const struct args_format *table,
                       size_t n, int *value)
{
	const char *ext = output && strcmp(output, "-") != 0 ? args_extension(output) : NULL;
	const struct args_format *f = NULL;
	if (format) {
		for (size_t i = 0; i < n && !f; i++)
			if (strcmp(format, table[i].name) == 0)
				f = &table[i];
		if (!f)
			return ARGS_FORMAT_UNKNOWN;
		if (ext && strcasecmp(ext, f->ext) != 0) {
			for (size_t i = 0; i < n; i++)
				if (strcasecmp(ext, table[i].ext) == 0)
					return ARGS_FORMAT_CONTRADICTS;
			return ARGS_FORMAT_BAD_EXT;
		}
	} else if (ext) {
		for (size_t i = 0; i < n && !f; i++)
			if (strcasecmp(ext, table[i].ext) == 0)
				f = &table[i];
		if (!f)
			return ARGS_FORMAT_BAD_EXT;
	} else {
		f = &table[0];
	}
	*value = f->value;
	return 0;
}

/* "a, b or c" of the names (names 1) or the extensions of a format table, deduplicated. */
static void list_formats(char *buf, size_t len, const struct args_format *t, size_t n, int names)
{
	size_t k = 0, off = 0;
	const char *v[8];
	for (size_t i = 0; i < n && k < 8; i++) {
		const char *x = names ? t[i].name : t[i].ext;
		int seen = 0;
		for (size_t j = 0; j < k; j++)
			seen |= strcmp(v[j], x) == 0;
		if (!seen)
			v[k++] = x;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < k && off < len; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i == 0 ? "" : i + 1 == k ? " or " : ", ",
		                 v[i]);
		off += w > 0 ? (size_t)w : 0;
	}
}

cli_status args_pick_format(const char *cmd, const char *format, const char *output,
                            const struct args_format *table, size_t n, int *value)
{
	char names[128], exts[128];
	int rc = args_output_format(format, output, table, n, value);
	if (rc == 0)
		return CLI_OK;
	list_formats(names, sizeof names, table, n, 1);
	list_formats(exts, sizeof exts, table, n, 0);
	const char *ext = args_extension(output), *hint = "";
	if (rc == ARGS_FORMAT_UNKNOWN) {
		cli_error("%s: --format is %s, not \"%s\"", cmd, names, format);
		return CLI_FAILED;
	}
	if (rc == ARGS_FORMAT_CONTRADICTS) {
		const char *want = "";
		for (size_t i = 0; i < n; i++)
			if (strcmp(format, table[i].name) == 0)
				want = table[i].ext;
		cli_error("%s: --format %s contradicts -o \"%s\", a %s name: drop --format, or name the "
		          "file %s: nothing written", cmd, format, output, ext, want);
		return CLI_FAILED;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].ext, ".csv") == 0 &&
		    (!strcasecmp(ext, ".xlsx") || !strcasecmp(ext, ".xls") || !strcasecmp(ext, ".ods")))
			hint = "; for a spreadsheet, write .csv (with --csv-dialect excel-fr for French Excel)";
	cli_error("%s: cannot write a %s file: -o takes a name ending in %s, or no extension%s: "
	          "nothing written", cmd, ext, exts, hint);
	return CLI_FAILED;
}

cli_status args_csv_dialect(const char *cmd, const struct campaign_args *a, int csv,
                            pal_csv_dialect *d)
{
	*d = PAL_CSV_PLAIN;
	if (!a->csv_dialect)
		return CLI_OK;
	if (strcmp(a->csv_dialect, "excel-fr") == 0)
		*d = PAL_CSV_EXCEL_FR;
	else if (strcmp(a->csv_dialect, "plain") != 0) {
		cli_error("%s: --csv-dialect is plain or excel-fr, not \"%s\"", cmd, a->csv_dialect);
		return CLI_FAILED;
	}
	if (!csv) {
		cli_error("%s: --csv-dialect is for CSV output, and this run writes none (see --format "
		          "and -o)", cmd);
		return CLI_FAILED;
	}
	return CLI_OK;
}

/* The options of the campaign commands: a command takes those of its OPT_* flags. */
static const struct {
	struct cli_option opt;
	size_t off; /* its field in struct campaign_args; --marks, repeatable, has none */
} common[] = {
	{{"--marks", OPT_MARKS, 1}, 0},
	{{"--overrides", OPT_OVERRIDES, 1}, offsetof(struct campaign_args, overrides)},
	{{"--previous", OPT_PREVIOUS, 1}, offsetof(struct campaign_args, previous)},
	{{"--assignments", OPT_ASSIGNMENTS, 1}, offsetof(struct campaign_args, assignments)},
	{{"--format", OPT_FORMAT, 1}, offsetof(struct campaign_args, format)},
	{{"-o", OPT_OUTPUT, 1}, offsetof(struct campaign_args, output)},
	{{"--output", OPT_OUTPUT, 1}, offsetof(struct campaign_args, output)},
	{{"--town", OPT_TOWN, 1}, offsetof(struct campaign_args, town)},
	{{"--lang", OPT_LANG, 1}, offsetof(struct campaign_args, lang)},
	{{"--csv-dialect", OPT_CSV_DIALECT, 1}, offsetof(struct campaign_args, csv_dialect)},
};

#define NCOMMON (sizeof common / sizeof common[0])

struct parse_ctx {
	struct campaign_args *a;
	int (*extra)(void *ctx, int id, const char *val);
	void *ctx;
};

static int too_many(const struct campaign_args *a)
{
	cli_error("%s: more than %d files", a->command, ARGS_MAX_FILES);
	return -1;
}

static int on_option(void *ctx, int id, const char *name, const char *val)
{
	struct parse_ctx *x = ctx;
	struct campaign_args *a = x->a;
	if (id >= ARGS_EXTRA)
		return x->extra(x->ctx, id, val);
	if (id == OPT_MARKS) {
		if (a->nmarks == ARGS_MAX_FILES)
			return too_many(a);
		a->marks[a->nmarks++] = val;
		return 0;
	}
	for (size_t i = 0; i < NCOMMON; i++)
		if (strcmp(name, common[i].opt.name) == 0)
			*(const char **)((char *)a + common[i].off) = val;
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct campaign_args *a = ((struct parse_ctx *)ctx)->a;
	if (!a->rubric) {
		a->rubric = arg;
		return 0;
	}
	if (a->ndossiers == ARGS_MAX_FILES)
		return too_many(a);
	a->dossiers[a->ndossiers++] = arg;
	return 0;
}

cli_parse_result args_parse(int argc, char **argv, const char *usage, unsigned opts,
                            struct campaign_args *a, const struct cli_option *extra, size_t nextra,
                            int (*on_extra)(void *ctx, int id, const char *val), void *ctx)
{
	struct cli_option table[NCOMMON + ARGS_MAX_EXTRA];
	size_t n = 0;
	memset(a, 0, sizeof(*a));
	a->command = argv[0];
	for (size_t i = 0; i < NCOMMON; i++)
		if (opts & (unsigned)common[i].opt.id)
			table[n++] = common[i].opt;
	for (size_t i = 0; i < nextra && i < ARGS_MAX_EXTRA; i++)
		table[n++] = extra[i];
	struct parse_ctx x = {a, on_extra, ctx};
	struct cli_parser p = {argv[0], usage, table, n, 0, on_option, on_argument, &x};
	cli_parse_result rc = cli_parse_options(&p, argc, argv);
	if (rc != CLI_PARSED)
		return rc;
	if (a->lang && strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0) {
		cli_error("%s: --lang is fr or en, not \"%s\"", argv[0], a->lang);
		return CLI_PARSE_FAILED;
	}
	return CLI_PARSED;
}

/*
 * The marks arguments as files: a directory stands for its marks files
 * (marks_in_dir). What could not be listed is said when the marks are added,
 * where args_add_marks says it.
 */
struct marks_plan {
	char **files;           /* owned full paths, every argument's in turn */
	size_t nfiles;
	struct marks_arg {
		int is_dir, err;    /* err: errno of opendir, or -1 out of memory */
		size_t first, n;    /* its files in files[] */
	} *args;
};

static void plan_free(struct marks_plan *p)
{
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p->args);
}

static char **marks_in_dir(DIR *dir, size_t *n);

/* 0, or -1 when out of memory (then nothing is planned). */
static int plan_marks(const struct campaign_args *a, struct marks_plan *p)
{
	size_t cap = 0;
	memset(p, 0, sizeof(*p));
	if (!(p->args = calloc(a->nmarks + 1, sizeof(*p->args))))
		return -1;
	for (size_t i = 0; i < a->nmarks; i++) {
		const char *path = a->marks[i];
		struct marks_arg *g = &p->args[i];
		struct stat st;
		char **names = NULL;
		size_t n = 1;
		DIR *dir = NULL;
		g->first = p->nfiles;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			g->is_dir = 1;
			if (!(dir = opendir(path))) {
				g->err = errno;
				continue;
			}
			names = marks_in_dir(dir, &n);
			closedir(dir);
			if (!names) {
				g->err = -1;
				continue;
			}
		}
		if (p->nfiles + n > cap) {
			size_t c2 = (p->nfiles + n) * 2;
			char **v = realloc(p->files, c2 * sizeof(*v));
			if (!v)
				goto oom_names;
			p->files = v;
			cap = c2;
		}
		for (size_t k = 0; k < n; k++) {
			char *full;
			if (!names) {
				full = strdup(path);
			} else {
				size_t len = strlen(path) + strlen(names[k]) + 2;
				if ((full = malloc(len)) != NULL)
					snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
					         names[k]);
			}
			if (!full)
				goto oom_names;
			p->files[p->nfiles++] = full;
		}
		g->n = p->nfiles - g->first;
		if (names)
			for (size_t k = 0; k < n; k++)
				free(names[k]);
		free(names);
		continue;
	oom_names:
		if (names)
			for (size_t k = 0; k < n; k++)
				free(names[k]);
		free(names);
		plan_free(p);
		return -1;
	}
	return 0;
}

/* args_add_marks for every marks argument, from what the thread read ahead. */
static cli_status add_planned_marks(pal_campaign *c, const struct campaign_args *a, const struct marks_plan *p,
                             pal_marks_prefetch *pf, pal_diags *diags)
{
	cli_status worst = CLI_OK;
	for (size_t i = 0; i < a->nmarks; i++) {
		const struct marks_arg *g = &p->args[i];
		if (g->err > 0) {
			pal_diags_add(diags, PAL_ERROR, a->marks[i], 0, 0, "cannot read the directory: %s",
			              strerror(g->err));
			worst = CLI_FAILED;
			continue;
		}
		if (g->err < 0) {
			pal_diags_add(diags, PAL_ERROR, a->marks[i], 0, 0,
			              "out of memory while listing the directory");
			worst = CLI_FAILED;
			continue;
		}
		if (g->is_dir && g->n == 0)
			pal_diags_add(diags, PAL_WARNING, a->marks[i], 0, 0, "no marks file (.csv, .tsv, .json) here");
		for (size_t k = g->first; k < g->first + g->n; k++)
			worst = cli_worst(worst, cli_status_of(pal_campaign_add_prefetched_marks(c, pf, k,
			                                                                         diags)));
	}
	return worst;
}

/* 1 when path names a file that comes after the rubric (a table of rows), never before it. */
static int is_table_name(const char *path)
{
	static const char *const exts[] = {"csv", "tsv", "txt", "jsonl", "ndjson", "xlsx", "xlsm",
	                                   "xlsb", "xls", "ods", "numbers", NULL};
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	if (!dot || (slash && dot < slash))
		return 0;
	for (const char *const *e = exts; *e; e++)
		if (strcasecmp(dot + 1, *e) == 0)
			return 1;
	return 0;
}

/*
 * The first of the later arguments that is a valid rubric, or NULL. Only
 * .json files of a rubric's size are tried (a dossiers file may be huge);
 * called only when the first argument is not a rubric.
 */
static const char *rubric_among(const struct campaign_args *a)
{
	for (size_t i = 0; i < a->ndossiers; i++) {
		const char *p = a->dossiers[i], *dot = strrchr(p, '.');
		struct stat st;
		pal_diags *d;
		pal_rubric *r;
		int rc;
		if (!dot || strcasecmp(dot, ".json") != 0 || stat(p, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > 4 * 1024 * 1024 || !(d = pal_diags_new()))
			continue;
		r = pal_rubric_load(p, d, &rc);
		int is_rubric = r != NULL;
		pal_diags_free(d);
		pal_rubric_free(r);
		if (is_rubric)
			return p;
	}
	return NULL;
}

/*
 * Rubric and dossiers swapped (score dossiers.csv rubric.json): say that the
 * rubric comes first rather than report a dossiers file's JSON syntax.
 */
int args_not_a_rubric(const char *command, const char *path, const char *what)
{
	if (!is_table_name(path))
		return 0;
	cli_error("%s: %s must be the rubric, not \"%s\" (a rubric is a .json file)", command, what,
	          path);
	return 1;
}

static int swapped(const struct campaign_args *a, int loaded)
{
	const char *other;
	if (!loaded && is_table_name(a->rubric) && (other = rubric_among(a)) != NULL) {
		cli_error("%s: the first argument must be the rubric, not \"%s\": put \"%s\" first",
		          a->command, a->rubric, other);
		return 1;
	}
	if (!loaded && args_not_a_rubric(a->command, a->rubric, "the first argument"))
		return 1;
	if (loaded && (other = rubric_among(a)) != NULL) {
		cli_error("%s: the first argument must be the rubric: \"%s\" is one, \"%s\" is not: put "
		          "\"%s\" first", a->command, other, a->rubric, other);
		return 1;
	}
	return 0;
}

pal_campaign *args_load(const struct campaign_args *a, pal_rubric **rubric, pal_diags *diags,
                        cli_status *status)
{
	size_t printed = 0;
	int st;
	int progress = progress_start();
	struct marks_plan plan;
	pal_marks_prefetch *pf = NULL;
	pal_rubric *r = NULL;
	*rubric = NULL;
	if (swapped(a, 0)) {
		*status = CLI_FAILED;
		return NULL;
	}
	r = pal_rubric_load(a->rubric, diags, &st);
	*status = cli_status_of(st);
	*rubric = r;
	if (!r) {
		args_flush(diags, &printed);
		if (swapped(a, 1))
			*status = CLI_FAILED;
		return NULL;
	}
	pal_campaign *c = pal_campaign_new(r);
	if (!c) {
		cli_error("out of memory");
		*status = CLI_FAILED;
		return NULL;
	}
	if (progress) /* only then: a run whose stderr is not a terminal pays nothing */
		pal_campaign_set_progress(c, progress_update, NULL);
	/* The marks files are read on a second core while the dossiers load (engine/marks_prefetch.c). */
	if (a->nmarks && plan_marks(a, &plan) == 0 &&
	    !(pf = pal_marks_prefetch_start(r, (const char *const *)plan.files, plan.nfiles)))
		plan_free(&plan);
	for (size_t i = 0; i < a->ndossiers; i++)
		*status = cli_worst(*status,
		                    cli_status_of(pal_campaign_add_dossiers(c, a->dossiers[i], diags)));
	if (a->assignments)
		*status = cli_worst(*status,
		                    cli_status_of(pal_campaign_set_assignments(c, a->assignments, diags)));
	if (a->previous)
		*status = cli_worst(*status, cli_status_of(pal_campaign_set_previous(c, a->previous, diags)));
	if (pf) {
		*status = cli_worst(*status, add_planned_marks(c, a, &plan, pf, diags));
		pal_marks_prefetch_free(pf);
		plan_free(&plan);
	} else {
		for (size_t i = 0; i < a->nmarks; i++)
			*status = cli_worst(*status, args_add_marks(c, a->marks[i], diags));
	}
	args_flush(diags, &printed);
	return c;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The visible .csv, .tsv and .json files of a directory, sorted: an owned array of owned names. */
static char **marks_in_dir(DIR *dir, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	*n = 0;
	while ((e = readdir(dir)) != NULL) {
		const char *dot = strrchr(e->d_name, '.');
		if (e->d_name[0] == '.' || !dot ||
		    (strcasecmp(dot, ".csv") && strcasecmp(dot, ".tsv") && strcasecmp(dot, ".json")))
			continue;
		if (*n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *v);
			if (!v)
				goto oom;
			names = v;
		}
		if (!(names[*n] = strdup(e->d_name)))
			goto oom;
		++*n;
	}
	if (*n) /* no file: names is NULL, which qsort may not be given */
		qsort(names, *n, sizeof *names, name_cmp);
	return names ? names : calloc(1, sizeof *names);
oom:
	for (size_t i = 0; i < *n; i++)
		free(names[i]);
	free(names);
	*n = 0;
	return NULL;
}

cli_status args_add_marks(pal_campaign *c, const char *path, pal_diags *diags)
{
	struct stat st;
	DIR *dir;
	char **names;
	size_t n;
	cli_status worst = CLI_OK;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return cli_status_of(pal_campaign_add_marks(c, path, diags));
	if (!(dir = opendir(path))) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read the directory: %s", strerror(errno));
		return CLI_FAILED;
	}
	names = marks_in_dir(dir, &n);
	closedir(dir);
	if (!names) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while listing the directory");
		return CLI_FAILED;
	}
	if (n == 0)
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "no marks file (.csv, .tsv, .json) here");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *full = malloc(len);
		if (!full) {
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory");
			worst = CLI_FAILED;
		} else {
			snprintf(full, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
			worst = cli_worst(worst, cli_status_of(pal_campaign_add_marks(c, full, diags)));
		}
		free(full);
		free(names[i]);
	}
	free(names);
	return worst;
}

cli_status args_write_output(const char *path, int (*write)(void *ctx, FILE *out), void *ctx)
{
	char err[1024];
	/* Results on the terminal itself: a progress line would land in the middle of them. */
	if ((!path || strcmp(path, "-") == 0) && isatty(STDOUT_FILENO))
		progress_end();
	pal_output *o = pal_output_open(path, err, sizeof err);
	if (!o) {
		progress_clear();
		cli_error("%s", err);
		return CLI_FAILED;
	}
	errno = 0;
	if (write(ctx, pal_output_stream(o)) != 0) {
		int e = errno ? errno : EIO; /* before abort's fclose and unlink change it */
		pal_output_abort(o);
		progress_clear();
		cli_error("cannot write \"%s\": %s", path ? path : "<stdout>", strerror(e));
		return CLI_FAILED;
	}
	if (pal_output_commit(o, err, sizeof err) != 0) {
		progress_clear();
		cli_error("%s", err);
		return CLI_FAILED;
	}
	progress_clear(); /* the "writing" line: the command may say more (cli/main.c) */
	return CLI_OK;
}
