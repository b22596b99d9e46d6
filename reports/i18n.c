/*
 * Wording of documents and messages in French and English.
 *
 * msgids are English. The French catalog is po/fr.po, compiled by msgfmt at
 * build time and embedded in the library as bytes (po/meson.build), so the
 * language of a document never depends on the machine's installed locales
 * nor on the process locale (the command line runs in the C locale so that
 * numbers never depend on it). This file reads the GNU .mo format directly:
 * a header, then two tables of (length, offset) pairs, the originals sorted,
 * looked up by binary search.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

extern const unsigned char rep_mo_fr[];
extern const size_t rep_mo_fr_len;

static uint32_t rd32(const unsigned char *p, int swap)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* The string of entry i of the table at table_off, or NULL when out of bounds. */
static const char *entry(const unsigned char *mo, size_t len, uint32_t table_off, uint32_t i, int swap)
{
	size_t at = (size_t)table_off + 8 * (size_t)i;
	if (at + 8 > len)
		return NULL;
	uint32_t n = rd32(mo + at, swap), off = rd32(mo + at + 4, swap);
	if ((size_t)off + n >= len || mo[off + n] != '\0')
		return NULL;
	return (const char *)mo + off;
}

static const char *mo_lookup(const unsigned char *mo, size_t len, const char *msgid)
{
	int swap;
	if (len < 28)
		return NULL;
	if (rd32(mo, 0) == 0x950412de)
		swap = 0;
	else if (rd32(mo, 1) == 0x950412de)
		swap = 1;
	else
		return NULL;
	uint32_t n = rd32(mo + 8, swap), orig = rd32(mo + 12, swap), trans = rd32(mo + 16, swap);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s = entry(mo, len, orig, mid, swap);
		if (!s)
			return NULL;
		int c = strcmp(msgid, s);
		if (c == 0) {
			const char *t = entry(mo, len, trans, mid, swap);
			return t && *t ? t : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *pal_doc_gettext(const char *lang, const char *msgid)
{
	const char *t = NULL;
	if (lang && strncmp(lang, "fr", 2) == 0 && *msgid)
		t = mo_lookup(rep_mo_fr, rep_mo_fr_len, msgid);
	return t ? t : msgid;
}

const char *pal_doc_env_lang(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "fr", 2) == 0 ? "fr" : "en";
	}
	return "en";
}

const char *rep_msg(const char *msgid)
{
	return pal_doc_gettext(pal_doc_env_lang(), msgid);
}

const char *rep_strerror(int e)
{
	/* The command line runs in the C locale: strerror is English, the catalog has its French. */
	return rep_msg(strerror(e));
}

const char *rep_msg_output(const char *err, char *buf, size_t len)
{
	static const char *const verbs[] = {"cannot write \"", "cannot open \""};
	const char *end = strrchr(err, '"');
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		size_t n = strlen(verbs[i]);
		if (strncmp(err, verbs[i], n) != 0 || !end || end < err + n || strncmp(end, "\": ", 3) != 0)
			continue;
		int w = snprintf(buf, len, i == 0 ? rep_msg("cannot write \"%.*s\": %s")
		                                  : rep_msg("cannot open \"%.*s\": %s"),
		                 (int)(end - err - n), err + n, rep_msg(end + 3));
		return w >= 0 && (size_t)w < len ? buf : err; /* never a message cut short */
	}
	return err;
}

void pal_doc_diags_print(const pal_diags *d, size_t from, FILE *out)
{
	char where[1200], said[4400]; /* a path of PATH_MAX and its reason */
	for (size_t i = from; i < pal_diags_count(d); i++) {
		const pal_diag *g = pal_diags_get(d, i);
		const char *sev = g->severity == PAL_ERROR     ? rep_msg("error")
		                  : g->severity == PAL_WARNING ? rep_msg("warning")
		                                               : rep_msg("note");
		/* The engine's output errors ("cannot write \"F\": reason", engine/output.c) reach here as
		 * they are: worded again in the user's language; any other text passes unchanged. */
		const char *text = rep_msg_output(g->text, said, sizeof said);
		where[0] = '\0';
		if (g->file && g->line > 0 && g->col > 0)
			snprintf(where, sizeof where, "%s:%ld:%ld", g->file, g->line, g->col);
		else if (g->file && g->line > 0)
			snprintf(where, sizeof where, "%s:%ld", g->file, g->line);
		else if (g->file)
			snprintf(where, sizeof where, "%s", g->file);
		if (where[0])
			fprintf(out, rep_msg("%s: %s: %s\n"), where, sev, text);
		else
			fprintf(out, rep_msg("%s: %s\n"), sev, text);
	}
	if (pal_diags_oom(d))
		fputs(rep_msg("palmares: error: out of memory while recording diagnostics\n"), out);
}
