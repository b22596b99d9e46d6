/*
 * The towns file (towns_csv.h): libcsv splits the text, fed one physical
 * line at a time (LF, CRLF or CR) so that every row knows the line it starts on (a blank
 * line or a quoted line break would otherwise shift every number the user
 * is told); cells are cleaned as the documents clean text; then each row is
 * checked and every problem kept, so that the whole file is refused with
 * all its problems at once.
 */
#include "towns_csv.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palmares/text.h"

static void on_cell(void *s, size_t len, void *ctx)
{
	csv_table *t = ctx;
	char *c;
	if (t->nomem)
		return;
	if (t->curn == 0)
		t->start = t->line;
	if (t->curn == t->curcap) {
		size_t cap = t->curcap ? t->curcap * 2 : 16;
		char **p = realloc(t->cur, cap * sizeof *p);
		if (!p) {
			t->nomem = 1;
			return;
		}
		t->cur = p;
		t->curcap = cap;
	}
	c = malloc(len * 3 + 1); /* U+FFFD for each bad byte at most */
	if (!c) {
		t->nomem = 1;
		return;
	}
	pal_text_clean_into(s ? s : "", s ? len : 0, PAL_TEXT_TRIM, c);
	t->cur[t->curn++] = c;
}

static void on_row(int term, void *ctx)
{
	csv_table *t = ctx;
	(void)term;
	if (t->nomem)
		return;
	if (t->curn == 0)
		t->start = t->line;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char ***r = realloc(t->rows, cap * sizeof *r);
		if (r)
			t->rows = r;
		size_t *w = r ? realloc(t->widths, cap * sizeof *w) : NULL;
		if (w)
			t->widths = w;
		size_t *l = w ? realloc(t->lines, cap * sizeof *l) : NULL;
		if (!l) {
			t->nomem = 1;
			return;
		}
		t->lines = l;
		t->cap = cap;
	}
	t->rows[t->n] = t->cur;
	t->widths[t->n] = t->curn;
	t->lines[t->n] = t->start;
	t->n++;
	t->cur = NULL;
	t->curn = t->curcap = 0;
}

void csv_table_free(csv_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->widths[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	for (size_t j = 0; j < t->curn; j++)
		free(t->cur[j]);
	free(t->cur);
	free(t->rows);
	free(t->widths);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

int csv_table_read(const char *text, size_t len, csv_table *t, char *err, size_t errlen)
{
	struct csv_parser p;
	const char *start = text, *end;
	memset(t, 0, sizeof *t);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		start += 3, len -= 3;
	end = start + len;
	const char *nl = memchr(start, '\n', len), *cr = memchr(start, '\r', len);
	size_t first = (size_t)((nl && (!cr || nl < cr) ? nl : cr ? cr : end) - start);
	const char *comma = memchr(start, ',', first), *semi = memchr(start, ';', first);
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (semi && !comma)
		csv_set_delim(&p, ';');
	int bad = 0;
	for (const char *s = start; s < end && !bad && !t->nomem;) {
		/* a line ends at LF, CRLF, or a CR alone (old Mac files): as libcsv ends rows */
		size_t n = 0;
		while (s + n < end && s[n] != '\r' && s[n] != '\n')
			n++; /* not strcspn(): the text may hold NUL bytes */
		if (s + n < end)
			n += s[n] == '\r' && s + n + 1 < end && s[n + 1] == '\n' ? 2 : 1;
		t->line++;
		bad = csv_parse(&p, s, n, on_cell, on_row, t) != n;
		s += n;
	}
	if (!bad && csv_fini(&p, on_cell, on_row, t) != 0)
		bad = 1;
	if (bad) {
		snprintf(err, errlen, "malformed CSV (%s)", csv_strerror(csv_error(&p)));
		csv_free(&p);
		csv_table_free(t);
		return -1;
	}
	csv_free(&p);
	if (t->nomem) {
		snprintf(err, errlen, "out of memory");
		csv_table_free(t);
		return -1;
	}
	if (t->n == 0) {
		snprintf(err, errlen, "empty file: expected a header row");
		csv_table_free(t);
		return -1;
	}
	return 0;
}

long csv_table_column(const csv_table *t, const char *name)
{
	for (size_t j = 0; t->n && j < t->widths[0]; j++)
		if (strcmp(t->rows[0][j], name) == 0)
			return (long)j;
	return -1;
}

const char *csv_table_cell(const csv_table *t, size_t row, long col)
{
	return col >= 0 && (size_t)col < t->widths[row] ? t->rows[row][col] : "";
}

/* The attributes of row i: every column but town_id, town_name and email,
 * as the engine reads the same town columns of a dossier CSV
 * (engine/dossier.c): "population" as a number when it is one, every other
 * attribute as text ("department" 05 stays "05"), a "town." prefix dropped
 * (town.epci is the attribute epci). An owned JSON text, NULL when out of
 * memory. A population that is no number stays text: the engine then says
 * so on the dossier. */
static char *attributes(const csv_table *t, size_t i, long id, long name, long email)
{
	json_t *o = json_object();
	char *out;
	if (!o)
		return NULL;
	for (size_t j = 0; j < t->widths[0] && j < t->widths[i]; j++) {
		const char *v = t->rows[i][j], *key = t->rows[0][j];
		json_t *jv = NULL;
		if ((long)j == id || (long)j == name || (long)j == email || !key[0] || !*v)
			continue;
		if (strncmp(key, "town.", 5) == 0 && key[5])
			key += 5;
		if (strcmp(key, "population") == 0) {
			char *end;
			errno = 0;
			double d = strtod(v, &end);
			if (!*end && !errno && end != v)
				/* the range first: casting a double out of long long's range is undefined */
				jv = d > -1e15 && d < 1e15 && d == (double)(long long)d ? json_integer((json_int_t)d)
											: json_real(d);
		}
		if (!jv)
			jv = json_string(v);
		if (!jv || json_object_set_new(o, key, jv) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return out;
}

int towns_problem_add(towns_list *l, towns_problem_code code, size_t line, size_t other_line,
		      const char *subject)
{
	towns_problem *p = realloc(l->problems, (l->nproblems + 1) * sizeof *p);
	if (!p)
		return -1;
	l->problems = p;
	p = &l->problems[l->nproblems];
	p->code = code;
	p->line = line;
	p->other_line = other_line;
	p->subject = strdup(subject ? subject : "");
	if (!p->subject)
		return -1;
	l->nproblems++;
	return 0;
}

/* Records a problem; when even that fails, the list says out of memory. */
static void problem(towns_list *l, towns_problem_code code, size_t line, size_t other, const char *subject)
{
	if (code == TOWNS_NOMEM || towns_problem_add(l, code, line, other, subject) != 0)
		l->nomem = 1;
}

/* The index of a town_id seen on an earlier row, for duplicates: ids sorted with their row. */
struct seen {
	const char *id;
	size_t row;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Problems in the order of the file's lines (a stable order: line, then code). */
static int problem_cmp(const void *a, const void *b)
{
	const towns_problem *x = a, *y = b;
	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return (x->code > y->code) - (x->code < y->code);
}

int towns_csv_read(const char *text, size_t len, towns_list *out)
{
	char err[200];
	csv_table *t = &out->table;
	if (csv_table_read(text, len, t, err, sizeof err) != 0) {
		towns_problem_code c = strncmp(err, "malformed", 9) == 0 ? TOWNS_MALFORMED
				       : strncmp(err, "empty", 5) == 0   ? TOWNS_EMPTY
									 : TOWNS_NOMEM;
		problem(out, c, 0, 0, c == TOWNS_MALFORMED ? err + strlen("malformed CSV (") : "");
		if (c == TOWNS_MALFORMED && out->nproblems) {
			char *s = out->problems[out->nproblems - 1].subject;
			size_t n = strlen(s);
			if (n && s[n - 1] == ')')
				s[n - 1] = 0;
		}
		return -1;
	}
	long id = csv_table_column(t, "town_id"), name = csv_table_column(t, "town_name"),
	     email = csv_table_column(t, "email");
	if (id < 0 || name < 0) {
		problem(out, TOWNS_NO_COLUMNS, t->lines[0], 0, "");
		return -1;
	}
	out->v = calloc(t->n, sizeof *out->v);
	out->line = calloc(t->n, sizeof *out->line);
	struct seen *seen = calloc(t->n, sizeof *seen);
	if (!out->v || !out->line || !seen) {
		free(seen);
		problem(out, TOWNS_NOMEM, 0, 0, "");
		return -1;
	}
	size_t ns = 0;
	for (size_t i = 1; i < t->n; i++) {
		if (t->widths[i] == 1 && !t->rows[i][0][0])
			continue; /* a blank line */
		const char *tid = csv_table_cell(t, i, id), *tname = csv_table_cell(t, i, name);
		if (!tid[0] || !tname[0]) {
			problem(out, TOWNS_NO_ID_NAME, t->lines[i], 0, tid);
			continue;
		}
		seen[ns].id = tid;
		seen[ns++].row = i;
		store_town *v = &out->v[out->n];
		v->id = tid;
		v->name = tname;
		v->email = csv_table_cell(t, i, email);
		v->attributes_json = attributes(t, i, id, name, email);
		if (!v->attributes_json) {
			problem(out, TOWNS_NOMEM, 0, 0, "");
			break;
		}
		out->line[out->n++] = t->lines[i];
	}
	/* Sorted by id then row, a duplicate follows the first row of its id. */
	qsort(seen, ns, sizeof *seen, seen_cmp);
	for (size_t k = 1, first = 0; k < ns; k++) {
		if (strcmp(seen[first].id, seen[k].id) != 0)
			first = k;
		else
			problem(out, TOWNS_DUPLICATE, t->lines[seen[k].row], t->lines[seen[first].row],
				seen[k].id);
	}
	free(seen);
	if (out->nproblems > 1) /* qsort() may not be given the NULL of an empty list */
		qsort(out->problems, out->nproblems, sizeof *out->problems, problem_cmp);
	return out->nproblems || out->nomem ? -1 : 0;
}

void towns_problem_text(const towns_problem *p, char *buf, size_t len)
{
	const char *s = p->subject ? p->subject : "";
	switch (p->code) {
	case TOWNS_MALFORMED: snprintf(buf, len, "malformed CSV (%s)", s); break;
	case TOWNS_EMPTY: snprintf(buf, len, "empty file: expected a header row"); break;
	case TOWNS_NO_COLUMNS:
		snprintf(buf, len, "the header row needs \"town_id\" and \"town_name\" columns");
		break;
	case TOWNS_NO_ID_NAME: snprintf(buf, len, "a town needs a town_id and a town_name"); break;
	case TOWNS_DUPLICATE:
		snprintf(buf, len, "town \"%s\" is listed twice (line %zu)", s, p->other_line);
		break;
	case TOWNS_EXISTS: snprintf(buf, len, "town \"%s\" is in the campaign already", s); break;
	default: snprintf(buf, len, "out of memory"); break;
	}
}

void towns_list_free(towns_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->v[i].attributes_json);
	free(l->v);
	free(l->line);
	for (size_t i = 0; i < l->nproblems; i++)
		free(l->problems[i].subject);
	free(l->problems);
	csv_table_free(&l->table);
	memset(l, 0, sizeof *l);
}
