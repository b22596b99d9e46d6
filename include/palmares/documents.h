/*
 * palmares — documents (SPEC.md §8): certificates, feedback reports and the
 * ceremony booklet, rendered with cairo and pango from a results file alone.
 *
 * Flow: load a results file (pal_doc_results_load), optionally an organizer's
 * style file (pal_doc_style_load), then render one combined file
 * (pal_doc_render) or one file per town (pal_doc_render_dir). Certificates
 * carry a verification code (docs/verification-code.md) that
 * pal_doc_verify() maps back to its town.
 *
 * The library never prints: every problem goes to a caller-owned pal_diags
 * list. Handles returned by *_load are owned by the caller and freed with the
 * matching *_free, which accepts NULL.
 */
#ifndef PALMARES_DOCUMENTS_H
#define PALMARES_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "palmares/diag.h"
#include "palmares/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statuses; equal to the command line's exit statuses (SPEC §7). */
#define PAL_DOC_OK 0        /* done (warnings possible) */
#define PAL_DOC_REJECTED 1  /* some input was rejected; the valid part was rendered */
#define PAL_DOC_IOERR 2     /* a file could not be read or written, or rendering failed */

typedef struct pal_doc_results pal_doc_results;
typedef struct pal_doc_style pal_doc_style;

/*
 * Loads and validates a results file (SPEC §6). Problems are reported with
 * their file:line:col. A town with an error is kept out of every document;
 * the others stay usable. Returns NULL when the file cannot be read (*status
 * PAL_DOC_IOERR) or is not a results file at all (*status PAL_DOC_REJECTED);
 * otherwise *status is PAL_DOC_OK or PAL_DOC_REJECTED (some town rejected).
 */
pal_doc_results *pal_doc_results_load(const char *path, pal_diags *diags, int *status);
/*
 * The same from a results file's content in memory: len bytes of text
 * (borrowed; NUL-terminated or not), named path in messages. The web front
 * renders its live results this way, without a temporary file.
 */
pal_doc_results *pal_doc_results_load_text(const char *path, const char *text, size_t len,
                                           pal_diags *diags, int *status);
void pal_doc_results_free(pal_doc_results *r);

/* Borrowed strings, valid while r lives. */
size_t pal_doc_results_count(const pal_doc_results *r);
/* The default document language: the rubric's language (see docs/documents.md). */
const char *pal_doc_results_language(const pal_doc_results *r);
/* The label's name in lang (NULL: the results' language), as the rubric gives it. */
const char *pal_doc_results_label(const pal_doc_results *r, const char *lang);
/* The rubric's edition (a year, as the rubric says), 0 when none. */
long pal_doc_results_edition(const pal_doc_results *r);
/* Index of the town with this id, or (size_t)-1. */
size_t pal_doc_results_find(const pal_doc_results *r, const char *town_id);
const char *pal_doc_town_id(const pal_doc_results *r, size_t i);
/* The town's name with control and bidi characters removed. */
const char *pal_doc_town_name(const pal_doc_results *r, size_t i);
/* Final level (0 = not labelled, -1 = pending or invalid) and its name ("" at 0). */
int pal_doc_town_level(const pal_doc_results *r, size_t i);
const char *pal_doc_town_level_name(const pal_doc_results *r, size_t i);
size_t pal_doc_town_mention_count(const pal_doc_results *r, size_t i);
/* Mention name in lang (NULL: the results' language), falling back to its id. */
const char *pal_doc_town_mention(const pal_doc_results *r, size_t i, size_t m, const char *lang);
/* 1 when the town gets a certificate (scored, level >= 1, no error in the file). */
int pal_doc_town_certified(const pal_doc_results *r, size_t i);

/*
 * Loads an organizer's style file (docs/documents.md). Paths inside it (the
 * logo) are relative to the style file. Returns NULL with *status set when
 * it cannot be read or is invalid.
 */
pal_doc_style *pal_doc_style_load(const char *path, pal_diags *diags, int *status);
void pal_doc_style_free(pal_doc_style *s);

typedef enum pal_doc_kind {
	PAL_DOC_CERTIFICATES,
	PAL_DOC_REPORT,
	PAL_DOC_BOOKLET,
} pal_doc_kind;

typedef enum pal_doc_format {
	PAL_DOC_PDF,
	PAL_DOC_PNG, /* a preview of one page: the first selected town's */
} pal_doc_format;

/*
 * What the renderers refuse before writing anything (status PAL_DOC_IOERR,
 * the command line's usage error): a SOURCE_DATE_EPOCH that is not decimal
 * digits up to PAL_DOC_MAX_EPOCH (9999-12-31T23:59:59Z: PDF dates and award
 * dates have four-digit years; unset or empty means none), and for
 * certificates a verify_url longer than PAL_DOC_MAX_VERIFY_URL bytes once
 * each "{code}" is replaced (the QR code is 19 mm wide: version 12 at error
 * correction level M, 65 modules of 0.29 mm, holds 287 bytes).
 */
#define PAL_DOC_MAX_EPOCH 253402300799LL
#define PAL_DOC_MAX_VERIFY_URL 256

/*
 * Progress of rendering (palmares/progress.h): the renderer calls it with
 * phase "rendering", towns done and towns to render, once with 0 before the
 * first town and then as each town is finished. With
 * -o DIR/ it is called from the worker threads, possibly at the same time
 * and out of order: fn must be thread-safe. The booklet reports nothing.
 */
typedef struct pal_doc_options {
	pal_doc_kind kind;
	pal_doc_format format;
	const char *lang;              /* "fr" or "en"; NULL: the results' language */
	const pal_doc_style *style;    /* NULL: the defaults */
	const char *verify_url;        /* certificates: QR code URL, "{code}" replaced; NULL: none */
	const char *const *towns;      /* town ids to render, NULL: all */
	size_t ntowns;
	double png_dpi;                /* 0: 96 */
	int jobs;                      /* render_dir worker threads, 0: one per core */
	pal_progress_fn progress;      /* NULL: none */
	void *progress_ctx;            /* passed to progress */
} pal_doc_options;

/*
 * Renders the document into one file (path, or NULL / "-" for standard
 * output), written atomically. Returns a PAL_DOC_* status.
 */
int pal_doc_render(const pal_doc_results *r, const pal_doc_options *o, const char *path,
                   pal_diags *diags);
/*
 * Renders the document into the stream fp (borrowed, left open; e.g. an
 * open_memstream() buffer that the web front sends), with the checks,
 * towns and messages of pal_doc_render(); name is the output's name in
 * messages. Nothing is written atomically here: on a failure, what fp
 * holds is to be thrown away. Returns a PAL_DOC_* status.
 */
int pal_doc_render_stream(const pal_doc_results *r, const pal_doc_options *o, FILE *fp, const char *name,
                          pal_diags *diags);
/*
 * Renders one file per town into the existing directory dir:
 * dir/<town id>.pdf (characters outside [A-Za-z0-9._-] become '_'), in
 * parallel. Each file is written atomically, only as a regular file (a link
 * or FIFO planted there is refused, the other towns go on); the first file
 * that does not fit (a full disk) stops the run. The files written are
 * recorded in dir's manifest and, without o->towns, those of an earlier run
 * not written again are removed (palmares/outdir.h). Returns a PAL_DOC_*
 * status.
 */
int pal_doc_render_dir(const pal_doc_results *r, const pal_doc_options *o, const char *dir,
                       pal_diags *diags);

/* Verification codes (docs/verification-code.md). */
#define PAL_CODE_SYMBOLS 12
#define PAL_CODE_SIZE 15 /* "XXXX-XXXX-XXXX" + NUL */

/*
 * Computes the code of a certificate: rubric_sha256 is the results' lowercase
 * hex digest, mentions the awarded mention ids in any order. Returns 0, or -1
 * when out of memory.
 */
int pal_doc_code(const char *rubric_sha256, const char *town_id, int level,
                 const char *const *mentions, size_t nmentions, char out[PAL_CODE_SIZE]);
/*
 * The same keyed with a campaign secret (secret_len > 0: HMAC-SHA-256,
 * docs/verification-code.md, "Keyed codes"); secret_len 0 gives
 * pal_doc_code()'s code.
 */
int pal_doc_code_keyed(const void *secret, size_t secret_len, const char *rubric_sha256,
                       const char *town_id, int level, const char *const *mentions, size_t nmentions,
                       char out[PAL_CODE_SIZE]);
/*
 * Keys the codes of r's certificates (documents and pal_doc_verify alike)
 * with a campaign secret; NULL, 0 returns to unkeyed codes. The secret is not
 * kept. Returns 0, or -1 when out of memory (the codes are then unusable:
 * free r).
 */
int pal_doc_results_set_secret(pal_doc_results *r, const void *secret, size_t len);

/* A campaign secret's size in bytes, once a final line break is dropped. */
#define PAL_DOC_SECRET_MIN 16
#define PAL_DOC_SECRET_MAX 1024
/*
 * Reads a campaign secret from the regular file path (a final "\n" or
 * "\r\n" is not part of it). Refuses, with a message in diags, a file that
 * cannot be read, is not a regular file, or holds fewer than
 * PAL_DOC_SECRET_MIN or more than PAL_DOC_SECRET_MAX bytes; warns when other
 * users may read it. Returns an owned buffer of *len bytes, free with
 * pal_doc_secret_free(), or NULL.
 */
unsigned char *pal_doc_secret_load(const char *path, size_t *len, pal_diags *diags);
/* Wipes and frees a secret; accepts NULL. */
void pal_doc_secret_free(unsigned char *secret, size_t len);

/* The code printed on town i's certificate ("" when it gets none). Borrowed. */
const char *pal_doc_town_code(const pal_doc_results *r, size_t i);
/*
 * Normalizes a code as typed: any case, hyphens and spaces ignored, I and L
 * read as 1, O as 0. Returns 0 and writes "XXXX-XXXX-XXXX", or -1 when it is
 * not 12 Crockford base32 symbols.
 */
int pal_doc_code_normalize(const char *in, char out[PAL_CODE_SIZE]);
/*
 * Finds the certified towns whose code is `code` (normalized first). Stores
 * up to max indices in found; returns how many matched, or -1 when code is
 * malformed.
 */
long pal_doc_verify(const pal_doc_results *r, const char *code, size_t *found, size_t max);

/*
 * Translation of a message through the built-in gettext catalogs (po/):
 * lang "fr" or "en" (msgids are English). Returns a borrowed string: the
 * translation, or msgid itself when there is none.
 */
const char *pal_doc_gettext(const char *lang, const char *msgid)
#if defined(__GNUC__)
	__attribute__((format_arg(2)))
#endif
	;
/* The language of the user's environment for messages: "fr" when LANGUAGE,
 * LC_ALL, LC_MESSAGES or LANG starts with "fr", else "en". */
const char *pal_doc_env_lang(void);
/*
 * Prints diagnostics from index `from` on, like pal_diags_print(), in the
 * language of the environment (pal_doc_env_lang): the documents' loaders and
 * renderers word their messages in that language, and this prints their
 * position and severity in it too ("results.json:3:5 : erreur : …").
 */
void pal_doc_diags_print(const pal_diags *d, size_t from, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
