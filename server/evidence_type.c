/*
 * Evidence files: their kind from their bytes, their stored name and their
 * Content-Disposition (evidence_type.h). Kept apart from the pages so that
 * cmocka tests every rule with crafted bytes, without a server.
 */
#include "evidence_type.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "palmares/text.h"

enum { K_PDF, K_PNG, K_JPEG, K_ODT, K_ODS, K_ODP, K_DOCX, K_XLSX, K_PPTX, K_TEXT };

static const evidence_kind kinds[] = {
	[K_PDF] = {"application/pdf", "pdf", "PDF"},
	[K_PNG] = {"image/png", "png", "PNG"},
	[K_JPEG] = {"image/jpeg", "jpg", "JPEG"},
	[K_ODT] = {"application/vnd.oasis.opendocument.text", "odt", "ODT"},
	[K_ODS] = {"application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS"},
	[K_ODP] = {"application/vnd.oasis.opendocument.presentation", "odp", "ODP"},
	[K_DOCX] = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
		    "DOCX"},
	[K_XLSX] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"},
	[K_PPTX] = {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
		    "PPTX"},
	[K_TEXT] = {"text/plain; charset=utf-8", "txt", "TXT"},
};

static unsigned u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int name_is(const unsigned char *n, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(n, want, len) == 0;
}

static int name_ends(const unsigned char *n, size_t len, const char *end)
{
	size_t l = strlen(end);
	return len >= l && strncasecmp((const char *)n + len - l, end, l) == 0;
}

static int has_dotdot(const unsigned char *n, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (n[i] == '.' && n[i + 1] == '.')
			return 1;
	return 0;
}

/*
 * A zip archive read by its central directory (where every entry's name
 * is, whatever the local headers' data descriptors say): an OpenDocument
 * by its first entry "mimetype", stored, holding the type (ODF 1.2 §3.3);
 * an Office Open XML document by "[Content_Types].xml" and its main part.
 * A macro project (vbaProject.bin, an ODF Basic/ or Scripts/ folder) or an
 * entry name that climbs out ("../") refuses it.
 */
static const evidence_kind *sniff_zip(const unsigned char *d, size_t len)
{
	size_t eocd = 0, found = 0, at, i, n;
	int types = 0, word = 0, xl = 0, ppt = 0;
	if (len < 22)
		return NULL;
	/* the end record is in the last 22 + 65535 bytes */
	for (at = len - 22;; at--) {
		if (memcmp(d + at, "PK\5\6", 4) == 0) {
			eocd = at;
			found = 1;
			break;
		}
		if (at == 0 || len - at > 22 + 65535)
			break;
	}
	if (!found)
		return NULL;
	n = u16(d + eocd + 10);
	at = u32(d + eocd + 16);
	for (i = 0; i < n; i++) {
		if (at > eocd || eocd - at < 46 || memcmp(d + at, "PK\1\2", 4) != 0)
			return NULL;
		size_t nl = u16(d + at + 28), el = u16(d + at + 30), cl = u16(d + at + 32);
		const unsigned char *name = d + at + 46;
		if (eocd - at - 46 < nl)
			return NULL;
		if (name_ends(name, nl, "vbaProject.bin") || (nl >= 6 && memcmp(name, "Basic/", 6) == 0) ||
		    (nl >= 8 && memcmp(name, "Scripts/", 8) == 0) || has_dotdot(name, nl))
			return NULL;
		types |= name_is(name, nl, "[Content_Types].xml");
		word |= name_is(name, nl, "word/document.xml");
		xl |= name_is(name, nl, "xl/workbook.xml");
		ppt |= name_is(name, nl, "ppt/presentation.xml");
		at += 46 + nl + el + cl;
	}
	/* OpenDocument: the first local entry is "mimetype", stored uncompressed */
	if (len > 38 && memcmp(d, "PK\3\4", 4) == 0 && u16(d + 8) == 0 &&
	    name_is(d + 30, u16(d + 26), "mimetype")) {
		size_t off = 30 + (size_t)u16(d + 26) + u16(d + 28), sz = u32(d + 18);
		static const char odf[] = "application/vnd.oasis.opendocument.";
		if (off <= len && len - off >= sz && sz > sizeof odf - 1 &&
		    memcmp(d + off, odf, sizeof odf - 1) == 0) {
			const unsigned char *t = d + off + sizeof odf - 1;
			size_t tl = sz - (sizeof odf - 1);
			if (name_is(t, tl, "text"))
				return &kinds[K_ODT];
			if (name_is(t, tl, "spreadsheet"))
				return &kinds[K_ODS];
			if (name_is(t, tl, "presentation"))
				return &kinds[K_ODP];
		}
		return NULL;
	}
	if (types && word + xl + ppt == 1)
		return &kinds[word ? K_DOCX : xl ? K_XLSX : K_PPTX];
	return NULL;
}

/* Plain text: valid UTF-8, no control character but tab, line breaks and
 * form feed, and not starting (after a BOM and spaces) with '<': HTML, SVG
 * and XML are refused even served as text, since they are documents a
 * browser could run. */
static int is_text(const unsigned char *d, size_t len)
{
	size_t i = 0;
	if (!len || !pal_text_utf8_valid((const char *)d, len))
		return 0;
	for (size_t k = 0; k < len; k++)
		if ((d[k] < 0x20 && d[k] != '\t' && d[k] != '\n' && d[k] != '\r' && d[k] != '\f') ||
		    d[k] == 0x7f)
			return 0;
	if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r' || d[i] == '\f'))
		i++;
	return i < len && d[i] != '<' && !(len - i >= 2 && memcmp(d + i, "#!", 2) == 0);
}

const evidence_kind *evidence_sniff(const unsigned char *d, size_t len)
{
	if (!d)
		return NULL;
	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return &kinds[K_PDF];
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return &kinds[K_PNG];
	if (len >= 3 && memcmp(d, "\xff\xd8\xff", 3) == 0)
		return &kinds[K_JPEG];
	if (len >= 4 && memcmp(d, "PK\3\4", 4) == 0)
		return sniff_zip(d, len);
	return is_text(d, len) ? &kinds[K_TEXT] : NULL;
}

const evidence_kind *evidence_kind_of_type(const char *type)
{
	for (size_t i = 0; type && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].type, type) == 0)
			return &kinds[i];
	return NULL;
}

/* The extensions a kind's file may keep. */
static int ext_fits(const char *ext, const evidence_kind *k)
{
	static const char *const text_exts[] = {"txt", "csv", "tsv", "md", NULL};
	if (!strcasecmp(ext, k->ext))
		return 1;
	if (k == &kinds[K_JPEG])
		return !strcasecmp(ext, "jpeg");
	if (k == &kinds[K_TEXT])
		for (const char *const *e = text_exts; *e; e++)
			if (!strcasecmp(ext, *e))
				return 1;
	return 0;
}

int evidence_name(const char *filename, const evidence_kind *kind, char *out, size_t outlen)
{
	size_t len = filename ? strlen(filename) : 0, n;
	if (outlen < 3 * EVIDENCE_NAME_MAX + 16)
		return -1;
	/* cut on a character boundary (the form's text is valid UTF-8) */
	if (len > EVIDENCE_NAME_MAX) {
		len = EVIDENCE_NAME_MAX;
		while (len && ((unsigned char)filename[len] & 0xc0) == 0x80)
			len--;
	}
	n = pal_text_clean_into(filename ? filename : "", len, PAL_TEXT_TRIM, out);
	/* invalid bytes (never from a form, whose text is checked) become U+FFFD,
	 * three bytes each: cut again, so that the bound holds for any input */
	if (n > EVIDENCE_NAME_MAX) {
		n = EVIDENCE_NAME_MAX;
		while (n && ((unsigned char)out[n] & 0xc0) == 0x80)
			n--;
		out[n] = 0;
	}
	/* a name of dots only is no name */
	if (strspn(out, ". ") == n) {
		memcpy(out, "evidence", sizeof "evidence"); /* outlen was checked above */
		n = sizeof "evidence" - 1;
	}
	const char *dot = strrchr(out, '.');
	if (!dot || !ext_fits(dot + 1, kind))
		snprintf(out + n, outlen - n, ".%s", kind->ext);
	return 0;
}

int evidence_disposition(const char *name, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t at;
	int w = snprintf(out, outlen, "attachment; filename=\"");
	if (w < 0 || (size_t)w >= outlen)
		return -1;
	at = (size_t)w;
	/* the fallback: ASCII letters, digits and . - _ as they are, anything else '_' */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '.' || c == '-' || c == '_';
		if ((c & 0xc0) == 0x80)
			continue; /* one '_' per character */
		if (at + 1 >= outlen)
			return -1;
		out[at++] = keep && !(c == '.' && p == (const unsigned char *)name) ? (char)c : '_';
	}
	w = snprintf(out + at, outlen - at, "\"; filename*=UTF-8''");
	if (w < 0 || (size_t)w >= outlen - at)
		return -1;
	at += (size_t)w;
	/* RFC 5987 attr-char as is, every other byte %XX */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    strchr("!#$&+-.^_`|~", c);
		if (at + 4 >= outlen)
			return -1;
		if (plain) {
			out[at++] = (char)c;
		} else {
			out[at++] = '%';
			out[at++] = hex[c >> 4];
			out[at++] = hex[c & 15];
		}
	}
	out[at] = 0;
	return 0;
}
