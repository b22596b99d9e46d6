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
#include <fcntl.h>
#include <unistd.h>
#include <stdint.h>

static const char *file_type(mode_t m)
{
	return S_ISDIR(m) ? "is a directory" : S_ISCHR(m) ? "not a regular file but a character device"
	       : S_ISBLK(m) ? "not a regular file but a block device"
	       : S_ISFIFO(m) ? "not a regular file but a FIFO or pipe"
	       : S_ISSOCK(m) ? "not a regular file but a socket" : "not a regular file";
}

FILE *pal_input_open(const char *path, unsigned flags, long long *size, char *why, size_t whylen)
{
	struct stat st;
	int stream = (flags & PAL_INPUT_STREAM) != 0;
	*size = -1;
	/*
	 * O_NONBLOCK: opening a FIFO without a writer, a serial line or a tape
	 * drive returns at once instead of waiting. A FIFO the caller accepts is
	 * opened blocking, as whoever feeds it expects (a FIFO opened without
	 * blocking reads as empty until its writer arrives).
	 */
	int fifo = stream && stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (fifo ? 0 : O_NONBLOCK));
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) && !(stream && S_ISFIFO(st.st_mode))) {
		snprintf(why, whylen, "%s", file_type(st.st_mode));
		close(fd);
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *fp = NULL;
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || !(fp = fdopen(fd, "rb"))) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode))
		*size = (long long)st.st_size;
	return fp;
}

long long palx_getline_capped(char **line, size_t *cap, FILE *fp, size_t max)
{
	size_t n = 0;
	int ch = 0;
	while ((ch = getc_unlocked(fp)) != EOF) {
		if (n >= max)
			return -2;
		if (n + 2 > *cap) {
			size_t nc = *cap ? *cap * 2 : 256;
			char *nl = nc > *cap ? realloc(*line, nc) : NULL;
			if (!nl) {
				errno = ENOMEM;
				return -3;
			}
			*line = nl;
			*cap = nc;
		}
		(*line)[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (n == 0)
		return -1;
	(*line)[n] = '\0';
	return (long long)n;
}

int palx_file_read_flags(const char *path, size_t max, const char *knob, unsigned flags, char **buf,
                        size_t *len, pal_diags *diags)
{
	char why[128];
	long long size;
	FILE *fp = pal_input_open(path, flags, &size, why, sizeof why);
	*buf = NULL;
	*len = 0;
	if (!fp) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, pal_diags_tr(diags, why));
		return 2;
	}
	/*
	 * A regular file's size is known: over the limit, it is not read at all.
	 * A stream is read until one byte past the limit, never further: the
	 * buffer grows by doubling but never beyond max + 2 bytes.
	 */
	if (size >= 0 && (unsigned long long)size > max)
		goto too_big;
	size_t room = max < SIZE_MAX - 2 ? max + 2 : SIZE_MAX;
	size_t cap = size >= 0 && (unsigned long long)size + 2 < room ? (size_t)size + 2 : 65536, n = 0;
	cap = cap < room ? cap : room;
	char *b = malloc(cap);
	if (!b)
		goto oom;
	for (;;) {
		if (n + 1 >= cap) {
			if (n > max)
				break;
			size_t nc = cap <= room / 2 ? cap * 2 : room;
			char *nb = nc > cap ? realloc(b, nc) : NULL;
			if (!nb)
				goto oom;
			b = nb;
			cap = nc;
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
		              pal_diags_tr(diags, strerror(e ? e : EIO)));
		return 2;
	}
	if (n > max) {
		free(b);
		goto too_big;
	}
	fclose(fp);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
too_big:
	/* Like a CSV file over its limit: not read at all (status 2, nothing is written). */
	fclose(fp);
	if (knob)
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than the limit of %zu bytes (limit set by %s)",
		              max, knob);
	else
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than the limit of %zu bytes", max);
	return 2;
oom:
	free(b);
	fclose(fp);
	pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": out of memory", path);
	return 2;
}

int palx_file_read(const char *path, size_t max, char **buf, size_t *len, pal_diags *diags)
{
	return palx_file_read_flags(path, max, NULL, PAL_INPUT_STREAM, buf, len, diags);
}

int palx_file_read_json(const char *path, char **buf, size_t *len, pal_diags *diags)
{
	return palx_file_read_flags(path, pal_limits_current()->max_json, "PALMARES_MAX_JSON",
	                           PAL_INPUT_STREAM, buf, len, diags);
}

int palx_json_oom(const json_error_t *e)
{
	/* text first: jansson leaves the code byte unset when it sets no message */
	return e->text[0] == '\0' || json_error_code(e) == json_error_out_of_memory;
}

/*
 * jansson's allocations are watched when the program asks for it
 * (pal_json_watch_allocations: the allocator is process-wide, so the library
 * never wraps it by itself). It is wrapped once, keeping whatever functions
 * were installed before, to count the allocations that failed. jansson 2.14 does not always say so: a string buffer that cannot
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

void pal_json_watch_allocations(void)
{
	pthread_once(&watch_once, watch_install);
}

json_t *palx_json_loadb(const char *text, size_t len, size_t flags, json_error_t *e)
{
	unsigned long before = atomic_load(&json_failures);
	json_t *v = json_loadb(text, len, flags, e);
	if (atomic_load(&json_failures) != before) { /* another thread's failure counts too: rare */
		json_decref(v);
		e->text[0] = '\0'; /* palx_json_oom() */
		e->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)json_error_out_of_memory;
		return NULL;
	}
	return v;
}

const char *palx_file_ext(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}
