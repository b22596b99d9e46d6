/*
 * Fuzz target: the towns file (server/towns_csv.c), read by campaign init
 * and by the organizer's import on the web, where anyone with the
 * organizer's session uploads it. Checked: the answer agrees with the list
 * (0 exactly when no problem and no lack of memory); every town accepted
 * has a non-empty id and name of valid UTF-8, attributes that are a JSON
 * object, a line within the file, lines in order, and no id twice; every
 * problem's line is within the file; reading twice gives the same towns
 * and problems (the reader keeps no state); each accepted name written
 * as a CSV cell (csvout.c) never starts a formula.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "palmares/text.h"
#include "towns_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const towns_list *a, const towns_list *b)
{
	if (a->n != b->n || a->nproblems != b->nproblems)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].id, b->v[i].id) || strcmp(a->v[i].name, b->v[i].name) ||
		    strcmp(a->v[i].attributes_json, b->v[i].attributes_json) || a->line[i] != b->line[i])
			return 0;
	for (size_t i = 0; i < a->nproblems; i++)
		if (a->problems[i].code != b->problems[i].code ||
		    a->problems[i].line != b->problems[i].line ||
		    strcmp(a->problems[i].subject, b->problems[i].subject))
			return 0;
	return 1;
}

static void check(const towns_list *l, int ret, size_t lines)
{
	if ((ret == 0) != (!l->nproblems && !l->nomem))
		abort();
	for (size_t i = 0; i < l->nproblems; i++)
		if (l->problems[i].line > lines || (i && l->problems[i].line < l->problems[i - 1].line))
			abort();
	if (ret != 0)
		return;
	for (size_t i = 0; i < l->n; i++) {
		const store_town *t = &l->v[i];
		if (!*t->id || !*t->name || !pal_text_utf8_valid(t->id, strlen(t->id)) ||
		    !pal_text_utf8_valid(t->name, strlen(t->name)) || l->line[i] < 2 || l->line[i] > lines ||
		    (i && l->line[i] <= l->line[i - 1]))
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(l->v[j].id, t->id))
				abort();
		json_t *o = json_loads(t->attributes_json, 0, NULL);
		if (!json_is_object(o))
			abort();
		json_decref(o);
		csvout c;
		memset(&c, 0, sizeof c);
		csvout_cell(&c, t->name, 1);
		if (!c.nomem &&
		    (c.s[0] == '=' || c.s[0] == '@' || (c.s[0] == '"' && (c.s[1] == '=' || c.s[1] == '@'))))
			abort();
		free(c.s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1); /* an exact copy, so that reads past its end are caught */
	towns_list a, b;
	size_t lines = 1;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (size_t i = 0; i < size; i++) /* LF, CRLF or CR: one line each */
		lines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == size || text[i + 1] != '\n'));
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	int ra = towns_csv_read(text, size, &a), rb = towns_csv_read(text, size, &b);
	if (ra != rb || (!a.nomem && !b.nomem && !same(&a, &b)))
		abort();
	check(&a, ra, lines);
	towns_list_free(&a);
	towns_list_free(&b);
	free(text);
	return 0;
}
