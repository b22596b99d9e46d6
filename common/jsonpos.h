/*
 * Positions of values in a JSON text. jansson keeps no positions once a text
 * is parsed, so when a loader has errors to report it rescans the text once
 * and maps JSON pointers (RFC 6901, e.g. "/categories/0/points") to the line
 * and column where each value starts.
 */
#ifndef PAL_JSONPOS_H
#define PAL_JSONPOS_H

#include <stddef.h>

/*
 * For each of the n pointers, stores the 1-based line and column (in
 * characters) of the value it designates, or of the closest enclosing value
 * that exists. text must be valid JSON (already parsed). Returns 0, or -1 when
 * out of memory (positions then stay 0). The scan is iterative: any nesting
 * depth is fine.
 */
int palx_jsonpos_find(const char *text, size_t len, const char *const *pointers, size_t n,
                     long *lines, long *cols);

/* Appends "/" + token (escaped per RFC 6901) to buf at *off. Returns 0 or -1 if too long. */
int palx_jsonpos_push(char *buf, size_t size, size_t *off, const char *token);

#endif
