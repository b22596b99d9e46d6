/*
 * Assignments (SPEC §9): which juror may mark which town, from a
 * juror,town_id CSV. Kept as a sorted array of "juror\x1ftown" keys so that
 * each mark's check (marks.c) is a binary search. A file and a text in
 * memory go through the same reader (eng_csv_in).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignments.h"
#include "columns.h"
#include "text.h"

struct assignments {
	char **keys;
	size_t n, cap;
};

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void eng_assignments_free(void *p)
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

int eng_assignments_has(const void *p, const char *juror, const char *town_id)
{
	const struct assignments *a = p;
	char *k = pair_key(juror, town_id);
	int found = k && a->n && bsearch(&k, a->keys, a->n, sizeof(char *), key_cmp) != NULL;
	free(k);
	return found;
}

struct assign_ctx {
	struct assignments *a;
	const char *path;
	pal_diags *diags;
	struct pal_cols m;
	int header_done, fatal, rejected, oom;
};

static const char *const assign_names[] = {"juror", "town_id", NULL};

static int on_assign_record(void *ctx, const pal_csv_record *rec)
{
	struct assign_ctx *x = ctx;
	if (!x->header_done) {
		x->header_done = 1;
		int rc = eng_cols_map(&x->m, rec, x->path, assign_names, x->diags);
		x->fatal = rc != 0;
		x->rejected |= rc != 0;
		x->oom = rc < 0;
		return rc;
	}
	palx_arena tmp;
	palx_arena_init(&tmp, 1024);
	char *j = palx_text_clean_in(&tmp, eng_cols_field(&x->m, rec, 0));
	char *t = palx_text_clean_in(&tmp, eng_cols_field(&x->m, rec, 1));
	char *k = j && t ? pair_key(j, t) : NULL;
	palx_arena_release(&tmp);
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

int eng_assignments_set(pal_campaign *c, const eng_csv_in *in, pal_diags *diags)
{
	const char *path = in->name;
	struct assign_ctx x = {0};
	x.a = calloc(1, sizeof(*x.a));
	x.path = path;
	x.diags = diags;
	x.m.names = assign_names;
	if (!x.a)
		return PAL_IOERR;
	pal_csv_options opt = eng_csv_table_options(path);
	int rc = eng_csv_read_in(in, &opt, on_assign_record, &x, diags);
	if (x.oom)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading assignments");
	if (rc == PAL_CSV_READ_IOERR || rc == PAL_CSV_READ_REFUSED || x.fatal || x.oom) {
		eng_assignments_free(x.a);
		return rc == PAL_CSV_READ_IOERR || x.oom ? PAL_IOERR : PAL_REJECTED;
	}
	if (x.a->n) /* no row: keys is NULL, which qsort may not be given */
		qsort(x.a->keys, x.a->n, sizeof(char *), key_cmp);
	eng_assignments_free(c->assignments);
	c->assignments = x.a;
	return rc != PAL_CSV_READ_OK || x.rejected ? PAL_REJECTED : PAL_OK;
}

int pal_campaign_set_assignments(pal_campaign *c, const char *path, pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_file(path);
	return eng_assignments_set(c, &in, diags);
}

int pal_campaign_set_assignments_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                      pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_text(name, text, len);
	return eng_assignments_set(c, &in, diags);
}
