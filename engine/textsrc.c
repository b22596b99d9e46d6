/*
 * A text file's bytes for the CSV reader (textsrc.h): as stored, or UTF-16
 * converted to UTF-8 through glibc's iconv.
 *
 * UTF-16 data flow: raw holds up to one chunk of the file's bytes; each
 * read converts as much of it as iconv takes into out (3 bytes of UTF-8 at
 * most for 2 of UTF-16, so one chunk always fits), and keeps the few bytes
 * of a code unit or surrogate pair cut by the chunk's end for the next read.
 * iconv stops at what UTF-16 cannot hold (EILSEQ: a lone surrogate) and, at
 * the end of the file, at an incomplete unit (EINVAL: an odd last byte, a
 * high surrogate with nothing after it): each becomes U+FFFD, one code unit
 * (or the odd byte) at a time, and bad_off tells the reader where.
 */
#include "textsrc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK PAL_TEXTSRC_CHUNK
#define OUT_CAP (CHUNK / 2 * 3 + 8)
#define NONE ((size_t)-1)

int eng_textsrc_open(pal_textsrc *s, FILE *f)
{
	unsigned char bom[2];
	size_t n;
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->bad_off = NONE;
	s->cd = (iconv_t)-1;
	n = fread(bom, 1, 2, f);
	if (ferror(f))
		return -1;
	if (n == 2 && bom[0] == 0xFF && bom[1] == 0xFE)
		s->utf16 = 'L';
	else if (n == 2 && bom[0] == 0xFE && bom[1] == 0xFF)
		s->utf16 = 'B';
	if (!s->utf16)
		return fseek(f, 0, SEEK_SET);
	s->bytes = 2;
	s->cd = iconv_open("UTF-8", s->utf16 == 'L' ? "UTF-16LE" : "UTF-16BE");
	if (s->cd == (iconv_t)-1)
		return -1;
	s->raw = malloc(CHUNK);
	s->out = malloc(OUT_CAP);
	if (!s->raw || !s->out) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* Reads more of the file behind the bytes not converted yet. Returns 0, or -1 (s->err set). */
static int refill(pal_textsrc *s)
{
	size_t left = s->raw_len - s->raw_pos, got;
	memmove(s->raw, s->raw + s->raw_pos, left);
	s->raw_pos = 0;
	s->raw_len = left;
	got = fread(s->raw + left, 1, CHUNK - left, s->f);
	s->raw_len += got;
	s->bytes += got;
	if (got < CHUNK - left) {
		if (ferror(s->f)) {
			s->err = errno ? errno : EIO;
			return -1;
		}
		s->eof = 1;
	}
	return 0;
}

/* Converts what raw holds into out; returns the bytes written, or NONE (s->err set). */
static size_t convert(pal_textsrc *s)
{
	char *in = (char *)s->raw + s->raw_pos, *o = (char *)s->out;
	size_t inleft = s->raw_len - s->raw_pos, oleft = OUT_CAP;
	while (inleft > 0) {
		if (iconv(s->cd, &in, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG || (errno == EINVAL && !s->eof))
			break; /* out is full, or a unit is cut by the chunk: the next read goes on */
		if (errno != EILSEQ && errno != EINVAL) {
			s->err = errno;
			return NONE;
		}
		if (oleft < 3)
			break;
		if (s->bad_off == NONE)
			s->bad_off = (size_t)(o - (char *)s->out);
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		oleft -= 3;
		size_t skip = inleft < 2 ? inleft : 2; /* one code unit, or the odd last byte */
		in += skip;
		inleft -= skip;
	}
	s->raw_pos = (size_t)(in - (char *)s->raw);
	return (size_t)(o - (char *)s->out);
}

size_t eng_textsrc_read(pal_textsrc *s, unsigned char *buf, const unsigned char **data)
{
	size_t n;
	s->bad_off = NONE;
	if (!s->utf16) {
		n = fread(buf, 1, CHUNK, s->f);
		s->bytes += n;
		*data = buf;
		return n;
	}
	*data = s->out;
	for (;;) {
		if (s->err || (s->eof && s->raw_pos == s->raw_len))
			return 0;
		if (!s->eof && refill(s) < 0)
			return 0;
		n = convert(s);
		if (n == NONE)
			return 0;
		if (n > 0)
			return n;
		/* nothing yet: a unit cut at the end of what was read; read on */
	}
}

int eng_textsrc_rewind(pal_textsrc *s)
{
	clearerr(s->f);
	s->bad_off = NONE;
	s->bytes = s->utf16 ? 2 : 0;
	s->raw_pos = s->raw_len = 0;
	s->eof = s->err = 0;
	if (s->utf16)
		iconv(s->cd, NULL, NULL, NULL, NULL); /* UTF-16 keeps no state; reset anyway */
	return fseek(s->f, s->utf16 ? 2 : 0, SEEK_SET);
}

void eng_textsrc_close(pal_textsrc *s)
{
	if (s->cd != (iconv_t)-1 && s->cd != (iconv_t)0)
		iconv_close(s->cd);
	s->cd = (iconv_t)-1;
	free(s->raw);
	free(s->out);
	s->raw = s->out = NULL;
}
