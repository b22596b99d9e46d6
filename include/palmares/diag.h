/*
 * palmares — diagnostics.
 *
 * Loaders and the engine never print: they append every problem they find to
 * a caller-owned pal_diags list, each with its position, and go on so that all
 * problems of an input are reported at once. The command line prints them as
 *   FILE:LINE[:COL]: error: TEXT
 * and maps their presence to the exit status.
 */
#ifndef PALMARES_DIAG_H
#define PALMARES_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pal_severity {
	PAL_NOTE = 0,
	PAL_WARNING = 1,
	PAL_ERROR = 2,
} pal_severity;

/* One problem. Strings are owned by the list. line/col are 1-based, 0 = unknown. */
typedef struct pal_diag {
	pal_severity severity;
	char *file;  /* may be NULL */
	long line;
	long col;
	char *text;  /* lower case, no final full stop */
} pal_diag;

typedef struct pal_diags pal_diags;

/* Returns a new empty list, or NULL when out of memory. Free with pal_diags_free(). */
pal_diags *pal_diags_new(void);
/* Accepts NULL. */
void pal_diags_free(pal_diags *d);

/*
 * Appends a diagnostic; file may be NULL. Returns 0, or -1 when out of memory
 * (the list then remembers it: pal_diags_oom() is true).
 */
int pal_diags_add(pal_diags *d, pal_severity sev, const char *file, long line, long col,
                  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
int pal_diags_vadd(pal_diags *d, pal_severity sev, const char *file, long line, long col,
                   const char *fmt, va_list ap);

/*
 * The wording of messages in another language (gettext's msgid → msgstr):
 * returns a borrowed string, the translation or msgid itself. The engine
 * words its messages in English and never picks a language; a command that
 * speaks the user's language (the documents' commands, issue 13 item 23)
 * sets one on its list while a library call adds messages. The translation
 * of a format keeps its conversions (msgfmt --check).
 */
typedef const char *(*pal_diags_translate_fn)(const char *msgid);
/*
 * From now on, the format of every message added to d goes through fn first
 * (NULL: none, the default). Returns the earlier one, to put it back.
 */
pal_diags_translate_fn pal_diags_set_translate(pal_diags *d, pal_diags_translate_fn fn);
/* msgid through d's translation, for a word passed as an argument (a strerror text). Borrowed. */
const char *pal_diags_tr(const pal_diags *d, const char *msgid);

size_t pal_diags_count(const pal_diags *d);
/* Borrowed, valid until the list changes or is freed. */
const pal_diag *pal_diags_get(const pal_diags *d, size_t i);
size_t pal_diags_errors(const pal_diags *d);
size_t pal_diags_warnings(const pal_diags *d);
int pal_diags_oom(const pal_diags *d);

/* Prints every diagnostic from index `from` on as FILE:LINE[:COL]: severity: text. */
void pal_diags_print(const pal_diags *d, size_t from, FILE *out);
/* Formats one diagnostic into buf (always NUL-terminated). */
void pal_diag_format(const pal_diag *g, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
