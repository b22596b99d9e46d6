/*
 * Jurors and assignments (SPEC.md §9, `palmares assign`).
 *
 * Data flow: pal_jurors_load() reads the organizer's jurors CSV through
 * csvread.c into one arena, sorted by id (solver indices are that order, so
 * the plan lists each dossier's jurors by id). pal_jury_assign() takes the
 * dossiers that need jurors from a scored campaign (applicability is only
 * known after scoring), builds the eligibility predicate (own town, declared
 * conflicts, --avoid-same-region) and hands it to the solver of assign.c;
 * short dossiers are named with the reasons their jurors are excluded, and
 * nothing is assigned. pal_jury_plan_load() reads a plan back (for sheets
 * and progress), checks it against the campaign and installs the marks
 * restriction of assignments.c. Each loader reads a file or a text in
 * memory (the _text entries, for the web front's store) through the same
 * code (eng_csv_in).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assign.h"
#include "assignments.h"
#include "campaign.h"
#include "csvread.h"
#include "csvwrite.h"
#include "jury_int.h"
#include "text.h"

typedef struct juror {
	const char *id, *name, *email, *town; /* cleaned and trimmed; "" when absent */
	const char *region;                   /* folded (palx_text_fold); "" when absent */
	const char **conflicts;
	size_t nconflicts;
	long line;
} juror;

struct pal_jurors {
	palx_arena arena;
	juror *v;
	size_t n, cap;
};

/* ---- small helpers -------------------------------------------------------- */


int pal_jury_id_safe(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 200 || id[0] == '.')
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == ':')
			return 0;
	}
	/* C1 controls (U+0080..U+009F) are two bytes in UTF-8: C2 80..C2 9F. */
	for (size_t i = 0; i + 1 < n; i++) {
		if ((unsigned char)id[i] == 0xc2 && (unsigned char)id[i + 1] >= 0x80 &&
		    (unsigned char)id[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

/* ---- jurors file ---------------------------------------------------------- */

enum { J_JUROR, J_NAME, J_EMAIL, J_TOWN, J_REGION, J_CONFLICTS, J_NCOLS };
static const char *const juror_cols[J_NCOLS + 1] = {"juror", "name", "email", "town_id",
                                                   "region", "conflicts", NULL};

struct jload {
	pal_jurors *j;
	const char *path;
	pal_diags *diags;
	long col[J_NCOLS];
	int header_done, header_bad, rejected, oom;
};

static int jurors_header(struct jload *x, const pal_csv_record *rec)
{
	for (size_t k = 0; k < J_NCOLS; k++)
		x->col[k] = -1;
	for (size_t i = 0; i < rec->n; i++) {
		char *name = palx_text_fold(rec->fields[i]);
		size_t k;
		if (!name)
			return -1;
		for (k = 0; k < J_NCOLS && strcmp(name, juror_cols[k]) != 0; k++)
			;
		if (k < J_NCOLS && x->col[k] >= 0) {
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
			              "column \"%s\" given twice", juror_cols[k]);
			x->header_bad = 1;
		} else if (k < J_NCOLS) {
			x->col[k] = (long)i;
		} else if (*name && strncmp(name, "x-", 2) != 0) {
			/* A typo such as "conflits" would silently drop the conflicts: an error. */
			const char *best = pal_text_closest(name, juror_cols, J_NCOLS);
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "unknown column \"%s\"%s%s%s",
			              name, best ? ": did you mean \"" : "", best ? best : "",
			              best ? "\"?" : " (columns of your own start with \"x-\")");
			x->header_bad = 1;
		}
		free(name);
	}
	if (x->col[J_JUROR] < 0) {
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
		              "the header row has no \"juror\" column");
		x->header_bad = 1;
	}
	return x->header_bad ? 1 : 0;
}

static const char *jfield(const struct jload *x, const pal_csv_record *rec, size_t k)
{
	long i = x->col[k];
	return i >= 0 && (size_t)i < rec->n ? rec->fields[i] : "";
}

/* Splits "a|b|c" into trimmed non-empty town ids. Returns 0, or -1 when out of memory. */
static int parse_conflicts(palx_arena *a, const char *s, juror *jr)
{
	size_t n = 1, k = 0;
	for (const char *p = s; *p; p++)
		n += *p == '|';
	jr->conflicts = palx_arena_alloc(a, n * sizeof *jr->conflicts);
	if (!jr->conflicts)
		return -1;
	while (*s) {
		size_t len = strcspn(s, "|");
		char *piece = palx_arena_strndup(a, s, len), *t;
		if (!piece || !(t = palx_text_clean_in(a, piece)))
			return -1;
		if (*t)
			jr->conflicts[k++] = t;
		s += len;
		if (*s == '|')
			s++;
	}
	jr->nconflicts = k;
	return 0;
}

static int all_empty(const pal_csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		if (strspn(rec->fields[i], " \t") != rec->lens[i])
			return 0;
	}
	return 1;
}

/* 1 when s holds control, bidirectional or invalid bytes (palx_text_clean changes it), -1 on OOM. */
static int changed_by_cleaning(const char *s)
{
	char *t = palx_text_clean(s);
	int changed = t ? strcmp(t, s) != 0 : -1;
	free(t);
	return changed;
}

static int jurors_row(struct jload *x, const pal_csv_record *rec)
{
	pal_jurors *j = x->j;
	palx_arena *a = &j->arena;
	const char *raw = jfield(x, rec, J_JUROR);
	char *id = palx_text_clean_in(a, raw), *region_text;
	int changed = changed_by_cleaning(raw);
	juror *jr;
	if (!id || changed < 0)
		return -1;
	if (all_empty(rec))
		return 0; /* spreadsheets export blank rows as ",,,,," */
	if (!*id || !pal_jury_id_safe(id) || changed) {
		if (!*id)
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "missing juror id");
		else
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
			              "juror \"%s\": the id cannot name a sheet file (no '/', '\\', ':', "
			              "control character or leading '.', at most 200 bytes)", id);
		x->rejected = 1;
		return 0;
	}
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 32;
		juror *v = realloc(j->v, cap * sizeof *v);
		if (!v)
			return -1;
		j->v = v;
		j->cap = cap;
	}
	jr = &j->v[j->n];
	memset(jr, 0, sizeof *jr);
	jr->id = id;
	jr->line = rec->line;
	if (!(jr->name = palx_text_clean_in(a, jfield(x, rec, J_NAME))) ||
	    !(jr->email = palx_text_clean_in(a, jfield(x, rec, J_EMAIL))) ||
	    !(jr->town = palx_text_clean_in(a, jfield(x, rec, J_TOWN))) ||
	    parse_conflicts(a, jfield(x, rec, J_CONFLICTS), jr) != 0)
		return -1;
	region_text = palx_text_fold(jfield(x, rec, J_REGION));
	if (!region_text)
		return -1;
	jr->region = palx_arena_strdup(a, region_text);
	free(region_text);
	if (!jr->region)
		return -1;
	j->n++;
	return 0;
}

static int on_juror_record(void *ctx, const pal_csv_record *rec)
{
	struct jload *x = ctx;
	int r;
	if (!x->header_done) {
		x->header_done = 1;
		r = jurors_header(x, rec);
	} else {
		r = jurors_row(x, rec);
	}
	if (r < 0)
		x->oom = 1;
	return r;
}

static int juror_cmp(const void *a, const void *b)
{
	const juror *x = a, *y = b;
	return strcmp(x->id, y->id);
}

/* Ids equal up to ASCII case are neighbours, earliest row first. */
static int juror_case_cmp(const void *a, const void *b)
{
	const juror *x = a, *y = b;
	int c = strcasecmp(x->id, y->id);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Drops repeated ids (exact, or up to ASCII case), keeping the earliest row; sorts by id. */
static void jurors_dedupe(pal_jurors *j, const char *path, pal_diags *diags, int *rejected)
{
	size_t u = 0;
	if (j->n) /* no juror: v is NULL, which qsort may not be given */
		qsort(j->v, j->n, sizeof *j->v, juror_case_cmp);
	for (size_t i = 0; i < j->n; i++) {
		const juror *first = u ? &j->v[u - 1] : NULL;
		if (!first || strcasecmp(first->id, j->v[i].id) != 0) {
			j->v[u++] = j->v[i];
			continue;
		}
		*rejected = 1;
		if (strcmp(first->id, j->v[i].id) == 0)
			pal_diags_add(diags, PAL_ERROR, path, j->v[i].line, 0,
			              "juror \"%s\" listed twice (also line %ld): the first row stands",
			              j->v[i].id, first->line);
		else
			pal_diags_add(diags, PAL_ERROR, path, j->v[i].line, 0,
			              "juror \"%s\" differs from \"%s\" (line %ld) only by letter case: their "
			              "sheets would share one file on some systems; the first row stands",
			              j->v[i].id, first->id, first->line);
	}
	j->n = u;
	if (j->n)
		qsort(j->v, j->n, sizeof *j->v, juror_cmp);
}

/* One jurors file or text (in): the one reader of both API entries. */
static pal_jurors *jurors_load_in(const eng_csv_in *in, pal_diags *diags, int *status)
{
	const char *path = in->name;
	struct jload x = {0};
	pal_csv_options opt = eng_csv_table_options(path);
	int rc;
	x.j = calloc(1, sizeof *x.j);
	x.path = path;
	x.diags = diags;
	*status = PAL_IOERR;
	if (!x.j)
		return NULL;
	palx_arena_init(&x.j->arena, 64 * 1024);
	rc = eng_csv_read_in(in, &opt, on_juror_record, &x, diags);
	if (rc == PAL_CSV_READ_IOERR || x.oom) {
		if (x.oom)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading jurors");
		pal_jurors_free(x.j);
		return NULL;
	}
	if (!x.header_done || x.header_bad) {
		if (!x.header_done)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "empty file: expected a header row");
		pal_jurors_free(x.j);
		*status = PAL_REJECTED;
		return NULL;
	}
	jurors_dedupe(x.j, path, diags, &x.rejected);
	*status = rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
	return x.j;
}

pal_jurors *pal_jurors_load(const char *path, pal_diags *diags, int *status)
{
	eng_csv_in in = eng_csv_in_file(path);
	return jurors_load_in(&in, diags, status);
}

pal_jurors *pal_jurors_load_text(const char *name, const char *text, size_t len, pal_diags *diags,
                                 int *status)
{
	eng_csv_in in = eng_csv_in_text(name, text, len);
	return jurors_load_in(&in, diags, status);
}

void pal_jurors_free(pal_jurors *j)
{
	if (!j)
		return;
	free(j->v);
	palx_arena_release(&j->arena);
	free(j);
}

size_t pal_jurors_count(const pal_jurors *j)
{
	return j ? j->n : 0;
}

const char *pal_jurors_id(const pal_jurors *j, size_t i)
{
	return j && i < j->n ? j->v[i].id : NULL;
}

long pal_jurors_find(const pal_jurors *j, const char *id)
{
	size_t lo = 0, hi = j ? j->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(j->v[mid].id, id);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- eligibility ---------------------------------------------------------- */

static const char *dossier_region(const pal_dossier *d)
{
	return json_string_value(json_object_get(d->attrs, "region"));
}

static int eligibility(const juror *jr, const pal_dossier *d, unsigned flags)
{
	const char *region;
	if (*jr->town && strcmp(jr->town, d->town_id) == 0)
		return PAL_INELIGIBLE_OWN_TOWN;
	for (size_t k = 0; k < jr->nconflicts; k++) {
		if (strcmp(jr->conflicts[k], d->town_id) == 0)
			return PAL_INELIGIBLE_CONFLICT;
	}
	region = dossier_region(d);
	if ((flags & PAL_JURY_AVOID_SAME_REGION) && *jr->region && region &&
	    palx_text_fold_eq(region, jr->region))
		return PAL_INELIGIBLE_SAME_REGION;
	return PAL_ELIGIBLE;
}

int pal_jurors_eligibility(const pal_jurors *j, size_t i, const pal_campaign *c,
                           const char *town_id, unsigned flags)
{
	const pal_dossier *d = c && town_id ? eng_campaign_find(c, town_id) : NULL;
	if (!j || i >= j->n || !d)
		return -1;
	return eligibility(&j->v[i], d, flags);
}

/* ---- plans ---------------------------------------------------------------- */

static pal_jury_plan *plan_new(void)
{
	pal_jury_plan *p = calloc(1, sizeof *p);
	if (p)
		palx_arena_init(&p->arena, 64 * 1024);
	return p;
}

void pal_jury_plan_free(pal_jury_plan *p)
{
	if (!p)
		return;
	free(p->v);
	palx_arena_release(&p->arena);
	free(p);
}

/* Appends a pair; strings are copied. Returns 0, or -1 when out of memory. */
static int plan_add(pal_jury_plan *p, const char *juror, const char *town, pal_dossier *d,
                    long line)
{
	pal_jury_pair *e;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		pal_jury_pair *v = cap > SIZE_MAX / sizeof *v ? NULL : realloc(p->v, cap * sizeof *v);
		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	e = &p->v[p->n];
	if (!(e->juror = palx_arena_strdup(&p->arena, juror)) ||
	    !(e->town = palx_arena_strdup(&p->arena, town)))
		return -1;
	e->d = d;
	e->line = line;
	p->n++;
	return 0;
}

size_t pal_jury_plan_count(const pal_jury_plan *p)
{
	return p ? p->n : 0;
}

void pal_jury_plan_pair(const pal_jury_plan *p, size_t i, const char **juror, const char **town_id)
{
	*juror = p && i < p->n ? p->v[i].juror : NULL;
	*town_id = p && i < p->n ? p->v[i].town : NULL;
}

int pal_jury_plan_write_csv(const pal_jury_plan *p, pal_csv_dialect d, FILE *out)
{
	pal_csvw w;
	eng_csvw_init(&w, out, d);
	eng_csvw_field(&w, "juror");
	eng_csvw_sep(&w);
	eng_csvw_field(&w, "town_id");
	eng_csvw_end(&w);
	for (size_t i = 0; p && i < p->n; i++) {
		eng_csvw_field(&w, p->v[i].juror);
		eng_csvw_sep(&w);
		eng_csvw_field(&w, p->v[i].town);
		eng_csvw_end(&w);
	}
	return ferror(out) ? -1 : 0;
}

int pal_jury_plan_write(const pal_jury_plan *p, FILE *out)
{
	return pal_jury_plan_write_csv(p, PAL_CSV_PLAIN, out);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int eng_jury_plan_jurors(const pal_jury_plan *p, const char ***ids, size_t *n)
{
	size_t u = 0;
	const char **v = malloc((p->n + 1) * sizeof *v);
	*ids = NULL;
	*n = 0;
	if (!v)
		return -1;
	for (size_t i = 0; i < p->n; i++)
		v[i] = p->v[i].juror;
	qsort(v, p->n, sizeof *v, str_cmp);
	for (size_t i = 0; i < p->n; i++) {
		if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
			v[u++] = v[i];
	}
	*ids = v;
	*n = u;
	return 0;
}

/* ---- reading a plan back -------------------------------------------------- */

struct pload {
	pal_campaign *c;
	pal_jury_plan *p;
	const char *path;
	pal_diags *diags;
	long col[2];
	int header_done, header_bad, rejected, oom;
};

static int plan_header(struct pload *x, const pal_csv_record *rec)
{
	static const char *const names[] = {"juror", "town_id", NULL};
	x->col[0] = x->col[1] = -1;
	for (size_t i = 0; i < rec->n; i++) {
		char *name = palx_text_fold(rec->fields[i]);
		if (!name)
			return -1;
		if (strcmp(name, "juror") == 0 || strcmp(name, "town_id") == 0) {
			x->col[name[0] == 't'] = (long)i;
		} else if (*name) {
			const char *best = pal_text_closest(name, names, 2);
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "unknown column \"%s\"%s%s%s",
			              name, best ? ": did you mean \"" : "", best ? best : "", best ? "\"?" : "");
			x->header_bad = 1;
		}
		free(name);
	}
	for (int k = 0; k < 2; k++) {
		if (x->col[k] < 0) {
			pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0,
			              "the header row has no \"%s\" column", names[k]);
			x->header_bad = 1;
		}
	}
	return x->header_bad ? 1 : 0;
}

static int plan_has(const pal_jury_plan *p, const char *juror, const pal_dossier *d, long *line)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].d == d && strcmp(p->v[i].juror, juror) == 0) {
			*line = p->v[i].line;
			return 1;
		}
	}
	return 0;
}

static int plan_row(struct pload *x, const pal_csv_record *rec)
{
	palx_arena *a = &x->p->arena;
	const char *rj = (size_t)x->col[0] < rec->n ? rec->fields[x->col[0]] : "";
	const char *rt = (size_t)x->col[1] < rec->n ? rec->fields[x->col[1]] : "";
	char *juror = palx_text_clean_in(a, rj), *town = palx_text_clean_in(a, rt);
	pal_dossier *d;
	long line;
	if (!juror || !town)
		return -1;
	if (!*juror && !*town)
		return 0;
	if (!*juror || !*town) {
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "missing %s",
		              *juror ? "town_id" : "juror");
		x->rejected = 1;
		return 0;
	}
	if (!(d = eng_campaign_find(x->c, town))) {
		pal_diags_add(x->diags, PAL_ERROR, x->path, rec->line, 0, "juror %s: unknown town \"%s\"",
		              juror, town);
		x->rejected = 1;
		return 0;
	}
	/* Linear: plans are read once per command, and have a few thousand rows at most. */
	if (plan_has(x->p, juror, d, &line)) {
		pal_diags_add(x->diags, PAL_WARNING, x->path, rec->line, 0,
		              "juror %s assigned to town %s twice (also line %ld)", juror, town, line);
		return 0;
	}
	return plan_add(x->p, juror, town, d, rec->line);
}

static int on_plan_record(void *ctx, const pal_csv_record *rec)
{
	struct pload *x = ctx;
	int r;
	if (!x->header_done) {
		x->header_done = 1;
		r = plan_header(x, rec);
	} else {
		r = plan_row(x, rec);
	}
	if (r < 0)
		x->oom = 1;
	return r;
}

/* One plan file or text (in): the one reader of both API entries. */
static pal_jury_plan *plan_load_in(pal_campaign *c, const eng_csv_in *in, pal_diags *diags,
                                   int *status)
{
	const char *path = in->name;
	struct pload x = {0};
	pal_csv_options opt = eng_csv_table_options(path);
	pal_diags *scratch;
	int rc, st;
	x.c = c;
	x.p = plan_new();
	x.path = path;
	x.diags = diags;
	*status = PAL_IOERR;
	if (!x.p)
		return NULL;
	rc = eng_csv_read_in(in, &opt, on_plan_record, &x, diags);
	if (rc == PAL_CSV_READ_IOERR || x.oom || !x.header_done || x.header_bad) {
		if (x.oom)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading assignments");
		else if (rc != PAL_CSV_READ_IOERR && rc != PAL_CSV_READ_REFUSED && !x.header_done)
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "empty file: expected a header row");
		*status = rc == PAL_CSV_READ_IOERR || x.oom ? PAL_IOERR : PAL_REJECTED;
		pal_jury_plan_free(x.p);
		return NULL;
	}
	/*
	 * The marks restriction lives in assignments.c; it reads the same file. Its
	 * messages are a subset of the ones above, so they are not repeated.
	 */
	if (!(scratch = pal_diags_new())) {
		pal_jury_plan_free(x.p);
		return NULL;
	}
	st = eng_assignments_set(c, in, scratch);
	pal_diags_free(scratch);
	if (st == PAL_IOERR) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read the assignments again");
		pal_jury_plan_free(x.p);
		return NULL;
	}
	*status = rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
	return x.p;
}

pal_jury_plan *pal_jury_plan_load(pal_campaign *c, const char *path, pal_diags *diags,
                                  int *status)
{
	eng_csv_in in = eng_csv_in_file(path);
	return plan_load_in(c, &in, diags, status);
}

pal_jury_plan *pal_jury_plan_load_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                       pal_diags *diags, int *status)
{
	eng_csv_in in = eng_csv_in_text(name, text, len);
	return plan_load_in(c, &in, diags, status);
}

/* ---- assignment ----------------------------------------------------------- */

int eng_jury_needs_marks(const pal_rubric *r, const pal_dossier *d)
{
	if (d->invalid || d->status == PAL_STATUS_INVALID || !d->decided)
		return 0;
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (r->criteria[i].kind == PAL_KIND_JURY && pal_dossier_applies(d, i))
			return 1;
	}
	return 0;
}

const pal_mark *eng_jury_mark_of(const pal_rubric *r, const pal_dossier *d, size_t i,
                                 const char *juror)
{
	for (const pal_mark *m = d->marks[r->criteria[i].jury_index]; m; m = m->next) {
		if (strcmp(m->juror, juror) == 0)
			return m;
	}
	return NULL;
}

struct actx {
	const pal_jurors *j;
	pal_dossier **need;
	unsigned flags;
};

static int eligible_cb(void *ctx, size_t d, size_t j)
{
	const struct actx *x = ctx;
	return eligibility(&x->j->v[j], x->need[d], x->flags) == PAL_ELIGIBLE;
}

/* Names a dossier that cannot get its jurors, with why the others are excluded. */
static void report_short(const struct actx *x, const pal_assign_short *s, size_t k,
                         pal_diags *diags)
{
	static const char *const words[4] = {"", "of its town", "with a declared conflict",
	                                     "of its region"};
	const pal_dossier *d = x->need[s->dossier];
	size_t why[4] = {0, 0, 0, 0}, off;
	const char *sep = ": ";
	char because[256];
	int w;
	for (size_t j = 0; j < x->j->n; j++)
		why[eligibility(&x->j->v[j], d, x->flags)]++;
	w = snprintf(because, sizeof because, " (of %zu juror%s", x->j->n, x->j->n == 1 ? "" : "s");
	off = w > 0 ? (size_t)w : 0;
	for (int r = 1; r < 4; r++) {
		if (!why[r] || off >= sizeof because)
			continue;
		w = snprintf(because + off, sizeof because - off, "%s%zu %s", sep, why[r], words[r]);
		off += w > 0 ? (size_t)w : 0;
		sep = ", ";
	}
	if (off < sizeof because)
		snprintf(because + off, sizeof because - off, ")");
	if (s->eligible == 0)
		pal_diags_add(diags, PAL_ERROR, d->file, d->line, d->col,
		              "town %s \"%s\": no eligible juror for %zu%s", d->town_id, d->town_name, k,
		              because);
	else
		pal_diags_add(diags, PAL_ERROR, d->file, d->line, d->col,
		              "town %s \"%s\": only %zu eligible juror%s for %zu%s", d->town_id,
		              d->town_name, s->eligible, s->eligible == 1 ? "" : "s", k, because);
}

static int fill_plan(pal_jury_plan *p, const struct actx *x, const pal_assignment *a, size_t nneed)
{
	for (size_t d = 0; d < nneed; d++) {
		for (size_t k = 0; k < a->per_dossier; k++) {
			const juror *jr = &x->j->v[a->jurors[d * a->per_dossier + k]];
			if (plan_add(p, jr->id, x->need[d]->town_id, x->need[d], 0) != 0)
				return -1;
		}
	}
	return 0;
}

int pal_jury_assign(pal_campaign *c, const pal_jurors *j, size_t per_dossier, unsigned flags,
                    uint64_t seed, pal_jury_plan **out, pal_diags *diags)
{
	struct actx x = {j, NULL, flags};
	pal_assign_problem prob;
	pal_assignment *a = NULL;
	size_t nneed = 0;
	int r, st = PAL_IOERR;
	*out = NULL;
	if (per_dossier == 0) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "each dossier needs at least one juror");
		return PAL_REJECTED;
	}
	if (!c->scored && pal_campaign_score(c, diags) == PAL_IOERR)
		return PAL_IOERR;
	if (!(x.need = malloc((c->ndossiers + 1) * sizeof *x.need)))
		goto oom;
	for (size_t k = 0; k < c->ndossiers; k++) {
		if (eng_jury_needs_marks(c->rubric, c->dossiers[k]))
			x.need[nneed++] = c->dossiers[k];
	}
	prob = (pal_assign_problem){nneed, j->n, per_dossier, eligible_cb, &x, seed};
	r = eng_assign_solve(&prob, &a);
	if (r == PAL_ASSIGN_SHORT) {
		for (size_t s = 0; s < a->nshort; s++)
			report_short(&x, &a->shorts[s], per_dossier, diags);
		st = PAL_REJECTED;
	} else if (r == PAL_ASSIGN_OK) {
		pal_jury_plan *p = plan_new();
		if (!p || fill_plan(p, &x, a, nneed) != 0) {
			pal_jury_plan_free(p);
			goto oom;
		}
		*out = p;
		st = PAL_OK;
	} else if (r == PAL_ASSIGN_ENOMEM) {
		goto oom;
	} else {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "assignment failed (internal error %d)", r);
	}
	eng_assignment_free(a);
	free(x.need);
	return st;
oom:
	eng_assignment_free(a);
	free(x.need);
	pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "out of memory while assigning jurors");
	return PAL_IOERR;
}
