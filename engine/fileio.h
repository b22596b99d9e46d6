/* Whole-file reading for the JSON loaders, with a size cap. */
#ifndef PAL_FILEIO_H
#define PAL_FILEIO_H

#include <stddef.h>

#include "palmares/diag.h"

/*
 * Reads path into an owned, NUL-terminated buffer (free with free()).
 * Returns 0; or PAL_IOERR (2) with an error in diags when the file cannot be
 * read, or PAL_REJECTED (1) when it is larger than max bytes.
 */
int pal_file_read(const char *path, size_t max, char **buf, size_t *len, pal_diags *diags);

/* The extension of path after the last dot (lower case compare), or "". Borrowed. */
const char *pal_file_ext(const char *path);

#endif
