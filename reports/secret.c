/*
 * The campaign secret that keys verification codes (docs/verification-code.md,
 * "Keyed codes"). It comes from a file, never from the command line, where
 * any user of the machine sees it in `ps`. The file is opened without
 * blocking (a FIFO would hang the run) and must be a small regular file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"

static void wipe(unsigned char *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

void pal_doc_secret_free(unsigned char *secret, size_t len)
{
	if (!secret)
		return;
	wipe(secret, len);
	free(secret);
}

unsigned char *pal_doc_secret_load(const char *path, size_t *len, pal_diags *diags)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, rep_msg("cannot read the secret: %s"),
		              rep_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "%s", rep_msg("cannot read the secret: not a regular file"));
		goto fail;
	}
	if (st.st_size > PAL_DOC_SECRET_MAX + 2) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, rep_msg("the secret is longer than %d bytes"),
		              PAL_DOC_SECRET_MAX);
		goto fail;
	}
	buf = malloc(PAL_DOC_SECRET_MAX + 3);
	if (!buf) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "%s", rep_msg("cannot read the secret: out of memory"));
		goto fail;
	}
	for (;;) { /* the file may have grown since fstat: read one byte past the most allowed */
		ssize_t got = read(fd, buf + n, PAL_DOC_SECRET_MAX + 3 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, rep_msg("cannot read the secret: %s"),
			              rep_strerror(errno));
			goto fail;
		}
		if (got == 0 || (n += (size_t)got) == PAL_DOC_SECRET_MAX + 3)
			break;
	}
	if (n && buf[n - 1] == '\n')
		n -= n > 1 && buf[n - 2] == '\r' ? 2 : 1;
	if (n > PAL_DOC_SECRET_MAX || n < PAL_DOC_SECRET_MIN) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0,
		              n > PAL_DOC_SECRET_MAX ? rep_msg("the secret is longer than %d bytes")
		                                     : rep_msg("the secret is shorter than %d bytes: a guessable "
		                                               "secret protects nothing"),
		              n > PAL_DOC_SECRET_MAX ? PAL_DOC_SECRET_MAX : PAL_DOC_SECRET_MIN);
		goto fail;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH))
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "%s",
		              rep_msg("other users may read the secret: chmod 600 it"));
	close(fd);
	*len = n;
	return buf;
fail:
	if (buf)
		pal_doc_secret_free(buf, PAL_DOC_SECRET_MAX + 3);
	close(fd);
	return NULL;
}
