/*
 * JSON excerpts for messages. json_dumps() allocates, so a message built with
 * it could lose its content exactly when memory runs short; and jansson does
 * not escape bidirectional overrides. This writer walks the value into a
 * fixed buffer, stopping at the byte budget; nesting is bounded by the budget
 * too (each level costs at least one byte), so recursion stays shallow.
 */
#include "excerpt.h"

#include <stdio.h>
#include <string.h>

#include "num.h"
#include "text.h"

struct ex {
	char *out;
	size_t o, max;
	int cut;
};

/* Appends n bytes unless that passes the budget (then the excerpt is cut). */
static int put(struct ex *x, const char *s, size_t n)
{
	if (x->cut || x->o + n > x->max) {
		x->cut = 1;
		return -1;
	}
	memcpy(x->out + x->o, s, n);
	x->o += n;
	return 0;
}

static int put_string(struct ex *x, const char *s, size_t len)
{
	if (put(x, "\"", 1))
		return -1;
	for (size_t i = 0; i < len;) {
		char piece[16];
		size_t used, k = palx_text_show(s + i, len - i, 1, piece, &used);
		if (put(x, piece, k))
			return -1;
		i += used;
	}
	return put(x, "\"", 1);
}

static int put_value(struct ex *x, const json_t *v)
{
	char num[64];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *e;
		int first = 1;
		if (put(x, "{", 1))
			return -1;
		json_object_foreach((json_t *)v, k, e) {
			if ((!first && put(x, ",", 1)) || put_string(x, k, strlen(k)) || put(x, ":", 1) ||
			    put_value(x, e))
				return -1;
			first = 0;
		}
		return put(x, "}", 1);
	}
	case JSON_ARRAY: {
		if (put(x, "[", 1))
			return -1;
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((i && put(x, ",", 1)) || put_value(x, json_array_get(v, i)))
				return -1;
		return put(x, "]", 1);
	}
	case JSON_STRING: return put_string(x, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return put(x, num, strlen(num));
	case JSON_REAL:
		if (eng_format_number_full(json_real_value(v), num, sizeof num) < 0)
			snprintf(num, sizeof num, "null");
		return put(x, num, strlen(num));
	case JSON_TRUE: return put(x, "true", 4);
	case JSON_FALSE: return put(x, "false", 5);
	default: return put(x, "null", 4);
	}
}

size_t eng_json_excerpt(const json_t *v, size_t max, char *out, size_t outlen)
{
	struct ex x;
	if (outlen < 8) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	if (!v) {
		snprintf(out, outlen, "nothing");
		return strlen(out);
	}
	x.out = out;
	x.o = 0;
	x.max = max < outlen - 4 ? max : outlen - 4; /* room for "…" and the NUL */
	x.cut = 0;
	put_value(&x, v);
	if (x.cut) {
		memcpy(out + x.o, "\xE2\x80\xA6", 3);
		x.o += 3;
	}
	out[x.o] = '\0';
	return x.o;
}
