/*
 * Juror sheets and marking progress (SPEC.md §9, `palmares sheets` and
 * `palmares progress`).
 *
 * Both read a scored campaign (applicability of the jury criteria, and for
 * progress the marks and statuses) and a plan (jury.c). A "view" sorts the
 * plan's pairs by juror, then by the dossier's input order, so that each
 * juror's sheet and line come out in a stable, readable order.
 *
 * Sheets are marks files in waiting: the column set is the marks file's plus
 * `town_name`, `title` and `scale`, which marks.c ignores; when this header
 * changes, change eng_mark_names/eng_mark_ignored in marks.c as well.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csvwrite.h"
#include "jury_int.h"
#include "num.h"

/* ---- views of a plan ------------------------------------------------------ */

typedef struct ventry {
	const char *juror;
	size_t index; /* input index of the pair's dossier */
	size_t pair;  /* index in the plan */
} ventry;

typedef struct view {
	const pal_jury_plan *p;
	ventry *byj;   /* pairs by (juror, dossier input index) */
	ventry *byd;   /* pairs by (dossier input index, juror) */
	size_t *dstart; /* dossier k's pairs are byd[dstart[k] .. dstart[k + 1]) */
} view;

typedef struct dpos {
	const pal_dossier *d;
	size_t index;
} dpos;

static int dpos_cmp(const void *a, const void *b)
{
	const dpos *x = a, *y = b;
	return (x->d > y->d) - (x->d < y->d);
}

static int byj_cmp(const void *a, const void *b)
{
	const ventry *x = a, *y = b;
	int c = strcmp(x->juror, y->juror);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int byd_cmp(const void *a, const void *b)
{
	const ventry *x = a, *y = b;
	if (x->index != y->index)
		return (x->index > y->index) - (x->index < y->index);
	return strcmp(x->juror, y->juror);
}

static void view_free(view *v)
{
	free(v->byj);
	free(v->byd);
	free(v->dstart);
	v->byj = v->byd = NULL;
	v->dstart = NULL;
}

/* Every pair's dossier belongs to c (plans are made or loaded for it). Returns 0, or -1 (OOM). */
static int view_init(view *v, const pal_campaign *c, const pal_jury_plan *p)
{
	dpos *pos = malloc((c->ndossiers + 1) * sizeof *pos);
	v->p = p;
	v->byj = malloc((p->n + 1) * sizeof *v->byj);
	v->byd = malloc((p->n + 1) * sizeof *v->byd);
	v->dstart = calloc(c->ndossiers + 2, sizeof *v->dstart);
	if (!pos || !v->byj || !v->byd || !v->dstart) {
		free(pos);
		view_free(v);
		return -1;
	}
	for (size_t k = 0; k < c->ndossiers; k++)
		pos[k] = (dpos){c->dossiers[k], k};
	qsort(pos, c->ndossiers, sizeof *pos, dpos_cmp);
	for (size_t i = 0; i < p->n; i++) {
		dpos key = {p->v[i].d, 0};
		const dpos *f = bsearch(&key, pos, c->ndossiers, sizeof *pos, dpos_cmp);
		v->byj[i] = (ventry){p->v[i].juror, f ? f->index : c->ndossiers, i};
		v->byd[i] = v->byj[i];
		v->dstart[v->byj[i].index + 1]++;
	}
	free(pos);
	for (size_t k = 0; k <= c->ndossiers; k++)
		v->dstart[k + 1] += v->dstart[k];
	qsort(v->byj, p->n, sizeof *v->byj, byj_cmp);
	qsort(v->byd, p->n, sizeof *v->byd, byd_cmp);
	return 0;
}

/* The run of v->byj holding juror's pairs: [*from, *to). */
static void view_range(const view *v, const char *juror, size_t *from, size_t *to)
{
	size_t lo = 0, hi = v->p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v->byj[mid].juror, juror) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < v->p->n && strcmp(v->byj[lo].juror, juror) == 0)
		lo++;
	*to = lo;
}

/* ---- sheets --------------------------------------------------------------- */

/* "[0, 5]", or "[0; 2,5]" with a decimal comma: the scale as a reader of the sheet writes numbers. */
static void scale_text(const pal_criterion *cr, const pal_csvw *w, char *buf, size_t len)
{
	char lo[32], hi[32], *dot;
	eng_format_number(cr->scale_min, lo, sizeof lo);
	eng_format_number(cr->scale_max, hi, sizeof hi);
	if (w->decimal != '.') {
		if ((dot = strchr(lo, '.')) != NULL)
			*dot = w->decimal;
		if ((dot = strchr(hi, '.')) != NULL)
			*dot = w->decimal;
	}
	snprintf(buf, len, "[%s%c %s]", lo, w->decimal == ',' ? ';' : ',', hi);
}

static void sheet_rows(const pal_campaign *c, const pal_dossier *d, const char *juror,
                       const char *lang, pal_csvw *w)
{
	const pal_rubric *r = c->rubric;
	char scale[80];
	if (!eng_jury_needs_marks(r, d))
		return;
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		const char *title;
		if (cr->kind != PAL_KIND_JURY || !pal_dossier_applies(d, i))
			continue;
		title = eng_rubric_text(r, cr->title, lang);
		scale_text(cr, w, scale, sizeof scale);
		eng_csvw_field(w, juror);
		eng_csvw_sep(w);
		eng_csvw_field(w, d->town_id);
		eng_csvw_sep(w);
		eng_csvw_field(w, d->town_name);
		eng_csvw_sep(w);
		eng_csvw_field(w, cr->id);
		eng_csvw_sep(w);
		eng_csvw_field(w, title ? title : cr->id);
		eng_csvw_sep(w);
		eng_csvw_field(w, scale);
		eng_csvw_sep(w); /* mark and comment: empty */
		eng_csvw_sep(w);
		eng_csvw_end(w);
	}
}

/* Starts a sheet on out: the dialect of flags (its byte order mark) and the header row. */
static void sheet_header(unsigned flags, FILE *out, pal_csvw *w)
{
	static const char *const head[] = {"juror", "town_id", "town_name", "criterion", "title",
	                                   "scale", "mark", "comment"};
	eng_csvw_init(w, out, flags & PAL_SHEETS_EXCEL_FR ? PAL_CSV_EXCEL_FR : PAL_CSV_PLAIN);
	if ((flags & PAL_SHEETS_BOM) && !(flags & PAL_SHEETS_EXCEL_FR)) /* excel-fr has written it */
		fputs("\xef\xbb\xbf", out);
	eng_csvw_fields(w, head, sizeof head / sizeof head[0]);
	eng_csvw_end(w);
}

int pal_jury_sheet_write(const pal_campaign *c, const pal_jury_plan *p, const char *juror,
                         const char *lang, unsigned flags, FILE *out)
{
	view v;
	size_t from, to;
	if (view_init(&v, c, p) != 0)
		return -1;
	pal_csvw w;
	sheet_header(flags, out, &w);
	view_range(&v, juror, &from, &to);
	for (size_t i = from; i < to; i++)
		sheet_rows(c, p->v[v.byj[i].pair].d, juror, lang, &w);
	view_free(&v);
	return ferror(out) ? -1 : 0;
}

/* Creates dir when missing. Returns 0, or -1 with a message in diags. */
static int ensure_dir(const char *dir, pal_diags *diags)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		pal_diags_add(diags, PAL_ERROR, dir, 0, 0, "not a directory");
		return -1;
	}
	if (mkdir(dir, 0777) != 0) {
		pal_diags_add(diags, PAL_ERROR, dir, 0, 0, "cannot create the directory: %s",
		              strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Writes one juror's sheet atomically at dir/juror.csv. Returns 0, -1 with a
 * message, or -2 with a message when the name in dir is not a regular file
 * (a planted link, a FIFO: refused, the other sheets are still written).
 */
static int sheet_file(const pal_campaign *c, const view *v, const char *dir, const char *juror,
                      const char *lang, unsigned flags, pal_diags *diags)
{
	size_t dl = strlen(dir), from, to;
	char *path, err[1024];
	pal_output *o;
	int rc;
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (!(path = malloc(dl + strlen(juror) + 6))) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "out of memory while writing sheets");
		return -1;
	}
	snprintf(path, dl + strlen(juror) + 6, "%.*s/%s.csv", (int)dl, dir, juror);
	if (!(o = pal_output_open_flags(path, PAL_OUTPUT_REGULAR, err, sizeof err))) {
		int refused = errno == EEXIST;
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "juror %s: %s", juror, err);
		free(path);
		return refused ? -2 : -1;
	}
	pal_csvw w;
	sheet_header(flags, pal_output_stream(o), &w);
	view_range(v, juror, &from, &to);
	for (size_t i = from; i < to; i++)
		sheet_rows(c, v->p->v[v->byj[i].pair].d, juror, lang, &w);
	if (ferror(pal_output_stream(o))) {
		pal_output_abort(o);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot write the sheet");
		rc = -1;
	} else {
		rc = pal_output_commit(o, err, sizeof err);
		if (rc != 0)
			pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "%s", err);
	}
	free(path);
	return rc;
}

/* Warns once per assigned dossier that gets no row (invalid, or no applicable jury criterion). */
static void warn_rowless(const pal_campaign *c, const view *v, pal_diags *diags)
{
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		if (v->dstart[k + 1] == v->dstart[k] || eng_jury_needs_marks(c->rubric, d))
			continue;
		pal_diags_add(diags, PAL_WARNING, d->file, d->line, d->col, "town %s \"%s\" is assigned "
		              "but %s: no sheet row for it", d->town_id, d->town_name,
		              d->invalid || d->status == PAL_STATUS_INVALID
		                      ? "invalid"
		                      : "has no applicable jury criterion");
	}
}

struct id_at {
	const char *id;
	size_t i;
};

static int by_id_nocase(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;
	int c = strcasecmp(x->id, y->id);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * For each of the n ids, 1 when an earlier one differs from it only by case
 * (their sheets would share one file on some systems). Sorting by
 * case-insensitive id makes it O(n log n): comparing each id with all
 * before it was quadratic in the jurors (issue 19). Owned array, or NULL
 * when out of memory.
 */
static unsigned char *case_clashes(const char **ids, size_t n)
{
	unsigned char *clash = calloc(n ? n : 1, 1);
	struct id_at *order = malloc((n ? n : 1) * sizeof(*order));
	if (!clash || !order) {
		free(clash);
		free(order);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (struct id_at){ids[i], i};
	qsort(order, n, sizeof(*order), by_id_nocase);
	for (size_t i = 1; i < n; i++)
		if (strcasecmp(order[i - 1].id, order[i].id) == 0)
			clash[order[i].i] = 1;
	free(order);
	return clash;
}

int pal_jury_sheets_write(const pal_campaign *c, const pal_jury_plan *p, const char *dir,
                          const char *lang, unsigned flags, pal_diags *diags)
{
	const char **ids = NULL;
	size_t n = 0;
	int st = PAL_OK;
	view v;
	if (ensure_dir(dir, diags) != 0)
		return PAL_IOERR;
	if (eng_jury_plan_jurors(p, &ids, &n) != 0 || view_init(&v, c, p) != 0) {
		free(ids);
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "out of memory while writing sheets");
		return PAL_IOERR;
	}
	warn_rowless(c, &v, diags);
	unsigned char *clashes = case_clashes(ids, n);
	if (n && !clashes) {
		view_free(&v);
		free(ids);
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "out of memory while writing sheets");
		return PAL_IOERR;
	}
	int stop = 0;
	for (size_t i = 0; i < n && !stop; i++) {
		int clash = clashes[i];
		if (!pal_jury_id_safe(ids[i]) || clash) {
			pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "juror \"%s\": %s: no sheet written",
			              ids[i], clash ? "differs from another juror only by letter case"
			                            : "the id cannot name a file");
			st = PAL_REJECTED;
			continue;
		}
		int rc = sheet_file(c, &v, dir, ids[i], lang, flags, diags);
		if (rc != 0)
			st = PAL_IOERR;
		stop = rc == -1; /* a write that failed: the next would too */
	}
	free(clashes);
	view_free(&v);
	free(ids);
	return st;
}

/* ---- progress ------------------------------------------------------------- */

/* Whether juror marked every applicable jury criterion of d. */
static int fully_marked(const pal_rubric *r, const pal_dossier *d, const char *juror)
{
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (r->criteria[i].kind == PAL_KIND_JURY && pal_dossier_applies(d, i) &&
		    !eng_jury_mark_of(r, d, i, juror))
			return 0;
	}
	return 1;
}

typedef struct progress {
	const pal_campaign *c;
	const pal_jury_plan *p;
	view v;
	const char **jurors;  /* distinct, sorted */
	size_t njurors;
	size_t *assigned, *complete; /* per juror: dossiers needing marks / fully marked */
	size_t *dassigned;           /* per dossier (input index): assigned jurors */
	size_t need, done, pending;  /* dossiers needing marks / complete / pending */
} progress;

static void progress_free(progress *g)
{
	view_free(&g->v);
	free(g->jurors);
	free(g->assigned);
	free(g->complete);
	free(g->dassigned);
}

static int progress_init(progress *g, const pal_campaign *c, const pal_jury_plan *p)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	g->p = p;
	if (view_init(&g->v, c, p) != 0)
		return -1;
	if (eng_jury_plan_jurors(p, &g->jurors, &g->njurors) != 0)
		return -1;
	g->assigned = calloc(g->njurors + 1, sizeof *g->assigned);
	g->complete = calloc(g->njurors + 1, sizeof *g->complete);
	g->dassigned = calloc(c->ndossiers + 1, sizeof *g->dassigned);
	if (!g->assigned || !g->complete || !g->dassigned)
		return -1;
	for (size_t j = 0; j < g->njurors; j++) {
		size_t from, to;
		view_range(&g->v, g->jurors[j], &from, &to);
		for (size_t i = from; i < to; i++) {
			const pal_jury_pair *e = &p->v[g->v.byj[i].pair];
			if (!eng_jury_needs_marks(c->rubric, e->d))
				continue;
			g->assigned[j]++;
			g->complete[j] += (size_t)fully_marked(c->rubric, e->d, e->juror);
			g->dassigned[g->v.byj[i].index]++;
		}
	}
	return 0;
}

/* Calls fn for each assigned juror of dossier k (input index) who lacks a mark on criterion i
 * (i = SIZE_MAX: on any applicable jury criterion). Returns how many there are. */
static size_t unmarked(const progress *g, size_t k, size_t i,
                       void (*fn)(void *ctx, const char *juror), void *ctx)
{
	const pal_rubric *r = g->c->rubric;
	const pal_dossier *d = g->c->dossiers[k];
	size_t n = 0;
	for (size_t t = g->v.dstart[k]; t < g->v.dstart[k + 1]; t++) {
		const pal_jury_pair *e = &g->p->v[g->v.byd[t].pair];
		int missing;
		missing = i == SIZE_MAX ? !fully_marked(r, d, e->juror)
		                        : !eng_jury_mark_of(r, d, i, e->juror);
		if (missing) {
			n++;
			if (fn)
				fn(ctx, e->juror);
		}
	}
	return n;
}

static void count_dossiers(progress *g)
{
	const pal_campaign *c = g->c;
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		if (!eng_jury_needs_marks(c->rubric, d))
			continue;
		g->need++;
		g->pending += d->status == PAL_STATUS_PENDING;
		g->done += d->status == PAL_STATUS_SCORED && unmarked(g, k, SIZE_MAX, NULL, NULL) == 0;
	}
}

static void jw_str_cb(void *ctx, const char *s)
{
	eng_jw_str(ctx, s);
}

static void progress_json_town(const progress *g, pal_jw *w, size_t k)
{
	const pal_rubric *r = g->c->rubric;
	const pal_dossier *d = g->c->dossiers[k];
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, d->town_id);
	eng_jw_key(w, "name");
	eng_jw_str(w, d->town_name);
	eng_jw_key(w, "status");
	eng_jw_str(w, d->status == PAL_STATUS_SCORED ? "scored" : "pending");
	eng_jw_key(w, "assigned");
	eng_jw_int(w, (long long)g->dassigned[k]);
	eng_jw_key(w, "complete");
	eng_jw_bool(w, d->status == PAL_STATUS_SCORED && unmarked(g, k, SIZE_MAX, NULL, NULL) == 0);
	eng_jw_key(w, "criteria");
	eng_jw_arr(w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (r->criteria[i].kind != PAL_KIND_JURY || !pal_dossier_applies(d, i))
			continue;
		unsigned nm = d->jury[r->criteria[i].jury_index].nmarks;
		eng_jw_obj(w);
		eng_jw_key(w, "id");
		eng_jw_str(w, r->criteria[i].id);
		eng_jw_key(w, "marks");
		eng_jw_int(w, nm);
		eng_jw_key(w, "min_marks");
		eng_jw_int(w, r->min_marks);
		eng_jw_key(w, "lacking");
		eng_jw_int(w, (int)nm < r->min_marks ? r->min_marks - (int)nm : 0);
		eng_jw_key(w, "unmarked_by");
		eng_jw_arr(w);
		unmarked(g, k, i, jw_str_cb, w);
		eng_jw_end_arr(w);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_key(w, "unmarked_by");
	eng_jw_arr(w);
	unmarked(g, k, SIZE_MAX, jw_str_cb, w);
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

static void progress_json(const progress *g, const pal_borderline *b, FILE *out)
{
	pal_jw w;
	eng_jw_init(&w, out, 1);
	eng_jw_obj(&w);
	eng_jw_key(&w, "summary");
	eng_jw_obj(&w);
	eng_jw_key(&w, "dossiers");
	eng_jw_int(&w, (long long)g->need);
	eng_jw_key(&w, "complete");
	eng_jw_int(&w, (long long)g->done);
	eng_jw_key(&w, "pending");
	eng_jw_int(&w, (long long)g->pending);
	eng_jw_key(&w, "jurors");
	eng_jw_int(&w, (long long)g->njurors);
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "jurors");
	eng_jw_arr(&w);
	for (size_t j = 0; j < g->njurors; j++) {
		eng_jw_obj(&w);
		eng_jw_key(&w, "id");
		eng_jw_str(&w, g->jurors[j]);
		eng_jw_key(&w, "assigned");
		eng_jw_int(&w, (long long)g->assigned[j]);
		eng_jw_key(&w, "complete");
		eng_jw_int(&w, (long long)g->complete[j]);
		eng_jw_key(&w, "missing");
		eng_jw_int(&w, (long long)(g->assigned[j] - g->complete[j]));
		eng_jw_end_obj(&w);
	}
	eng_jw_end_arr(&w);
	eng_jw_key(&w, "towns");
	eng_jw_arr(&w);
	for (size_t k = 0; k < g->c->ndossiers; k++) {
		if (eng_jury_needs_marks(g->c->rubric, g->c->dossiers[k]))
			progress_json_town(g, &w, k);
	}
	eng_jw_end_arr(&w);
	eng_jw_key(&w, "borderline");
	eng_borderline_json(&w, b, g->c);
	eng_jw_end_obj(&w);
}

struct list_ctx {
	FILE *out;
	int first;
};

static void text_item_cb(void *ctx, const char *s)
{
	struct list_ctx *x = ctx;
	fprintf(x->out, "%s%s", x->first ? "" : ", ", s);
	x->first = 0;
}

/* What keeps dossier k from being complete, in a few lines. */
static void progress_text_town(const progress *g, size_t k, FILE *out)
{
	const pal_rubric *r = g->c->rubric;
	const pal_dossier *d = g->c->dossiers[k];
	fprintf(out, "  %s \"%s\": %s", d->town_id, d->town_name,
	        d->status == PAL_STATUS_PENDING ? "pending" : "scored, marks still expected");
	if ((int)g->dassigned[k] < r->min_marks)
		fprintf(out, " (only %zu juror%s assigned for %d marks)", g->dassigned[k],
		        g->dassigned[k] == 1 ? "" : "s", r->min_marks);
	fputc('\n', out);
	for (size_t i = 0; i < r->ncriteria; i++) {
		struct list_ctx x = {out, 1};
		if (r->criteria[i].kind != PAL_KIND_JURY || !pal_dossier_applies(d, i))
			continue;
		int nm = (int)d->jury[r->criteria[i].jury_index].nmarks;
		if (nm >= r->min_marks && unmarked(g, k, i, NULL, NULL) == 0)
			continue;
		fprintf(out, "    %s: %d mark%s", r->criteria[i].id, nm, nm == 1 ? "" : "s");
		if (nm < r->min_marks)
			fprintf(out, ", %d more needed", r->min_marks - nm);
		if (unmarked(g, k, i, NULL, NULL)) {
			fputs("; not marked by ", out);
			unmarked(g, k, i, text_item_cb, &x);
		}
		fputc('\n', out);
	}
}

static void progress_text(const progress *g, const pal_borderline *b, FILE *out)
{
	fprintf(out, "Jury progress: %zu dossier%s to mark, %zu complete, %zu pending\n\n", g->need,
	        g->need == 1 ? "" : "s", g->done, g->pending);
	fprintf(out, "  %-24s %9s %7s %8s\n", "juror", "assigned", "marked", "missing");
	for (size_t j = 0; j < g->njurors; j++)
		fprintf(out, "  %-24s %9zu %7zu %8zu\n", g->jurors[j], g->assigned[j], g->complete[j],
		        g->assigned[j] - g->complete[j]);
	if (g->done < g->need) {
		fputs("\nNot complete yet\n", out);
		for (size_t k = 0; k < g->c->ndossiers; k++) {
			const pal_dossier *d = g->c->dossiers[k];
			if (eng_jury_needs_marks(g->c->rubric, d) &&
			    (d->status != PAL_STATUS_SCORED || unmarked(g, k, SIZE_MAX, NULL, NULL)))
				progress_text_town(g, k, out);
		}
	}
	fputc('\n', out);
	eng_borderline_text(b, g->c, out);
}

int pal_jury_progress_write(pal_campaign *c, const pal_jury_plan *p, pal_jury_format fmt,
                            FILE *out)
{
	progress g;
	pal_borderline *b = NULL;
	int rc = -1;
	if (progress_init(&g, c, p) == 0 && pal_borderline_compute(c, &b) == PAL_OK) {
		count_dossiers(&g);
		if (fmt == PAL_JURY_JSON)
			progress_json(&g, b, out);
		else
			progress_text(&g, b, out);
		rc = ferror(out) ? -1 : 0;
	}
	pal_borderline_free(b);
	progress_free(&g);
	return rc;
}
