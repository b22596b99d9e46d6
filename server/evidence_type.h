/*
 * What an evidence file is, decided from its bytes alone: never from its
 * name nor from the type the browser claims, which anyone can set. A short
 * allow-list (docs/decisions.md, "Web front: evidence files"): PDF, PNG,
 * JPEG, OpenDocument and Office Open XML documents (zip archives recognized
 * by their mimetype entry or their [Content_Types].xml and main part;
 * refused with macros), and plain UTF-8 text that does not start like
 * markup. Anything else (executables, HTML, SVG, archives, scripts) is
 * refused. Also the name a file is stored and served under, and the
 * Content-Disposition header that serves it (RFC 6266).
 */
#ifndef PALMARES_SERVER_EVIDENCE_TYPE_H
#define PALMARES_SERVER_EVIDENCE_TYPE_H

#include <stddef.h>

#define EVIDENCE_MAX (10u << 20) /* an evidence file: 10 MiB */
#define EVIDENCE_NAME_MAX 200    /* bytes of a stored file name */

/* An allowed kind of file. */
typedef struct {
	const char *type;  /* the Content-Type it is served with */
	const char *ext;   /* the extension its name gets when it has another one */
	const char *label; /* a short name for lists: "PDF", "DOCX", "TXT" */
} evidence_kind;

/* The kind of data[0..len), NULL when the allow-list has none. Does not allocate. */
const evidence_kind *evidence_sniff(const unsigned char *data, size_t len);

/* The kind whose type is type (as stored), NULL when none: a file is
 * served with the allow-list's own constant, never a stored string. */
const evidence_kind *evidence_kind_of_type(const char *type);

/* The name a file is stored under: the browser's file name cleaned as the
 * documents clean text (controls and bidi characters removed), cut to
 * EVIDENCE_NAME_MAX bytes on a character boundary, "evidence" when nothing
 * is left, and given kind's extension unless it has one of the kind's.
 * Writes into out (outlen ≥ 3 * EVIDENCE_NAME_MAX + 16); returns 0, -1 when
 * out is too small. */
int evidence_name(const char *filename, const evidence_kind *kind, char *out, size_t outlen);

/* The Content-Disposition of a download: attachment; filename="ASCII
 * fallback"; filename*=UTF-8''percent-encoded name. 0, or -1 when out is too small. */
int evidence_disposition(const char *name, char *out, size_t outlen);

#endif
