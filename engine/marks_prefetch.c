/*
 * Marks read ahead (pal_marks_prefetch, palmares.h).
 *
 * A national campaign's marks file is as large as its dossiers file: read
 * after them on the same core, it adds its whole reading time. pal_marks_prefetch
 * reads the CSV marks files on a thread while the dossiers load: it parses,
 * cleans and checks every row as far as it can without the dossiers, and
 * makes each mark it could check the pal_mark it will become. Adding a file
 * then only finds each mark's dossier, checks assignment and duplicates, and
 * links it (eng_marks_attach()); a row that failed a check is kept as text and goes
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
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign.h"
#include "fileio.h"
#include "marks.h"
#include "num.h"
#include "text.h"

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
	palx_arena keep;             /* marks and comments: given to the campaign */
	palx_arena temp;             /* town ids and rows kept as text */
	struct pal_cols m;
	int rc, header_done, rejected, oom;
};

struct pal_marks_prefetch {
	struct staged_file *f;
	size_t n;
	pthread_t thread;
	int started, joined;
};

/* A new row in arena a (keep for a mark, temp for the others), appended to the rows; NULL: OOM. */
static pal_mark *stage_entry(struct staged_file *f, palx_arena *a)
{
	pal_mark *m = palx_arena_alloc(a, sizeof(*m));
	if (!m)
		return NULL;
	if (!f->last || f->last->n == STAGE_BLOCK) {
		struct stage_block *b = palx_arena_alloc(&f->temp, sizeof(*b));
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
	struct staged_row *row = palx_arena_alloc(&f->temp, total);
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

/* marks.c's on_mark_record() as far as it goes without the campaign. */
static int on_staged_record(void *ctx, const pal_csv_record *rec)
{
	struct staged_file *f = ctx;
	if (stage_diags(f)) {
		f->oom = 1;
		return -1;
	}
	if (!f->header_done)
		return eng_marks_header(&f->m, rec, f->path, f->diags, &f->header_done, &f->rejected, &f->oom);
	const pal_rubric *r = f->r;
	pal_mark *m = NULL;
	char *juror = palx_text_clean_in(&f->temp, eng_cols_field(&f->m, rec, PAL_MARK_COL_JUROR));
	char *town = palx_text_clean_in(&f->temp, eng_cols_field(&f->m, rec, PAL_MARK_COL_TOWN));
	const char *craw = eng_cols_field(&f->m, rec, PAL_MARK_COL_CRIT), *crit = craw;
	char *folded = NULL;
	long ci = eng_rubric_find_criterion(r, craw);
	if (ci < 0 && (crit = folded = palx_text_fold(craw)) != NULL)
		ci = eng_rubric_find_criterion(r, crit);
	if (!juror || !town || !crit)
		goto oom;
	const char *mark_text = eng_cols_field(&f->m, rec, PAL_MARK_COL_MARK), *comment = eng_cols_field(&f->m, rec, PAL_MARK_COL_COMMENT);
	const pal_criterion *cr = ci >= 0 ? &r->criteria[ci] : NULL;
	int blank = !mark_text[strspn(mark_text, " \t")], pct = 0;
	double v;
	uint32_t tid;
	/* The checks of marks.c's add_mark() that need no dossier; a row failing one is kept as text. */
	if (*juror && cr && cr->kind == PAL_KIND_JURY &&
	    (blank || (eng_num_parse_office(mark_text, &v, &pct) == 0 && !pct && v >= cr->scale_min &&
	               v <= cr->scale_max))) {
		if (!(m = stage_entry(f, blank ? &f->temp : &f->keep)) ||
		    !eng_intern(&f->keep, &f->jurors, UINT32_MAX, juror, &tid))
			goto oom;
		if (blank)
			m->rejected = STAGED_BLANK;
		else if (!(m->comment = *comment ? eng_intern_text(&f->keep, &f->texts, comment) : ""))
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
	pal_csv_options opt = eng_csv_table_options(f->path);
	/* No progress from here: the terminal line belongs to the thread loading the dossiers. */
	f->rc = eng_csv_read(f->path, &opt, on_staged_record, f, f->diags);
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
		f->json = strcasecmp(palx_file_ext(paths[i]), "json") == 0;
		f->r = r;
		f->m.names = eng_mark_names;
		f->m.ignored = eng_mark_ignored;
		palx_arena_init(&f->keep, 4 * 1024 * 1024);
		palx_arena_init(&f->temp, 4 * 1024 * 1024);
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
		eng_intern_free(f->jurors);
		eng_intern_free(f->texts);
		palx_arena_release(&f->keep);
		palx_arena_release(&f->temp);
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
	if (!files || c->nmark_files >= UINT32_MAX || !(x.path = palx_arena_strdup(&c->arena, f->path))) {
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
				eng_marks_add(&x, row->line, 0, s[0], s[1], s[2], s[3], s[4]);
				continue;
			}
			const char *town = m->juror, *juror = eng_intern_name(f->jurors, m->juror_id);
			pal_dossier *d = eng_campaign_find(c, town);
			if (!d)
				eng_marks_error(&x, NULL, (long)m->line, 0, "juror %s: unknown town \"%s\"", juror, town);
			else if (m->rejected != STAGED_BLANK) /* not marked yet: nothing more to say */
				eng_marks_attach(&x, (long)m->line, 0, d, &c->rubric->criteria[m->file], juror, town,
				                 m, m->mark, NULL);
		}
	merge_diags(diags, f->diags, &from, pal_diags_count(f->diags));
	if (pal_diags_oom(f->diags))
		x.oom = 1;
	/* The marks, comments and juror names now live with the campaign. */
	palx_arena_adopt(&c->arena, &f->keep);
	palx_arena_release(&f->temp);
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
