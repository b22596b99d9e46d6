/*
 * Fuzz target: multipart/form-data bodies (server/multipart.c), the uploads
 * of the web front. The first line of the input is the Content-Type header
 * (its boundary is read by form_multipart_boundary()), the rest the body.
 * Checked: OK comes with every field valid UTF-8 without NUL, every file's
 * bytes inside the body and NUL-terminated; a refusal leaves the form empty;
 * parsing twice gives the same form (the reader keeps no state).
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "palmares/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_form(const form *f, const char *body, size_t len)
{
	for (size_t i = 0; i < f->n; i++) {
		const form_field *v = &f->v[i];
		if (!pal_text_utf8_valid(v->name, strlen(v->name)) || !pal_text_utf8_valid(v->value, strlen(v->value)))
			abort();
		if (strlen(v->value) > len)
			abort();
	}
	for (size_t i = 0; i < f->nfiles; i++) {
		const form_file *x = &f->files[i];
		if (x->len > len || x->data[x->len] != 0 || !x->name || !x->filename || !x->type)
			abort();
		if (x->len && !memmem(body, len, x->data, x->len))
			abort();
		if (strchr(x->filename, '/') || strchr(x->filename, '\\'))
			abort();
	}
}

static int same(const form *a, const form *b)
{
	if (a->n != b->n || a->nfiles != b->nfiles)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) || strcmp(a->v[i].value, b->v[i].value))
			return 0;
	for (size_t i = 0; i < a->nfiles; i++)
		if (a->files[i].len != b->files[i].len ||
		    memcmp(a->files[i].data, b->files[i].data, a->files[i].len) ||
		    strcmp(a->files[i].filename, b->files[i].filename))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char type[256], boundary[FORM_BOUNDARY_MAX + 1];
	size_t tl = nl ? (size_t)(nl - data) : size;
	if (!nl || tl >= sizeof type)
		return 0;
	memcpy(type, data, tl);
	type[tl] = 0;
	if (form_multipart_boundary(type, boundary) != 0)
		return 0;
	size_t len = size - tl - 1;
	char *body = malloc(len + 1); /* an exact copy, so that reads past its end are caught */
	if (!body)
		return 0;
	memcpy(body, nl + 1, len);
	form a, b;
	form_status sa = form_parse_multipart(body, len, boundary, &a);
	form_status sb = form_parse_multipart(body, len, boundary, &b);
	if (sa != sb)
		abort();
	if (sa == FORM_OK) {
		check_form(&a, body, len);
		if (!same(&a, &b))
			abort();
	} else if (a.n || a.nfiles || a.v || a.files) {
		abort();
	}
	form_clear(&a);
	form_clear(&b);
	free(body);
	return 0;
}
