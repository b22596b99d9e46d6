/*
 * Private: a text file read in chunks as the CSV reader wants its bytes.
 *
 * A file that starts with a UTF-16 byte-order mark (FF FE little-endian, as
 * Excel's "Texte Unicode" export writes it, or FE FF big-endian) is converted
 * to UTF-8 through iconv, chunk by chunk, the mark dropped; any other file
 * comes as stored. Memory is fixed (a raw and a converted buffer) whatever
 * the file. Invalid UTF-16 (a lone surrogate, an odd last byte) becomes
 * U+FFFD, and the reader is told where, so that it can warn: nothing is
 * dropped silently.
 */
#ifndef PAL_ENGINE_TEXTSRC_H
#define PAL_ENGINE_TEXTSRC_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pal_textsrc {
	FILE *f;          /* borrowed */
	int utf16;        /* 0, or 'L' / 'B' from the byte-order mark */
	uint64_t bytes;   /* bytes of the file read so far, the mark included */
	size_t bad_off;   /* in the last chunk, offset of the first U+FFFD put for invalid
	                   * UTF-16; (size_t)-1 when none */
	/* UTF-16 only */
	iconv_t cd;
	unsigned char *raw, *out;
	size_t raw_pos, raw_len;
	int eof, err;     /* err: errno of a failed read or conversion */
} pal_textsrc;

/* Size of the chunks eng_textsrc_read() returns at most, and of buf. */
#define PAL_TEXTSRC_CHUNK ((size_t)64 * 1024)

/*
 * Starts reading f from its beginning. Returns 0, or -1 with errno set (a read
 * error; iconv or memory unavailable for a UTF-16 file).
 */
int eng_textsrc_open(pal_textsrc *s, FILE *f);

/*
 * The next chunk: *data points to n > 0 bytes (into buf, PAL_TEXTSRC_CHUNK
 * bytes provided by the caller, or into s's own buffer), valid until the next
 * call. Returns 0 at the end of the file or on an error: then s->err (or
 * ferror(s->f)) tells which.
 */
size_t eng_textsrc_read(pal_textsrc *s, unsigned char *buf, const unsigned char **data);

/* Back to the file's first byte (after the mark). Returns 0, or -1 with errno set. */
int eng_textsrc_rewind(pal_textsrc *s);

/* Frees what open() allocated; s may be zeroed or never opened. */
void eng_textsrc_close(pal_textsrc *s);

#endif
