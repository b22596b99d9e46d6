/*
 * Unit tests for common/text.c: UTF-8 validation, Windows-1252, clean, fold,
 * distance. The module is compiled in through failing_alloc.h, so its
 * allocations are checked for leaks and can be made to fail.
 */
#include <stdlib.h>
#include <string.h>

#include "failing_alloc.h"

#include "../../common/text.c"

static void valid(const char *s, size_t len)
{
	size_t bad = 12345;
	assert_int_equal(palx_utf8_valid(s, len, &bad), 1);
	assert_int_equal(bad, 12345); /* untouched */
}

static void invalid(const char *s, size_t len, size_t want_offset)
{
	size_t bad = 12345;
	assert_int_equal(palx_utf8_valid(s, len, &bad), 0);
	assert_int_equal(bad, want_offset);
	assert_int_equal(palx_utf8_valid(s, len, NULL), 0);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	valid("", 0);
	valid("plain ascii", 11);
	valid("Saint-M\xC3\xA9" "dard", 13);
	valid("\xE2\x82\xAC", 3);              /* € */
	valid("\xF0\x9F\x98\x80", 4);          /* U+1F600 */
	valid("\xF4\x8F\xBF\xBF", 4);          /* U+10FFFF */
	valid("\xED\x9F\xBF", 3);              /* U+D7FF, just below the surrogates */
	valid("\xEF\xBF\xBD", 3);              /* U+FFFD */
	valid("a\0b", 3);                      /* U+0000 is valid UTF-8 */
	invalid("\xC0\x80", 2, 0);             /* overlong NUL */
	invalid("\xC1\xBF", 2, 0);             /* overlong */
	invalid("ab\xE0\x80\x80", 5, 2);       /* overlong 3-byte */
	invalid("\xF0\x80\x80\x80", 4, 0);     /* overlong 4-byte */
	invalid("x\xED\xA0\x80", 4, 1);        /* surrogate U+D800 */
	invalid("\xED\xBF\xBF", 3, 0);         /* surrogate U+DFFF */
	invalid("\xF4\x90\x80\x80", 4, 0);     /* U+110000 */
	invalid("\xF5\x80\x80\x80", 4, 0);     /* no such lead byte */
	invalid("\xFF", 1, 0);
	invalid("abc\x80", 4, 3);              /* lone continuation */
	invalid("\xC3", 1, 0);                 /* truncated */
	invalid("caf\xC3" "e", 5, 3);          /* continuation missing */
	invalid("\xE2\x82", 2, 0);             /* truncated € */
	invalid("ok\xE9t\xE9", 5, 2);          /* Windows-1252 é */
}

static void test_utf8_stream(void **state)
{
	(void)state;
	palx_utf8_stream st = { 0 };
	const unsigned char ok[] = "\xE2\x82\xAC\xF0\x9F\x98\x80z";
	for (size_t i = 0; i + 1 < sizeof(ok); i++)
		assert_int_equal(palx_utf8_stream_byte(&st, ok[i]), 0);
	assert_false(palx_utf8_stream_pending(&st));
	assert_int_equal(palx_utf8_stream_byte(&st, 0xE2), 0);
	assert_true(palx_utf8_stream_pending(&st)); /* stopped inside a sequence */
	assert_int_equal(palx_utf8_stream_byte(&st, 0x82), 0);
	assert_int_equal(palx_utf8_stream_byte(&st, 'x'), -1);
	assert_false(palx_utf8_stream_pending(&st)); /* reset after an error */
	assert_int_equal(palx_utf8_stream_byte(&st, 0xED), 0);
	assert_int_equal(palx_utf8_stream_byte(&st, 0xA0), -1); /* surrogate */
	assert_int_equal(palx_utf8_stream_byte(&st, 0xC0), -1);
}

static void expect_owned(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_cp1252(void **state)
{
	(void)state;
	char out[3 * 8];
	expect_owned(palx_cp1252_to_utf8("caf\xE9", 4), "café");
	expect_owned(palx_cp1252_to_utf8("\x9C" "uvre \x8C", 7), "œuvre Œ");
	expect_owned(palx_cp1252_to_utf8("\x80\x92\x85\x96\x9F", 5), "€’…–Ÿ");
	expect_owned(palx_cp1252_to_utf8("\xA0\xFF", 2), "\xC2\xA0ÿ");
	/* the five undefined bytes */
	expect_owned(palx_cp1252_to_utf8("\x81\x8D\x8F\x90\x9D", 5),
	             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	expect_owned(palx_cp1252_to_utf8("", 0), "");
	assert_int_equal(palx_cp1252_to_utf8_into("a\xE9\x80", 3, out), 1 + 2 + 3);
	assert_memory_equal(out, "aé€", 6);
	/* every byte converts to valid UTF-8 */
	for (int c = 1; c < 256; c++) {
		char in = (char)c;
		char *s = palx_cp1252_to_utf8(&in, 1);
		assert_non_null(s);
		assert_true(palx_utf8_valid(s, strlen(s), NULL));
		free(s);
	}
}

static void test_clean(void **state)
{
	(void)state;
	assert_null(palx_text_clean(NULL));
	expect_owned(palx_text_clean(""), "");
	expect_owned(palx_text_clean("Saint-Médard-en-Jalles"), "Saint-Médard-en-Jalles");
	expect_owned(palx_text_clean("a\tb\nc\r\nd"), "a b c d");
	expect_owned(palx_text_clean("\x01" "x\x1B[31my\x7F"), "x[31my");
	expect_owned(palx_text_clean("c1:\xC2\x85\xC2\x9F."), "c1:.");          /* NEL, APC */
	expect_owned(palx_text_clean("\xC2\xA0nbsp kept"), "\xC2\xA0nbsp kept"); /* U+00A0 is not C1 */
	/* bidirectional controls: RLO, LRM, RLM, LRE..RLO, LRI..PDI, ALM */
	expect_owned(palx_text_clean("evil\xE2\x80\xAEtxt.exe"), "eviltxt.exe");
	expect_owned(palx_text_clean("\xE2\x80\x8E" "a\xE2\x80\x8F" "b\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD"),
	             "ab");
	expect_owned(palx_text_clean("\xE2\x81\xA6" "a\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9" "b\xD8\x9C" "c"), "abc");
	/* neighbours of the bidi ranges are kept */
	expect_owned(palx_text_clean("\xE2\x80\xA9x\xE2\x80\xAF\xE2\x81\xA5"), " x\xE2\x80\xAF\xE2\x81\xA5");
	expect_owned(palx_text_clean("\xEF\xBB\xBF" "bom"), "bom");
	/* invalid UTF-8: one U+FFFD per maximal invalid subpart */
	expect_owned(palx_text_clean("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
	expect_owned(palx_text_clean("a\xE2\x82" "b"), "a\xEF\xBF\xBD" "b");
	expect_owned(palx_text_clean("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	expect_owned(palx_text_clean("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	expect_owned(palx_text_clean("\xF0\x9F\x98"), "\xEF\xBF\xBD");
	expect_owned(palx_text_clean("emoji \xF0\x9F\x98\x80"), "emoji \xF0\x9F\x98\x80");
	{ /* the result is always valid UTF-8 without controls */
		char s[256];
		for (int i = 0; i < 255; i++)
			s[i] = (char)(i + 1);
		s[255] = '\0';
		char *c = palx_text_clean(s);
		assert_non_null(c);
		assert_true(palx_utf8_valid(c, strlen(c), NULL));
		for (const unsigned char *p = (const unsigned char *)c; *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7F);
		free(c);
	}
}

/* Issue 19, item 17: invisible characters go with the other hidden ones. */
static void test_clean_invisible(void **state)
{
	(void)state;
	/* zero-width space, word joiner, soft hyphen, CGJ, Hangul fillers, interlinear annotation */
	expect_owned(palx_text_clean("Par\xE2\x80\x8Bis"), "Paris");
	expect_owned(palx_text_clean("P\xE2\x81\xA0" "a\xC2\xAD" "r\xCD\x8Fi\xE2\x81\xA4s"), "Paris");
	expect_owned(palx_text_clean("\xE1\x85\x9F\xE1\x85\xA0\xE3\x85\xA4\xEF\xBE\xA0" "Lyon"), "Lyon");
	expect_owned(palx_text_clean("\xEF\xBF\xB9" "Nice\xEF\xBF\xBA" "hidden\xEF\xBF\xBB"), "Nicehidden");
	expect_owned(palx_text_clean("a\xE1\xA0\x8E" "b\xE2\x81\xAA" "c\xE2\x81\xAF"), "abc");
	/* joiners: dropped after Latin, kept where they shape (Persian ZWNJ, emoji ZWJ) */
	expect_owned(palx_text_clean("Pa\xE2\x80\x8D" "ris\xE2\x80\x8C"), "Paris");
	expect_owned(palx_text_clean("\xE2\x80\x8D" "x"), "x");
	expect_owned(palx_text_clean("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85"),
	             "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
	expect_owned(palx_text_clean("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"),
	             "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9");
	/* variation selectors and U+2065 stay */
	expect_owned(palx_text_clean("\xE2\x9D\xA4\xEF\xB8\x8F"), "\xE2\x9D\xA4\xEF\xB8\x8F");
	assert_int_equal(palx_text_is_clean("Par\xE2\x80\x8Bis"), 0);
	assert_int_equal(palx_text_is_clean("Pa\xE2\x80\x8Dris"), 0);
	assert_int_equal(palx_text_is_clean("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"), 1);
	{ /* messages show them */
		char out[16];
		size_t used, n = palx_text_show("\xE2\x80\x8B", 3, 0, out, &used);
		assert_int_equal(used, 3);
		assert_memory_equal(out, "<U+200B>", n);
	}
}

/* Issue 19, item 16: at most 30 combining marks after one base character. */
static void test_clean_marks(void **state)
{
	(void)state;
	char in[8 + 300 * 2 + 8], want[8 + 30 * 2 + 8];
	size_t k = 0, w = 0;
	memcpy(in, "Lyon", 4), k = 4;
	memcpy(want, "Lyon", 4), w = 4;
	for (int i = 0; i < 300; i++) {
		memcpy(in + k, "\xCC\x81", 2), k += 2; /* U+0301 */
		if (i < 30)
			memcpy(want + w, "\xCC\x81", 2), w += 2;
	}
	memcpy(in + k, " x\xCC\x81", 4), k += 4; /* the next base starts a new count */
	memcpy(want + w, " x\xCC\x81", 4), w += 4;
	in[k] = want[w] = '\0';
	expect_owned(palx_text_clean(in), want);
	assert_int_equal(palx_text_is_clean(in), 0);
	assert_int_equal(palx_text_is_clean(want), 1);
	/* ordinary accents, Vietnamese stacks, Devanagari signs: untouched */
	assert_int_equal(palx_text_is_clean("E\xCC\x81vian Vi\xE1\xBB\x87t Nam \xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82"), 1);
	/* a removed character between marks does not restart the count */
	memcpy(in, "a", 1), k = 1;
	for (int i = 0; i < 40; i++) {
		memcpy(in + k, "\xCC\x81\xE2\x80\x8B", 5), k += 5;
	}
	in[k] = '\0';
	char *c = palx_text_clean(in);
	assert_non_null(c);
	assert_int_equal(strlen(c), 1 + 30 * 2);
	free(c);
}

static void test_mixed_scripts(void **state)
{
	(void)state;
	const char *script = NULL;
	char odd[8];
	assert_int_equal(palx_text_mixed_scripts("\xD0\xA0" "aris", &script, odd), 1); /* Cyrillic Er */
	assert_string_equal(script, "Cyrillic");
	assert_string_equal(odd, "\xD0\xA0");
	assert_int_equal(palx_text_mixed_scripts("Saint-\xCE\x9F" "mer", &script, odd), 1); /* Greek Omicron */
	assert_string_equal(script, "Greek");
	assert_int_equal(palx_text_mixed_scripts("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBAv\xD0\xB0", &script, odd), 1);
	assert_string_equal(script, "Latin");
	assert_string_equal(odd, "v");
	/* one script per word is fine, accents and digits included */
	assert_int_equal(palx_text_mixed_scripts("Paris", &script, odd), 0);
	assert_int_equal(palx_text_mixed_scripts("L\xE2\x80\x99Ha\xC3\xBF-les-Roses 2", &script, odd), 0);
	assert_int_equal(palx_text_mixed_scripts("Paris \xD0\x9F\xD0\xB0\xD1\x80\xD0\xB8\xD0\xB6", &script, odd), 0);
	assert_int_equal(palx_text_mixed_scripts("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1", &script, odd), 0);
	assert_int_equal(palx_text_mixed_scripts("", &script, odd), 0);
	assert_int_equal(palx_text_mixed_scripts("a\xFF\xD0\xB0", &script, odd), 0); /* U+FFFD ends a word */
}

static void test_fold(void **state)
{
	(void)state;
	assert_null(palx_text_fold(NULL));
	expect_owned(palx_text_fold(""), "");
	expect_owned(palx_text_fold("   "), "");
	expect_owned(palx_text_fold("  Non Concernée \t"), "non concernee");
	expect_owned(palx_text_fold("ŒUVRE œuvre"), "oeuvre oeuvre");
	expect_owned(palx_text_fold("Ça ÉTÉ À l’ÎLE"), "ca ete a l'ile");
	expect_owned(palx_text_fold("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß"), "aaaaaaaeceeeeiiiidnoooooouuuuythss");
	expect_owned(palx_text_fold("àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"), "aaaaaaaeceeeeiiiidnoooooouuuuythy");
	expect_owned(palx_text_fold("ĀăĄćČĎđĚğĦĩİıĲĵĶĺŁńŇŋŌőŒŕŘśŠţŤŪůŰųŵŶŸźŻžſ"),
	             "aaaccddeghiiiijjkllnnnoooerrssttuuuuwyyzzzs");
	expect_owned(palx_text_fold("× ÷"), "× ÷");
	expect_owned(palx_text_fold("12\xC2\xA0" "000\xE2\x80\xAF%"), "12 000 %");
	expect_owned(palx_text_fold("a  \t b\n\nc"), "a b c");
	expect_owned(palx_text_fold("\xE2\x80\x98quoted\xE2\x80\x99 it\xCA\xBCs"), "'quoted' it's");
	expect_owned(palx_text_fold("Ελληνικά"), "Ελληνικά"); /* kept as is */
	expect_owned(palx_text_fold("BAD\xFF"), "bad\xEF\xBF\xBD");

	assert_true(palx_text_fold_eq(" Non  Concernée ", "non concernee"));
	assert_true(palx_text_fold_eq("N/A", "n/a"));
	assert_true(palx_text_fold_eq("", ""));
	assert_false(palx_text_fold_eq("non concerne", "non concernee"));
	assert_false(palx_text_fold_eq("non concernees", "non concernee"));
	assert_false(palx_text_fold_eq("non", "non concernee"));
	assert_false(palx_text_fold_eq(NULL, ""));
	assert_false(palx_text_fold_eq("x", NULL));
	assert_true(palx_text_fold_eq("ŒIL", "oeil"));
	assert_false(palx_text_fold_eq("ŒIL", "oe"));
}

/* Option ids as clerks type them: case, accents and the separator between words do not matter. */
static void test_same_word(void **state)
{
	(void)state;
#define SAME(a, b) palx_text_same_word((a), strlen(a), (b), strlen(b))
	assert_true(SAME("voté", "Voté"));
	assert_true(SAME("VOTE", "voté"));
	assert_true(SAME("École", "ecole"));
	assert_true(SAME("en cours", "en-cours"));
	assert_true(SAME("EN_COURS", "en-cours"));
	assert_true(SAME("  en \xC2\xA0- cours ", "en-cours")); /* one separator, whatever its spelling */
	assert_true(SAME("-en-cours_", "en cours"));
	assert_true(SAME("Œuvre", "oeuvre"));
	assert_true(SAME("", ""));
	assert_false(SAME("encours", "en-cours"));
	assert_false(SAME("en-cour", "en-cours"));
	assert_false(SAME("en-cours", "en-cour"));
	assert_false(SAME("a|b", "a b"));
	assert_false(SAME("", "a"));
	/* lengths bound both strings: a cell part is not NUL-terminated */
	assert_true(palx_text_same_word("libre|mixte", 5, "LIBRE", 5));
	assert_false(palx_text_same_word("libre|mixte", 6, "libre", 5));
#undef SAME
}

/* The option table's hash: the same for every spelling of one word, so that a lookup finds it. */
static void test_word_hash(void **state)
{
	(void)state;
	static const char *const same[][2] = {
		{"voté", "Voté"}, {"École", "ecole"}, {"en cours", "en-cours"}, {"EN_COURS", "en-cours"},
		{"  en \xC2\xA0- cours ", "en-cours"}, {"-en-cours_", "en cours"}, {"Œuvre", "oeuvre"}, {"", ""},
	};
#define HASH(s) palx_text_word_hash((s), strlen(s))
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		assert_true(HASH(same[i][0]) == HASH(same[i][1]));
	assert_true(HASH("encours") != HASH("en-cours"));
	assert_true(HASH("oui") != HASH("non"));
	assert_true(palx_text_word_hash("libre|mixte", 5) == HASH("LIBRE"));
#undef HASH
}

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(palx_text_distance("kitten", "sitting"), 3);
	assert_int_equal(palx_text_distance("sitting", "kitten"), 3);
	assert_int_equal(palx_text_distance("", "abc"), 3);
	assert_int_equal(palx_text_distance("abc", ""), 3);
	assert_int_equal(palx_text_distance("same", "same"), 0);
	assert_int_equal(palx_text_distance("flaw", "lawn"), 2);
	assert_int_equal(palx_text_distance(NULL, "ab"), 2);
	assert_int_equal(palx_text_distance("é", "e"), 2); /* bytes */
}

static void test_closest(void **state)
{
	(void)state;
	static const char *const cols[] = { "town_id", "town_name", "population", "open-data-sets",
	                                    NULL, "site-accessible" };
	const size_t n = sizeof(cols) / sizeof(cols[0]);
	assert_string_equal(pal_text_closest("open-data-set", cols, n), "open-data-sets");
	assert_string_equal(pal_text_closest("Town_ID", cols, n), "town_id");
	assert_string_equal(pal_text_closest("town_nom", cols, n), "town_name");
	assert_string_equal(pal_text_closest("Populatoin", cols, n), "population");
	assert_string_equal(pal_text_closest("site-accesible", cols, n), "site-accessible");
	assert_null(pal_text_closest("xyz", cols, n));
	assert_null(pal_text_closest("budget", cols, n));
	assert_null(pal_text_closest(NULL, cols, n));
	assert_null(pal_text_closest("town_id", NULL, 0));
	assert_null(pal_text_closest("town_id", cols, 0));
	/* short words: up to 2 edits */
	{
		static const char *const few[] = { "ab", "xyz" };
		assert_string_equal(pal_text_closest("b", few, 2), "ab");
		assert_string_equal(pal_text_closest("", few, 2), "ab");
		assert_null(pal_text_closest("qqqq", few, 2));
	}
	/* ties go to the first candidate */
	{
		static const char *const tie[] = { "cat", "car" };
		assert_string_equal(pal_text_closest("caz", tie, 2), "cat");
	}
	/* a huge unknown header cell: no quadratic blow-up, no suggestion */
	{
		size_t len = 1 << 20;
		char *big = malloc(len + 1);
		assert_non_null(big);
		memset(big, 'q', len);
		big[len] = '\0';
		assert_null(pal_text_closest(big, cols, n));
		free(big);
	}
}

/* Fails each allocation in turn: NULL (or the documented fallback), never a leak or a crash. */
static void test_out_of_memory(void **state)
{
	(void)state;
	static const char *const cols[] = { "town_id", "town_name" };
	char *s;
	for (long n = 0;; n++) {
		failing_alloc_arm(n);
		s = palx_text_clean("a\tb");
		if (s)
			break;
		assert_true(failing_alloc_fired);
	}
	failing_alloc_disarm();
	expect_owned(s, "a b");
	for (long n = 0;; n++) {
		failing_alloc_arm(n);
		s = palx_text_fold(" ÉTÉ ");
		if (s)
			break;
		assert_true(failing_alloc_fired);
	}
	failing_alloc_disarm();
	expect_owned(s, "ete");
	for (long n = 0;; n++) {
		failing_alloc_arm(n);
		s = palx_cp1252_to_utf8("\xE9", 1);
		if (s)
			break;
		assert_true(failing_alloc_fired);
	}
	failing_alloc_disarm();
	expect_owned(s, "é");
	/* Short words need no allocation (names, column headers); long ones may fail. */
	failing_alloc_arm(0);
	assert_int_equal(palx_text_distance("abc", "abd"), 1);
	failing_alloc_disarm();
	char long_a[201], long_b[201];
	memset(long_a, 'a', 200);
	memset(long_b, 'a', 200);
	long_a[200] = long_b[200] = '\0';
	long_b[100] = 'b';
	failing_alloc_arm(0);
	assert_int_equal(palx_text_distance(long_a, long_b), (size_t)-1);
	failing_alloc_disarm();
	assert_int_equal(palx_text_distance(long_a, long_b), 1);
	/* closest: short names never allocate, so the suggestion survives any failure */
	for (long n = 0; n < 8; n++) {
		const char *best;
		failing_alloc_arm(n);
		best = pal_text_closest("town_nme", cols, 2);
		failing_alloc_disarm();
		assert_true(best == cols[1]);
	}
}

/* The public cleaner, for text typed in a form: the same rules, a length, line breaks kept on request. */
static void test_clean_into(void **state)
{
	(void)state;
	char out[256];
	static const char in[] = "  Pa\xE2\x80\x8Bris\x00 \xE2\x80\xAE" "evil\r\nline 2\rline 3\t\xFF  ";
	size_t n = pal_text_clean_into(in, sizeof in - 1, 0, out);
	assert_string_equal(out, "  Paris evil line 2line 3 \xEF\xBF\xBD  ");
	assert_int_equal(n, strlen(out));
	pal_text_clean_into(in, sizeof in - 1, PAL_TEXT_MULTILINE | PAL_TEXT_TRIM, out);
	assert_string_equal(out, "Paris evil\nline 2\nline 3 \xEF\xBF\xBD");
	assert_int_equal(pal_text_clean_into("", 0, PAL_TEXT_TRIM, out), 0);
	assert_string_equal(out, "");
	/* the same as the documents' cleaner on what both can read */
	static const char *const same[] = {"Lyon\xCC\x81\xCC\x81", "a\tb", "\xEF\xBB\xBFx", "\xC3", "\x7F\xC2\x85z"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *want = palx_text_clean(same[i]);
		assert_non_null(want);
		pal_text_clean_into(same[i], strlen(same[i]), 0, out);
		assert_string_equal(out, want);
		free(want);
	}
	assert_true(pal_text_utf8_valid("\xC3\xA9t\xC3\xA9", 6));
	assert_false(pal_text_utf8_valid("\xC3", 1));
	assert_false(pal_text_utf8_valid("\xED\xA0\x80", 3)); /* a surrogate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_stream),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_invisible),
		cmocka_unit_test(test_clean_marks),
		cmocka_unit_test(test_mixed_scripts),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_same_word),
		cmocka_unit_test(test_word_hash),
		cmocka_unit_test(test_clean_into),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
