/*
 * Fuzz target: an evidence file's kind from its bytes (server/evidence_type.c:
 * zip central directories, signatures, UTF-8 text), then the name and the
 * Content-Disposition it would be served with. The input is the file; its
 * first line (up to 300 bytes) is also taken as the browser's file name.
 * Checked: the kind is one of the allow-list's or none, twice the same; the
 * stored name is valid UTF-8 without control characters, at most
 * EVIDENCE_NAME_MAX bytes plus its extension; the header value is printable
 * ASCII (no CR, LF or NUL can reach the response's headers) and its quoted
 * fallback holds no quote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_type.h"
#include "palmares/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy =
		malloc(size ? size : 1); /* an exact copy, so that reads past its end are caught */
	char filename[301], name[3 * EVIDENCE_NAME_MAX + 16], disp[4 * (3 * EVIDENCE_NAME_MAX + 16) + 64];
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	const evidence_kind *k = evidence_sniff(copy, size);
	if (k != evidence_sniff(copy, size))
		abort();
	if (k && evidence_kind_of_type(k->type) != k)
		abort();
	const uint8_t *nl = memchr(data, '\n', size < 300 ? size : 300);
	size_t fl = nl ? (size_t)(nl - data) : (size < 300 ? size : 300);
	memcpy(filename, data, fl);
	filename[fl] = 0;
	if (!k)
		k = evidence_sniff((const unsigned char *)"%PDF-", 5);
	if (evidence_name(filename, k, name, sizeof name) != 0)
		abort();
	size_t n = strlen(name);
	if (!n || n > EVIDENCE_NAME_MAX + 8 || !pal_text_utf8_valid(name, n))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			abort();
	if (evidence_disposition(name, disp, sizeof disp) != 0)
		abort();
	const char *q = strstr(disp, "filename=\"");
	const char *end = q ? strchr(q + 10, '"') : NULL;
	if (!q || !end || strncmp(end, "\"; filename*=UTF-8''", 20) != 0)
		abort();
	for (const char *p = disp; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			abort();
	free(copy);
	return 0;
}
