/*
 * Form bodies (application/x-www-form-urlencoded): decoded into owned
 * name/value pairs, refused whole when malformed. A field whose name or
 * value is not valid UTF-8 or holds a NUL is refused, so that no handler
 * ever sees such text (the page says why, with 400). Multipart bodies
 * (multipart/form-data: uploads) are read by form_parse_multipart() into the
 * same text fields, plus the files, whose bytes are kept as sent.
 */
#ifndef PALMARES_SERVER_FORM_H
#define PALMARES_SERVER_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS 4096 /* more fields than any dossier form has criteria */

typedef struct {
	char *name, *value; /* owned, NUL-terminated, valid UTF-8 without NUL */
} form_field;

/* A file of a multipart form: its bytes as sent, never taken as text. */
typedef struct {
	char *name;     /* the form field's name (owned, valid UTF-8) */
	char *filename; /* its last path component as the browser sent it (owned, valid UTF-8, may be "") */
	char *type;     /* the Content-Type the browser claimed (owned; "" when none): a hint only */
	unsigned char *data; /* owned, len bytes (plus a NUL after them, not counted) */
	size_t len;
} form_file;

typedef struct {
	form_field *v;
	size_t n;
	form_file *files;
	size_t nfiles;
} form;

typedef enum {
	FORM_OK = 0,
	FORM_MALFORMED, /* a bad %-escape, or more than FORM_MAX_FIELDS fields */
	FORM_BAD_TEXT,  /* invalid UTF-8 or a NUL in a name or a value */
	FORM_NOMEM,
} form_status;

#define FORM_BOUNDARY_MAX 70 /* RFC 2046's limit on a multipart boundary */

/* Parses body[0..len) into f (zeroed by the caller); on failure f is left
 * empty. Free with form_clear(). */
form_status form_parse(const char *body, size_t len, form *f);

/* The boundary of a "multipart/form-data; boundary=..." Content-Type into
 * out (at most FORM_BOUNDARY_MAX bytes + NUL). 0, or -1 when the type is not
 * multipart/form-data or its boundary is missing or invalid. */
int form_multipart_boundary(const char *content_type, char out[FORM_BOUNDARY_MAX + 1]);

/* Parses a multipart/form-data body[0..len) with its boundary into f
 * (zeroed by the caller): parts without a filename are text fields (checked
 * as form_parse() checks them), parts with one are files. A file field left
 * empty by the browser (no filename, no bytes) is not kept. The body is
 * refused whole (FORM_MALFORMED) when a delimiter, a part's headers or its
 * Content-Disposition are malformed, or past FORM_MAX_FIELDS parts. */
form_status form_parse_multipart(const char *body, size_t len, const char *boundary, form *f);

/* The first file of field name, NULL when none. Borrowed. */
const form_file *form_get_file(const form *f, const char *name);

/* Frees the fields and files; accepts NULL. */
void form_clear(form *f);

/* The value of the first field called name, NULL when none. Borrowed. */
const char *form_get(const form *f, const char *name);

#endif
