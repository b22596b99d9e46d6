/*
 * Jury marks (SPEC §5), read in order from a CSV file (through csvread.c)
 * or a JSON array. Each mark is attached to its dossier and jury criterion
 * as a linked list in input order. Rejected marks are reported with file
 * and line and never counted; they don't make the dossier invalid (the town
 * did nothing wrong). Whether a marked criterion applies is only known when
 * scoring: score.c ignores such marks with a warning.
 *
 * A file and a text in memory (pal_campaign_add_marks_text: the web
 * front's store) go through the same reader (eng_csv_in), with the same
 * messages. The same checks serve the marks read ahead on a thread
 * (marks_prefetch.c) through marks.h; assignments, overrides and history
 * have their own files (assignments.c, overrides.c, history.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assignments.h"
#include "campaign.h"
#include "fileio.h"
#include "jsonload.h"
#include "markindex.h"
#include "marks.h"
#include "num.h"
#include "palmares/limits.h"
#include "text.h"

/* A number for a message, the same in every locale (printf's %g writes 0,5 in French ones). */
static const char *num_text(double x, char *buf, size_t len)
{
	if (eng_format_number_full(x, buf, len) < 0)
		snprintf(buf, len, "%s", x > 0 ? "Infinity" : x < 0 ? "-Infinity" : "NaN");
	return buf;
}
#define NUM(x) num_text((x), (char[32]){0}, 32)

const char *const eng_mark_names[] = {"juror", "town_id", "criterion", "mark", "comment", NULL};
const char *const eng_mark_ignored[] = {"town_name", "title", "scale", NULL};
static const char *const mark_required[] = {"juror", "town_id", "criterion", "mark", NULL};

void eng_marks_error(struct mark_ctx *x, pal_dossier *d, long line, long col, const char *fmt, ...)
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
		eng_dossier_msg_info(x->c, d, NULL, PAL_WARNING, x->path, line, col,
		                     PAL_MSG_INFO("mark-rejected", -1, NULL, NULL), "mark rejected: %s", buf);
}

/* Like a town submitted twice: the organizer decides which mark stands. */
static void duplicate_mark(struct mark_ctx *x, long line, long col, pal_dossier *d,
                           const pal_criterion *cr, const char *juror, const char *town, pal_mark *o)
{
	eng_marks_error(x, d, line, col, "juror %s marked town %s on \"%s\" twice (also %s:%ld): "
	           "both marks rejected", juror, town, cr->id, eng_mark_file(x->c, o), (long)o->line);
	o->rejected = 1;
}

/*
 * The checks of a mark that need the campaign as loaded (assignment, a second
 * mark by the same juror), then the mark joins its dossier's list in input
 * order. m is a mark read ahead (pal_marks_prefetch), its mark and comment
 * set; NULL: one is made here with v and comment.
 */
void eng_marks_attach(struct mark_ctx *x, long line, long col, pal_dossier *d, const pal_criterion *cr,
                      const char *juror, const char *town, pal_mark *m, double v, const char *comment)
{
	uint32_t jid;
	const char *jname;
	if (x->c->assignments && !eng_assignments_has(x->c->assignments, juror, town)) {
		eng_marks_error(x, d, line, col, "juror %s is not assigned to town %s", juror, town);
		return;
	}
	/* The juror table keeps every id (no bound): the same id is the same juror. */
	if (!(jname = eng_campaign_intern_juror(x->c, juror, &jid))) {
		x->oom = 1;
		return;
	}
	pal_mark **head = &d->marks[cr->jury_index], **tail = head, *o = *head;
	size_t seen = 0;
	/* Short lists are scanned; longer ones go through the campaign's index (markindex.c). */
	for (; o && seen < PAL_MARK_SCAN && o->juror_id != jid; o = o->next, seen++)
		tail = &o->next;
	if (o && o->juror_id == jid) {
		duplicate_mark(x, line, col, d, cr, juror, town, o);
		return;
	}
	if (!m) {
		if (!(m = palx_arena_alloc(&x->c->arena, sizeof(*m))) ||
		    !(m->comment = comment && *comment ? eng_campaign_text(x->c, comment) : "")) {
			x->oom = 1;
			return;
		}
		m->mark = v;
	}
	m->juror = jname;
	m->juror_id = jid;
	m->file = x->file;
	m->line = line < 0 ? 0 : (unsigned long)line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	m->next = NULL;
	m->rejected = 0;
	if (!o) {
		*tail = m;
		return;
	}
	if ((o = eng_mark_index_append(&x->c->mark_index, head, m)) == m)
		x->oom = 1;
	else if (o)
		duplicate_mark(x, line, col, d, cr, juror, town, o);
}

/*
 * The jury criterion whose id is nearest to crit (as column names are
 * suggested), or NULL; marks go on jury criteria only, so only they are
 * offered. Out of memory only loses the suggestion.
 */
static const char *closest_jury(const pal_rubric *r, const char *crit)
{
	const char **ids = malloc((r->ncriteria ? r->ncriteria : 1) * sizeof(*ids)), *best;
	size_t n = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < r->ncriteria; i++)
		if (r->criteria[i].kind == PAL_KIND_JURY)
			ids[n++] = r->criteria[i].id;
	best = pal_text_closest(crit, ids, n);
	free(ids);
	return best;
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
	pal_dossier *d = eng_campaign_find(x->c, town);
	long ci = eng_rubric_find_criterion(r, crit);
	double v = number;
	int pct = 0;
	if (!*juror) {
		eng_marks_error(x, d, line, col, "missing juror");
		return;
	}
	if (!d) {
		eng_marks_error(x, NULL, line, col, "juror %s: unknown town \"%s\"", juror, town);
		return;
	}
	if (ci < 0 || r->criteria[ci].kind != PAL_KIND_JURY) {
		const char *best = ci < 0 ? closest_jury(r, crit) : NULL;
		eng_marks_error(x, d, line, col, "juror %s, town %s: %s criterion \"%s\"%s%s%s", juror, town,
		           ci < 0 ? "unknown" : "not a jury", crit, best ? ": did you mean \"" : "",
		           best ? best : "", best ? "\"?" : "");
		return;
	}
	const pal_criterion *cr = &r->criteria[ci];
	/* An empty cell is "not marked yet"; spreadsheets leave spaces in cells that look empty. */
	if (!is_number && (!mark_text || !mark_text[strspn(mark_text, " \t")]))
		return; /* not marked yet */
	if (!is_number && (eng_num_parse_office(mark_text, &v, &pct) != 0 || pct)) {
		char ex[100];
		palx_text_excerpt(mark_text, strlen(mark_text), 60, ex, sizeof ex);
		eng_marks_error(x, d, line, col, "juror %s, town %s, criterion \"%s\": expected a mark from %s "
		           "to %s, found \"%s\"", juror, town, crit, NUM(cr->scale_min), NUM(cr->scale_max), ex);
		return;
	}
	if (!(v >= cr->scale_min && v <= cr->scale_max)) {
		eng_marks_error(x, d, line, col, "juror %s, town %s, criterion \"%s\": expected a mark from %s "
		           "to %s, found %s", juror, town, crit, NUM(cr->scale_min), NUM(cr->scale_max), NUM(v));
		return;
	}
	eng_marks_attach(x, line, col, d, cr, juror, town, NULL, v, comment);
}

void eng_marks_add(struct mark_ctx *x, long line, long col, const char *juror, const char *town,
                   const char *crit, const char *mark_text, const char *comment)
{
	add_mark(x, line, col, juror, town, crit, mark_text, 0, 0, comment);
}

/*
 * A marks file's header row: a bad one rejects the file (the reader stops:
 * returns 1, or -1 when out of memory); 0 to read on.
 */
int eng_marks_header(struct pal_cols *m, const pal_csv_record *rec, const char *path,
                     pal_diags *diags, int *header_done, int *rejected, int *oom)
{
	int rc = eng_cols_map(m, rec, path, mark_required, diags);
	*header_done = 1;
	if (!rc)
		return 0;
	*rejected = 1;
	*oom = rc < 0;
	return rc < 0 ? -1 : 1;
}

static int on_mark_record(void *ctx, const pal_csv_record *rec)
{
	struct mark_ctx *x = ctx;
	if (!x->header_done)
		return eng_marks_header(&x->m, rec, x->path, x->diags, &x->header_done, &x->rejected, &x->oom);
	palx_arena *a = &x->c->arena;
	char *juror = palx_text_clean_in(a, eng_cols_field(&x->m, rec, PAL_MARK_COL_JUROR));
	char *town = palx_text_clean_in(a, eng_cols_field(&x->m, rec, PAL_MARK_COL_TOWN));
	/* Criterion ids are lower case: fold (case, accents, spaces) only when needed. */
	const char *craw = eng_cols_field(&x->m, rec, PAL_MARK_COL_CRIT);
	char *crit = eng_rubric_find_criterion(x->c->rubric, craw) >= 0 ? strdup(craw)
	                                                                : palx_text_fold(craw);
	if (!juror || !town || !crit) {
		free(crit);
		x->oom = 1;
		return -1;
	}
	add_mark(x, rec->line, 0, juror, town, crit, eng_cols_field(&x->m, rec, PAL_MARK_COL_MARK), 0, 0,
	         eng_cols_field(&x->m, rec, PAL_MARK_COL_COMMENT));
	free(crit);
	return x->oom ? -1 : 0;
}

/*
 * A JSON marks file's bytes: the file read into an owned buffer (*text set,
 * free with free()), or the text in memory borrowed (*text NULL), refused
 * over PALMARES_MAX_JSON as palx_file_read_json() refuses a file, unread.
 */
static int json_bytes(const eng_csv_in *in, char **text, const char **bytes, size_t *len,
                      pal_diags *diags)
{
	*text = NULL;
	if (!in->mem) {
		int st = palx_file_read_json(in->name, text, len, diags);
		*bytes = *text;
		return st;
	}
	size_t max = pal_limits_current()->max_json;
	if (in->len > max) {
		pal_diags_add(diags, PAL_ERROR, in->name, 0, 0,
		              "file is larger than the limit of %zu bytes (limit set by PALMARES_MAX_JSON)", max);
		return PAL_IOERR;
	}
	*bytes = in->text ? in->text : "";
	*len = in->len;
	return 0;
}

static int marks_json(struct mark_ctx *x, const eng_csv_in *in)
{
	char *owned;
	const char *text, *path = x->path;
	size_t len;
	palx_jsonload jl = {.path = path}; /* out of memory: said by the caller */
	int st = json_bytes(in, &owned, &text, &len, x->diags);
	if (st)
		return st;
	json_t *root = palx_jsonload_parse(&jl, text, len, "malformed JSON: %s", x->diags);
	if (!root || !json_is_array(root)) {
		if (root)
			pal_diags_add(x->diags, PAL_ERROR, path, 1, 1, "expected an array of marks");
		json_decref(root);
		free(owned);
		x->oom |= jl.oom;
		return jl.oom ? PAL_IOERR : PAL_REJECTED;
	}
	size_t n = json_array_size(root);
	long *lines = calloc(n + 1, sizeof(long)), *cols = calloc(n + 1, sizeof(long));
	if (!lines || !cols || palx_jsonload_items(text, len, n, lines, cols) != 0)
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
		char *juror = palx_text_clean_in(&x->c->arena, j);
		char *town = palx_text_clean_in(&x->c->arena, t);
		char *crit = palx_text_fold(c);
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
	free(lines);
	free(cols);
	json_decref(root);
	free(owned);
	return x->oom ? PAL_IOERR : x->rejected ? PAL_REJECTED : PAL_OK;
}

/* One marks file or text (in) into c: the one reader of both API entries. */
static int add_marks_in(pal_campaign *c, const eng_csv_in *in, pal_diags *diags)
{
	const char *path = in->name;
	struct mark_ctx x = {0};
	x.c = c;
	x.diags = diags;
	x.m.names = eng_mark_names;
	x.m.ignored = eng_mark_ignored;
	const char **files = realloc(c->mark_files, (c->nmark_files + 1) * sizeof(*files));
	if (files)
		c->mark_files = files;
	if (!files || c->nmark_files >= UINT32_MAX || !(x.path = palx_arena_strdup(&c->arena, path))) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
		return PAL_IOERR;
	}
	x.file = (uint32_t)c->nmark_files;
	c->mark_files[c->nmark_files++] = x.path;
	if (strcasecmp(palx_file_ext(path), "json") == 0) {
		int st = marks_json(&x, in);
		if (x.oom)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
		return st;
	}
	pal_csv_options opt = eng_csv_table_options(path);
	opt.progress = x.c->progress;
	opt.progress_ctx = x.c->progress_ctx;
	int rc = eng_csv_read_in(in, &opt, on_mark_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading marks");
	if (rc == PAL_CSV_READ_IOERR || x.oom)
		return PAL_IOERR;
	if (rc == PAL_CSV_READ_REFUSED)
		return PAL_REJECTED; /* refused as a whole: said why */
	if (!x.header_done) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "empty file: expected a header row");
		return PAL_REJECTED;
	}
	return rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
}

int pal_campaign_add_marks(pal_campaign *c, const char *path, pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_file(path);
	return add_marks_in(c, &in, diags);
}

int pal_campaign_add_marks_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_text(name, text, len);
	return add_marks_in(c, &in, diags);
}
