/*
 * The jurors file into the store, and the store's jurors back into the
 * engine (jurors_file.h): the engine reads, the server stores what it read.
 */
#include "jurors_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jury_files.h"

int jurors_problem_add(jurors_list *l, long line, const char *text)
{
	jurors_problem *p = realloc(l->problems, (l->nproblems + 1) * sizeof *p);
	char *t = strdup(text ? text : "");
	if (!p || !t) {
		free(t);
		if (p)
			l->problems = p;
		l->nomem = 1;
		return -1;
	}
	l->problems = p;
	p[l->nproblems].line = line;
	p[l->nproblems++].text = t;
	return 0;
}

void jurors_list_free(jurors_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->nproblems; i++)
		free(l->problems[i].text);
	free(l->problems);
	free(l->v);
	free(l->line);
	csv_table_free(&l->table);
	memset(l, 0, sizeof *l);
}

/* The engine's errors (its warnings do not refuse a file: `assign` runs with them). */
static void engine_problems(jurors_list *out, const pal_diags *d)
{
	for (size_t i = 0; i < pal_diags_count(d); i++) {
		const pal_diag *g = pal_diags_get(d, i);
		if (g->severity == PAL_ERROR)
			jurors_problem_add(out, g->line > 0 ? g->line : 0, g->text);
	}
	if (pal_diags_oom(d))
		out->nomem = 1;
}

/* The table's rows into out->v, each checked against the engine's jurors. */
static void table_jurors(jurors_list *out, const pal_jurors *j)
{
	csv_table *t = &out->table;
	static const char *const names[6] = {"juror", "name", "email", "town_id", "region", "conflicts"};
	long c[6];
	char msg[300];
	for (size_t k = 0; k < 6; k++)
		c[k] = csv_table_column(t, names[k]);
	out->v = calloc(t->n, sizeof *out->v);
	out->line = calloc(t->n, sizeof *out->line);
	if (!out->v || !out->line) {
		out->nomem = 1;
		return;
	}
	for (size_t i = 1; i < t->n; i++) {
		const char *id = csv_table_cell(t, i, c[0]);
		if (!id[0])
			continue; /* a blank line (an empty id is the engine's error, said already) */
		if (pal_jurors_find(j, id) < 0) {
			snprintf(msg, sizeof msg, "juror \"%.200s\" is not read alike by the engine", id);
			jurors_problem_add(out, (long)t->lines[i], msg);
			continue;
		}
		store_juror *v = &out->v[out->n];
		v->juror_id = (char *)id;
		v->name = (char *)csv_table_cell(t, i, c[1]);
		v->email = (char *)csv_table_cell(t, i, c[2]);
		v->town_id = (char *)csv_table_cell(t, i, c[3]);
		v->region = (char *)csv_table_cell(t, i, c[4]);
		v->conflicts = (char *)csv_table_cell(t, i, c[5]);
		out->line[out->n++] = t->lines[i];
	}
	if (!out->nproblems && out->n != pal_jurors_count(j))
		jurors_problem_add(out, 0, "the file's rows are not the engine's jurors");
}

int jurors_file_read(const char *name, const char *text, size_t len, jurors_list *out)
{
	pal_diags *d = pal_diags_new();
	int status = PAL_IOERR;
	pal_jurors *j = NULL;
	char why[200];
	if (!d) {
		out->nomem = 1;
		return -1;
	}
	j = pal_jurors_load_text(name, text, len, d, &status);
	engine_problems(out, d);
	if (j && status == PAL_OK && !out->nproblems && !out->nomem) {
		if (csv_table_read(text, len, &out->table, why, sizeof why) != 0)
			jurors_problem_add(out, 0, why);
		else
			table_jurors(out, j);
	} else if (!out->nproblems && !out->nomem) {
		jurors_problem_add(out, 0, "the file cannot be read");
	}
	pal_jurors_free(j);
	pal_diags_free(d);
	return out->nproblems || out->nomem ? -1 : 0;
}

struct store_args {
	const jurors_list *l;
	int64_t who, now;
};

static store_status add_all(store *s, void *ctx)
{
	const struct store_args *a = ctx;
	for (size_t i = 0; i < a->l->n; i++) {
		store_status st = store_juror_add(s, &a->l->v[i], a->who, a->now, NULL);
		if (st != STORE_OK)
			return st;
	}
	return STORE_OK;
}

store_status jurors_list_store(store *s, const jurors_list *l, int64_t who, int64_t now)
{
	struct store_args a = {l, who, now};
	return store_tx(s, add_all, &a);
}

/* ---- the store's jurors for the engine ---- */

pal_jurors *jurors_from_store(store *s, pal_diags *d)
{
	jury_files f;
	pal_jurors *j = NULL;
	int status = PAL_IOERR;
	/* jury_files.c's jurors.csv: the one conversion (scores and export use
	 * it), each juror's recusals already among their conflicts */
	if (jury_files_read(s, &f) != STORE_OK)
		return NULL;
	j = pal_jurors_load_text(jury_file_names[JURY_JURORS], f.text[JURY_JURORS], f.len[JURY_JURORS], d,
				 &status);
	jury_files_clear(&f);
	if (j && status != PAL_OK) {
		pal_jurors_free(j);
		j = NULL;
	}
	return j;
}
