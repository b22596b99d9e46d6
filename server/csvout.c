/*
 * CSV cells for a spreadsheet (csvout.h). The formula rule is the one of
 * engine/csvwrite.c (eng_csv_formula), written again here because the web
 * front uses only libpalmares' public API; the two must change together.
 */
#include "csvout.h"

#include <stdlib.h>
#include <string.h>

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

/* sign, digits, at most one decimal mark followed by digits: what a spreadsheet takes for a number */
static int plain_number(const char *s)
{
	size_t i = 0, digits = 0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (digits && (s[i] == '.' || s[i] == ',')) {
		size_t d = ++i;
		for (; s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return digits && s[i] == 0;
}

int csvout_formula(const char *s)
{
	while (*s == '\'')
		s++;
	switch (*s) {
	case '=':
	case '@':
	case '\t':
	case '\r': return 1;
	case '+':
	case '-': return !plain_number(s);
	default: return 0;
	}
}

void csvout_cell(csvout *b, const char *s, int last)
{
	if (!s)
		s = "";
	int quote = strpbrk(s, ",;\"\r\n\t") != NULL || (s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' '));
	if (quote)
		put(b, "\"", 1);
	if (csvout_formula(s))
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
