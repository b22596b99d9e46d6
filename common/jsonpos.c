/*
 * JSON pointer → line:column, by one iterative scan of the text. The scan
 * keeps the pointer of the current value in a growable buffer (one segment
 * per nesting level) and, at the start of each value, looks the pointer up
 * among the requested ones (sorted, binary search). Requested pointers that
 * name nothing get the position of their longest existing prefix.
 */
#include "jsonpos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct req {
	const char *ptr;
	size_t idx;
};

struct scan {
	const char *s;
	size_t len, i;
	long line, col;
	char *path;
	size_t plen, pcap;
	size_t *seg;     /* start offset of each nesting level's segment in path */
	long *counter;   /* array index per level, -1 for objects */
	size_t depth, dcap;
	struct req *reqs;
	size_t nreq;
	long *lines, *cols;
	size_t *best;    /* length of best prefix matched per request */
};

static int req_cmp(const void *a, const void *b)
{
	return strcmp(((const struct req *)a)->ptr, ((const struct req *)b)->ptr);
}

static void advance(struct scan *sc)
{
	unsigned char c = (unsigned char)sc->s[sc->i++];
	if (c == '\n') {
		sc->line++;
		sc->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		sc->col++;
	}
}

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->len && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i])
		advance(sc);
}

static int path_reserve(struct scan *sc, size_t extra)
{
	if (sc->plen + extra + 1 <= sc->pcap)
		return 0;
	size_t cap = sc->pcap ? sc->pcap : 256;
	while (cap < sc->plen + extra + 1)
		cap *= 2;
	char *p = realloc(sc->path, cap);
	if (!p)
		return -1;
	sc->path = p;
	sc->pcap = cap;
	return 0;
}

/* Marks the current path's position for every request it is a prefix of. */
static void visit(struct scan *sc)
{
	sc->path[sc->plen] = '\0';
	/* Exact match and prefixes: requests sharing this prefix are contiguous. */
	struct req key = {sc->path, 0};
	size_t lo = 0, hi = sc->nreq;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (req_cmp(&sc->reqs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < sc->nreq; k++) {
		const char *p = sc->reqs[k].ptr;
		if (strncmp(p, sc->path, sc->plen) != 0)
			break;
		if (p[sc->plen] != '\0' && p[sc->plen] != '/')
			continue;
		size_t r = sc->reqs[k].idx;
		if (sc->lines[r] == 0 || sc->plen >= sc->best[r]) {
			sc->lines[r] = sc->line;
			sc->cols[r] = sc->col;
			sc->best[r] = sc->plen;
		}
	}
}

/* Reads a JSON string at sc->i (on the quote); appends its escaped-pointer form when keep. */
static int scan_string(struct scan *sc, int keep)
{
	advance(sc); /* opening quote */
	while (sc->i < sc->len && sc->s[sc->i] != '"') {
		char c = sc->s[sc->i];
		if (c == '\\' && sc->i + 1 < sc->len) {
			char e = sc->s[sc->i + 1];
			advance(sc);
			advance(sc);
			if (!keep)
				continue;
			/* Only simple escapes are decoded; \u keeps its text (ids are ASCII). */
			char out = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
			         : e == 'f' ? '\f' : e;
			if (e == 'u') {
				if (path_reserve(sc, 2))
					return -1;
				sc->path[sc->plen++] = '\\';
				sc->path[sc->plen++] = 'u';
				continue;
			}
			c = out;
		} else {
			advance(sc);
		}
		if (!keep)
			continue;
		if (path_reserve(sc, 2))
			return -1;
		if (c == '~') {
			sc->path[sc->plen++] = '~';
			sc->path[sc->plen++] = '0';
		} else if (c == '/') {
			sc->path[sc->plen++] = '~';
			sc->path[sc->plen++] = '1';
		} else {
			sc->path[sc->plen++] = c;
		}
	}
	if (sc->i < sc->len)
		advance(sc);
	return 0;
}

static int push_level(struct scan *sc, long counter)
{
	if (sc->depth == sc->dcap) {
		size_t cap = sc->dcap ? sc->dcap * 2 : 32;
		size_t *seg = realloc(sc->seg, cap * sizeof(*seg));
		if (!seg)
			return -1;
		sc->seg = seg;
		long *cnt = realloc(sc->counter, cap * sizeof(*cnt));
		if (!cnt)
			return -1;
		sc->counter = cnt;
		sc->dcap = cap;
	}
	sc->seg[sc->depth] = sc->plen;
	sc->counter[sc->depth] = counter;
	sc->depth++;
	return 0;
}

/* Sets the path to the parent's path + "/" + array index. */
static int set_index(struct scan *sc)
{
	size_t d = sc->depth - 1;
	sc->plen = sc->seg[d];
	if (path_reserve(sc, 24))
		return -1;
	int n = snprintf(sc->path + sc->plen, 24, "/%ld", sc->counter[d]++);
	sc->plen += (size_t)n;
	return 0;
}

static int run(struct scan *sc)
{
	int expect_value = 1;
	if (path_reserve(sc, 1))
		return -1;
	while (sc->i < sc->len) {
		skip_ws(sc);
		if (sc->i >= sc->len)
			break;
		char c = sc->s[sc->i];
		if (expect_value) {
			if (sc->depth && sc->counter[sc->depth - 1] >= 0 && set_index(sc))
				return -1;
			visit(sc);
			expect_value = 0;
			if (c == '{' || c == '[') {
				advance(sc);
				if (push_level(sc, c == '[' ? 0 : -1))
					return -1;
				skip_ws(sc);
				if (sc->i < sc->len && (sc->s[sc->i] == '}' || sc->s[sc->i] == ']'))
					continue; /* empty: closed below */
				if (c == '[')
					expect_value = 1;
				continue;
			}
			if (c == '"') {
				if (scan_string(sc, 0))
					return -1;
			} else {
				while (sc->i < sc->len && !strchr(",]} \t\r\n", sc->s[sc->i]))
					advance(sc);
			}
			continue;
		}
		if (c == ',') {
			advance(sc);
			if (sc->depth && sc->counter[sc->depth - 1] >= 0)
				expect_value = 1;
			continue;
		}
		if (c == '}' || c == ']') {
			advance(sc);
			if (sc->depth) {
				sc->depth--;
				sc->plen = sc->seg[sc->depth];
			}
			continue;
		}
		if (c == '"' && sc->depth && sc->counter[sc->depth - 1] < 0) {
			/* object key */
			sc->plen = sc->seg[sc->depth - 1];
			if (path_reserve(sc, 1))
				return -1;
			sc->path[sc->plen++] = '/';
			if (scan_string(sc, 1))
				return -1;
			skip_ws(sc);
			if (sc->i < sc->len && sc->s[sc->i] == ':')
				advance(sc);
			expect_value = 1;
			continue;
		}
		advance(sc); /* anything else: tolerate */
	}
	return 0;
}

int palx_jsonpos_find(const char *text, size_t len, const char *const *pointers, size_t n,
                     long *lines, long *cols)
{
	struct scan sc = {0};
	int rc = -1;
	for (size_t k = 0; k < n; k++)
		lines[k] = cols[k] = 0;
	if (n == 0)
		return 0;
	sc.s = text;
	sc.len = len;
	sc.line = 1;
	sc.col = 1;
	sc.nreq = n;
	sc.lines = lines;
	sc.cols = cols;
	sc.reqs = malloc(n * sizeof(*sc.reqs));
	sc.best = calloc(n, sizeof(*sc.best));
	if (!sc.reqs || !sc.best)
		goto out;
	for (size_t k = 0; k < n; k++) {
		sc.reqs[k].ptr = pointers[k];
		sc.reqs[k].idx = k;
	}
	qsort(sc.reqs, n, sizeof(*sc.reqs), req_cmp);
	rc = run(&sc);
out:
	free(sc.reqs);
	free(sc.best);
	free(sc.path);
	free(sc.seg);
	free(sc.counter);
	return rc;
}

int palx_jsonpos_push(char *buf, size_t size, size_t *off, const char *token)
{
	size_t o = *off;
	if (o + 1 >= size)
		return -1;
	buf[o++] = '/';
	for (const char *p = token; *p; p++) {
		if (o + 3 >= size)
			return -1;
		if (*p == '~') {
			buf[o++] = '~';
			buf[o++] = '0';
		} else if (*p == '/') {
			buf[o++] = '~';
			buf[o++] = '1';
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
	*off = o;
	return 0;
}
