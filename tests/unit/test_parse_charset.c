/* Charset conversion to valid UTF-8 (parse/charset.c). */
#include <string.h>

#include "util/buf.h"
#include "parse/charset.h"
#include "t.h"

#define FFFD "\xef\xbf\xbd"

static const struct {
	const char *label;
	const char *charset;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *want;
	int flags;
} cases[] = {
	{ "utf-8 clean", "utf-8", "Gr\xc3\xbc\xc3\x9f", 0, "Grüß", 0 },
	{ "utf-8 upper-case name", "UTF-8", "K\xc3\xb6ln", 0, "Köln", 0 },
	{ "utf-8 quoted name", "\"utf8\"", "K\xc3\xb6ln", 0, "Köln", 0 },
	{ "utf-8 invalid byte", "utf-8", "a\xff" "b", 0, "a" FFFD "b",
	    CHARSET_REPLACED },
	{ "utf-8 truncated tail", "utf-8", "ab\xe2\x82", 0, "ab" FFFD FFFD,
	    CHARSET_REPLACED },
	{ "utf-8 overlong slash", "utf-8", "\xc0\xaf", 0, FFFD FFFD,
	    CHARSET_REPLACED },
	{ "utf-8 surrogate", "utf-8", "\xed\xa0\x80", 0, FFFD FFFD FFFD,
	    CHARSET_REPLACED },
	{ "utf-8 beyond U+10FFFF", "utf-8", "\xf4\x90\x80\x80", 0,
	    FFFD FFFD FFFD FFFD, CHARSET_REPLACED },
	{ "utf-8 four bytes", "utf-8", "\xf0\x9f\x8f\xa0", 0, "🏠", 0 },
	{ "NUL byte", "utf-8", "a\0b", 3, "a" FFFD "b", CHARSET_REPLACED },
	{ "latin-1 umlaut", "iso-8859-1", "K\xf6ln", 0, "Köln", 0 },
	{ "latin-1 alias", "latin1", "\xe9t\xe9", 0, "été", 0 },
	{ "latin-1 read as 1252", "ISO-8859-1", "\x80 \x96", 0, "€ –", 0 },
	{ "windows-1252 quotes", "windows-1252", "\x93x\x94", 0, "“x”", 0 },
	{ "windows-1252 undefined", "cp1252", "a\x81" "b", 0, "a" FFFD "b",
	    CHARSET_REPLACED },
	{ "latin-9 euro", "iso-8859-15", "\xa4", 0, "€", 0 },
	{ "latin-9 OE", "ISO_8859-15", "\xbc\xbd", 0, "Œœ", 0 },
	{ "latin-9 keeps latin-1", "latin9", "\xe4", 0, "ä", 0 },
	{ "iconv koi8-r", "koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", 0, "Привет",
	    0 },
	{ "iconv utf-16le", "utf-16le", "K\0\xf6\0", 4, "Kö", 0 },
	{ "iconv shift_jis", "shift_jis", "\x93\xfa\x96\x7b", 0, "日本", 0 },
	{ "iconv invalid byte", "shift_jis", "a\x80" "b", 0, "a" FFFD "b",
	    CHARSET_REPLACED },
	{ "unknown charset", "x-klingon", "K\xf6ln", 0, "Köln",
	    CHARSET_UNKNOWN },
	{ "implausible name", "utf 8", "K\xf6ln", 0, "Köln", CHARSET_UNKNOWN },
	{ "charset with junk", "<script>", "a", 0, "a", CHARSET_UNKNOWN },
	{ "undeclared utf-8", NULL, "Gr\xc3\xbc\xc3\x9f", 0, "Grüß", 0 },
	{ "undeclared 8-bit", NULL, "Gr\xfc\xdf", 0, "Grüß", CHARSET_GUESSED },
	{ "us-ascii with 8-bit", "us-ascii", "\xe9t\xe9", 0, "été",
	    CHARSET_GUESSED },
	{ "us-ascii clean", "us-ascii", "plain", 0, "plain", 0 },
	{ "empty input", "utf-8", "", 0, "", 0 },
};

static const struct {
	const char *label;
	const char *in;
	int valid;
} valid_cases[] = {
	{ "ascii", "abc", 1 },
	{ "two-byte", "\xc3\xa4", 1 },
	{ "lone continuation", "\x80", 0 },
	{ "overlong", "\xe0\x80\xaf", 0 },
	{ "cut", "\xe2\x82", 0 },
	{ "empty", "", 1 },
};

int
main(void)
{
	struct buf b = BUF_INIT;
	size_t i, len;
	int flags;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		buf_reset(&b);
		flags = charset_to_utf8(cases[i].charset, cases[i].in, len, &b);
		T_STR(buf_str(&b), cases[i].want, "%s: text", cases[i].label);
		T_INT(flags, cases[i].flags, "%s: flags", cases[i].label);
		T_OK(charset_utf8_valid(b.data ? b.data : "", b.len),
		    "%s: result is valid UTF-8", cases[i].label);
	}
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++)
		T_INT(charset_utf8_valid(valid_cases[i].in,
		    strlen(valid_cases[i].in)), valid_cases[i].valid,
		    "utf8_valid: %s", valid_cases[i].label);
	buf_free(&b);
	return t_done();
}
