/*
 * Replays fuzz inputs without libFuzzer: each argument is a file or a
 * directory of files, each handed once to the target's
 * LLVMFuzzerTestOneInput(). Linked with one target, this is the normal test
 * (suite 'fuzz') that keeps the seed corpus and every crash ever found
 * (tests/fuzz/regressions/<target>/) passing in every build, sanitizers
 * included. Exits 0 when every input ran; a crash aborts, as under libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, got;
	uint8_t *buf = malloc(cap);
	if (!f || !buf) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		if (f)
			fclose(f);
		return -1;
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
	}
	fclose(f);
	/* A copy of exactly n bytes, so that ASan sees any read past the input. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of a directory, in name order (runs are reproducible). */
static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		if (n == cap) {
			char **v = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!v)
				abort();
			names = v;
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = malloc(len);
		if (!p)
			abort();
		snprintf(p, len, "%s/%s", dir, names[i]);
		if (run_file(p) != 0)
			rc = -1;
		else
			++*count;
		free(p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) : run_file(argv[i])) {
			rc = 1;
		} else if (!S_ISDIR(st.st_mode)) {
			count++;
		}
	}
	printf("replayed %zu input(s)\n", count);
	return rc;
}
