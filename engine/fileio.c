/*
 * Reading whole files for the JSON loaders (rubrics, JSON dossiers, results
 * of an earlier edition). CSV is streamed instead (csvread.c).
 */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int pal_file_read(const char *path, size_t max, char **buf, size_t *len, pal_diags *diags)
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
			if (cap > max) {
				free(b);
				fclose(fp);
				pal_diags_add(diags, PAL_ERROR, path, 0, 0,
				              "file is larger than the limit of %zu bytes", max);
				return 1;
			}
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
	fclose(fp);
	if (n > max) {
		free(b);
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than the limit of %zu bytes",
		              max);
		return 1;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
oom:
	free(b);
	fclose(fp);
	pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": out of memory", path);
	return 2;
}

const char *pal_file_ext(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}
