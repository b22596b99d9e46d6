/*
 * palmares — what an earlier run wrote in an output directory (issue 19).
 *
 * A command that writes one file per town into a directory (certificates,
 * reports; the web front's downloads alike) records the files it wrote in a
 * manifest, DIR/.palmares-<kind>. The next complete run of the same command
 * into DIR removes the files of the earlier run that it does not write again:
 * a town that lost its level keeps no certificate next to the new ones. Only
 * the very files palmares wrote are removed (the same SHA-256 digest as
 * recorded); one replaced or edited since is left, with a warning, and so is
 * any other file of the document's type that no manifest lists. The manifest
 * holds names and digests only: the same run gives the same manifest.
 */
#ifndef PALMARES_OUTDIR_H
#define PALMARES_OUTDIR_H

#include <stddef.h>

#include "palmares/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One file a run meant to write. */
typedef struct pal_outdir_file {
	const char *path; /* "DIR/name": the name holds no '/' */
	int written;      /* 0: not written (refused, or the run stopped before it) */
	const char *sha256; /* lowercase hex digest of what was written; NULL: read back from path */
} pal_outdir_file;

/* files are every file the command writes (no selection of towns): stale files are removed. */
#define PAL_OUTDIR_COMPLETE 0x1u

/*
 * After a run that wrote into dir: removes (with PAL_OUTDIR_COMPLETE) the
 * files of an earlier run of this kind that files does not hold, each with a
 * note; warns about other files ending in ext that no run recorded; then
 * rewrites the manifest: the files written, those of the earlier run that
 * this one meant to write but did not (the run stopped), and without
 * PAL_OUTDIR_COMPLETE every other file of the earlier run. kind names the
 * command ("certificates"). Returns 0, or -1 when the manifest cannot be
 * written or memory runs out (an error in diags).
 */
int pal_outdir_sync(const char *dir, const char *kind, const char *ext, const pal_outdir_file *files,
                    size_t n, unsigned flags, pal_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
