/*
 * Atomic output: write to "<dir>/.<name>.XXXXXX", then fsync and rename(2)
 * over the target. rename within one directory is atomic on POSIX file
 * systems, so readers see either the old file or the whole new one.
 *
 * On Linux the file is first made without a name (O_TMPFILE) in the target's
 * directory and only linked as ".<name>.XXXXXX" at commit, just before the
 * rename: a run killed while writing (kill -9, a crash, the power) leaves no
 * temporary file behind either. Where O_TMPFILE is not supported (some file
 * systems, no /proc) a named temporary file is used from the start.
 *
 * A target that exists and is not a regular file (/dev/null, /dev/full, a
 * pipe, /dev/stdout) is written in place instead: renaming over it would
 * replace the device or pipe with a plain file (and, run as root, break
 * /dev/null for the whole system). That is for a path a person names; with
 * PAL_OUTPUT_REGULAR (the files palmares names inside an output directory,
 * where anyone who can write there may have planted a link to a device or a
 * FIFO) the target is looked at with lstat and anything but a regular file is
 * refused: the rename then replaces a name, it never writes through one.
 *
 * The file replaced keeps its permission bits: results may hold personal
 * data, and a file someone made private (chmod 600) must stay private.
 * The temporary file gets them when it is made, before any byte is written.
 */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include "palmares/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct pal_output {
	FILE *fp;
	char *path; /* target, NULL for stdout */
	char *tmp;  /* NULL when the target is written in place */
	int anon;   /* the temporary file has no name yet (O_TMPFILE): tmp is named at commit */
};

/* An unnamed file in the directory of path (dirlen bytes of it), or -1. */
static int open_unnamed(const char *path, size_t dirlen)
{
#ifdef O_TMPFILE
	char dir[4096];
	if (dirlen >= sizeof dir || access("/proc/self/fd", X_OK) != 0)
		return -1; /* naming it at commit needs /proc */
	if (dirlen)
		snprintf(dir, sizeof dir, "%.*s", (int)dirlen, path);
	else
		snprintf(dir, sizeof dir, ".");
	return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666); /* the umask applies */
#else
	(void)path;
	(void)dirlen;
	return -1;
#endif
}

/* Gives the unnamed file of o the name o->tmp ("…XXXXXX" made unique). Returns 0 or -1. */
static int name_unnamed(pal_output *o)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char proc[64];
	size_t n = strlen(o->tmp);
	unsigned long seed = (unsigned long)getpid() * 2654435761u ^ (unsigned long)time(NULL);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->fp));
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned long v = seed + (unsigned long)attempt * 40503u;
		for (size_t i = n - 6; i < n; i++, v /= 36)
			o->tmp[i] = digits[v % 36];
		if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

static void set_err(char *err, size_t len, const char *what, const char *path, int e)
{
	if (err && len)
		snprintf(err, len, "%s \"%s\": %s", what, path ? path : "<stdout>", strerror(e));
}

/* What a file that is not a regular file is, for the message that refuses it. */
static const char *file_kind(mode_t m)
{
	return S_ISLNK(m)    ? "a symbolic link"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISSOCK(m) ? "a socket"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISDIR(m)  ? "a directory"
	                     : "not a regular file";
}

pal_output *pal_output_open(const char *path, char *err, size_t errlen)
{
	return pal_output_open_flags(path, 0, err, errlen);
}

pal_output *pal_output_open_flags(const char *path, unsigned flags, char *err, size_t errlen)
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
	int regular_only = (flags & PAL_OUTPUT_REGULAR) != 0;
	int exists = (regular_only ? lstat(path, &st) : stat(path, &st)) == 0;
	int keep = exists && S_ISREG(st.st_mode); /* the mode of the file replaced */
	if (exists && regular_only && !S_ISREG(st.st_mode)) {
		if (err && errlen)
			snprintf(err, errlen, "cannot write \"%s\": it is %s, not a regular file", path,
			         file_kind(st.st_mode));
		free(o);
		errno = EEXIST;
		return NULL;
	}
	if (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
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
	int fd = open_unnamed(path, dirlen);
	o->anon = fd >= 0;
	if (fd < 0) {
		fd = mkstemp(o->tmp);
		if (fd < 0) {
			set_err(err, errlen, "cannot write", path, errno);
			goto fail;
		}
		/* mkstemp makes 0600 files; outputs are ordinary documents. */
		if (!keep) {
			mode_t mask = umask(0);
			umask(mask);
			(void)fchmod(fd, 0666 & ~mask);
		}
	}
	if (keep && fchmod(fd, st.st_mode & 0777) != 0) {
		int e = errno;
		close(fd);
		if (!o->anon)
			unlink(o->tmp);
		set_err(err, errlen, "cannot write", path, e);
		goto fail;
	}
	o->fp = fdopen(fd, "wb");
	if (!o->fp) {
		int e = errno;
		close(fd);
		if (!o->anon)
			unlink(o->tmp);
		set_err(err, errlen, "cannot write", path, e);
		goto fail;
	}
	/* A national campaign's JSON is near 1 GB: 4 KiB writes were 200,000 system calls. */
	(void)setvbuf(o->fp, NULL, _IOFBF, (size_t)1 << 20);
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
	int e = 0; /* the cause of the first failure, left in errno for the caller */
	if (!o)
		return -1;
	if (!o->path) {
		if (fflush(o->fp) != 0 || ferror(o->fp)) {
			e = errno ? errno : EIO;
			set_err(err, errlen, "cannot write", NULL, e);
		}
		free(o);
		errno = e;
		return e ? -1 : 0;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || (o->tmp && fsync(fileno(o->fp)) != 0))
		e = errno ? errno : EIO;
	if (!e && o->anon) {
		if (name_unnamed(o) != 0)
			e = errno ? errno : EIO;
		o->anon = e != 0; /* named now: removed below if the rename fails */
	}
	if (fclose(o->fp) != 0 && !e)
		e = errno ? errno : EIO;
	if (!e && o->tmp && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e) {
		set_err(err, errlen, "cannot write", o->path, e);
		if (o->tmp && !o->anon)
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	free(o);
	errno = e;
	return e ? -1 : 0;
}

void pal_output_abort(pal_output *o)
{
	if (!o)
		return;
	if (o->path) {
		fclose(o->fp);
		if (o->tmp && !o->anon) /* an unnamed file vanishes with its descriptor */
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	free(o);
}
