/*
 * CSV cells for a spreadsheet (csvout.h). The formula rule is the command
 * line's own, through the public pal_text_csv_formula().
 */
#include "csvout.h"

#include <stdlib.h>
#include <string.h>

#include "palmares/text.h"

static void put(csvout *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->nomem = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void csvout_cell(csvout *b, const char *s, int last)
{
	if (!s)
		s = "";
	int quote = strpbrk(s, ",;\"\r\n\t") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '));
	if (quote)
		put(b, "\"", 1);
	if (pal_text_csv_formula(s, strlen(s)))
		put(b, "'", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			put(b, "\"", 1);
		put(b, p, 1);
	}
	if (quote)
		put(b, "\"", 1);
	put(b, last ? "\r\n" : ",", last ? 2 : 1);
}
