/*
 * Form bodies (application/x-www-form-urlencoded): decoded into owned
 * name/value pairs, refused whole when malformed. A field whose name or
 * value is not valid UTF-8 or holds a NUL is refused, so that no handler
 * ever sees such text (the page says why, with 400). Multipart bodies
 * (uploads) come with the dossier pages.
 */
#ifndef PALMARES_SERVER_FORM_H
#define PALMARES_SERVER_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS 4096 /* more fields than any dossier form has criteria */

typedef struct {
	char *name, *value; /* owned, NUL-terminated, valid UTF-8 without NUL */
} form_field;

typedef struct {
	form_field *v;
	size_t n;
} form;

typedef enum {
	FORM_OK = 0,
	FORM_MALFORMED, /* a bad %-escape, or more than FORM_MAX_FIELDS fields */
	FORM_BAD_TEXT,  /* invalid UTF-8 or a NUL in a name or a value */
	FORM_NOMEM,
} form_status;

/* Parses body[0..len) into f (zeroed by the caller); on failure f is left
 * empty. Free with form_clear(). */
form_status form_parse(const char *body, size_t len, form *f);

/* Frees the fields; accepts NULL. */
void form_clear(form *f);

/* The value of the first field called name, NULL when none. Borrowed. */
const char *form_get(const form *f, const char *name);

#endif
