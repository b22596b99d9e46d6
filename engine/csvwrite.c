/*
 * The CSV writer of every file palmares writes as CSV (csvwrite.h). The
 * excel-fr dialect exists because French Excel opens a comma-separated,
 * dot-decimal file in one column: it splits on ';' and reads "12,5" as a
 * number, and without a byte order mark it takes UTF-8 for Windows-1252.
 * palmares' own readers take both dialects (docs/csv.md).
 */
#include "csvwrite.h"

#include <string.h>

#include "num.h"
#include "palmares/text.h"

void eng_csvw_init(pal_csvw *w, FILE *out, pal_csv_dialect d)
{
	w->out = out;
	w->sep = d == PAL_CSV_EXCEL_FR ? ';' : ',';
	w->decimal = d == PAL_CSV_EXCEL_FR ? ',' : '.';
	if (d == PAL_CSV_EXCEL_FR)
		fputs("\xef\xbb\xbf", out);
}

/* sign, digits, and at most one decimal mark followed by digits: what a spreadsheet takes for a number */
static int plain_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (digits && i < len && (s[i] == '.' || s[i] == ',')) {
		size_t d = ++i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return 0;
	}
	return digits && i == len;
}

int eng_csv_formula(const char *s, size_t len)
{
	while (len > 0 && s[0] == '\'')
		s++, len--;
	if (len == 0)
		return 0;
	switch (s[0]) {
	case '=':
	case '@':
	case '\t':
	case '\r':
		return 1;
	case '+':
	case '-':
		return !plain_number(s, len);
	default:
		return 0;
	}
}

int pal_text_csv_formula(const char *s, size_t len)
{
	return s ? eng_csv_formula(s, len) : 0;
}

void eng_csvw_field(pal_csvw *w, const char *s)
{
	size_t n;
	int quote;
	if (!s)
		return;
	n = strlen(s);
	quote = (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) || strpbrk(s, ",;\"\r\n\t") != NULL;
	if (quote)
		fputc('"', w->out);
	if (eng_csv_formula(s, n))
		fputc('\'', w->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', w->out);
		fputc(*s, w->out);
	}
	if (quote)
		fputc('"', w->out);
}

void eng_csvw_fields(pal_csvw *w, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			eng_csvw_sep(w);
		eng_csvw_field(w, v[i]);
	}
}

void eng_csvw_num(pal_csvw *w, double x)
{
	char b[64], *dot;
	eng_format_number(x, b, sizeof b);
	if (w->decimal != '.' && (dot = strchr(b, '.')) != NULL)
		*dot = w->decimal;
	fputs(b, w->out);
}

void eng_csvw_sep(pal_csvw *w)
{
	fputc(w->sep, w->out);
}

void eng_csvw_end(pal_csvw *w)
{
	fputc('\n', w->out);
}
