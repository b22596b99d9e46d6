/*
 * Overrides (SPEC §5): a jury's decision that a town gets a level other than
 * the computed one, with a reason, from a town_id,level,reason CSV.
 *
 * pal_campaign_set_overrides() reads the file into the campaign (struct
 * pal_overrides, overrides.h); pal_campaign_score() (score.c) applies it
 * after the computed levels, before mentions and ranks. The reading's
 * messages are kept and given when they apply, so that they come after the
 * scoring's own as they did when scoring read the file: the messages and
 * their order are the same whether the file is set long before scoring or
 * just before. A file and a text in memory (pal_campaign_set_overrides_text)
 * go through the same reader (eng_csv_in).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "overrides.h"
#include "palmares/palmares.h"
#include "text.h"

struct override_ctx {
	pal_campaign *c;
	const char *path;
	pal_diags *diags;
	struct pal_cols m;
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
		int rc = eng_cols_map(&x->m, rec, x->path, override_names, x->diags);
		x->fatal = rc != 0;
		x->rejected |= rc != 0;
		x->oom = rc < 0;
		return rc;
	}
	palx_arena *a = &x->c->arena;
	char *town = palx_text_clean_in(a, eng_cols_field(&x->m, rec, 0));
	char *level = palx_text_clean_in(a, eng_cols_field(&x->m, rec, 1));
	char *reason = palx_text_clean_in(a, eng_cols_field(&x->m, rec, 2));
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

/*
 * Reads an overrides CSV (town_id,level,reason). *out is an owned array (free
 * with free()) of *n valid rows; rejected rows are reported in diags.
 */
static int overrides_load(pal_campaign *c, const eng_csv_in *in, pal_override **out, size_t *n,
                          pal_diags *diags)
{
	const char *path = in->name;
	struct override_ctx x = {0};
	x.c = c;
	x.diags = diags;
	x.m.names = override_names;
	*out = NULL;
	*n = 0;
	if (!(x.path = palx_arena_strdup(&c->arena, path))) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading overrides");
		return PAL_IOERR;
	}
	pal_csv_options opt = eng_csv_table_options(path);
	int rc = eng_csv_read_in(in, &opt, on_override_record, &x, diags);
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

void eng_overrides_free(void *p)
{
	struct pal_overrides *o = p;
	if (!o)
		return;
	free(o->v);
	pal_diags_free(o->diags);
	free(o);
}

/* One overrides file or text (in) into c: the one reader of both API entries. */
static int set_overrides_in(pal_campaign *c, const eng_csv_in *in, pal_diags *diags)
{
	const char *path = in->name;
	struct pal_overrides *o = calloc(1, sizeof(*o));
	/* The messages kept are written as diags would write them (translated). */
	pal_diags_translate_fn tr = pal_diags_set_translate(diags, NULL);
	pal_diags_set_translate(diags, tr);
	if (!o || !(o->diags = pal_diags_new()) || !(o->path = palx_arena_strdup(&c->arena, path))) {
		eng_overrides_free(o);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading overrides");
		return PAL_IOERR;
	}
	pal_diags_set_translate(o->diags, tr);
	o->status = overrides_load(c, in, &o->v, &o->n, o->diags);
	eng_overrides_free(c->overrides);
	c->overrides = o;
	return o->status;
}

int pal_campaign_set_overrides(pal_campaign *c, const char *path, pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_file(path);
	return set_overrides_in(c, &in, diags);
}

int pal_campaign_set_overrides_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                    pal_diags *diags)
{
	eng_csv_in in = eng_csv_in_text(name, text, len);
	return set_overrides_in(c, &in, diags);
}
