/*
 * Diagnostics list: a growable array of positioned messages. Every loader
 * appends here instead of printing, so that the library stays silent and an
 * input's problems are all reported in one run.
 */
#include "palmares/diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct pal_diags {
	pal_diag *v;
	size_t n, cap;
	char **files;     /* one copy of each file name: the diags point into it */
	size_t nfiles;
	size_t errors, warnings;
	int oom;
	pal_diags_translate_fn tr; /* NULL: English */
};

pal_diags_translate_fn pal_diags_set_translate(pal_diags *d, pal_diags_translate_fn fn)
{
	pal_diags_translate_fn was = d ? d->tr : NULL;
	if (d)
		d->tr = fn;
	return was;
}

const char *pal_diags_tr(const pal_diags *d, const char *msgid)
{
	const char *t = d && d->tr && msgid ? d->tr(msgid) : NULL;
	return t ? t : msgid;
}

pal_diags *pal_diags_new(void)
{
	return calloc(1, sizeof(pal_diags));
}

void pal_diags_free(pal_diags *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	free(d->v);
	free(d);
}

/*
 * The list's copy of a file name. A campaign's 100,000 messages name a handful
 * of files: one copy each, found among the latest few.
 */
static char *file_copy(pal_diags *d, const char *file)
{
	for (size_t i = d->nfiles; i > 0 && i + 8 > d->nfiles; i--)
		if (strcmp(d->files[i - 1], file) == 0)
			return d->files[i - 1];
	char **v = realloc(d->files, (d->nfiles + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->files = v;
	if (!(v[d->nfiles] = strdup(file)))
		return NULL;
	return v[d->nfiles++];
}

int pal_diags_vadd(pal_diags *d, pal_severity sev, const char *file, long line, long col,
                   const char *fmt, va_list ap)
{
	va_list ap2;
	int len;
	char *text, *fcopy = NULL;

	if (!d || !fmt)
		return -1;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		pal_diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v)
			goto oom;
		d->v = v;
		d->cap = cap;
	}
	fmt = pal_diags_tr(d, fmt);
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		len = 0;
	text = malloc((size_t)len + 1);
	if (!text)
		goto oom;
	vsnprintf(text, (size_t)len + 1, fmt, ap);
	if (!palx_text_is_clean(text)) {
		/* Messages quote input: no control or bidirectional character, nor invalid UTF-8,
		 * reaches a terminal or a results file through them (text.h). */
		char *clean = (size_t)len <= (SIZE_MAX - 1) / 3 ? malloc(3 * (size_t)len + 1) : NULL;
		if (clean)
			palx_text_clean_to(text, clean);
		free(text);
		if (!clean)
			goto oom;
		text = clean;
	}
	if (file && !(fcopy = file_copy(d, file))) {
		free(text);
		goto oom;
	}
	d->v[d->n].severity = sev;
	d->v[d->n].file = fcopy;
	d->v[d->n].line = line;
	d->v[d->n].col = col;
	d->v[d->n].text = text;
	d->n++;
	if (sev == PAL_ERROR)
		d->errors++;
	else if (sev == PAL_WARNING)
		d->warnings++;
	return 0;
oom:
	d->oom = 1;
	if (sev == PAL_ERROR)
		d->errors++; /* an error that could not be recorded still counts */
	return -1;
}

int pal_diags_add(pal_diags *d, pal_severity sev, const char *file, long line, long col,
                  const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = pal_diags_vadd(d, sev, file, line, col, fmt, ap);
	va_end(ap);
	return r;
}

size_t pal_diags_count(const pal_diags *d) { return d ? d->n : 0; }
size_t pal_diags_errors(const pal_diags *d) { return d ? d->errors : 0; }
size_t pal_diags_warnings(const pal_diags *d) { return d ? d->warnings : 0; }
int pal_diags_oom(const pal_diags *d) { return d ? d->oom : 0; }

const pal_diag *pal_diags_get(const pal_diags *d, size_t i)
{
	return d && i < d->n ? &d->v[i] : NULL;
}

static const char *sev_name(pal_severity s)
{
	switch (s) {
	case PAL_ERROR: return "error";
	case PAL_WARNING: return "warning";
	default: return "note";
	}
}

void pal_diag_format(const pal_diag *g, char *buf, size_t len)
{
	size_t off = 0;
	int r;
	if (!len)
		return;
	buf[0] = '\0';
	if (g->file) {
		if (g->line > 0 && g->col > 0)
			r = snprintf(buf, len, "%s:%ld:%ld: ", g->file, g->line, g->col);
		else if (g->line > 0)
			r = snprintf(buf, len, "%s:%ld: ", g->file, g->line);
		else
			r = snprintf(buf, len, "%s: ", g->file);
		if (r > 0)
			off = (size_t)r < len ? (size_t)r : len - 1;
	}
	snprintf(buf + off, len - off, "%s: %s", sev_name(g->severity), g->text);
}

/* Messages on their way to out: batched, or written piece by piece without a buffer. */
struct batch {
	FILE *out;
	char *buf; /* 64 KiB, or NULL when it could not be had */
	size_t n;
};

#define BATCH_SIZE ((size_t)64 * 1024)

static void batch_flush(struct batch *b)
{
	if (b->n)
		fwrite(b->buf, 1, b->n, b->out);
	b->n = 0;
}

static void batch_put(struct batch *b, const char *s, size_t len)
{
	if (b->buf && b->n + len > BATCH_SIZE)
		batch_flush(b);
	if (!b->buf || len > BATCH_SIZE) { /* no buffer, or a message longer than it: on its own */
		fwrite(s, 1, len, b->out);
		return;
	}
	memcpy(b->buf + b->n, s, len);
	b->n += len;
}

/*
 * stderr is unbuffered: printed piece by piece, a national campaign's 85,000
 * warnings cost 400,000 write calls. The messages go out in 64 KiB batches
 * instead, all of them before this returns, so they stay in order with
 * whatever the caller prints next.
 */
void pal_diags_print(const pal_diags *d, size_t from, FILE *out)
{
	struct batch b = {out, NULL, 0};
	char head[64];
	if (!d)
		return;
	b.buf = malloc(BATCH_SIZE);
	for (size_t i = from; i < d->n; i++) {
		const pal_diag *g = &d->v[i];
		const char *sev = sev_name(g->severity);
		if (g->file) {
			batch_put(&b, g->file, strlen(g->file));
			int r = g->line > 0 && g->col > 0 ? snprintf(head, sizeof head, ":%ld:%ld: ", g->line, g->col)
			        : g->line > 0             ? snprintf(head, sizeof head, ":%ld: ", g->line)
			                                  : snprintf(head, sizeof head, ": ");
			batch_put(&b, head, (size_t)r);
		}
		batch_put(&b, sev, strlen(sev));
		batch_put(&b, ": ", 2);
		batch_put(&b, g->text, strlen(g->text));
		batch_put(&b, "\n", 1);
	}
	batch_flush(&b);
	free(b.buf);
	if (d->oom)
		fputs("palmares: error: out of memory while recording diagnostics\n", out);
}
