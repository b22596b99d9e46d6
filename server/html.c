/*
 * The HTML writer (see html.h for the rules). Output goes to one growable
 * buffer; the first failure (memory, size, a refused name) is kept in
 * h->status and every later call does nothing, so that page code needs no
 * check after each call, only one at html_take().
 */
#include "html.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "palmares/text.h"

struct html {
	char *buf;
	size_t len, cap, max;
	html_status status;
	int in_start_tag; /* "<tag" written, attributes may follow, ">" not yet */
	int newline_after; /* the open start tag is textarea or pre (see end_start_tag) */
};

html *html_new(size_t max)
{
	html *h = calloc(1, sizeof *h);
	if (h)
		h->max = max;
	return h;
}

void html_free(html *h)
{
	if (!h)
		return;
	free(h->buf);
	free(h);
}

html_status html_status_of(const html *h)
{
	return h ? h->status : HTML_NOMEM;
}

static void set_status(html *h, html_status st)
{
	if (h->status == HTML_OK)
		h->status = st;
}

/* The initial size of a writer's buffer: the size of the last page taken,
 * up to HINT_MAX, so that rendering the dossier form at each save does not
 * grow its buffer by doubling from 256 bytes (one realloc and copy a time). */
#define HINT_MAX ((size_t)64 * 1024)
static _Atomic size_t size_hint;

/* Makes room for n more bytes and the final NUL; 0 once the status is set.
 * The common case (room left) is tested first: it is taken for every piece
 * of every page. */
static int reserve(html *h, size_t n)
{
	size_t need, cap;
	char *b;
	if (h->status != HTML_OK)
		return 0;
	if (n > h->max || h->len > h->max - n) {
		set_status(h, HTML_TOO_BIG);
		return 0;
	}
	need = h->len + n + 1;
	if (need <= h->cap)
		return 1;
	cap = h->cap ? h->cap : 256;
	if (!h->cap) {
		size_t hint = size_hint;
		if (hint > cap && hint <= h->max)
			cap = hint;
	}
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b = realloc(h->buf, cap);
	if (!b) {
		set_status(h, HTML_NOMEM);
		return 0;
	}
	h->buf = b;
	h->cap = cap;
	return 1;
}

static void put(html *h, const char *s, size_t n)
{
	if (!reserve(h, n))
		return;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

static void puts_(html *h, const char *s)
{
	put(h, s, strlen(s));
}

/* Closes a start tag left open for attributes. HTML drops one line break
 * right after <textarea> and <pre>: writing one there keeps an answer that
 * starts with a blank line as it was typed. */
static void end_start_tag(html *h)
{
	if (h->in_start_tag) {
		h->in_start_tag = 0;
		put(h, h->newline_after ? ">\n" : ">", h->newline_after ? 2 : 1);
		h->newline_after = 0;
	}
}

/*
 * One table lookup per byte tells both what escaping adds and whether the
 * byte needs cleaning, so that a text is scanned once before it is written
 * (it was scanned for plain ASCII, then escaped with one put() per run and
 * per entity). The rules are those of the switch this replaced:
 *  - & < > " ' are escaped, as &amp; &lt; &gt; &quot; &#39;: the low bits
 *    (ESC_EXTRA) hold how many bytes the entity adds to the one it replaces;
 *  - a byte below 0x20 or from 0x7F is not printable ASCII (NOT_PLAIN): the
 *    text goes through the library's cleaning first.
 */
#define ESC_EXTRA 0x07
#define NOT_PLAIN 0x80
static const unsigned char byte_class[256] = {
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0x00 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0x10 */
	0, 0, 5, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0, /* 0x30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, /* 0x70 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0x80 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0x90 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xA0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xB0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xC0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xD0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xE0 */
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, /* 0xF0 */
};

static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	default: return "&#39;";
	}
}

/* What escaping s[0..n) adds to its length, and the OR of its bytes' classes. */
static size_t scan(const char *s, size_t n, unsigned *classes)
{
	size_t extra = 0;
	unsigned acc = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = byte_class[(unsigned char)s[i]];
		acc |= c;
		extra += c & ESC_EXTRA;
	}
	*classes = acc;
	return extra;
}

/* Appends s[0..n), already clean, with & < > " ' escaped; extra is what
 * escaping adds (scan()). One reservation, then a copy. */
static void put_escaped_n(html *h, const char *s, size_t n, size_t extra)
{
	if (!extra) {
		put(h, s, n);
		return;
	}
	if (n + extra < n || !reserve(h, n + extra))
		return;
	char *d = h->buf + h->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned x = byte_class[c] & ESC_EXTRA;
		if (!x) {
			*d++ = (char)c;
		} else {
			memcpy(d, entity(c), x + 1);
			d += x + 1;
		}
	}
	h->len += n + extra;
	h->buf[h->len] = '\0';
}

static void put_escaped(html *h, const char *s, size_t n)
{
	unsigned classes;
	put_escaped_n(h, s, n, scan(s, n, &classes));
}

/*
 * s[0..n) cleaned by the library's rules (palmares/text.h), as the documents
 * clean every text: a new string, its length in *out_len; NULL when out of
 * memory. Allocated here, so that the tests' allocator sees it.
 */
static char *clean_text(const char *s, size_t n, unsigned flags, size_t *out_len)
{
	if (n > (SIZE_MAX - 1) / 3) /* an invalid byte becomes U+FFFD: at most 3 bytes per byte */
		return NULL;
	char *out = malloc(3 * n + 1);
	if (out)
		*out_len = pal_text_clean_into(s, n, flags, out);
	return out;
}

/*
 * Which characters of the Basic Multilingual Plane are their own clean text
 * whatever surrounds them, as the library's cleaner says: asked of it the
 * first time a character is met (alone, between two letters, forty times in
 * a row: the cleaner's rules that look at neighbours are about joiners and
 * runs of combining marks), then kept. html.c holds no rule of its own: a
 * text of printable ASCII and such characters is written without being
 * cleaned, because cleaning would give it back unchanged. The dossier form
 * is French: its accented words and titles were cleaned (a copy and a
 * malloc) at each save.
 */
enum { CP_UNKNOWN, CP_SELF, CP_CHANGED };
static _Atomic unsigned char cp_state[0x10000];

static int self_clean_in(const char *probe, size_t n, unsigned flags)
{
	char out[3 * 3 * 40 + 1];
	return pal_text_clean_into(probe, n, flags, out) == n && !memcmp(out, probe, n);
}

static int cp_self_clean(unsigned cp, const char *utf8, size_t len)
{
	unsigned char st = cp_state[cp];
	if (st == CP_UNKNOWN) {
		char probe[3 * 40];
		int self = 1;
		for (unsigned flags = 0; flags <= PAL_TEXT_MULTILINE && self; flags += PAL_TEXT_MULTILINE) {
			self = self_clean_in(utf8, len, flags);
			probe[0] = 'a';
			memcpy(probe + 1, utf8, len);
			probe[len + 1] = 'a';
			self = self && self_clean_in(probe, len + 2, flags);
			for (size_t k = 0; k < 40; k++)
				memcpy(probe + k * len, utf8, len);
			self = self && self_clean_in(probe, 40 * len, flags);
		}
		st = self ? CP_SELF : CP_CHANGED;
		cp_state[cp] = st; /* two threads asking at once store the same */
	}
	return st == CP_SELF;
}

/* 1 when s[0..n) is printable ASCII and characters of two or three bytes
 * (well formed) that cp_self_clean() finds their own clean text. */
static int self_clean(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = u[i], cp;
		size_t len;
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
			cp = ((c & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu);
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
			   (u[i + 2] & 0xC0) == 0x80) {
			cp = ((c & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
			len = 3;
			if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
				return 0; /* overlong or a surrogate: the cleaner replaces it */
		} else {
			return 0;
		}
		if (!cp_self_clean(cp, s + i, len))
			return 0;
		i += len;
	}
	return 1;
}

/* Cleans then escapes s[0..n). Printable ASCII is its own clean text: no copy. */
static void put_text(html *h, const char *s, size_t n, unsigned flags)
{
	char *clean;
	size_t cn, extra;
	unsigned classes;
	if (h->status != HTML_OK)
		return;
	extra = scan(s, n, &classes);
	if (!(classes & NOT_PLAIN) || self_clean(s, n)) {
		put_escaped_n(h, s, n, extra);
		return;
	}
	clean = clean_text(s, n, (flags & HTML_MULTILINE) ? PAL_TEXT_MULTILINE : 0, &cn);
	if (!clean) {
		set_status(h, HTML_NOMEM);
		return;
	}
	put_escaped(h, clean, cn);
	free(clean);
}

/* Keeps the size of a page taken as the next writers' first reservation,
 * unless it passes HINT_MAX (one big table must not make every small page
 * reserve its size). */
static void size_stats(size_t len)
{
	if (len < HINT_MAX)
		size_hint = len + 1;
}

char *html_take(html *h, size_t *len, html_status *status)
{
	char *out = NULL;
	html_status st;
	if (!h) {
		if (status)
			*status = HTML_NOMEM;
		return NULL;
	}
	end_start_tag(h);
	if (h->status == HTML_OK && !h->buf)
		reserve(h, 0);
	st = h->status;
	if (st == HTML_OK) {
		size_stats(h->len);
		out = h->buf;
		if (len)
			*len = h->len;
	} else {
		free(h->buf);
	}
	h->buf = NULL;
	h->len = h->cap = 0;
	h->in_start_tag = h->newline_after = 0;
	h->status = HTML_OK;
	if (status)
		*status = st;
	return out;
}

void html_text_n(html *h, const char *s, size_t len, unsigned flags)
{
	if (!h || h->status != HTML_OK)
		return;
	end_start_tag(h);
	put_text(h, s, len, flags);
}

void html_text(html *h, const char *s)
{
	if (s)
		html_text_n(h, s, strlen(s), 0);
}

/* v in decimal digits at the end of b[0..32): returns where they start
 * (no snprintf: the form writes a number per criterion at each save). */
static char *int_text(long long v, char b[32])
{
	char *p = b + 31;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

void html_int(html *h, long long v)
{
	char b[32];
	const char *d = int_text(v, b);
	if (!h)
		return;
	end_start_tag(h);
	put(h, d, (size_t)(b + 31 - d));
}

/* The length of a name of a-z then a-z, 0-9 (and '-' when dash), at most
 * 32 bytes; 0 for anything else. The length serves the writing that follows
 * (no strlen again). */
static size_t name_len(const char *s, int dash)
{
	size_t i;
	if (!s || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || (dash && s[i] == '-')))
			return 0;
	return i <= 32 ? i : 0;
}

static int name_ok(const char *s, int dash)
{
	return name_len(s, dash) != 0;
}

/* Elements whose content is not parsed as text, where escaping does not
 * protect: only html_raw_trusted() may write them. */
static int tag_refused(const char *tag)
{
	static const char *const refused[] = {"script",    "style",    "iframe",   "object",
					      "embed",     "template", "noscript", "xmp",
					      "plaintext", "noembed",  "noframes", "base"};
	size_t i;
	/* first letters compared before strcmp: a form opens thousands of tags per save */
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (tag[0] == refused[i][0] && !strcmp(tag, refused[i]))
			return 1;
	return 0;
}

void html_open(html *h, const char *tag)
{
	size_t n;
	if (!h || h->status != HTML_OK)
		return;
	end_start_tag(h);
	if (!(n = name_len(tag, 0)) || tag_refused(tag)) {
		set_status(h, HTML_MISUSE);
		return;
	}
	if (!reserve(h, n + 1))
		return;
	h->buf[h->len] = '<';
	memcpy(h->buf + h->len + 1, tag, n);
	h->len += n + 1;
	h->buf[h->len] = '\0';
	h->in_start_tag = 1;
	h->newline_after = (tag[0] == 't' && !strcmp(tag, "textarea")) || (tag[0] == 'p' && !strcmp(tag, "pre"));
}

void html_close(html *h, const char *tag)
{
	if (!h || h->status != HTML_OK)
		return;
	end_start_tag(h);
	size_t n;
	if (!(n = name_len(tag, 0)) || tag_refused(tag)) {
		set_status(h, HTML_MISUSE);
		return;
	}
	if (!reserve(h, n + 3))
		return;
	memcpy(h->buf + h->len, "</", 2);
	memcpy(h->buf + h->len + 2, tag, n);
	h->buf[h->len + 2 + n] = '>';
	h->len += n + 3;
	h->buf[h->len] = '\0';
}

void html_element_text(html *h, const char *tag, const char *text)
{
	html_open(h, tag);
	html_text(h, text);
	html_close(h, tag);
}

static int is_url_attr(const char *name)
{
	if (!name[0] || !strchr("hsafpc", name[0])) /* none of them: most attributes, at once */
		return 0;
	return !strcmp(name, "href") || !strcmp(name, "src") || !strcmp(name, "action") ||
	       !strcmp(name, "formaction") || !strcmp(name, "poster") || !strcmp(name, "cite");
}

/* Event handlers run script; style and srcdoc hold a language of their own. */
static int attr_refused(const char *name)
{
	return (name[0] == 'o' && name[1] == 'n') || !strcmp(name, "style") || !strcmp(name, "srcdoc");
}

/* Writes ' name' after the checks; 0 when refused. */
static int attr_name(html *h, const char *name)
{
	size_t n;
	if (!h || h->status != HTML_OK)
		return 0;
	if (!h->in_start_tag || !(n = name_len(name, 1)) || attr_refused(name)) {
		set_status(h, HTML_MISUSE);
		return 0;
	}
	if (!reserve(h, n + 1))
		return 0;
	h->buf[h->len] = ' ';
	memcpy(h->buf + h->len + 1, name, n);
	h->len += n + 1;
	h->buf[h->len] = '\0';
	return 1;
}

void html_attr(html *h, const char *name, const char *value)
{
	char *clean;
	size_t n, extra;
	unsigned classes;
	if (!attr_name(h, name))
		return;
	if (!value)
		value = "";
	n = strlen(value);
	extra = scan(value, n, &classes);
	/* Printable ASCII is its own clean text (as in put_text): no copy, which
	 * was one malloc per attribute of the dossier form, rendered at each save. */
	if (!(classes & NOT_PLAIN) || self_clean(value, n))
		clean = NULL;
	else if (!(clean = clean_text(value, n, 0, &n))) {
		set_status(h, HTML_NOMEM);
		return;
	} else {
		extra = scan(clean, n, &classes);
	}
	const char *v = clean ? clean : value;
	put(h, "=\"", 2);
	if (is_url_attr(name) && !html_url_ok(v))
		puts_(h, "#invalid-url");
	else
		put_escaped_n(h, v, n, extra);
	put(h, "\"", 1);
	free(clean);
}

void html_attr_int(html *h, const char *name, long long v)
{
	char b[32];
	html_attr(h, name, int_text(v, b));
}

void html_attr_flag(html *h, const char *name, int on)
{
	if (on)
		attr_name(h, name);
	else if (h && h->status == HTML_OK && (!h->in_start_tag || !name_ok(name, 1) || attr_refused(name)))
		set_status(h, HTML_MISUSE); /* the same checks whether on or off */
}

void html_raw_trusted(html *h, const char *markup)
{
	if (!h || !markup || h->status != HTML_OK)
		return;
	end_start_tag(h);
	puts_(h, markup);
}

int html_url_ok(const char *url)
{
	size_t i;
	if (!url)
		return 0;
	if (!pal_text_utf8_valid(url, strlen(url)))
		return 0;
	/* Browsers remove tabs and line breaks inside a URL and trim controls
	 * and spaces around it ("java\tscript:" runs script): refuse them all. */
	for (i = 0; url[i]; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7F)
			return 0;
	/* The scheme is what comes before the first ':' when no '/', '?' or '#'
	 * comes first; without one the URL is relative. */
	for (i = 0; url[i] && url[i] != ':'; i++)
		if (url[i] == '/' || url[i] == '?' || url[i] == '#')
			return 1;
	if (!url[i])
		return 1;
	return (i == 4 && !strncasecmp(url, "http", 4)) || (i == 5 && !strncasecmp(url, "https", 5)) ||
	       (i == 6 && !strncasecmp(url, "mailto", 6));
}
