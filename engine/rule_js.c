/*
 * JavaScript value semantics for the JsonLogic evaluator: the coercions that
 * json-logic-js inherits from JavaScript, applied to jansson values.
 *
 * Data flow: rule.c hands borrowed values in and gets numbers, booleans or
 * text (in an rjs_buf) back; nothing here keeps a reference. Walks over
 * arrays and objects are recursive but bounded by RJS_MAX_VALUE_DEPTH, and
 * every node visited is charged to the caller's budget (rjs_ctx).
 *
 * Text is UTF-8 and compared byte by byte, which is code point order
 * (JavaScript compares UTF-16 units; the two differ only between astral
 * characters and U+E000..U+FFFF). Number parsing never uses the locale's
 * decimal point: a literal is rewritten as DIGITS"e"EXPONENT before strtod().
 */
#include "rule_js.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocation and buffers ---- */

void *rjs_malloc(size_t n)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	return m(n ? n : 1);
}

void rjs_free(void *p)
{
	json_malloc_t m;
	json_free_t f;
	if (!p)
		return;
	json_get_alloc_funcs(&m, &f);
	f(p);
}

static int charge(rjs_ctx *c, long n)
{
	if (!c)
		return RJS_OK;
	c->budget -= n;
	return c->budget < 0 ? RJS_EBUDGET : RJS_OK;
}

/* Appends n bytes and keeps the buffer NUL-terminated. */
int rjs_buf_add(rjs_ctx *c, rjs_buf *b, const char *s, size_t n)
{
	if (charge(c, (long)(n >> 6)))
		return RJS_EBUDGET;
	if (c && c->max_text) {
		if (n > c->max_text - c->text)
			return RJS_ETEXT;
		c->text += n;
	}
	if (n >= ((size_t)-1) / 2 - b->n)
		return RJS_ENOMEM;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		p = rjs_malloc(cap);
		if (!p)
			return RJS_ENOMEM;
		if (b->n)
			memcpy(p, b->p, b->n);
		rjs_free(b->p);
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return RJS_OK;
}

void rjs_buf_free(rjs_buf *b)
{
	if (!b)
		return;
	rjs_free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* ---- numbers ---- */

double rjs_number_value(const json_t *v)
{
	if (json_is_integer(v))
		return (double)json_integer_value(v);
	return json_real_value(v);
}

static int is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* Shortest digits that read back as x, as "%.Ne" writes them. */
static void shortest_digits(double x, char *digits, int *nd, int *e10)
{
	char tmp[48];
	const char *p;
	int k = 0;
	for (int prec = 1; prec <= 17; prec++) {
		/* snprintf and strtod share the locale, so the round trip is exact. */
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	for (p = tmp; *p && *p != 'e'; p++)
		if (is_digit((unsigned char)*p) && k < 17)
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	*nd = k;
	*e10 = *p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0;
}

/* ECMAScript Number::toString(10). */
void rjs_number_format(double x, char out[RJS_NUMBUF])
{
	char d[20];
	int nd, e10, n, o = 0;
	if (isnan(x)) {
		snprintf(out, RJS_NUMBUF, "NaN");
		return;
	}
	if (isinf(x)) {
		snprintf(out, RJS_NUMBUF, x < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (x == 0) {
		snprintf(out, RJS_NUMBUF, "0");
		return;
	}
	if (x < 0) {
		out[o++] = '-';
		x = -x;
	}
	shortest_digits(x, d, &nd, &e10);
	n = e10 + 1; /* x = 0.d1d2... × 10^n */
	if (nd <= n && n <= 21) {
		memcpy(out + o, d, (size_t)nd);
		o += nd;
		for (int i = nd; i < n; i++)
			out[o++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(out + o, d, (size_t)n);
		o += n;
		out[o++] = '.';
		memcpy(out + o, d + n, (size_t)(nd - n));
		o += nd - n;
	} else if (-6 < n && n <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = 0; i < -n; i++)
			out[o++] = '0';
		memcpy(out + o, d, (size_t)nd);
		o += nd;
	} else {
		out[o++] = d[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, d + 1, (size_t)(nd - 1));
			o += nd - 1;
		}
		snprintf(out + o, (size_t)(RJS_NUMBUF - o), "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
		return;
	}
	out[o] = '\0';
}

/* Length of the JS white space or line terminator at s, 0 if there is none. */
static size_t space_len(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2; /* U+00A0 */
	if (n < 3)
		return 0;
	if ((s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) ||                  /* U+1680 */
	    (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 ||  /* U+2000..200A, */
	                                      s[2] == 0xA9 || s[2] == 0xAF)) || /* 2028, 2029, 202F */
	    (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||                  /* U+205F */
	    (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||                  /* U+3000 */
	    (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF))                    /* U+FEFF */
		return 3;
	return 0;
}

static void trim(const char **s, size_t *n, int right)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t len = *n, k;
	while (len && (k = space_len(p, len)) > 0) {
		p += k;
		len -= k;
	}
	while (right && len) {
		/* Scan back to the start of the last character and test it. */
		size_t i = len - 1;
		while (i > 0 && (p[i] & 0xC0) == 0x80 && len - i < 3)
			i--;
		if (space_len(p + i, len - i) != len - i)
			break;
		len = i;
	}
	*s = (const char *)p;
	*n = len;
}

/*
 * Length of the longest StrDecimalLiteral at the start of s (0 if none):
 * [+-] (Infinity | digits [. digits] | . digits) [e [+-] digits].
 */
static size_t scan_decimal(const char *s, size_t n, int *is_inf)
{
	size_t i = 0, digits = 0;
	*is_inf = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (n - i >= 8 && memcmp(s + i, "Infinity", 8) == 0) {
		*is_inf = 1;
		return i + 8;
	}
	while (i < n && is_digit((unsigned char)s[i])) {
		i++;
		digits++;
	}
	if (i < n && s[i] == '.') {
		size_t j = i + 1, frac = 0;
		while (j < n && is_digit((unsigned char)s[j])) {
			j++;
			frac++;
		}
		if (digits + frac > 0)
			i = j;
		digits += frac;
	}
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t k = i + 1;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k < n && is_digit((unsigned char)s[k])) {
			while (k < n && is_digit((unsigned char)s[k]))
				k++;
			i = k;
		}
	}
	return i;
}

/* Value of a literal accepted by scan_decimal() (not Infinity), locale-free. */
static int decimal_value(const char *s, size_t n, double *out)
{
	char small[128], *buf = small;
	size_t i = 0, k = 0, need = n + 32;
	long long exp = 0, ev = 0;
	int eneg = 0;

	if (need > sizeof small && !(buf = rjs_malloc(need)))
		return RJS_ENOMEM;
	if (s[i] == '+' || s[i] == '-')
		if (s[i++] == '-')
			buf[k++] = '-';
	for (; i < n && is_digit((unsigned char)s[i]); i++)
		buf[k++] = s[i];
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit((unsigned char)s[i]); i++, exp--)
			buf[k++] = s[i];
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && is_digit((unsigned char)s[i]); i++)
			if (ev < 1000000000LL) /* saturate: 1e1000000000 is Infinity anyway */
				ev = ev * 10 + (s[i] - '0');
		exp += eneg ? -ev : ev;
	}
	snprintf(buf + k, need - k, "e%lld", exp);
	*out = strtod(buf, NULL);
	if (buf != small)
		rjs_free(buf);
	return RJS_OK;
}

/* 0x…, 0o…, 0b… literals of Number(); *ok = 0 when s is not one. */
static double radix_value(const char *s, size_t n, int *ok)
{
	int radix;
	double v = 0;
	*ok = 0;
	if (n < 3 || s[0] != '0')
		return 0;
	switch (s[1]) {
	case 'x': case 'X': radix = 16; break;
	case 'o': case 'O': radix = 8; break;
	case 'b': case 'B': radix = 2; break;
	default: return 0;
	}
	for (size_t i = 2; i < n; i++) {
		int ch = (unsigned char)s[i], d;
		if (is_digit(ch))
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return 0;
		if (d >= radix)
			return 0;
		v = v * radix + d;
	}
	*ok = 1;
	return v;
}

/* ECMAScript StringToNumber. */
static int string_to_number(const char *s, size_t n, double *out)
{
	size_t len;
	int is_inf, ok;
	double v;
	trim(&s, &n, 1);
	if (n == 0) {
		*out = 0;
		return RJS_OK;
	}
	v = radix_value(s, n, &ok);
	if (ok) {
		*out = v;
		return RJS_OK;
	}
	len = scan_decimal(s, n, &is_inf);
	if (len != n) {
		*out = NAN;
		return RJS_OK;
	}
	if (is_inf) {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return RJS_OK;
	}
	return decimal_value(s, n, out);
}

/* ECMAScript parseFloat on a string. */
static int string_parse_float(const char *s, size_t n, double *out)
{
	size_t len;
	int is_inf;
	trim(&s, &n, 0);
	len = scan_decimal(s, n, &is_inf);
	if (len == 0) {
		*out = NAN;
		return RJS_OK;
	}
	if (is_inf) {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return RJS_OK;
	}
	return decimal_value(s, len, out);
}

/* ---- String(v) ---- */

static int to_string_at(rjs_ctx *c, const json_t *v, rjs_buf *out, int depth)
{
	char num[RJS_NUMBUF];
	int r;
	if (depth > RJS_MAX_VALUE_DEPTH)
		return RJS_EDEPTH;
	if ((r = charge(c, 1)))
		return r;
	switch (json_typeof(v)) {
	case JSON_NULL: return rjs_buf_add(c, out, "null", 4);
	case JSON_TRUE: return rjs_buf_add(c, out, "true", 4);
	case JSON_FALSE: return rjs_buf_add(c, out, "false", 5);
	case JSON_INTEGER:
		/* Exact, even past 2^53 where JavaScript would have rounded. */
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return rjs_buf_add(c, out, num, strlen(num));
	case JSON_REAL:
		rjs_number_format(json_real_value(v), num);
		return rjs_buf_add(c, out, num, strlen(num));
	case JSON_STRING: return rjs_buf_add(c, out, json_string_value(v), json_string_length(v));
	case JSON_OBJECT: return rjs_buf_add(c, out, "[object Object]", 15);
	case JSON_ARRAY:
		/* Array.prototype.join: null elements become "". */
		for (size_t i = 0; i < json_array_size(v); i++) {
			const json_t *x = json_array_get(v, i);
			if (i && (r = rjs_buf_add(c, out, ",", 1)))
				return r;
			if (!json_is_null(x) && (r = to_string_at(c, x, out, depth + 1)))
				return r;
		}
		return RJS_OK;
	}
	return RJS_OK;
}

int rjs_to_string(rjs_ctx *c, const json_t *v, rjs_buf *out)
{
	return to_string_at(c, v, out, 0);
}

int rjs_to_number(rjs_ctx *c, const json_t *v, double *out)
{
	rjs_buf b = {0};
	int r;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE: *out = 0; return RJS_OK;
	case JSON_TRUE: *out = 1; return RJS_OK;
	case JSON_INTEGER:
	case JSON_REAL: *out = rjs_number_value(v); return RJS_OK;
	case JSON_STRING: return string_to_number(json_string_value(v), json_string_length(v), out);
	case JSON_OBJECT: *out = NAN; return RJS_OK;
	case JSON_ARRAY: break;
	}
	r = rjs_to_string(c, v, &b);
	if (r == RJS_OK)
		r = string_to_number(b.p ? b.p : "", b.n, out);
	rjs_buf_free(&b);
	return r;
}

int rjs_parse_float(rjs_ctx *c, const json_t *v, double *out)
{
	rjs_buf b = {0};
	int r;
	switch (json_typeof(v)) {
	case JSON_INTEGER:
	case JSON_REAL: *out = rjs_number_value(v); return RJS_OK;
	case JSON_STRING: return string_parse_float(json_string_value(v), json_string_length(v), out);
	case JSON_ARRAY: break;
	default: *out = NAN; return RJS_OK; /* "null", "true", "false", "[object Object]" */
	}
	r = rjs_to_string(c, v, &b);
	if (r == RJS_OK)
		r = string_parse_float(b.p ? b.p : "", b.n, out);
	rjs_buf_free(&b);
	return r;
}

int rjs_truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE: return 0;
	case JSON_TRUE: return 1;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_STRING: return json_string_length(v) != 0;
	case JSON_ARRAY: return json_array_size(v) != 0;
	case JSON_OBJECT: return 1;
	}
	return 1;
}

/* ---- equality and comparison ---- */

/* JavaScript's types: the two JSON number kinds are one Number; arrays are objects. */
enum kind { K_NULL, K_BOOL, K_NUM, K_STR, K_OBJ };

static enum kind kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL: return K_NULL;
	case JSON_TRUE:
	case JSON_FALSE: return K_BOOL;
	case JSON_INTEGER:
	case JSON_REAL: return K_NUM;
	case JSON_STRING: return K_STR;
	default: return K_OBJ;
	}
}

static int strict_at(rjs_ctx *c, const json_t *a, const json_t *b, int *eq, int depth);

static int strict_object(rjs_ctx *c, const json_t *a, const json_t *b, int *eq, int depth)
{
	const char *key;
	json_t *x;
	*eq = json_object_size(a) == json_object_size(b);
	json_object_foreach((json_t *)a, key, x) {
		const json_t *y = json_object_get(b, key);
		int r;
		if (!*eq)
			break;
		if (!y) {
			*eq = 0;
			break;
		}
		if ((r = strict_at(c, x, y, eq, depth + 1)))
			return r;
	}
	return RJS_OK;
}

static int strict_at(rjs_ctx *c, const json_t *a, const json_t *b, int *eq, int depth)
{
	int r;
	if (depth > RJS_MAX_VALUE_DEPTH)
		return RJS_EDEPTH;
	if ((r = charge(c, 1)))
		return r;
	*eq = 0;
	if (json_is_integer(a) && json_is_integer(b)) {
		*eq = json_integer_value(a) == json_integer_value(b);
		return RJS_OK;
	}
	if (json_is_number(a) && json_is_number(b)) {
		*eq = rjs_number_value(a) == rjs_number_value(b);
		return RJS_OK;
	}
	if (json_typeof(a) != json_typeof(b))
		return RJS_OK;
	switch (json_typeof(a)) {
	case JSON_STRING:
		*eq = json_string_length(a) == json_string_length(b) &&
		      memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
		return RJS_OK;
	case JSON_ARRAY:
		*eq = json_array_size(a) == json_array_size(b);
		for (size_t i = 0; *eq && i < json_array_size(a); i++)
			if ((r = strict_at(c, json_array_get(a, i), json_array_get(b, i), eq, depth + 1)))
				return r;
		return RJS_OK;
	case JSON_OBJECT: return strict_object(c, a, b, eq, depth);
	default: *eq = 1; return RJS_OK; /* null, true, false */
	}
}

int rjs_strict_equal(rjs_ctx *c, const json_t *a, const json_t *b, int *eq)
{
	return strict_at(c, a, b, eq, 0);
}

/* ToPrimitive(v): a string or a number (booleans and null already as numbers). */
typedef struct prim {
	int is_str;
	double num;
	const char *s;
	size_t n;
	rjs_buf buf;
} prim;

static int to_prim(rjs_ctx *c, const json_t *v, prim *p)
{
	int r;
	memset(p, 0, sizeof *p);
	switch (kind_of(v)) {
	case K_NULL: return RJS_OK;
	case K_BOOL: p->num = json_is_true(v); return RJS_OK;
	case K_NUM: p->num = rjs_number_value(v); return RJS_OK;
	case K_STR:
		p->is_str = 1;
		p->s = json_string_value(v);
		p->n = json_string_length(v);
		return RJS_OK;
	case K_OBJ: break;
	}
	p->is_str = 1;
	if (json_is_object(v)) {
		p->s = "[object Object]";
		p->n = 15;
		return RJS_OK;
	}
	if ((r = rjs_to_string(c, v, &p->buf)))
		return r;
	p->s = p->buf.p ? p->buf.p : "";
	p->n = p->buf.n;
	return RJS_OK;
}

static int prim_number(const prim *p, double *out)
{
	if (!p->is_str) {
		*out = p->num;
		return RJS_OK;
	}
	return string_to_number(p->s, p->n, out);
}

/* Both operands as primitives, then as numbers unless both are strings. */
static int prim_pair(rjs_ctx *c, const json_t *a, const json_t *b, prim *pa, prim *pb,
                     double *na, double *nb)
{
	int r;
	memset(pb, 0, sizeof *pb);
	if ((r = to_prim(c, a, pa)) || (r = to_prim(c, b, pb)))
		return r;
	if (pa->is_str && pb->is_str)
		return RJS_OK;
	if ((r = prim_number(pa, na)) || (r = prim_number(pb, nb)))
		return r;
	return RJS_OK;
}

int rjs_loose_equal(rjs_ctx *c, const json_t *a, const json_t *b, int *eq)
{
	enum kind ka = kind_of(a), kb = kind_of(b);
	prim pa, pb;
	double na = 0, nb = 0;
	int r;

	if (ka == kb || (ka == K_OBJ && kb == K_OBJ))
		return strict_at(c, a, b, eq, 0);
	if (ka == K_NULL || kb == K_NULL) {
		*eq = 0; /* null == undefined only, and JSON has no undefined */
		return RJS_OK;
	}
	r = prim_pair(c, a, b, &pa, &pb, &na, &nb);
	if (r == RJS_OK) {
		if (pa.is_str && pb.is_str)
			*eq = pa.n == pb.n && memcmp(pa.s, pb.s, pa.n) == 0;
		else
			*eq = na == nb; /* false when either is NaN */
	}
	rjs_buf_free(&pa.buf);
	rjs_buf_free(&pb.buf);
	return r;
}

int rjs_less(rjs_ctx *c, const json_t *a, const json_t *b, int *lt)
{
	prim pa, pb;
	double na = 0, nb = 0;
	int r = prim_pair(c, a, b, &pa, &pb, &na, &nb);
	if (r == RJS_OK) {
		if (pa.is_str && pb.is_str) {
			size_t m = pa.n < pb.n ? pa.n : pb.n;
			int cmp = memcmp(pa.s, pb.s, m);
			*lt = cmp < 0 || (cmp == 0 && pa.n < pb.n);
		} else if (isnan(na) || isnan(nb)) {
			*lt = -1;
		} else {
			*lt = na < nb;
		}
	}
	rjs_buf_free(&pa.buf);
	rjs_buf_free(&pb.buf);
	return r;
}

static int depth_at(rjs_ctx *c, const json_t *v, int depth, int limit)
{
	const char *key;
	json_t *x;
	int r;
	if (depth > limit)
		return RJS_EDEPTH;
	if ((r = charge(c, 1)))
		return r;
	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((r = depth_at(c, json_array_get(v, i), depth + 1, limit)))
				return r;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, x)
			if ((r = depth_at(c, x, depth + 1, limit)))
				return r;
	}
	return RJS_OK;
}

int rjs_check_depth(rjs_ctx *c, const json_t *v, int limit)
{
	return depth_at(c, v, 0, limit);
}

/* ---- messages ---- */

void rjs_quote(const char *s, size_t n, char *buf, size_t len)
{
	size_t o = 0, i;
	if (!len)
		return;
	if (len < 12) {
		buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (i = 0; i < n && o + 10 < len && i < 40; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7F) {
			o += (size_t)snprintf(buf + o, len - o, "\\u%04x", ch);
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (i < n) {
		while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
			o--; /* don't cut a character in two */
		if (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
			o--;
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

void rjs_describe(const json_t *v, char *buf, size_t len)
{
	char num[RJS_NUMBUF];
	if (!len)
		return;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL: snprintf(buf, len, "null"); break;
	case JSON_TRUE: snprintf(buf, len, "true"); break;
	case JSON_FALSE: snprintf(buf, len, "false"); break;
	case JSON_INTEGER: snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL:
		rjs_number_format(json_real_value(v), num);
		snprintf(buf, len, "%s", num);
		break;
	case JSON_STRING: rjs_quote(json_string_value(v), json_string_length(v), buf, len); break;
	case JSON_ARRAY: snprintf(buf, len, json_array_size(v) ? "an array" : "an empty array"); break;
	case JSON_OBJECT: snprintf(buf, len, "an object"); break;
	}
}
