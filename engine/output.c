/*
 * Atomic output: write to "<dir>/.<name>.XXXXXX", then fsync and rename(2)
 * over the target. rename within one directory is atomic on POSIX file
 * systems, so readers see either the old file or the whole new one.
 *
 * A target that exists and is not a regular file (/dev/null, /dev/full, a
 * pipe, /dev/stdout) is written in place instead: renaming over it would
 * replace the device or pipe with a plain file (and, run as root, break
 * /dev/null for the whole system).
 */
#include "palmares/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pal_output {
	FILE *fp;
	char *path; /* target, NULL for stdout */
	char *tmp;  /* NULL when the target is written in place */
};

static void set_err(char *err, size_t len, const char *what, const char *path, int e)
{
	if (err && len)
		snprintf(err, len, "%s \"%s\": %s", what, path ? path : "<stdout>", strerror(e));
}

pal_output *pal_output_open(const char *path, char *err, size_t errlen)
{
	pal_output *o = calloc(1, sizeof(*o));
	if (!o) {
		set_err(err, errlen, "cannot open", path, ENOMEM);
		return NULL;
	}
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return o;
	}
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		o->path = strdup(path);
		o->fp = o->path ? fopen(path, "wb") : NULL;
		if (!o->fp) {
			set_err(err, errlen, "cannot write", path, o->path ? errno : ENOMEM);
			goto fail;
		}
		return o;
	}
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	size_t n = dirlen + strlen(base) + 16;
	o->path = strdup(path);
	o->tmp = malloc(n);
	if (!o->path || !o->tmp) {
		set_err(err, errlen, "cannot open", path, ENOMEM);
		goto fail;
	}
	snprintf(o->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		set_err(err, errlen, "cannot write", path, errno);
		goto fail;
	}
	/* mkstemp makes 0600 files; outputs are ordinary documents. */
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->fp = fdopen(fd, "wb");
	if (!o->fp) {
		int e = errno;
		close(fd);
		unlink(o->tmp);
		set_err(err, errlen, "cannot write", path, e);
		goto fail;
	}
	return o;
fail:
	free(o->path);
	free(o->tmp);
	free(o);
	return NULL;
}

FILE *pal_output_stream(pal_output *o)
{
	return o ? o->fp : NULL;
}

int pal_output_commit(pal_output *o, char *err, size_t errlen)
{
	int rc = 0;
	if (!o)
		return -1;
	if (!o->path) {
		if (fflush(o->fp) != 0 || ferror(o->fp)) {
			set_err(err, errlen, "cannot write", NULL, errno ? errno : EIO);
			rc = -1;
		}
		free(o);
		return rc;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || (o->tmp && fsync(fileno(o->fp)) != 0)) {
		set_err(err, errlen, "cannot write", o->path, errno ? errno : EIO);
		rc = -1;
	}
	if (fclose(o->fp) != 0 && rc == 0) {
		set_err(err, errlen, "cannot write", o->path, errno ? errno : EIO);
		rc = -1;
	}
	if (rc == 0 && o->tmp && rename(o->tmp, o->path) != 0) {
		set_err(err, errlen, "cannot write", o->path, errno);
		rc = -1;
	}
	if (rc != 0 && o->tmp)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	free(o);
	return rc;
}

void pal_output_abort(pal_output *o)
{
	if (!o)
		return;
	if (o->path) {
		fclose(o->fp);
		if (o->tmp)
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	free(o);
}
