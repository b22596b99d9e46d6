/*
 * palmares — atomic output files (SPEC.md §7).
 *
 * Results and documents are written to a temporary file beside the target,
 * flushed, synced and renamed over it on commit: an interrupted run never
 * leaves a half-written file, and a previous output stays intact.
 */
#ifndef PALMARES_OUTPUT_H
#define PALMARES_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_output pal_output;

/*
 * Opens an output. path NULL or "-" means standard output (written directly).
 * An existing target that is a device, FIFO or socket (/dev/null, a pipe) is
 * written in place; a regular file is replaced and its permission bits are
 * kept (a new file follows the umask); a symbolic link given as path is
 * replaced by a regular file. Returns NULL with a message in err when the
 * temporary file cannot be made.
 */
pal_output *pal_output_open(const char *path, char *err, size_t errlen);

/*
 * For files palmares names itself inside an output directory (one per town,
 * a download): write only a regular file. A target that exists and is a
 * symbolic link, a device, a FIFO, a socket or a directory is refused
 * (checked with lstat, never followed) rather than written through:
 * pal_output_open_flags then returns NULL with errno EEXIST and err saying
 * what the file is.
 */
#define PAL_OUTPUT_REGULAR 0x1u
/* pal_output_open with PAL_OUTPUT_* flags. */
pal_output *pal_output_open_flags(const char *path, unsigned flags, char *err, size_t errlen);
/* Borrowed stream, valid until commit or abort. */
FILE *pal_output_stream(pal_output *o);
/* Flushes, syncs and renames into place; frees o. Returns 0, or -1 with err set
 * and the cause in errno (ENOSPC for a full disk); the temporary file is then
 * removed and the target untouched. */
int pal_output_commit(pal_output *o, char *err, size_t errlen);
/* Removes the temporary file and frees o. Accepts NULL. */
void pal_output_abort(pal_output *o);

#ifdef __cplusplus
}
#endif
#endif
