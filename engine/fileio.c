/*
 * Reading whole files for the JSON loaders (rubrics, JSON dossiers, results
 * of an earlier edition). CSV is streamed instead (csvread.c).
 */
#include "fileio.h"

#include "palmares/limits.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_capped(const char *path, size_t max, const char *knob, char **buf, size_t *len,
                       pal_diags *diags)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	*buf = NULL;
	*len = 0;
	if (!fp) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, strerror(errno));
		return 2;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": is a directory", path);
		return 2;
	}
	size_t cap = 65536, n = 0;
	char *b = malloc(cap);
	if (!b)
		goto oom;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max)
				goto too_big;
			char *nb = realloc(b, cap * 2);
			if (!nb)
				goto oom;
			b = nb;
			cap *= 2;
		}
		size_t got = fread(b + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;
		free(b);
		fclose(fp);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path,
		              strerror(e ? e : EIO));
		return 2;
	}
	if (n > max)
		goto too_big;
	fclose(fp);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
too_big:
	/* Like a CSV file over its limit: not read at all (status 2, nothing is written). */
	free(b);
	fclose(fp);
	pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than the limit of %zu bytes%s%s%s",
	              max, knob ? " (limit set by " : "", knob ? knob : "", knob ? ")" : "");
	return 2;
oom:
	free(b);
	fclose(fp);
	pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": out of memory", path);
	return 2;
}

int pal_file_read(const char *path, size_t max, char **buf, size_t *len, pal_diags *diags)
{
	return read_capped(path, max, NULL, buf, len, diags);
}

int pal_file_read_json(const char *path, char **buf, size_t *len, pal_diags *diags)
{
	return read_capped(path, pal_limits_current()->max_json, "PALMARES_MAX_JSON", buf, len, diags);
}

int pal_json_oom(const json_error_t *e)
{
	/* text first: jansson leaves the code byte unset when it sets no message */
	return e->text[0] == '\0' || json_error_code(e) == json_error_out_of_memory;
}

/*
 * jansson's allocations are watched: its allocator is wrapped (once, keeping
 * whatever functions were installed before) to count the allocations that
 * failed. jansson 2.14 does not always say so: a string buffer that cannot
 * grow silently loses a character ("palmares-rubri/2"), or the parse fails
 * as a syntax error. A parse during which the count moved is discarded.
 */
static atomic_ulong json_failures;
static json_malloc_t next_malloc;
static json_free_t next_free;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;

static void *watch_malloc(size_t n)
{
	void *p = next_malloc(n);
	if (!p)
		atomic_fetch_add(&json_failures, 1);
	return p;
}

static void watch_free(void *p)
{
	next_free(p);
}

static void watch_install(void)
{
	json_get_alloc_funcs(&next_malloc, &next_free);
	json_set_alloc_funcs(watch_malloc, watch_free);
}

json_t *pal_json_loadb(const char *text, size_t len, size_t flags, json_error_t *e)
{
	pthread_once(&watch_once, watch_install);
	unsigned long before = atomic_load(&json_failures);
	json_t *v = json_loadb(text, len, flags, e);
	if (atomic_load(&json_failures) != before) { /* another thread's failure counts too: rare */
		json_decref(v);
		e->text[0] = '\0'; /* pal_json_oom() */
		e->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
		return NULL;
	}
	return v;
}

const char *pal_file_ext(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}
