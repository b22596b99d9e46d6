/*
 * Decoding of application/x-www-form-urlencoded bodies (form.h): fields
 * split on '&', name and value on the first '=', '+' is a space, %XX a byte.
 * Every decoded text is checked for UTF-8 and NUL before the handler sees it.
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "palmares/text.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into an owned string; NULL with *st set on failure. */
static char *decode(const char *s, size_t len, form_status *st)
{
	char *out = malloc(len + 1);
	size_t n = 0;
	if (!out) {
		*st = FORM_NOMEM;
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			out[n++] = ' ';
		} else if (s[i] == '%') {
			if (i + 2 >= len) {
				free(out);
				*st = FORM_MALFORMED;
				return NULL;
			}
			int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
			if (a < 0 || b < 0) {
				free(out);
				*st = FORM_MALFORMED;
				return NULL;
			}
			out[n++] = (char)(a * 16 + b);
			i += 2;
		} else {
			out[n++] = s[i];
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

form_status form_parse(const char *body, size_t len, form *f)
{
	size_t pos = 0, cap = 0;
	form_status st = FORM_OK;
	memset(f, 0, sizeof *f);
	while (pos < len) {
		const char *p = body + pos;
		const char *amp = memchr(p, '&', len - pos);
		size_t flen = amp ? (size_t)(amp - p) : len - pos;
		pos += flen + (amp ? 1 : 0);
		if (flen == 0)
			continue;
		if (f->n == FORM_MAX_FIELDS) {
			st = FORM_MALFORMED;
			break;
		}
		const char *eq = memchr(p, '=', flen);
		size_t nlen = eq ? (size_t)(eq - p) : flen;
		if (f->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			form_field *v = realloc(f->v, ncap * sizeof *v);
			if (!v) {
				st = FORM_NOMEM;
				break;
			}
			f->v = v;
			cap = ncap;
		}
		char *name = decode(p, nlen, &st);
		if (!name)
			break;
		char *value = eq ? decode(eq + 1, flen - nlen - 1, &st) : decode("", 0, &st);
		if (!value) {
			free(name);
			break;
		}
		f->v[f->n].name = name;
		f->v[f->n].value = value;
		f->n++;
	}
	if (st != FORM_OK)
		form_clear(f);
	return st;
}

void form_clear(form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i].name);
		free(f->files[i].filename);
		free(f->files[i].type);
		free(f->files[i].data);
	}
	free(f->v);
	free(f->files);
	f->v = NULL;
	f->n = 0;
	f->files = NULL;
	f->nfiles = 0;
}

const char *form_get(const form *f, const char *name)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}
