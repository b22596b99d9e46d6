/*
 * multipart/form-data bodies (form.h): the uploads of a dossier file,
 * evidence files and a towns file. The body is read whole (http.c keeps it
 * up to HTTP_UPLOAD_MAX), so that the reader is a plain function of its
 * bytes, tested and fuzzed without a server.
 *
 * The format (RFC 7578 over RFC 2046): a preamble, then parts, each after a
 * delimiter line "--BOUNDARY", the last delimiter "--BOUNDARY--", then an
 * epilogue. A part is header lines (CRLF each), an empty line, and its bytes
 * up to the CRLF before the next delimiter. Of the headers only
 * Content-Disposition (form-data; name="..."; filename="...") and
 * Content-Type are read; others (Content-Transfer-Encoding, which browsers
 * never send) are ignored. Browsers escape '"', CR and LF of names and
 * file names as %22, %0D, %0A: those three are decoded, anything else is
 * kept as sent (a file name "50%.pdf" stays so).
 *
 * Strict where it matters: a body without its closing delimiter, a part
 * without a name or with malformed headers is refused whole rather than
 * read in part, since a handler must never act on half a form.
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "palmares/text.h"

#define PART_HEADERS_MAX 8192 /* the header lines of one part, together */

const form_file *form_get_file(const form *f, const char *name)
{
	for (size_t i = 0; f && i < f->nfiles; i++)
		if (strcmp(f->files[i].name, name) == 0)
			return &f->files[i];
	return NULL;
}

static int boundary_char(unsigned char c)
{
	/* RFC 2046's bchars, without the space (allowed inside, never last: simpler to refuse) */
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("'()+_,-./:=?", c) != NULL;
}

int form_multipart_boundary(const char *type, char out[FORM_BOUNDARY_MAX + 1])
{
	static const char want[] = "multipart/form-data";
	size_t n = sizeof want - 1;
	if (!type || strncasecmp(type, want, n) != 0 || (type[n] && type[n] != ';' && type[n] != ' '))
		return -1;
	for (const char *p = type + n; *p;) {
		p += strspn(p, "; \t");
		size_t klen = strcspn(p, "=; \t");
		if (klen == 8 && strncasecmp(p, "boundary", 8) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1;
			int quoted = *v == '"';
			size_t len = quoted ? strcspn(v + 1, "\"") : strcspn(v, "; \t");
			if (quoted && v[1 + len] != '"')
				return -1;
			if (len == 0 || len > FORM_BOUNDARY_MAX)
				return -1;
			for (size_t i = 0; i < len; i++)
				if (!boundary_char((unsigned char)v[quoted + i]))
					return -1;
			memcpy(out, v + quoted, len);
			out[len] = 0;
			return 0;
		}
		p += strcspn(p, ";");
	}
	return -1;
}

/* The first occurrence of needle[0..nl) in h[0..hl), NULL when none. */
static const char *find(const char *h, size_t hl, const char *needle, size_t nl)
{
	while (hl >= nl) {
		const char *p = memchr(h, needle[0], hl - nl + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, nl) == 0)
			return p;
		hl -= (size_t)(p - h) + 1;
		h = p + 1;
	}
	return NULL;
}

/* A parameter's value (name="..." or name=token) of a header, decoded into
 * an owned string; NULL with *st set when malformed or out of memory, NULL
 * with *st unchanged when absent. */
static char *param(const char *h, size_t len, const char *name, form_status *st)
{
	size_t nl = strlen(name);
	const char *end = h + len, *p = h;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		p = semi ? semi + 1 : end;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != '=')
			continue;
		const char *v = p + nl + 1, *ve;
		if (v < end && *v == '"') {
			v++;
			ve = memchr(v, '"', (size_t)(end - v));
			if (!ve) {
				*st = FORM_MALFORMED;
				return NULL;
			}
		} else {
			ve = v;
			while (ve < end && *ve != ';' && *ve != ' ' && *ve != '\t')
				ve++;
		}
		char *out = malloc((size_t)(ve - v) + 1);
		size_t n = 0;
		if (!out) {
			*st = FORM_NOMEM;
			return NULL;
		}
		for (const char *c = v; c < ve; c++) {
			if (*c == '%' && ve - c >= 3 && c[1] == '2' && c[2] == '2') {
				out[n++] = '"';
				c += 2;
			} else if (*c == '%' && ve - c >= 3 && c[1] == '0' && (c[2] == 'D' || c[2] == 'A')) {
				out[n++] = c[2] == 'D' ? '\r' : '\n';
				c += 2;
			} else {
				out[n++] = *c;
			}
		}
		out[n] = 0;
		if (memchr(out, 0, n) || !pal_text_utf8_valid(out, n)) {
			free(out);
			*st = FORM_BAD_TEXT;
			return NULL;
		}
		return out;
	}
	return NULL;
}

/* The last path component of a file name (old browsers sent C:\dir\name). */
static void base_name(char *s)
{
	char *a = strrchr(s, '/'), *b = strrchr(s, '\\'), *last = a > b ? a : b;
	if (last)
		memmove(s, last + 1, strlen(last + 1) + 1);
}

struct part {
	char *name, *filename, *type;
	const char *data;
	size_t len;
};

static void part_clear(struct part *p)
{
	free(p->name);
	free(p->filename);
	free(p->type);
	memset(p, 0, sizeof *p);
}

/* Reads the header lines h[0..len) (each ending in CRLF) of one part. */
static form_status part_headers(const char *h, size_t len, struct part *p)
{
	form_status st = FORM_OK;
	int disposition = 0;
	while (len) {
		const char *eol = find(h, len, "\r\n", 2);
		size_t ll = eol ? (size_t)(eol - h) : len;
		const char *colon = memchr(h, ':', ll);
		if (!eol || !colon)
			return FORM_MALFORMED;
		size_t kl = (size_t)(colon - h);
		const char *v = colon + 1;
		while (v < h + ll && (*v == ' ' || *v == '\t'))
			v++;
		size_t vl = (size_t)(h + ll - v);
		if (kl == 19 && strncasecmp(h, "Content-Disposition", kl) == 0) {
			if (disposition++ || vl < 9 || strncasecmp(v, "form-data", 9) != 0 ||
			    (vl > 9 && v[9] != ';' && v[9] != ' '))
				return FORM_MALFORMED;
			p->name = param(v, vl, "name", &st);
			if (!p->name)
				return st != FORM_OK ? st : FORM_MALFORMED;
			p->filename = param(v, vl, "filename", &st);
			if (st != FORM_OK)
				return st;
		} else if (kl == 12 && strncasecmp(h, "Content-Type", kl) == 0 && !p->type) {
			if (!(p->type = malloc(vl + 1)))
				return FORM_NOMEM;
			memcpy(p->type, v, vl);
			p->type[vl] = 0;
			if (memchr(p->type, 0, vl) || !pal_text_utf8_valid(p->type, vl))
				return FORM_BAD_TEXT;
		}
		h += ll + 2;
		len -= ll + 2;
	}
	return disposition ? FORM_OK : FORM_MALFORMED;
}

/* Moves the part into f as a field or a file. */
static form_status keep(form *f, struct part *p, size_t *cap_v, size_t *cap_f)
{
	if (!p->filename) {
		if (memchr(p->data, 0, p->len) || !pal_text_utf8_valid(p->data, p->len))
			return FORM_BAD_TEXT;
		if (f->n == *cap_v) {
			size_t cap = *cap_v ? *cap_v * 2 : 16;
			form_field *v = realloc(f->v, cap * sizeof *v);
			if (!v)
				return FORM_NOMEM;
			f->v = v;
			*cap_v = cap;
		}
		char *value = malloc(p->len + 1);
		if (!value)
			return FORM_NOMEM;
		memcpy(value, p->data, p->len);
		value[p->len] = 0;
		f->v[f->n++] = (form_field){p->name, value};
		p->name = NULL;
		return FORM_OK;
	}
	if (!*p->filename && p->len == 0)
		return FORM_OK; /* a file input left empty */
	if (f->nfiles == *cap_f) {
		size_t cap = *cap_f ? *cap_f * 2 : 4;
		form_file *v = realloc(f->files, cap * sizeof *v);
		if (!v)
			return FORM_NOMEM;
		f->files = v;
		*cap_f = cap;
	}
	unsigned char *data = malloc(p->len + 1);
	if (!data || (!p->type && !(p->type = calloc(1, 1)))) {
		free(data);
		return FORM_NOMEM;
	}
	memcpy(data, p->data, p->len);
	data[p->len] = 0;
	base_name(p->filename);
	f->files[f->nfiles++] = (form_file){p->name, p->filename, p->type, data, p->len};
	p->name = p->filename = p->type = NULL;
	return FORM_OK;
}

form_status form_parse_multipart(const char *body, size_t len, const char *boundary, form *f)
{
	char delim[FORM_BOUNDARY_MAX + 5]; /* CRLF "--" boundary */
	size_t bl = boundary ? strlen(boundary) : 0, dl = bl + 4, cap_v = 0, cap_f = 0;
	form_status st = FORM_OK;
	struct part p = {0};
	memset(f, 0, sizeof *f);
	if (bl == 0 || bl > FORM_BOUNDARY_MAX)
		return FORM_MALFORMED;
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	/* The first delimiter may open the body (no CRLF before it). */
	const char *end = body + len, *after;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
		after = body + dl - 2;
	} else {
		const char *at = find(body, len, delim, dl);
		if (!at)
			return FORM_MALFORMED;
		after = at + dl;
	}
	for (;;) {
		/* past a delimiter: "--" closes the body, else CRLF opens a part */
		if (end - after >= 2 && after[0] == '-' && after[1] == '-')
			break; /* the epilogue is ignored */
		while (after < end && (*after == ' ' || *after == '\t'))
			after++; /* transport padding */
		if (end - after < 2 || after[0] != '\r' || after[1] != '\n') {
			st = FORM_MALFORMED;
			break;
		}
		if (f->n + f->nfiles == FORM_MAX_FIELDS) {
			st = FORM_MALFORMED;
			break;
		}
		const char *h = after + 2;
		size_t hl = 0;
		if (end - h >= 2 && h[0] == '\r' && h[1] == '\n') {
			p.data = h + 2; /* no header lines: refused below (no name) */
		} else {
			const char *hend = find(h, (size_t)(end - h), "\r\n\r\n", 4);
			if (!hend || (size_t)(hend - h) + 2 > PART_HEADERS_MAX) {
				st = FORM_MALFORMED;
				break;
			}
			hl = (size_t)(hend - h) + 2;
			p.data = hend + 4;
		}
		const char *data = p.data;
		st = part_headers(h, hl, &p);
		if (st != FORM_OK)
			break;
		p.data = data;
		const char *next = find(p.data, (size_t)(end - p.data), delim, dl);
		if (!next) {
			st = FORM_MALFORMED; /* no closing delimiter: a body cut short */
			break;
		}
		p.len = (size_t)(next - p.data);
		st = keep(f, &p, &cap_v, &cap_f);
		part_clear(&p);
		if (st != FORM_OK)
			break;
		after = next + dl;
	}
	part_clear(&p);
	if (st != FORM_OK)
		form_clear(f);
	return st;
}
