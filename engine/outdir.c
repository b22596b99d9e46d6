/*
 * The manifest of an output directory (palmares/outdir.h): which files of DIR
 * palmares wrote, so that a later run removes the stale ones and nothing
 * else.
 *
 * The manifest is DIR/.palmares-<kind>, one line per file:
 *   <sha256> <name>
 * A file is palmares' own while its content has the digest recorded: a file
 * someone edited, copied over or replaced by a link no longer matches and is
 * never removed. Digests rather than inodes keep the manifest the same from
 * one run to the next (tests/cli/determinism.sh compares whole directories).
 * The manifest is read without following a link, at most PAL_OUTDIR_MAX_BYTES
 * of it, and only names of the characters palmares gives files
 * ([A-Za-z0-9._-], not starting with '.') are taken from it: whoever can
 * write into DIR can at worst make palmares remove a regular file of DIR that
 * it could remove itself.
 *
 * Cost: O((n + m) log n) for n files written and m listed or present in DIR,
 * plus reading back each stale file once (and each file written, when the
 * caller has no digest of it).
 */
#define _GNU_SOURCE /* O_NOFOLLOW */
#include "palmares/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "palmares/output.h"
#include "sha256.h"

/* A manifest larger than this is not palmares' (35,000 towns take about 1.5 MB). */
#define PAL_OUTDIR_MAX_BYTES ((off_t)64 << 20)

typedef struct entry {
	char *name;
	char sha256[PALX_SHA256_HEX_LEN + 1];
	int keep; /* goes into the new manifest */
} entry;

typedef struct list {
	entry *v;
	size_t n, cap;
} list;

static int push(list *l, const char *name, size_t len, const char *sha256)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		entry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v, l->cap = cap;
	}
	char *s = malloc(len + 1);
	if (!s)
		return -1;
	memcpy(s, name, len);
	s[len] = '\0';
	l->v[l->n] = (entry){.name = s};
	snprintf(l->v[l->n++].sha256, sizeof l->v[0].sha256, "%s", sha256);
	return 0;
}

static void list_free(list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
}

/* A name palmares could have given a file in DIR (render.c, file_name). */
static int safe_name(const char *s, size_t len)
{
	if (len == 0 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int in(const char *const *sorted, size_t n, const char *name)
{
	return n && bsearch(&name, sorted, n, sizeof *sorted, by_name) != NULL;
}

/* Reads the manifest at path into l. A missing or unreadable one is an empty list. Returns -1: out of memory. */
static int read_manifest(const char *path, list *l, pal_diags *diags)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > PAL_OUTDIR_MAX_BYTES) {
		close(fd);
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "ignored: not a manifest palmares wrote");
		return 0;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len <= PALX_SHA256_HEX_LEN + 1 || line[PALX_SHA256_HEX_LEN] != ' ' ||
		    strspn(line, "0123456789abcdef") != PALX_SHA256_HEX_LEN)
			continue; /* a comment, or not a line palmares wrote */
		const char *name = line + PALX_SHA256_HEX_LEN + 1;
		line[PALX_SHA256_HEX_LEN] = '\0';
		if (safe_name(name, strlen(name)))
			rc = push(l, name, strlen(name), line);
	}
	free(line);
	fclose(f);
	return rc;
}

static int write_manifest(const char *path, const char *kind, const list *l, pal_diags *diags)
{
	char err[512];
	pal_output *o = pal_output_open_flags(path, PAL_OUTPUT_REGULAR, err, sizeof err);
	if (!o) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "%s", err);
		return -1;
	}
	FILE *f = pal_output_stream(o);
	fprintf(f, "# the files palmares %s wrote here: a later run removes those it does not "
	           "write again\n", kind);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].keep)
			fprintf(f, "%s %s\n", l->v[i].sha256, l->v[i].name);
	if (pal_output_commit(o, err, sizeof err) != 0) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "%s", err);
		return -1;
	}
	return 0;
}

/* dir/name in buf (cap bytes). */
static void join(char *buf, size_t cap, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	snprintf(buf, cap, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", name);
}

/*
 * The digest of the regular file at path, in hex. Returns 0, 1 when there is
 * no such file, -1 when it is no regular file or cannot be read. Not followed
 * if a link, never blocks on a FIFO.
 */
static int file_digest(const char *path, char hex[PALX_SHA256_HEX_LEN + 1])
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	unsigned char buf[1 << 16], d[PALX_SHA256_LEN];
	ssize_t got;
	palx_sha256_ctx c;
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	palx_sha256_init(&c);
	while ((got = read(fd, buf, sizeof buf)) > 0)
		palx_sha256_update(&c, buf, (size_t)got);
	close(fd);
	if (got < 0)
		return -1;
	palx_sha256_final(&c, d);
	palx_sha256_hex(d, hex);
	return 0;
}

/* Removes the earlier run's file e when it is still the one palmares wrote. */
static void remove_stale(const char *dir, const entry *e, pal_diags *diags)
{
	char path[4096], hex[PALX_SHA256_HEX_LEN + 1];
	int got;
	join(path, sizeof path, dir, e->name);
	if ((got = file_digest(path, hex)) == 1)
		return; /* gone already */
	if (got != 0 || strcmp(hex, e->sha256) != 0) {
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "left in place: an earlier run wrote it and "
		              "this one does not, but it has changed since");
		return;
	}
	if (unlink(path) != 0)
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "cannot remove it: %s (an earlier run wrote "
		              "it and this one does not)", pal_diags_tr(diags, strerror(errno)));
	else
		pal_diags_add(diags, PAL_NOTE, path, 0, 0, "removed: an earlier run wrote it and this one "
		              "does not");
}

/* Warns about the files ending in ext that neither this run nor the manifest accounts for. */
static void warn_unknown(const char *dir, const char *ext, const char *const *names, size_t n,
                         const char *const *listed, size_t nlisted, pal_diags *diags)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t el = strlen(ext), count = 0;
	char first[256] = "";
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= el || strcmp(e->d_name + len - el, ext) != 0 ||
		    in(names, n, e->d_name) || in(listed, nlisted, e->d_name))
			continue;
		if (!count++)
			snprintf(first, sizeof first, "%s", e->d_name);
	}
	closedir(d);
	/* one whole sentence per number, each a message a translation can word as a whole (diag.h) */
	if (count == 1)
		pal_diags_add(diags, PAL_WARNING, dir, 0, 0, "left in place: 1 %s file this run did not "
		              "write (\"%s\"), that no manifest says palmares wrote", ext + 1, first);
	else if (count)
		pal_diags_add(diags, PAL_WARNING, dir, 0, 0, "left in place: %zu %s files this run did not "
		              "write (\"%s\" and others), that no manifest says palmares wrote", count, ext + 1,
		              first);
}

int pal_outdir_sync(const char *dir, const char *kind, const char *ext, const pal_outdir_file *files,
                    size_t n, unsigned flags, pal_diags *diags)
{
	size_t ml = strlen(dir) + strlen(kind) + 16;
	char *manifest = malloc(ml);
	const char **names = malloc((n ? n : 1) * sizeof *names);
	size_t *owner = malloc((n ? n : 1) * sizeof *owner);
	const char **listed = NULL;
	list old = {0}, now = {0};
	int rc = -1, complete = (flags & PAL_OUTDIR_COMPLETE) != 0;
	if (!manifest || !names || !owner)
		goto oom;
	size_t dl = strlen(dir);
	snprintf(manifest, ml, "%s%s.palmares-%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", kind);
	if (read_manifest(manifest, &old, diags) != 0)
		goto oom;
	/* names sorted for bsearch; owner[k]: the index in files of names[k] */
	for (size_t i = 0; i < n; i++)
		names[i] = base_of(files[i].path);
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		const char *b = base_of(files[i].path);
		const char *const *hit = bsearch(&b, names, n, sizeof *names, by_name);
		owner[hit - names] = i; /* two files of one name: either (render.c makes names unique) */
	}
	/* The files written now, as they are on disk. */
	for (size_t i = 0; i < n; i++) {
		char hex[PALX_SHA256_HEX_LEN + 1];
		const char *b = base_of(files[i].path), *sha = files[i].sha256;
		if (!files[i].written)
			continue;
		if (!sha && file_digest(files[i].path, hex) == 0)
			sha = hex;
		if (sha) {
			if (push(&now, b, strlen(b), sha) != 0)
				goto oom;
			now.v[now.n - 1].keep = 1;
		}
	}
	/* The earlier run's files: still meant (kept until rewritten), stale, or out of this run's scope. */
	for (size_t i = 0; i < old.n; i++) {
		entry *e = &old.v[i];
		const char *const *hit = n ? bsearch(&e->name, names, n, sizeof *names, by_name) : NULL;
		if (hit) {
			/* meant again: kept when not written now (the run stopped before it) */
			e->keep = !files[owner[hit - names]].written;
		} else if (complete) {
			remove_stale(dir, e, diags);
		} else {
			e->keep = 1;
		}
		if (e->keep && push(&now, e->name, strlen(e->name), e->sha256) != 0)
			goto oom;
		if (e->keep)
			now.v[now.n - 1].keep = 1;
	}
	if (complete && ext) {
		/* the earlier manifest's files have been dealt with above: removed, or left with a warning */
		size_t nl = 0;
		listed = malloc((now.n + old.n + 1) * sizeof *listed);
		if (!listed)
			goto oom;
		for (size_t i = 0; i < now.n; i++)
			listed[nl++] = now.v[i].name;
		for (size_t i = 0; i < old.n; i++)
			listed[nl++] = old.v[i].name;
		qsort(listed, nl, sizeof *listed, by_name);
		warn_unknown(dir, ext, names, n, listed, nl, diags);
	}
	rc = write_manifest(manifest, kind, &now, diags);
	goto done;
oom:
	pal_diags_add(diags, PAL_ERROR, dir, 0, 0, "out of memory while recording the files written");
done:
	free(listed);
	list_free(&old);
	list_free(&now);
	free(names);
	free(owner);
	free(manifest);
	return rc;
}
