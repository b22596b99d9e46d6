/*
 * Jury marks, assignments, overrides and history (SPEC §5, §9).
 *
 * Marks (CSV through csvread.c, or a JSON array) are attached to their
 * dossier and jury criterion as a linked list in input order. Rejected marks
 * are reported with file and line and never counted; they don't make the
 * dossier invalid (the town did nothing wrong). Whether a marked criterion
 * applies is only known when scoring: score.c ignores such marks with a
 * warning. Overrides are parsed here and applied by score.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign.h"
#include "csvread.h"
#include "fileio.h"
#include "jsonpos.h"
#include "marks.h"
#include "num.h"
#include "text.h"

/* ---- assignments: a sorted array of "juror\x1ftown" keys ---- */

struct assignments {
	char **keys;
	size_t n, cap;
};

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void pal_assignments_free(void *p)
{
	struct assignments *a = p;
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->keys[i]);
	free(a->keys);
	free(a);
}

static char *pair_key(const char *juror, const char *town)
{
	size_t n = strlen(juror) + strlen(town) + 2;
	char *k = malloc(n);
	if (k)
		snprintf(k, n, "%s\x1f%s", juror, town);
	return k;
}

int pal_assignments_has(const void *p, const char *juror, const char *town_id)
{
	const struct assignments *a = p;
	char *k = pair_key(juror, town_id);
	int found = k && a->n && bsearch(&k, a->keys, a->n, sizeof(char *), key_cmp) != NULL;
	free(k);
	return found;
}

/* ---- a small column mapper shared by the CSV files of this module ---- */

struct cols {
	const char *const *names;  /* known names, NULL-terminated */
	const char *const *ignored;
	long idx[16];              /* field index per known name, -1 when absent */
};

static int map_header(struct cols *m, const pal_csv_record *rec, const char *path,
                      const char *const *required, pal_diags *diags)
{
	int ok = 1;
	size_t nn = 0;
	while (m->names[nn])
		nn++;
	for (size_t k = 0; k < nn; k++)
		m->idx[k] = -1;
	for (size_t i = 0; i < rec->n; i++) {
		char *name = pal_text_fold(rec->fields[i]);
		int known = 0;
		if (!name)
			return -1;
		for (size_t k = 0; k < nn; k++)
			if (strcmp(name, m->names[k]) == 0) {
				m->idx[k] = (long)i;
				known = 1;
			}
		for (const char *const *g = m->ignored; g && *g; g++)
			known |= strcmp(name, *g) == 0;
		if (!known && *name) {
			const char *best = pal_text_closest(name, m->names, nn);
			pal_diags_add(diags, PAL_ERROR, path, rec->line, 0, "unknown column \"%s\"%s%s%s",
			              rec->fields[i], best ? ": did you mean \"" : "", best ? best : "",
			              best ? "\"?" : "");
			ok = 0;
		}
		free(name);
	}
	for (const char *const *r = required; *r; r++)
		for (size_t k = 0; k < nn; k++)
			if (strcmp(m->names[k], *r) == 0 && m->idx[k] < 0) {
				pal_diags_add(diags, PAL_ERROR, path, rec->line, 0,
				              "the header row has no \"%s\" column", *r);
				ok = 0;
			}
	return ok ? 0 : 1;
}

static const char *field(const struct cols *m, const pal_csv_record *rec, size_t k)
{
	long i = m->idx[k];
	return i >= 0 && (size_t)i < rec->n ? rec->fields[i] : "";
}


/* ---- marks ---- */

/* A number for a message, the same in every locale (printf's %g writes 0,5 in French ones). */
static const char *num_text(double x, char *buf, size_t len)
{
	if (pal_format_number_full(x, buf, len) < 0)
		snprintf(buf, len, "%s", x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN");
	return buf;
}
#define NUM(x) num_text((x), (char[32]){0}, 32)

struct mark_ctx {
	pal_campaign *c;
	const char *path;
	uint32_t file;     /* index of path in c->mark_files */
	pal_diags *diags;
	struct cols m;
	int header_done, fatal, rejected, oom;
};

enum { M_JUROR, M_TOWN, M_CRIT, M_MARK, M_COMMENT };
static const char *const mark_names[] = {"juror", "town_id", "criterion", "mark", "comment", NULL};
static const char *const mark_ignored[] = {"town_name", "title", "scale", NULL};
static const char *const mark_required[] = {"juror", "town_id", "criterion", "mark", NULL};

static void mark_error(struct mark_ctx *x, pal_dossier *d, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void mark_error(struct mark_ctx *x, pal_dossier *d, long line, long col, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	x->rejected = 1;
	pal_diags_add(x->diags, PAL_ERROR, x->path, line, col, "%s", buf);
	/* The town's results say why one of its marks is missing. */
	if (d)
		pal_dossier_msg(x->c, d, NULL, PAL_WARNING, x->path, line, col, "mark rejected: %s", buf);
}

/*
 * Checks and attaches one mark. Strings are borrowed for the call. A NULL
 * mark_text with has_mark 0 means "not marked yet".
 */
static void add_mark(struct mark_ctx *x, long line, long col, const char *juror, const char *town,
                     const char *crit, const char *mark_text, int is_number, double number,
                     const char *comment)
{
	const pal_rubric *r = x->c->rubric;
	pal_arena *a = &x->c->arena;
	pal_dossier *d = pal_campaign_find(x->c, town);
	long ci = pal_rubric_find_criterion(r, crit);
	double v = number;
	int pct = 0;
	if (!*juror) {
		mark_error(x, d, line, col, "missing juror");
		return;
	}
	if (!d) {
		mark_error(x, NULL, line, col, "juror %s: unknown town \"%s\"", juror, town);
		return;
	}
	if (ci < 0 || r->criteria[ci].kind != PAL_KIND_JURY) {
		mark_error(x, d, line, col, "juror %s, town %s: %s criterion \"%s\"", juror, town,
		           ci < 0 ? "unknown" : "not a jury", crit);
		return;
	}
	const pal_criterion *cr = &r->criteria[ci];
	/* An empty cell is "not marked yet"; spreadsheets leave spaces in cells that look empty. */
	if (!is_number && (!mark_text || !mark_text[strspn(mark_text, " \t")]))
		return; /* not marked yet */
	if (!is_number && (pal_num_parse_office(mark_text, &v, &pct) != 0 || pct)) {
		char ex[100];
		pal_text_excerpt(mark_text, strlen(mark_text), 60, ex, sizeof ex);
		mark_error(x, d, line, col, "juror %s, town %s, criterion \"%s\": expected a mark from %s "
		           "to %s, found \"%s\"", juror, town, crit, NUM(cr->scale_min), NUM(cr->scale_max), ex);
		return;
	}
	if (!(v >= cr->scale_min && v <= cr->scale_max)) {
		mark_error(x, d, line, col, "juror %s, town %s, criterion \"%s\": expected a mark from %s "
		           "to %s, found %s", juror, town, crit, NUM(cr->scale_min), NUM(cr->scale_max), NUM(v));
		return;
	}
	if (x->c->assignments && !pal_assignments_has(x->c->assignments, juror, town)) {
		mark_error(x, d, line, col, "juror %s is not assigned to town %s", juror, town);
		return;
	}
	pal_mark **head = &d->marks[cr->jury_index], **tail = head;
	for (pal_mark *m = *head; m; m = m->next) {
		if (strcmp(m->juror, juror) == 0) {
			/* Like a town submitted twice: the organizer decides which mark stands. */
			mark_error(x, d, line, col, "juror %s marked town %s on \"%s\" twice (also %s:%ld): "
			           "both marks rejected", juror, town, crit, pal_mark_file(x->c, m),
			           (long)m->line);
			m->rejected = 1;
			return;
		}
		tail = &m->next;
	}
	pal_mark *m = pal_arena_alloc(a, sizeof(*m));
	if (!m || !(m->juror = pal_campaign_intern_juror(x->c, juror, &m->juror_id)) ||
	    !(m->comment = comment && *comment ? pal_campaign_text(x->c, comment) : "")) {
		x->oom = 1;
		return;
	}
	m->mark = v;
	m->file = x->file;
	m->line = line < 0 ? 0 : (unsigned long)line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	*tail = m;
}

static int on_mark_record(void *ctx, const pal_csv_record *rec)
{
	struct mark_ctx *x = ctx;
	if (!x->header_done) {
		x->header_done = 1;
		int rc = map_header(&x->m, rec, x->path, mark_required, x->diags);
		if (rc) {
			x->fatal = 1;
			x->rejected = 1;
			x->oom = rc < 0;
			return rc < 0 ? -1 : 1;
		}
		return 0;
	}
	pal_arena *a = &x->c->arena;
	char *juror = pal_text_clean_in(a, field(&x->m, rec, M_JUROR));
	char *town = pal_text_clean_in(a, field(&x->m, rec, M_TOWN));
	/* Criterion ids are lower case: fold (case, accents, spaces) only when needed. */
	const char *craw = field(&x->m, rec, M_CRIT);
	char *crit = pal_rubric_find_criterion(x->c->rubric, craw) >= 0 ? strdup(craw)
	                                                                : pal_text_fold(craw);
	if (!juror || !town || !crit) {
		free(crit);
		x->oom = 1;
		return -1;
	}
	add_mark(x, rec->line, 0, juror, town, crit, field(&x->m, rec, M_MARK), 0, 0,
	         field(&x->m, rec, M_COMMENT));
	free(crit);
	return x->oom ? -1 : 0;
}

static int marks_json(struct mark_ctx *x, const char *path)
{
	char *text;
	size_t len;
	json_error_t jerr;
	int st = pal_file_read_json(path, &text, &len, x->diags);
	if (st)
		return st;
	json_t *root = pal_json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root && pal_json_oom(&jerr)) {
		free(text);
		x->oom = 1;
		return PAL_IOERR;
	}
	if (!root || !json_is_array(root)) {
		if (root)
			pal_diags_add(x->diags, PAL_ERROR, path, 1, 1, "expected an array of marks");
		else
			pal_diags_add(x->diags, PAL_ERROR, path, jerr.line, jerr.column, "malformed JSON: %s",
			              jerr.text);
		json_decref(root);
		free(text);
		return PAL_REJECTED;
	}
	size_t n = json_array_size(root);
	char (*ptrs)[24] = malloc((n + 1) * sizeof(*ptrs));
	const char **pp = malloc((n + 1) * sizeof(*pp));
	long *lines = calloc(n + 1, sizeof(long)), *cols = calloc(n + 1, sizeof(long));
	if (!ptrs || !pp || !lines || !cols) {
		x->oom = 1;
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(ptrs[i], sizeof ptrs[i], "/%zu", i);
		pp[i] = ptrs[i];
	}
	if (pal_jsonpos_find(text, len, pp, n, lines, cols) != 0)
		x->oom = 1;
	for (size_t i = 0; i < n && !x->oom; i++) {
		json_t *o = json_array_get(root, i);
		json_t *mk = json_object_get(o, "mark");
		const char *j = json_string_value(json_object_get(o, "juror"));
		const char *t = json_string_value(json_object_get(o, "town_id"));
		const char *c = json_string_value(json_object_get(o, "criterion"));
		if (!json_is_object(o) || !j || !t || !c ||
		    (mk && !json_is_null(mk) && !json_is_number(mk) && !json_is_string(mk))) {
			x->rejected = 1;
			pal_diags_add(x->diags, PAL_ERROR, path, lines[i], cols[i],
			              "expected a mark object with juror, town_id and criterion (strings) and "
			              "mark (a number)");
			continue;
		}
		/* As in a CSV file (on_mark_record): ids cleaned and trimmed, the criterion folded. */
		char *juror = pal_text_clean_in(&x->c->arena, j);
		char *town = pal_text_clean_in(&x->c->arena, t);
		char *crit = pal_text_fold(c);
		if (!juror || !town || !crit) {
			free(crit);
			x->oom = 1;
			break;
		}
		add_mark(x, lines[i], cols[i], juror, town, crit, json_string_value(mk),
		         json_is_number(mk), json_number_value(mk),
		         json_string_value(json_object_get(o, "comment")));
		free(crit);
	}
	free(ptrs);
	free(pp);
	free(lines);
	free(cols);
	json_decref(root);
	free(text);
	return x->oom ? PAL_IOERR : x->rejected ? PAL_REJECTED : PAL_OK;
}

int pal_campaign_add_marks(pal_campaign *c, const char *path, pal_diags *diags)
{
	struct mark_ctx x = {0};
	x.c = c;
	x.diags = diags;
	x.m.names = mark_names;
	x.m.ignored = mark_ignored;
	const char **files = realloc(c->mark_files, (c->nmark_files + 1) * sizeof(*files));
	if (files)
		c->mark_files = files;
	if (!files || c->nmark_files >= UINT32_MAX || !(x.path = pal_arena_strdup(&c->arena, path))) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
		return PAL_IOERR;
	}
	x.file = (uint32_t)c->nmark_files;
	c->mark_files[c->nmark_files++] = x.path;
	if (strcasecmp(pal_file_ext(path), "json") == 0) {
		int st = marks_json(&x, x.path);
		if (x.oom)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
		return st;
	}
	pal_csv_options opt = {0};
	opt.force_sep = pal_csv_sep_for_path(path);
	opt.progress = x.c->progress;
	opt.progress_ctx = x.c->progress_ctx;
	int rc = pal_csv_read(path, &opt, on_mark_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
	if (rc == 2 || x.oom)
		return PAL_IOERR;
	if (rc == 3)
		return PAL_REJECTED; /* refused as a whole: said why */
	if (!x.header_done) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "empty file: expected a header row");
		return PAL_REJECTED;
	}
	return rc || x.rejected ? PAL_REJECTED : PAL_OK;
}

/* ---- assignments ---- */

struct assign_ctx {
	struct assignments *a;
	const char *path;
	pal_diags *diags;
	struct cols m;
	int header_done, fatal, rejected, oom;
};

static const char *const assign_names[] = {"juror", "town_id", NULL};

static int on_assign_record(void *ctx, const pal_csv_record *rec)
{
	struct assign_ctx *x = ctx;
	if (!x->header_done) {
		x->header_done = 1;
		int rc = map_header(&x->m, rec, x->path, assign_names, x->diags);
		x->fatal = rc != 0;
		x->rejected |= rc != 0;
		x->oom = rc < 0;
		return rc;
	}
	pal_arena tmp;
	pal_arena_init(&tmp, 1024);
	char *j = pal_text_clean_in(&tmp, field(&x->m, rec, 0));
	char *t = pal_text_clean_in(&tmp, field(&x->m, rec, 1));
	char *k = j && t ? pair_key(j, t) : NULL;
	pal_arena_release(&tmp);
	if (!k) {
		x->oom = 1;
		return -1;
	}
	if (x->a->n == x->a->cap) {
		size_t cap = x->a->cap ? x->a->cap * 2 : 256;
		char **v = realloc(x->a->keys, cap * sizeof(*v));
		if (!v) {
			free(k);
			x->oom = 1;
			return -1;
		}
		x->a->keys = v;
		x->a->cap = cap;
	}
	x->a->keys[x->a->n++] = k;
	return 0;
}

int pal_campaign_set_assignments(pal_campaign *c, const char *path, pal_diags *diags)
{
	struct assign_ctx x = {0};
	x.a = calloc(1, sizeof(*x.a));
	x.path = path;
	x.diags = diags;
	x.m.names = assign_names;
	if (!x.a)
		return PAL_IOERR;
	pal_csv_options opt = {0};
	int rc = pal_csv_read(path, &opt, on_assign_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading assignments");
	if (rc == 2 || rc == 3 || x.fatal || x.oom) {
		pal_assignments_free(x.a);
		return rc == 2 || x.oom ? PAL_IOERR : PAL_REJECTED;
	}
	if (x.a->n) /* no row: keys is NULL, which qsort may not be given */
		qsort(x.a->keys, x.a->n, sizeof(char *), key_cmp);
	pal_assignments_free(c->assignments);
	c->assignments = x.a;
	return rc || x.rejected ? PAL_REJECTED : PAL_OK;
}

/* ---- overrides ---- */

struct override_ctx {
	pal_campaign *c;
	const char *path;
	pal_diags *diags;
	struct cols m;
	pal_override *v;
	size_t n, cap;
	int header_done, fatal, rejected, oom;
};

static const char *const override_names[] = {"town_id", "level", "reason", NULL};

static int on_override_record(void *ctx, const pal_csv_record *rec)
{
	struct override_ctx *x = ctx;
	const pal_rubric *r = x->c->rubric;
	if (!x->header_done) {
		x->header_done = 1;
		int rc = map_header(&x->m, rec, x->path, override_names, x->diags);
		x->fatal = rc != 0;
		x->rejected |= rc != 0;
		x->oom = rc < 0;
		return rc;
	}
	pal_arena *a = &x->c->arena;
	char *town = pal_text_clean_in(a, field(&x->m, rec, 0));
	char *level = pal_text_clean_in(a, field(&x->m, rec, 1));
	char *reason = pal_text_clean_in(a, field(&x->m, rec, 2));
	if (!town || !level || !reason) {
		x->oom = 1;
		return -1;
	}
	long lv = -1;
	char *end;
	errno = 0;
	long num = strtol(level, &end, 10);
	if (*level && !*end && !errno && num >= 0 && (size_t)num <= r->nlevels)
		lv = num;
	for (size_t k = 0; lv < 0 && k < r->nlevels; k++)
		if (strcmp(r->levels[k].name, level) == 0)
			lv = (long)k + 1;
	if (lv < 0) {
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "town %s: unknown level \"%s\" "
		              "(expected a level number from 0 to %zu or a level name)", town, level,
		              r->nlevels);
		x->rejected = 1;
		return 0;
	}
	if (!*reason) {
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
		              "town %s: an override needs a reason", town);
		x->rejected = 1;
		return 0;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		pal_override *v = realloc(x->v, cap * sizeof(*v));
		if (!v) {
			x->oom = 1;
			return -1;
		}
		x->v = v;
		x->cap = cap;
	}
	x->v[x->n].town_id = town;
	x->v[x->n].level = (int)lv;
	x->v[x->n].reason = reason;
	x->v[x->n].file = x->path;
	x->v[x->n].line = rec->line;
	x->n++;
	return 0;
}

int pal_overrides_load(pal_campaign *c, const char *path, pal_override **out, size_t *n,
                       pal_diags *diags)
{
	struct override_ctx x = {0};
	x.c = c;
	x.diags = diags;
	x.m.names = override_names;
	*out = NULL;
	*n = 0;
	if (!(x.path = pal_arena_strdup(&c->arena, path))) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading overrides");
		return PAL_IOERR;
	}
	pal_csv_options opt = {0};
	int rc = pal_csv_read(path, &opt, on_override_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading overrides");
	if (rc == 2 || x.oom) {
		free(x.v);
		return PAL_IOERR;
	}
	*out = x.v;
	*n = x.n;
	return rc || x.rejected ? PAL_REJECTED : PAL_OK;
}

/* ---- history ---- */

int pal_campaign_set_previous(pal_campaign *c, const char *path, pal_diags *diags)
{
	char *text;
	size_t len;
	json_error_t jerr;
	int st = pal_file_read_json(path, &text, &len, diags);
	if (st)
		return st;
	json_t *root = pal_json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root && pal_json_oom(&jerr)) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading previous results");
		return PAL_IOERR;
	}
	if (!root) {
		pal_diags_add(diags, PAL_ERROR, path, jerr.line, jerr.column, "malformed JSON: %s",
		              jerr.text);
		return PAL_REJECTED;
	}
	json_t *ed = json_object_get(json_object_get(root, "rubric"), "edition");
	json_t *towns = json_object_get(root, "towns");
	const char *fmt = json_string_value(json_object_get(root, "format"));
	if (!fmt || strcmp(fmt, "palmares-results/1") != 0 || !json_is_integer(ed) ||
	    !json_is_array(towns)) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "not a palmares results file (expected "
		              "\"format\": \"palmares-results/1\", rubric.edition and towns)");
		json_decref(root);
		return PAL_REJECTED;
	}
	json_t *levels = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(towns, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		json_t *lv = json_object_get(t, "level");
		if (id && json_is_integer(lv) && levels && json_object_set(levels, id, lv)) {
			json_decref(levels);
			levels = NULL;
		}
	}
	c->prev_edition = (long)json_integer_value(ed);
	json_decref(root);
	if (!levels) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading previous results");
		return PAL_IOERR;
	}
	json_decref(c->prev_levels);
	c->prev_levels = levels;
	return PAL_OK;
}
