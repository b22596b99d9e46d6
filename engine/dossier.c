/*
 * Dossier intake (SPEC §3): CSV/TSV through csvread.c (one record at a time,
 * streamed) and JSON (one object, an array, or JSON Lines). Each row or object
 * becomes a pal_dossier in input order, whatever its problems: a rejected
 * answer makes the dossier invalid with a message naming file, line, town and
 * column, and the other dossiers are unaffected. Nothing is dropped silently.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "answer.h"
#include "campaign.h"
#include "csvread.h"
#include "dossier.h"
#include "excerpt.h"
#include "fileio.h"
#include "jsonload.h"
#include "num.h"
#include "palmares/limits.h"
#include "text.h"

enum col_kind {
	COL_IGNORE, COL_TOWN_ID, COL_TOWN_NAME, COL_POPULATION, COL_ATTR, COL_CRITERION,
	COL_EVIDENCE, COL_UNKNOWN,
};

struct column {
	enum col_kind kind;
	long crit;          /* criterion index */
	const char *attr;   /* attribute name */
	const char *name;   /* header text (cleaned) */
};

struct csv_ctx {
	pal_campaign *c;
	const char *path;
	pal_diags *diags;
	struct column *cols;
	size_t ncols;
	unsigned char *has_col;  /* per criterion: a column exists */
	int header_done;
	int no_name;            /* no town_name column: rows are checked, every dossier is invalid */
	int fatal;              /* header unusable */
	int rejected;
	int oom;                /* out of memory: reading stopped */
};

/*
 * Other names of town_id and town_name, as French town halls head their
 * spreadsheets (docs/csv.md lists them). Compared folded, with '_' and '-'
 * taken for spaces.
 */
static const char *const id_aliases[] = {"code insee", "insee", "code commune", "code geographique",
                                         NULL};
static const char *const name_aliases[] = {"nom commune", "nom de la commune", "nom de commune",
                                           "commune", "nom", "ville", "nom de la ville",
                                           "libelle commune", NULL};

/*
 * *kind: COL_TOWN_ID or COL_TOWN_NAME when name is one of their aliases, else
 * COL_UNKNOWN. Returns 0, or -1 when out of memory.
 */
static int town_alias(const char *name, enum col_kind *kind_out)
{
	char *key = palx_text_fold(name);
	enum col_kind kind = COL_UNKNOWN;
	*kind_out = COL_UNKNOWN;
	if (!key)
		return -1;
	for (char *p = key; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	for (const char *const *a = id_aliases; *a && kind == COL_UNKNOWN; a++)
		if (strcmp(key, *a) == 0)
			kind = COL_TOWN_ID;
	for (const char *const *a = name_aliases; *a && kind == COL_UNKNOWN; a++)
		if (strcmp(key, *a) == 0)
			kind = COL_TOWN_NAME;
	free(key);
	*kind_out = kind;
	return 0;
}

/* Unknown columns of one header that get a "did you mean" (see header()). */
#define PAL_COLUMN_SUGGESTIONS 100

#define NALIASES(v) (sizeof(v) / sizeof(v)[0] - 1)

/* All names a header may use, for "did you mean" suggestions. */
static const char **known_columns(const pal_rubric *r, size_t *n)
{
	static const char *const fixed[] = {"town_id", "town_name", "population", "region",
	                                    "department", "type"};
	size_t nf = sizeof fixed / sizeof fixed[0];
	const char **v = malloc((nf + r->ncriteria * 2) * sizeof(*v));
	size_t k = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < nf; i++)
		v[k++] = fixed[i];
	for (size_t i = 0; i < r->ncriteria; i++)
		v[k++] = r->criteria[i].id;
	*n = k;
	return v;
}

static int header(struct csv_ctx *x, const pal_csv_record *rec)
{
	const pal_rubric *r = x->c->rubric;
	palx_arena *a = &x->c->arena;
	int have_id = 0, have_name = 0;
	x->cols = palx_arena_alloc(a, (rec->n + 1) * sizeof(*x->cols));
	x->has_col = palx_arena_alloc(a, r->ncriteria + 1);
	if (!x->cols || !x->has_col)
		return -1;
	x->ncols = rec->n;
	/*
	 * Column names seen so far, by case-insensitive hash (index + 1, 0 =
	 * empty): comparing each name with every one before it cost 2 s for
	 * 40,000 columns. Names suggested for unknown columns: built once.
	 */
	size_t cap = 16, nk = 0;
	while (cap < 2 * rec->n)
		cap *= 2;
	size_t *seen = palx_arena_alloc(a, cap * sizeof(*seen)), nsuggested = 0;
	const char **known = known_columns(r, &nk);
	if (!seen || !known) {
		free(known);
		return -1;
	}
	for (size_t i = 0; i < rec->n; i++) {
		struct column *col = &x->cols[i];
		char *name = palx_text_clean_in(a, rec->fields[i]);
		if (!name) {
			free(known);
			return -1;
		}
		col->name = name;
		if (!*name) {
			col->kind = COL_IGNORE;
			continue;
		}
		size_t h = (size_t)palx_text_hash_nocase(name, strlen(name)) & (cap - 1);
		for (; seen[h]; h = (h + 1) & (cap - 1))
			if (strcasecmp(x->cols[seen[h] - 1].name, name) == 0) {
				pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
				              "column \"%s\" appears twice (columns %zu and %zu)", name, seen[h], i + 1);
				x->rejected = 1;
			}
		seen[h] = i + 1;
		const char *dot = strrchr(name, '.');
		long ci;
		enum col_kind alias;
		if (town_alias(name, &alias) < 0) {
			free(known);
			return -1;
		}
		if (strcasecmp(name, "town_id") == 0 || strcasecmp(name, "town_name") == 0 ||
		    alias != COL_UNKNOWN) {
			enum col_kind kind = alias != COL_UNKNOWN ? alias
			                     : strcasecmp(name, "town_id") == 0 ? COL_TOWN_ID : COL_TOWN_NAME;
			int *have = kind == COL_TOWN_ID ? &have_id : &have_name;
			/* "Commune" beside "town_name": two columns for one field, neither can win */
			for (size_t k = 0; *have && k < i; k++)
				if (x->cols[k].kind == kind && strcasecmp(x->cols[k].name, name) != 0) {
					pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
					              "columns %zu (\"%s\") and %zu (\"%s\") both give \"%s\": keep "
					              "one", k + 1, x->cols[k].name, i + 1, name,
					              kind == COL_TOWN_ID ? "town_id" : "town_name");
					x->rejected = 1;
				}
			col->kind = kind;
			*have = 1;
		} else if (strcasecmp(name, "population") == 0) {
			col->kind = COL_POPULATION;
		} else if (!strcasecmp(name, "region") || !strcasecmp(name, "department") ||
		           !strcasecmp(name, "type")) {
			col->kind = COL_ATTR;
			col->attr = name;
			for (char *p = name; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		} else if (strncasecmp(name, "town.", 5) == 0 && name[5]) {
			col->kind = COL_ATTR;
			col->attr = name + 5;
		} else if ((ci = eng_rubric_find_criterion(r, name)) >= 0) {
			col->kind = COL_CRITERION;
			col->crit = ci;
			x->has_col[ci] = 1;
		} else if (dot && strcasecmp(dot, ".evidence") == 0) {
			char id[256];
			snprintf(id, sizeof id, "%.*s", (int)(dot - name), name);
			if ((ci = eng_rubric_find_criterion(r, id)) >= 0) {
				col->kind = COL_EVIDENCE;
				col->crit = ci;
			} else {
				col->kind = COL_UNKNOWN;
			}
		} else {
			/* Criterion ids are lower case; accept any case from spreadsheets. */
			char low[256];
			size_t n = strlen(name);
			snprintf(low, sizeof low, "%s", name);
			for (size_t k = 0; k < n && k < sizeof low; k++)
				low[k] = (char)(low[k] >= 'A' && low[k] <= 'Z' ? low[k] + 32 : low[k]);
			if ((ci = eng_rubric_find_criterion(r, low)) >= 0) {
				col->kind = COL_CRITERION;
				col->crit = ci;
				x->has_col[ci] = 1;
			} else {
				col->kind = COL_UNKNOWN;
			}
		}
		if (col->kind == COL_UNKNOWN) {
			/*
			 * A suggestion compares the name with every criterion: only the first
			 * PAL_COLUMN_SUGGESTIONS unknown columns get one, so that a header of
			 * 10,000 stray columns against a large rubric stays linear.
			 */
			const char *best = nsuggested++ < PAL_COLUMN_SUGGESTIONS ? pal_text_closest(name, known, nk)
			                                                       : NULL;
			/* close to an alias ("Nom de la ville"): suggest the field it names */
			if (!best && pal_text_closest(name, name_aliases, NALIASES(name_aliases)))
				best = "town_name";
			if (!best && pal_text_closest(name, id_aliases, NALIASES(id_aliases)))
				best = "town_id";
			if (best)
				pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
				              "unknown column \"%s\": did you mean \"%s\"?", name, best);
			else
				pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
				              "unknown column \"%s\": not a criterion of rubric \"%s\" nor a town "
				              "field", name, r->id);
			x->rejected = 1;
		}
	}
	free(known);
	if (!have_id) {
		/* without ids, rows cannot be told apart nor marks attached: the file is not read */
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
		              "the header row has no \"town_id\" column (nor \"Code INSEE\" or \"INSEE\"): no "
		              "dossier of this file can be read");
		x->fatal = 1;
		x->rejected = 1;
		return 0;
	}
	if (!have_name) {
		/* the rows are still checked, so that one pass shows every problem of the file */
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
		              "the header row has no \"town_name\" column (nor \"Nom commune\", \"Commune\" or "
		              "\"Nom\"): every row is checked, but no dossier of this file can be scored");
		x->no_name = 1;
		x->rejected = 1;
	}
	for (size_t i = 0; i < r->ncriteria; i++)
		if (!x->has_col[i] && r->criteria[i].kind != PAL_KIND_JURY)
			pal_diags_add(x->diags, PAL_WARNING, x->path, rec->line, 0,
			              "no column for criterion \"%s\": unanswered in every row",
			              r->criteria[i].id);
	return 0;
}

static int set_attr(json_t *attrs, const char *key, json_t *v)
{
	return v ? json_object_set_new(attrs, key, v) : -1;
}

/*
 * The code of an answer that pal_answer_from_*() refused, for the town's
 * report (docs/results.md, "messages"): decided from the criterion and the
 * answer, not from the wording of why, which may grow hints.
 */
static const char *answer_code(const pal_criterion *cr, const char *text)
{
	if (cr->kind == PAL_KIND_JURY)
		return "jury-answer";
	if (text && eng_num_is_na(text) && !cr->allow_na)
		return "na-refused";
	return "invalid-answer";
}

/* First pass over a row: the town's identity, so that messages can name it. */
static int row_identity(struct csv_ctx *x, pal_dossier *d, const pal_csv_record *rec)
{
	palx_arena *a = &x->c->arena;
	for (size_t i = 0; i < rec->n && i < x->ncols; i++) {
		const char *t = NULL; /* on failure the ids stay "", never NULL */
		if (x->cols[i].kind == COL_TOWN_ID && (t = palx_text_clean_in(a, rec->fields[i])))
			d->town_id = t;
		if (x->cols[i].kind == COL_TOWN_NAME && (t = palx_text_clean_in(a, rec->fields[i])))
			d->town_name = t;
		if ((x->cols[i].kind == COL_TOWN_ID || x->cols[i].kind == COL_TOWN_NAME) && !t)
			return -1;
	}
	return 0;
}

/*
 * The population is a count: a fractional one is refused (it would decide
 * applicability silently). `320.732` or `222,485` is nearly always a
 * spreadsheet's thousands separator, and so is `3.000`, which reads as a
 * whole 3; this says so, with the number to write, into why (": …"), and
 * returns 1; else why is "" and 0 is returned. digits gets the number to
 * write, for the town's report (code population-invalid), or "".
 */
static int count_why(const char *text, char *why, size_t len, char digits[32])
{
	char grouped[48], sep;
	size_t n, o = 0;
	why[0] = digits[0] = '\0';
	if (!eng_num_thousands_guess(text, digits, 32, &sep))
		return 0;
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			grouped[o++] = ' ';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	/* the guess allows surrounding spaces only: the text up to one is the number */
	snprintf(why, len, ": %.*s looks like %s with %s as thousands separator; write %s",
	         (int)strcspn(text, " "), text, grouped, sep == '.' ? "a dot" : "a comma", digits);
	return 1;
}

static int row_fields(struct csv_ctx *x, pal_dossier *d, const pal_csv_record *rec)
{
	const pal_rubric *r = x->c->rubric;
	palx_arena *a = &x->c->arena;
	char why[1024];
	for (size_t i = 0; i < rec->n; i++) {
		const char *cell = rec->fields[i];
		if (i >= x->ncols || x->cols[i].kind == COL_IGNORE) {
			const char *s = cell;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s) {
				char ex[100];
				palx_text_excerpt(s, strlen(s), 60, ex, sizeof ex);
				char colno[24];
				snprintf(colno, sizeof colno, "%zu", i + 1);
				eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0,
				                     PAL_MSG_INFO("unnamed-column", -1, ex, colno),
				                     "town %s \"%s\", column %zu: a value in a column without a name, "
				                     "found \"%s\"", d->town_id, d->town_name, i + 1, ex);
				x->rejected = 1;
			}
			continue;
		}
		const struct column *col = &x->cols[i];
		switch (col->kind) {
		case COL_POPULATION: {
			double p;
			int pct = 0;
			const char *s = cell;
			while (*s == ' ')
				s++;
			if (!*s)
				break;
			int num = eng_num_parse_office(cell, &p, &pct) == 0 && !pct && p >= 0;
			char why[200], digits[32];
			if (count_why(s, why, sizeof why, digits) || !num || p != floor(p)) {
				char ex[100];
				palx_text_excerpt(cell, strlen(cell), 60, ex, sizeof ex);
				const char *to_write = digits[0] ? digits : NULL; /* the report's hint */
				eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0,
				                     PAL_MSG_INFO("population-invalid", -1, ex, to_write),
				                     "town %s \"%s\", column \"population\": expected a %snumber ≥ 0, "
				                     "found \"%s\"%s", d->town_id, d->town_name, num ? "whole " : "", ex,
				                     why);
				x->rejected = 1;
			} else if (set_attr(d->attrs, "population", p < 9007199254740992.0 && p == floor(p)
			                    ? json_integer((json_int_t)p) : json_real(p))) { /* no UB cast of 1e196 */
				return -1;
			}
			break;
		}
		case COL_ATTR: {
			const char *v = eng_campaign_text(x->c, cell);
			if (!v)
				return -1;
			if (*v && set_attr(d->attrs, col->attr, json_string(v)))
				return -1;
			break;
		}
		case COL_CRITERION: {
			const pal_criterion *cr = &r->criteria[col->crit];
			pal_answer ans = pal_dossier_answer(d, col->crit);
			pal_answer_refusal ref;
			int rc = eng_answer_from_text(a, cr, cell, &ans, why, sizeof why, &ref);
			if (rc == -2)
				return -1;
			pal_dossier_put_answer(d, col->crit, &ans);
			if (rc) {
				char ex[100];
				palx_text_excerpt(cell, strlen(cell), 60, ex, sizeof ex);
				/* an option's hint has its own code (answer.h); else the criterion decides */
				const palx_msg_info *info =
					ref.code ? PAL_MSG_INFO(ref.code, (long)col->crit, ref.value,
					                        ref.extra[0] ? ref.extra : NULL)
					         : PAL_MSG_INFO(answer_code(cr, cell), (long)col->crit, ex, NULL);
				eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0, info,
				                     "town %s \"%s\", column \"%s\": %s", d->town_id, d->town_name,
				                     cr->id, why);
				x->rejected = 1;
			}
			break;
		}
		case COL_UNKNOWN: {
			/*
			 * The header's message names the column once, for the organizer; the
			 * town's report must say which of its answers was not read. Not in
			 * diags: one line per row would bury the header's message.
			 */
			const char *t = cell;
			while (*t == ' ' || *t == '\t')
				t++;
			if (*t) {
				char ex[100];
				palx_text_excerpt(t, strlen(t), 60, ex, sizeof ex);
				if (eng_dossier_msg_info(x->c, d, NULL, PAL_WARNING, x->path, rec->line, 0,
				                         PAL_MSG_INFO("unknown-column", -1, ex, col->name),
				                         "town %s \"%s\", column \"%s\": not a criterion of the rubric: "
				                         "\"%s\" not read", d->town_id, d->town_name, col->name, ex))
					return -1;
			}
			break;
		}
		case COL_EVIDENCE: {
			char *v = palx_text_clean_in(a, cell);
			if (!v)
				return -1;
			if (*v && eng_dossier_set_evidence(x->c, d, col->crit, v))
				return -1;
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

static int on_record(void *ctx, const pal_csv_record *rec)
{
	struct csv_ctx *x = ctx;
	if (!x->header_done) {
		x->header_done = 1;
		if (rec->refused) {
			/* The next record must not be taken for the header. */
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "header row: %s: no dossier "
			              "of this file can be read", rec->refused);
			x->fatal = 1;
			x->rejected = 1;
			return 1;
		}
		if (header(x, rec))
			return -1;
		return x->fatal;
	}
	pal_dossier *d = eng_campaign_new_dossier(x->c);
	if (!d || !(d->attrs = json_object()))
		return -1;
	d->file = x->path;
	d->line = rec->line;
	d->has_column = x->has_col;
	if (rec->refused) {
		/* Listed as invalid with what could be read of it: nothing is dropped (SPEC §3.3). */
		if (row_identity(x, d, rec))
			return -1;
		/*
		 * The reason is the reader's, for the organizer; the town's report words
		 * a width refusal from the counts, or the number a decimal comma split.
		 */
		char v[80] = "", e[80] = "";
		const char *code = "row-refused";
		if (rec->width && rec->comma && rec->comma < rec->n) {
			const char *ip = rec->fields[rec->comma - 1], *fp = rec->fields[rec->comma];
			ip += strspn(ip, " ");
			code = "decimal-comma";
			snprintf(v, sizeof v, "%.30s,%.30s", ip, fp);
			snprintf(e, sizeof e, "%.30s.%.30s", ip, fp);
		} else if (rec->width) {
			code = "row-width";
			snprintf(v, sizeof v, "%zu", rec->n);
			snprintf(e, sizeof e, "%zu", rec->width);
		}
		const palx_msg_info *info = PAL_MSG_INFO(code, -1, v[0] ? v : NULL, e[0] ? e : NULL);
		if (d->town_id[0] || d->town_name[0])
			eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0, info,
			                     "town %s \"%s\": %s", d->town_id, d->town_name, rec->refused);
		else
			eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0, info, "%s",
			                     rec->refused);
		x->rejected = 1;
		return eng_campaign_register(x->c, d, x->diags) ? -1 : 0;
	}
	if (row_identity(x, d, rec) || row_fields(x, d, rec))
		return -1;
	if (x->no_name) {
		/* said once for the file (header()); each town's results say it too */
		if (eng_dossier_msg_info(x->c, d, NULL, PAL_ERROR, x->path, rec->line, 0,
		                         PAL_MSG_INFO("missing-town-name", -1, NULL, NULL), "town %s: the file "
		                         "has no \"town_name\" column", d->town_id) < 0)
			return -1;
		x->rejected = 1;
	} else if (!d->town_id[0] || !d->town_name[0]) {
		eng_dossier_msg_info(x->c, d, x->diags, PAL_ERROR, x->path, rec->line, 0,
		                     PAL_MSG_INFO(d->town_id[0] ? "missing-town-name" : "missing-town-id", -1,
		                                  NULL, NULL),
		                     "town %s \"%s\": missing %s", d->town_id, d->town_name,
		                     d->town_id[0] ? "town_name" : "town_id");
		x->rejected = 1;
	}
	if (eng_campaign_register(x->c, d, x->diags))
		return -1;
	if (d->invalid)
		x->rejected = 1;
	return 0;
}

/* Out of memory stops the file (add_csv reports it); the row being read is not scored. */
static int on_record_checked(void *ctx, const pal_csv_record *rec)
{
	struct csv_ctx *x = ctx;
	size_t n = x->c->ndossiers;
	int rc = on_record(ctx, rec);
	if (rc < 0) {
		x->oom = 1;
		if (x->c->ndossiers > n)
			x->c->dossiers[x->c->ndossiers - 1]->invalid = 1;
	}
	return rc;
}

/* A file's dossiers: from path, or from fp when not NULL (then path is the name messages give). */
int eng_dossiers_csv(pal_campaign *c, const char *path, FILE *fp, pal_diags *diags)
{
	struct csv_ctx x = {c, path, diags, NULL, 0, NULL, 0, 0, 0, 0, 0};
	pal_csv_options opt = eng_csv_table_options(path);
	size_t before = c->ndossiers;
	const char *file = palx_arena_strdup(&c->arena, path);
	if (!file) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	x.path = file;
	opt.keep_refused = 1;
	opt.progress = c->progress;
	opt.progress_ctx = c->progress_ctx;
	int rc = fp ? eng_csv_read_stream(fp, path, &opt, on_record_checked, &x, diags)
	            : eng_csv_read(path, &opt, on_record_checked, &x, diags);
	if (rc == PAL_CSV_READ_IOERR)
		return PAL_IOERR;
	if (rc == PAL_CSV_READ_REFUSED)
		return PAL_REJECTED; /* refused as a whole (binary, zip): said why */
	if (x.oom) {
		pal_diags_add(diags, PAL_ERROR, file, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	if (!x.header_done) {
		pal_diags_add(diags, PAL_ERROR, file, 0, 0, "empty file: expected a header row");
		return PAL_REJECTED;
	}
	/* A header alone is a template sent back unfilled, or rows lost on export: say so. */
	if (!x.fatal && c->ndossiers == before)
		pal_diags_add(diags, PAL_WARNING, file, 0, 0,
		              "the file holds no dossier: a header row and no row under it");
	return rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
}

/* ---- JSON ---- */

struct json_ctx {
	pal_campaign *c;
	const char *path;
	pal_diags *diags;
	palx_jsonload j;    /* each problem filed under its dossier (about), with its palx_msg_info */
	int rejected, oom;
};

/* A message for a dossier, with its structured form (model.h, palx_msg_info): the town reads it. */
static void jprob_info(struct json_ctx *x, pal_dossier *d, pal_severity sev, const char *ptr,
                       const palx_msg_info *info, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void jprob_info(struct json_ctx *x, pal_dossier *d, pal_severity sev, const char *ptr,
                       const palx_msg_info *info, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (sev == PAL_ERROR) {
		x->rejected = 1;
		d->invalid = 1;
	}
	if (palx_jsonload_add(&x->j, sev, ptr, d, info, buf) != 0)
		x->oom = 1;
}

static void emit(void *ctx, const palx_jsonload_problem *p, long line, long col)
{
	struct json_ctx *x = ctx;
	eng_dossier_msg_info(x->c, p->about, x->diags, p->sev, x->path, line, col, p->info, "%s",
	                     p->text);
}

/* Resolves positions of the problems of one document (its first line after line0) and attaches them. */
static void flush_probs(struct json_ctx *x, const char *text, size_t len, long line0)
{
	palx_jsonload_flush(&x->j, text, len, line0, x->diags, emit, x);
	if (x->j.oom)
		x->oom = 1; /* positions lost: the caller reports out of memory */
	x->j.oom = 0;
}

/* v for a message: no allocation (excerpt.h), hidden characters made visible. */
static void shown(json_t *v, char *buf, size_t len)
{
	eng_json_excerpt(v, 60, buf, len);
}

static void json_town(struct json_ctx *x, pal_dossier *d, json_t *town, const char *base)
{
	char ptr[512], w[128];
	palx_arena *a = &x->c->arena;
	if (!json_is_object(town)) {
		shown(town, w, sizeof w);
		jprob_info(x, d, PAL_ERROR, base, PAL_MSG_INFO("missing-town-id", -1, NULL, NULL),
		           "dossier: expected a \"town\" object with id and name, found %s", town ? w : "nothing");
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(town, key, v) {
		snprintf(ptr, sizeof ptr, "%s/town/%s", base, key);
		int is_id = strcmp(key, "id") == 0, is_name = strcmp(key, "name") == 0;
		if (is_id || is_name) {
			char *s = json_is_string(v) ? palx_text_clean_in(a, json_string_value(v)) : NULL;
			if (json_is_string(v) && !s) {
				x->oom = 1;
				return;
			}
			if (!s || !*s) {
				shown(v, w, sizeof w);
				jprob_info(x, d, PAL_ERROR, ptr,
				           PAL_MSG_INFO(is_id ? "missing-town-id" : "missing-town-name", -1, NULL, NULL),
				           "town.%s: expected a non-empty string, found %s", key, w);
			} else if (is_id) {
				d->town_id = s;
			} else {
				d->town_name = s;
			}
		} else if (strcmp(key, "population") == 0 && json_is_null(v)) {
			continue; /* not given, as in the template's skeleton */
		} else if (strcmp(key, "population") == 0) {
			int num = json_is_number(v) && json_number_value(v) >= 0;
			if (!num || json_number_value(v) != floor(json_number_value(v))) {
				char why[200], digits[32];
				shown(v, w, sizeof w);
				count_why(w, why, sizeof why, digits);
				jprob_info(x, d, PAL_ERROR, ptr,
				           PAL_MSG_INFO("population-invalid", -1, w, digits[0] ? digits : NULL),
				           "town.population: expected a %snumber ≥ 0, found %s%s", num ? "whole " : "", w,
				           why);
			} else if (json_object_set(d->attrs, key, v)) {
				x->oom = 1;
			}
		} else if (!(json_is_string(v) || json_is_number(v) || json_is_boolean(v) ||
		             json_is_null(v))) {
			jprob_info(x, d, PAL_WARNING, ptr, PAL_MSG_INFO("attribute-ignored", -1, key, NULL),
			           "town.%s: attributes are texts or numbers: ignored", key);
		} else {
			/* An attribute's name reaches the results like its value: cleaned as well. */
			const char *name = palx_text_is_clean(key) ? key : palx_text_clean_in(a, key);
			if (!name) {
				x->oom = 1;
				return;
			}
			if (json_is_string(v)) {
				char *s = palx_text_clean_in(a, json_string_value(v));
				if (!s || json_object_set_new(d->attrs, name, json_string(s)))
					x->oom = 1;
			} else if (json_object_set(d->attrs, name, v)) {
				x->oom = 1;
			}
		}
	}
	/* SPEC §3.1: town.id and town.name are required; a dossier without them cannot be told apart. */
	snprintf(ptr, sizeof ptr, "%s/town", base);
	for (int k = 0; k < 2; k++)
		if (!json_object_get(town, k ? "name" : "id"))
			jprob_info(x, d, PAL_ERROR, ptr,
			           PAL_MSG_INFO(k ? "missing-town-name" : "missing-town-id", -1, NULL, NULL),
			           "town.%s: expected a non-empty string, found nothing", k ? "name" : "id");
}

static void json_answers(struct json_ctx *x, pal_dossier *d, json_t *obj, const char *base,
                         int evidence)
{
	const pal_rubric *r = x->c->rubric;
	const char *what = evidence ? "evidence" : "answers";
	char ptr[512], why[1024], w[128];
	const char *key;
	json_t *v;
	if (!obj)
		return;
	snprintf(ptr, sizeof ptr, "%s/%s", base, what);
	if (!json_is_object(obj)) {
		shown(obj, w, sizeof w);
		jprob_info(x, d, PAL_ERROR, ptr, PAL_MSG_INFO("answers-not-object", -1, what, NULL),
		           "town %s \"%s\": %s: expected an object of criterion id -> %s, found %s",
		           d->town_id, d->town_name, what, evidence ? "text" : "answer", w);
		return;
	}
	json_object_foreach(obj, key, v) {
		snprintf(ptr, sizeof ptr, "%s/%s/%s", base, what, key);
		long ci = eng_rubric_find_criterion(r, key);
		if (ci < 0) {
			size_t nk = 0;
			const char **known = known_columns(r, &nk);
			if (!known) {
				x->oom = 1;
				continue;
			}
			const char *best = pal_text_closest(key, known + 6, nk - 6);
			jprob_info(x, d, PAL_ERROR, ptr, PAL_MSG_INFO("unknown-criterion", -1, key, best),
			           "town %s \"%s\": unknown criterion \"%s\"%s%s%s", d->town_id, d->town_name,
			           key, best ? " (did you mean \"" : "", best ? best : "", best ? "\"?)" : "");
			free(known);
			continue;
		}
		if (evidence) {
			if (json_is_null(v))
				continue;
			char *s = json_is_string(v) ? palx_text_clean_in(&x->c->arena, json_string_value(v)) : NULL;
			if (!json_is_string(v)) {
				shown(v, w, sizeof w);
				jprob_info(x, d, PAL_ERROR, ptr, PAL_MSG_INFO("evidence-not-text", ci, w, NULL),
				           "town %s \"%s\", evidence \"%s\": expected a text, found %s", d->town_id,
				           d->town_name, key, w);
			} else if (!s) {
				x->oom = 1;
			} else if (*s && eng_dossier_set_evidence(x->c, d, (size_t)ci, s)) {
				x->oom = 1;
			}
			continue;
		}
		pal_answer ans = pal_dossier_answer(d, (size_t)ci);
		pal_answer_refusal ref;
		int rc = eng_answer_from_json(&x->c->arena, &r->criteria[ci], v, &ans, why, sizeof why, &ref);
		pal_dossier_put_answer(d, (size_t)ci, &ans);
		if (rc == -2)
			x->oom = 1;
		else if (rc) {
			const char *text = json_is_string(v) ? json_string_value(v) : NULL;
			shown(v, w, sizeof w);
			/* As JSON ("12" is a string, 12 a number): what a JSON answer must be differs (extra). */
			const palx_msg_info *info =
				ref.code ? PAL_MSG_INFO(ref.code, ci, ref.value, ref.extra[0] ? ref.extra : NULL)
				         : PAL_MSG_INFO(answer_code(&r->criteria[ci], text), ci, w, "json");
			jprob_info(x, d, PAL_ERROR, ptr, info, "town %s \"%s\", answer \"%s\": %s", d->town_id,
			           d->town_name, key, why);
		}
	}
}

/* One dossier object at JSON pointer base ("" or "/i"). */
static void json_dossier(struct json_ctx *x, json_t *obj, const char *base, long line, long col)
{
	static const char *const keys[] = {"format", "rubric", "town", "answers", "evidence",
	                                   "contact", NULL};
	pal_dossier *d = eng_campaign_new_dossier(x->c);
	char ptr[512], w[128];
	if (!d || !(d->attrs = json_object())) {
		x->oom = 1;
		return;
	}
	d->file = x->path;
	d->line = line;
	d->col = col;
	if (!json_is_object(obj)) {
		shown(obj, w, sizeof w);
		jprob_info(x, d, PAL_ERROR, base, PAL_MSG_INFO("not-a-dossier", -1, NULL, NULL),
		           "expected a dossier (an object), found %s", w);
		return;
	}
	json_town(x, d, json_object_get(obj, "town"), base);
	json_t *f = json_object_get(obj, "format");
	if (f && !(json_is_string(f) && strcmp(json_string_value(f), "palmares-dossier/1") == 0)) {
		snprintf(ptr, sizeof ptr, "%s/format", base);
		shown(f, w, sizeof w);
		jprob_info(x, d, PAL_ERROR, ptr, PAL_MSG_INFO("wrong-format", -1, w, NULL),
		           "town %s \"%s\": format: expected \"palmares-dossier/1\", found %s", d->town_id,
		           d->town_name, w);
	}
	json_t *rb = json_object_get(obj, "rubric");
	if (rb && !(json_is_string(rb) && strcmp(json_string_value(rb), x->c->rubric->id) == 0)) {
		snprintf(ptr, sizeof ptr, "%s/rubric", base);
		shown(rb, w, sizeof w);
		jprob_info(x, d, PAL_ERROR, ptr, PAL_MSG_INFO("wrong-rubric", -1, w, x->c->rubric->id),
		           "town %s \"%s\": rubric: this dossier is for %s, not \"%s\"", d->town_id,
		           d->town_name, w, x->c->rubric->id);
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		int known = strncmp(key, "x-", 2) == 0;
		for (const char *const *k = keys; *k; k++)
			known |= strcmp(*k, key) == 0;
		if (!known) {
			snprintf(ptr, sizeof ptr, "%s/%s", base, key);
			jprob_info(x, d, PAL_WARNING, ptr, PAL_MSG_INFO("unknown-field", -1, key, NULL),
			           "town %s \"%s\": unknown field \"%s\" ignored", d->town_id, d->town_name, key);
		}
	}
	json_answers(x, d, json_object_get(obj, "answers"), base, 0);
	json_answers(x, d, json_object_get(obj, "evidence"), base, 1);
	if (eng_campaign_register(x->c, d, x->diags))
		x->oom = 1;
}

/* The dossiers of one JSON document, text (len bytes, borrowed), from the file path. */
int eng_dossiers_json_text(pal_campaign *c, const char *path, const char *text, size_t len,
                           pal_diags *diags)
{
	struct json_ctx x = {.c = c, .diags = diags};
	x.path = x.j.path = palx_arena_strdup(&c->arena, path);
	json_t *root = x.path ? palx_jsonload_parse(&x.j, text, len,
	                                           "malformed JSON: %s: no dossier of this file can be read",
	                                           diags) : NULL;
	if (!root) {
		if (x.path && !x.j.oom)
			return PAL_REJECTED;
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	if (json_is_array(root)) {
		size_t n = json_array_size(root);
		if (!n)
			pal_diags_add(diags, PAL_WARNING, x.path, 0, 0,
			              "the file holds no dossier: an empty array");
		long *lines = calloc(n + 1, sizeof(long)), *cols = calloc(n + 1, sizeof(long));
		if (!lines || !cols || palx_jsonload_items(text, len, n, lines, cols) != 0)
			x.oom = 1;
		for (size_t i = 0; i < n && !x.oom; i++) {
			char base[24];
			snprintf(base, sizeof base, "/%zu", i);
			json_dossier(&x, json_array_get(root, i), base, lines[i], cols[i]);
		}
		free(lines);
		free(cols);
	} else {
		json_dossier(&x, root, "", 1, 1);
	}
	flush_probs(&x, text, len, 0);
	json_decref(root);
	if (x.oom) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	return x.rejected ? PAL_REJECTED : PAL_OK;
}

int eng_dossiers_json(pal_campaign *c, const char *path, pal_diags *diags)
{
	char *text;
	size_t len;
	int st = palx_file_read_json(path, &text, &len, diags);
	if (st)
		return st;
	st = eng_dossiers_json_text(c, path, text, len, diags);
	free(text);
	return st;
}

/*
 * JSON Lines: one dossier per line, streamed. From path, or from given when
 * not NULL (size bytes; path is then the name messages give).
 */
int eng_dossiers_jsonl(pal_campaign *c, const char *path, FILE *given, long long given_size,
                       pal_diags *diags)
{
	struct json_ctx x = {.c = c, .diags = diags};
	char why[128];
	long long size = given_size;
	FILE *fp = given ? given : pal_input_open(path, PAL_INPUT_STREAM, &size, why, sizeof why);
	char *line = NULL;
	size_t cap = 0;
	long long n = 0;
	long lineno = 0;
	size_t before = c->ndossiers;
	if (!fp) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, why);
		return PAL_IOERR;
	}
	if (!(x.path = x.j.path = palx_arena_strdup(&c->arena, path))) {
		if (!given)
			fclose(fp);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	size_t total = 0, max = pal_limits_current()->max_json;
	/* A regular file is checked first; a stream stops one byte past the limit, even within a line. */
	if (size >= 0 && (unsigned long long)size > max)
		total = (size_t)-1;
	while (!x.oom && (total > max || (n = palx_getline_capped(&line, &cap, fp, max - total)) >= 0 ||
	                  n == -2)) {
		size_t len = n < 0 ? max + 1 - total : (size_t)n;
		if (total > max || (total += len) > max) { /* like a .json file: not read (status 2) */
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than the limit of %zu "
			              "bytes (limit set by PALMARES_MAX_JSON)", max);
			x.oom = 2;
			break;
		}
		lineno++;
		const char *s = line;
		if (lineno == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		size_t k = 0;
		while (k < len && strchr(" \t\r\n", s[k]))
			k++;
		if (k == len)
			continue;
		json_t *root = palx_jsonload_parse(&x.j, s, len, NULL, NULL);
		const json_error_t *jerr = &x.j.jerr;
		if (!root && x.j.oom) {
			x.oom = 1;
			break;
		}
		if (!root) {
			/* The line is still a dossier the organizer must see: list it as invalid. */
			pal_dossier *d = eng_campaign_new_dossier(c);
			if (!d || !(d->attrs = json_object())) {
				x.oom = 1;
				break;
			}
			d->file = x.path;
			d->line = lineno;
			eng_dossier_msg_info(c, d, diags, PAL_ERROR, x.path, lineno, jerr->column,
			                     PAL_MSG_INFO("malformed-json", -1, NULL, NULL), "malformed JSON: %s",
			                     jerr->text);
			x.rejected = 1;
			continue;
		}
		json_dossier(&x, root, "", lineno, 1);
		flush_probs(&x, s, len, lineno - 1);
		json_decref(root);
	}
	if (n == -3 && !x.oom)
		x.oom = 1; /* a line could not be held */
	if (ferror(fp)) {
		pal_diags_add(diags, PAL_ERROR, path, lineno, 0, "cannot read \"%s\": %s", path,
		              strerror(errno));
		x.oom = 2;
	}
	free(line);
	palx_jsonload_release(&x.j);
	if (!given)
		fclose(fp);
	if (x.oom == 1)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading dossiers");
	if (x.oom)
		return PAL_IOERR;
	if (c->ndossiers == before)
		pal_diags_add(diags, PAL_WARNING, x.path, 0, 0,
		              "the file holds no dossier: no line with an object");
	return x.rejected ? PAL_REJECTED : PAL_OK;
}
