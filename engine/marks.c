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
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign.h"
#include "csvread.h"
#include "fileio.h"
#include "jsonload.h"
#include "markindex.h"
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
	int header_done, rejected, oom;
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
		pal_dossier_msg_info(x->c, d, NULL, PAL_WARNING, x->path, line, col,
		                     PAL_MSG_INFO("mark-rejected", -1, NULL, NULL), "mark rejected: %s", buf);
}

/* Like a town submitted twice: the organizer decides which mark stands. */
static void duplicate_mark(struct mark_ctx *x, long line, long col, pal_dossier *d,
                           const pal_criterion *cr, const char *juror, const char *town, pal_mark *o)
{
	mark_error(x, d, line, col, "juror %s marked town %s on \"%s\" twice (also %s:%ld): "
	           "both marks rejected", juror, town, cr->id, pal_mark_file(x->c, o), (long)o->line);
	o->rejected = 1;
}

/*
 * The checks of a mark that need the campaign as loaded (assignment, a second
 * mark by the same juror), then the mark joins its dossier's list in input
 * order. m is a mark read ahead (pal_marks_prefetch), its mark and comment
 * set; NULL: one is made here with v and comment.
 */
static void attach(struct mark_ctx *x, long line, long col, pal_dossier *d, const pal_criterion *cr,
                   const char *juror, const char *town, pal_mark *m, double v, const char *comment)
{
	uint32_t jid;
	const char *jname;
	if (x->c->assignments && !pal_assignments_has(x->c->assignments, juror, town)) {
		mark_error(x, d, line, col, "juror %s is not assigned to town %s", juror, town);
		return;
	}
	/* The juror table keeps every id (no bound): the same id is the same juror. */
	if (!(jname = pal_campaign_intern_juror(x->c, juror, &jid))) {
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
		if (!(m = pal_arena_alloc(&x->c->arena, sizeof(*m))) ||
		    !(m->comment = comment && *comment ? pal_campaign_text(x->c, comment) : "")) {
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
	if ((o = pal_mark_index_append(&x->c->mark_index, head, m)) == m)
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
		const char *best = ci < 0 ? closest_jury(r, crit) : NULL;
		mark_error(x, d, line, col, "juror %s, town %s: %s criterion \"%s\"%s%s%s", juror, town,
		           ci < 0 ? "unknown" : "not a jury", crit, best ? ": did you mean \"" : "",
		           best ? best : "", best ? "\"?" : "");
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
	attach(x, line, col, d, cr, juror, town, NULL, v, comment);
}

/*
 * A marks file's header row: a bad one rejects the file (the reader stops:
 * returns 1, or -1 when out of memory); 0 to read on.
 */
static int marks_header(struct cols *m, const pal_csv_record *rec, const char *path,
                        pal_diags *diags, int *header_done, int *rejected, int *oom)
{
	int rc = map_header(m, rec, path, mark_required, diags);
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
		return marks_header(&x->m, rec, x->path, x->diags, &x->header_done, &x->rejected, &x->oom);
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
	pal_jsonload jl = {.path = path}; /* out of memory: said by the caller */
	int st = pal_file_read_json(path, &text, &len, x->diags);
	if (st)
		return st;
	json_t *root = pal_jsonload_parse(&jl, text, len, "malformed JSON: %s", x->diags);
	if (!root || !json_is_array(root)) {
		if (root)
			pal_diags_add(x->diags, PAL_ERROR, path, 1, 1, "expected an array of marks");
		json_decref(root);
		free(text);
		x->oom |= jl.oom;
		return jl.oom ? PAL_IOERR : PAL_REJECTED;
	}
	size_t n = json_array_size(root);
	long *lines = calloc(n + 1, sizeof(long)), *cols = calloc(n + 1, sizeof(long));
	if (!lines || !cols || pal_jsonload_items(text, len, n, lines, cols) != 0)
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
	pal_csv_options opt = pal_csv_table_options(path);
	opt.progress = x.c->progress;
	opt.progress_ctx = x.c->progress_ctx;
	int rc = pal_csv_read(path, &opt, on_mark_record, &x, diags);
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

/*
 * ---- marks read ahead ----
 *
 * A national campaign's marks file is as large as its dossiers file: read
 * after them on the same core, it adds its whole reading time. pal_marks_prefetch
 * reads the CSV marks files on a thread while the dossiers load: it parses,
 * cleans and checks every row as far as it can without the dossiers, and
 * makes each mark it could check the pal_mark it will become. Adding a file
 * then only finds each mark's dossier, checks assignment and duplicates, and
 * links it (attach()); a row that failed a check is kept as text and goes
 * through add_mark(), so that it is reported exactly as when read in order;
 * a row not marked yet is only checked for its town. The reader's own
 * messages (encoding, CSV syntax, header) are kept with the row they came
 * before and merged in the same order: the messages, marks and results are
 * those of pal_campaign_add_marks.
 *
 * Each row is a pal_mark, in order in blocks of pointers. While staged, its
 * fields hold: juror the town id (temporary), juror_id the id in the
 * thread's own juror table, file the criterion index, and rejected 0 for a
 * mark (in the arena the campaign adopts), STAGED_BLANK for a row not marked
 * yet and STAGED_ROW for a row kept as text, whose comment is then
 * "juror\0town\0criterion\0mark\0comment" behind a struct staged_row (both
 * in the temporary arena: a sheet of empty rows costs nothing once added).
 */

#define STAGED_ROW 2
#define STAGED_BLANK 3
#define STAGE_BLOCK 1024

struct stage_block {
	struct stage_block *next;
	size_t n;
	pal_mark *v[STAGE_BLOCK];
};

struct staged_row {
	long line;
	char text[];
};

struct staged_file {
	const char *path;           /* borrowed */
	int json;                   /* read when added: not a CSV file */
	const pal_rubric *r;
	pal_diags *diags;           /* the reader's own messages */
	size_t *diag_at;            /* pairs (entry, messages before it) */
	size_t ndiag_at, cap_diag_at, seen;
	struct stage_block *first, *last;
	size_t nentries;
	void *jurors, *texts;       /* the thread's intern tables */
	pal_arena keep;             /* marks and comments: given to the campaign */
	pal_arena temp;             /* town ids and rows kept as text */
	struct cols m;
	int rc, header_done, rejected, oom;
};

struct pal_marks_prefetch {
	struct staged_file *f;
	size_t n;
	pthread_t thread;
	int started, joined;
};

/* A new row in arena a (keep for a mark, temp for the others), appended to the rows; NULL: OOM. */
static pal_mark *stage_entry(struct staged_file *f, pal_arena *a)
{
	pal_mark *m = pal_arena_alloc(a, sizeof(*m));
	if (!m)
		return NULL;
	if (!f->last || f->last->n == STAGE_BLOCK) {
		struct stage_block *b = pal_arena_alloc(&f->temp, sizeof(*b));
		if (!b)
			return NULL;
		if (f->last)
			f->last->next = b;
		else
			f->first = b;
		f->last = b;
	}
	f->nentries++;
	f->last->v[f->last->n++] = m;
	return m;
}

/* Notes how many of the reader's messages come before the next entry. */
static int stage_diags(struct staged_file *f)
{
	size_t n = pal_diags_count(f->diags);
	if (n == f->seen)
		return 0;
	if (f->ndiag_at == f->cap_diag_at) {
		size_t cap = f->cap_diag_at ? f->cap_diag_at * 2 : 16;
		size_t *v = realloc(f->diag_at, cap * 2 * sizeof(*v));
		if (!v)
			return -1;
		f->diag_at = v;
		f->cap_diag_at = cap;
	}
	f->diag_at[2 * f->ndiag_at] = f->nentries;
	f->diag_at[2 * f->ndiag_at + 1] = n;
	f->ndiag_at++;
	f->seen = n;
	return 0;
}

static char *stage_row(struct staged_file *f, long line, const char *const s[5])
{
	size_t len[5], total = sizeof(struct staged_row);
	for (int k = 0; k < 5; k++)
		total += (len[k] = strlen(s[k])) + 1;
	struct staged_row *row = pal_arena_alloc(&f->temp, total);
	if (!row)
		return NULL;
	row->line = line;
	char *p = row->text;
	for (int k = 0; k < 5; k++) {
		memcpy(p, s[k], len[k] + 1);
		p += len[k] + 1;
	}
	return (char *)row;
}

/* on_mark_record() as far as it goes without the campaign. */
static int on_staged_record(void *ctx, const pal_csv_record *rec)
{
	struct staged_file *f = ctx;
	if (stage_diags(f)) {
		f->oom = 1;
		return -1;
	}
	if (!f->header_done)
		return marks_header(&f->m, rec, f->path, f->diags, &f->header_done, &f->rejected, &f->oom);
	const pal_rubric *r = f->r;
	pal_mark *m = NULL;
	char *juror = pal_text_clean_in(&f->temp, field(&f->m, rec, M_JUROR));
	char *town = pal_text_clean_in(&f->temp, field(&f->m, rec, M_TOWN));
	const char *craw = field(&f->m, rec, M_CRIT), *crit = craw;
	char *folded = NULL;
	long ci = pal_rubric_find_criterion(r, craw);
	if (ci < 0 && (crit = folded = pal_text_fold(craw)) != NULL)
		ci = pal_rubric_find_criterion(r, crit);
	if (!juror || !town || !crit)
		goto oom;
	const char *mark_text = field(&f->m, rec, M_MARK), *comment = field(&f->m, rec, M_COMMENT);
	const pal_criterion *cr = ci >= 0 ? &r->criteria[ci] : NULL;
	int blank = !mark_text[strspn(mark_text, " \t")], pct = 0;
	double v;
	uint32_t tid;
	/* The checks of add_mark() that need no dossier; a row failing one is kept as text. */
	if (*juror && cr && cr->kind == PAL_KIND_JURY &&
	    (blank || (pal_num_parse_office(mark_text, &v, &pct) == 0 && !pct && v >= cr->scale_min &&
	               v <= cr->scale_max))) {
		if (!(m = stage_entry(f, blank ? &f->temp : &f->keep)) ||
		    !pal_intern(&f->keep, &f->jurors, UINT32_MAX, juror, &tid))
			goto oom;
		if (blank)
			m->rejected = STAGED_BLANK;
		else if (!(m->comment = *comment ? pal_intern_text(&f->keep, &f->texts, comment) : ""))
			goto oom;
		m->juror = town;
		m->juror_id = tid;
		m->file = (uint32_t)ci;
		m->mark = blank ? 0 : v;
		m->line = rec->line < 0 ? 0 : (unsigned long)rec->line > UINT32_MAX ? UINT32_MAX
		                                                                    : (uint32_t)rec->line;
	} else {
		const char *row[5] = {juror, town, crit, mark_text, comment};
		if (!(m = stage_entry(f, &f->temp)) || !(m->comment = stage_row(f, rec->line, row)))
			goto oom;
		m->rejected = STAGED_ROW;
	}
	free(folded);
	return 0;
oom:
	free(folded);
	f->oom = 1;
	return -1;
}

static void stage_file(struct staged_file *f)
{
	pal_csv_options opt = pal_csv_table_options(f->path);
	/* No progress from here: the terminal line belongs to the thread loading the dossiers. */
	f->rc = pal_csv_read(f->path, &opt, on_staged_record, f, f->diags);
	if (stage_diags(f))
		f->oom = 1;
}

static void *stage_all(void *arg)
{
	pal_marks_prefetch *p = arg;
	for (size_t i = 0; i < p->n; i++)
		if (!p->f[i].json)
			stage_file(&p->f[i]);
	return NULL;
}

pal_marks_prefetch *pal_marks_prefetch_start(const pal_rubric *r, const char *const *paths, size_t n)
{
	pal_marks_prefetch *p = calloc(1, sizeof(*p));
	if (!p || !(p->f = calloc(n + 1, sizeof(*p->f)))) {
		free(p);
		return NULL;
	}
	p->n = n;
	for (size_t i = 0; i < n; i++) {
		struct staged_file *f = &p->f[i];
		f->path = paths[i];
		f->json = strcasecmp(pal_file_ext(paths[i]), "json") == 0;
		f->r = r;
		f->m.names = mark_names;
		f->m.ignored = mark_ignored;
		pal_arena_init(&f->keep, 4 * 1024 * 1024);
		pal_arena_init(&f->temp, 4 * 1024 * 1024);
		if (!(f->diags = pal_diags_new())) {
			pal_marks_prefetch_free(p);
			return NULL;
		}
	}
	/* Without a thread, the files are read when added: slower, the same results. */
	p->started = pthread_create(&p->thread, NULL, stage_all, p) == 0;
	return p;
}

static void prefetch_join(pal_marks_prefetch *p)
{
	if (p->joined)
		return;
	if (p->started)
		pthread_join(p->thread, NULL);
	else
		stage_all(p);
	p->joined = 1;
}

void pal_marks_prefetch_free(pal_marks_prefetch *p)
{
	if (!p)
		return;
	prefetch_join(p);
	for (size_t i = 0; i < p->n; i++) {
		struct staged_file *f = &p->f[i];
		pal_diags_free(f->diags);
		free(f->diag_at);
		pal_intern_free(f->jurors);
		pal_intern_free(f->texts);
		pal_arena_release(&f->keep);
		pal_arena_release(&f->temp);
	}
	free(p->f);
	free(p);
}

/* Moves the reader's messages [*from, upto) into diags. */
static void merge_diags(pal_diags *diags, const pal_diags *own, size_t *from, size_t upto)
{
	for (; *from < upto; ++*from) {
		const pal_diag *g = pal_diags_get(own, *from);
		pal_diags_add(diags, g->severity, g->file, g->line, g->col, "%s", g->text);
	}
}

int pal_campaign_add_prefetched_marks(pal_campaign *c, pal_marks_prefetch *p, size_t i,
                                      pal_diags *diags)
{
	struct staged_file *f = &p->f[i];
	struct mark_ctx x = {0};
	size_t from = 0, at = 0, e = 0;
	if (f->json)
		return pal_campaign_add_marks(c, f->path, diags);
	prefetch_join(p);
	x.c = c;
	x.diags = diags;
	const char **files = realloc(c->mark_files, (c->nmark_files + 1) * sizeof(*files));
	if (files)
		c->mark_files = files;
	if (!files || c->nmark_files >= UINT32_MAX || !(x.path = pal_arena_strdup(&c->arena, f->path))) {
		pal_diags_add(diags, PAL_ERROR, f->path, 0, 0, "out of memory while reading marks");
		return PAL_IOERR;
	}
	x.file = (uint32_t)c->nmark_files;
	c->mark_files[c->nmark_files++] = x.path;
	for (struct stage_block *b = f->first; b && !x.oom; b = b->next)
		for (size_t k = 0; k < b->n && !x.oom; k++, e++) {
			pal_mark *m = b->v[k];
			for (; at < f->ndiag_at && f->diag_at[2 * at] <= e; at++)
				merge_diags(diags, f->diags, &from, f->diag_at[2 * at + 1]);
			if (m->rejected == STAGED_ROW) {
				struct staged_row *row = (struct staged_row *)(void *)m->comment;
				const char *s[5];
				s[0] = row->text;
				for (int q = 1; q < 5; q++)
					s[q] = s[q - 1] + strlen(s[q - 1]) + 1;
				add_mark(&x, row->line, 0, s[0], s[1], s[2], s[3], 0, 0, s[4]);
				continue;
			}
			const char *town = m->juror, *juror = pal_intern_name(f->jurors, m->juror_id);
			pal_dossier *d = pal_campaign_find(c, town);
			if (!d)
				mark_error(&x, NULL, (long)m->line, 0, "juror %s: unknown town \"%s\"", juror, town);
			else if (m->rejected != STAGED_BLANK) /* not marked yet: nothing more to say */
				attach(&x, (long)m->line, 0, d, &c->rubric->criteria[m->file], juror, town, m,
				       m->mark, NULL);
		}
	merge_diags(diags, f->diags, &from, pal_diags_count(f->diags));
	if (pal_diags_oom(f->diags))
		x.oom = 1;
	/* The marks, comments and juror names now live with the campaign. */
	pal_arena_adopt(&c->arena, &f->keep);
	pal_arena_release(&f->temp);
	x.oom |= f->oom;
	x.rejected |= f->rejected;
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, f->path, 0, 0, "out of memory while reading marks");
	if (f->rc == PAL_CSV_READ_IOERR || x.oom)
		return PAL_IOERR;
	if (f->rc == PAL_CSV_READ_REFUSED)
		return PAL_REJECTED; /* refused as a whole: said why */
	if (!f->header_done) {
		pal_diags_add(diags, PAL_ERROR, f->path, 0, 0, "empty file: expected a header row");
		return PAL_REJECTED;
	}
	return f->rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
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
	pal_csv_options opt = pal_csv_table_options(path);
	int rc = pal_csv_read(path, &opt, on_assign_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading assignments");
	if (rc == PAL_CSV_READ_IOERR || rc == PAL_CSV_READ_REFUSED || x.fatal || x.oom) {
		pal_assignments_free(x.a);
		return rc == PAL_CSV_READ_IOERR || x.oom ? PAL_IOERR : PAL_REJECTED;
	}
	if (x.a->n) /* no row: keys is NULL, which qsort may not be given */
		qsort(x.a->keys, x.a->n, sizeof(char *), key_cmp);
	pal_assignments_free(c->assignments);
	c->assignments = x.a;
	return rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
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
	pal_csv_options opt = pal_csv_table_options(path);
	int rc = pal_csv_read(path, &opt, on_override_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading overrides");
	if (rc == PAL_CSV_READ_IOERR || x.oom) {
		free(x.v);
		return PAL_IOERR;
	}
	*out = x.v;
	*n = x.n;
	return rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
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
