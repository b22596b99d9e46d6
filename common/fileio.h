/* Whole-file reading for the JSON loaders, with a size cap. */
#ifndef PAL_FILEIO_H
#define PAL_FILEIO_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "palmares/diag.h"
#include "palmares/input.h"

/*
 * Reads one line (up to and including '\n') of a stream into *line (grown as
 * getline() does, free with free()), reading at most max + 1 bytes of it.
 * Returns its length, -1 at the end of the input or on a read error
 * (ferror), or -2 when the line is longer than max (the rest is not read).
 */
long long palx_getline_capped(char **line, size_t *cap, FILE *fp, size_t max);

/*
 * Reads path into an owned, NUL-terminated buffer (free with free()).
 * Returns 0; or PAL_IOERR (2) with an error in diags when the file cannot be
 * read or is larger than max bytes (like a CSV file over its limit, it is
 * then not read at all: a regular file's size is checked before reading, a
 * stream stops at max + 1 bytes). Pipes and FIFOs are accepted.
 */
int palx_file_read(const char *path, size_t max, char **buf, size_t *len, pal_diags *diags);
/* The same with pal_input_open() flags and the variable raising max named in the message. */
int palx_file_read_flags(const char *path, size_t max, const char *knob, unsigned flags, char **buf,
                        size_t *len, pal_diags *diags);
/* palx_file_read() capped at PALMARES_MAX_JSON (palmares/limits.h), which its message names. */
int palx_file_read_json(const char *path, char **buf, size_t *len, pal_diags *diags);

/*
 * 1 when a failed json_loadb() ran out of memory rather than met malformed
 * JSON (jansson then leaves its message empty or says so): loaders report it
 * as "out of memory" with status PAL_IOERR, never as a syntax error.
 */
int palx_json_oom(const json_error_t *e);

/*
 * json_loadb() for every loader. jansson may lose a character of a string
 * when it runs out of memory, or report it as a syntax error: a parse during
 * which one of its allocations failed returns NULL, and palx_json_oom(e) is
 * then true when the program called pal_json_watch_allocations() (limits.h).
 */
json_t *palx_json_loadb(const char *text, size_t len, size_t flags, json_error_t *e);

/* The extension of path after the last dot (lower case compare), or "". Borrowed. */
const char *palx_file_ext(const char *path);

#endif
