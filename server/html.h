/*
 * The HTML writer: every page of the web front is written through it, so
 * that what a person typed can never become markup.
 *  - text is cleaned (palmares/text.h, as the documents clean theirs) and escaped (& < > " ') by construction;
 *  - elements are opened by name (checked: a-z and digits; the raw-text
 *    elements script and style are refused), attributes are added by name
 *    (event handlers "on...", "style" and "srcdoc" are refused) and every
 *    value is quoted and escaped;
 *  - a URL attribute (href, src, action, formaction, poster, cite) takes only
 *    a relative, http(s) or mailto URL; another is written as "#invalid-url";
 *  - markup that is not escaped goes in only through html_raw_trusted(),
 *    whose name makes it a review flag.
 * The output grows in one buffer up to a maximum size; running out of memory,
 * passing the maximum or a refused name sets a status that sticks, and the
 * caller checks it once, at html_take().
 *
 * Typical use:
 *	html *h = html_new(1 << 20);
 *	html_open(h, "a");
 *	html_attr(h, "href", url);
 *	html_text(h, town_name);
 *	html_close(h, "a");
 *	char *page = html_take(h, &len, &status);   // NULL unless HTML_OK
 *	html_free(h);
 */
#ifndef PALMARES_SERVER_HTML_H
#define PALMARES_SERVER_HTML_H

#include <stddef.h>

typedef struct html html;

typedef enum {
	HTML_OK = 0,
	HTML_NOMEM,   /* an allocation failed */
	HTML_TOO_BIG, /* the page would pass the maximum given to html_new() */
	HTML_MISUSE,  /* a refused element or attribute name, or an attribute outside a start tag */
} html_status;

/* Flags of html_text_n(). */
#define HTML_MULTILINE 0x1 /* keep line breaks (the content of a textarea, as typed) */

/* A new, empty writer whose output may not pass max bytes. Returns an owned
 * writer (free with html_free()), NULL when out of memory. */
html *html_new(size_t max);

/* Frees the writer and its buffer; accepts NULL. */
void html_free(html *h);

/* The status so far (HTML_OK while nothing went wrong). */
html_status html_status_of(const html *h);

/* Ends the page: returns the owned output (free with free()), NUL-terminated,
 * its length in *len, and leaves the writer empty. NULL, and the reason in
 * *status, when anything went wrong since html_new(). len and status may be NULL. */
char *html_take(html *h, size_t *len, html_status *status);

/* Text, cleaned and escaped. html_text_n() takes a length (the text may hold
 * no NUL) and HTML_MULTILINE; html_text() is single-line. */
void html_text(html *h, const char *s);
void html_text_n(html *h, const char *s, size_t len, unsigned flags);

/* A number, as decimal digits. */
void html_int(html *h, long long v);

/* Starts an element: "<tag". Attributes may follow until the next content
 * or element, which first closes the start tag. */
void html_open(html *h, const char *tag);

/* Adds an attribute to the open start tag: name="value", the value cleaned,
 * escaped and, for a URL attribute, checked. */
void html_attr(html *h, const char *name, const char *value);

/* An attribute whose value is a number. */
void html_attr_int(html *h, const char *name, long long v);

/* A boolean attribute (checked, disabled, required...), only when on. */
void html_attr_flag(html *h, const char *name, int on);

/* Ends an element: "</tag>". */
void html_close(html *h, const char *tag);

/* An element holding only text: <tag>text</tag>. */
void html_element_text(html *h, const char *tag, const char *text);

/* Markup written as it is, not escaped: only for text the program itself
 * wrote (the doctype, a constant fragment), never for anything that came
 * from a request, the store or a file. */
void html_raw_trusted(html *h, const char *markup);

/* 1 when url may be written in an href or src: relative ("dossier/3",
 * "/verify", "?page=2", "#top", "//host/x"), or with the scheme http, https or
 * mailto (in any case). 0 for any other scheme (javascript:, data:,
 * vbscript:...) and for a URL holding a control character, a space or a
 * backslash before its scheme, which browsers drop or read as "/". */
int html_url_ok(const char *url);

#endif
