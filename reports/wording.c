/*
 * The wording of one rendering job in its language (rep_ctx.lang): the
 * catalog's translation (i18n.c), the results' texts in that language,
 * numbers with the language's decimal mark and grouping, dates in words.
 * Apart from i18n.c, which the results loader uses for its messages, so
 * that i18n.c needs nothing of the results and results.c nothing of this.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

const char *rep_tr(const rep_ctx *c, const char *msgid)
{
	return pal_doc_gettext(c->lang, msgid);
}

const char *rep_pick(const rep_ctx *c, const rep_i18n *t)
{
	return rep_i18n_pick(t, c->lang, c->r ? c->r->language : NULL);
}

void rep_num(const rep_ctx *c, double v, int decimals, char *buf, size_t len)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	if (strchr(tmp, '.')) {
		size_t n = strlen(tmp);
		while (n && tmp[n - 1] == '0')
			tmp[--n] = '\0';
		if (n && tmp[n - 1] == '.')
			tmp[--n] = '\0';
	}
	if (strcmp(tmp, "-0") == 0)
		memcpy(tmp, "0", 2);
	if (strncmp(c->lang, "fr", 2) == 0) {
		char *dot = strchr(tmp, '.');
		if (dot)
			*dot = ',';
	}
	snprintf(buf, len, "%s", tmp);
}

void rep_int_grouped(const rep_ctx *c, double v, char *buf, size_t len)
{
	char digits[32], out[64];
	const char *sep = strncmp(c->lang, "fr", 2) == 0 ? "\u202f" : ",";
	size_t sl = strlen(sep), o = 0;
	snprintf(digits, sizeof digits, "%.0f", fabs(v) < 1e15 ? fabs(v) : 0);
	size_t n = strlen(digits);
	if (v < 0)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + sl + 2 < sizeof out; i++) {
		if (i && (n - i) % 3 == 0) {
			memcpy(out + o, sep, sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
}

void rep_date_words(const rep_ctx *c, int y, int m, int d, char *buf, size_t len)
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	const char *month = rep_tr(c, months[(m >= 1 && m <= 12 ? m : 1) - 1]);
	if (strncmp(c->lang, "fr", 2) == 0 && d == 1)
		snprintf(buf, len, "1er %s %d", month, y);
	else
		snprintf(buf, len, "%d %s %d", d, month, y);
}
