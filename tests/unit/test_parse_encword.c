/* RFC 2047 encoded words (parse/encword.c) and RFC 2231 parameters
 * (parse/param.c). */
#include <stdlib.h>
#include <string.h>

#include "parse/charset.h"
#include "parse/encword.h"
#include "parse/param.h"
#include "t.h"

static const struct {
	const char *label;
	const char *in;
	const char *want;
	int flags;
} words[] = {
	{ "plain text", "Hello World", "Hello World", 0 },
	{ "Q utf-8", "=?utf-8?q?M=C3=BCller?=", "Müller", 0 },
	{ "Q underscore is space", "=?iso-8859-1?Q?J=FCrgen_M=FCller?=",
	    "Jürgen Müller", 0 },
	{ "B utf-8", "=?UTF-8?B?R3LDvMOfZQ==?=", "Grüße", 0 },
	{ "B without padding", "=?UTF-8?B?R3LDvMOfZQ?=", "Grüße", 0 },
	{ "space between words dropped", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab",
	    0 },
	{ "folded space between words dropped",
	    "=?utf-8?q?a?=\t =?utf-8?q?b?=", "ab", 0 },
	{ "multibyte split across words",
	    "=?UTF-8?B?QW5mcmFnZSB6dXIgV29obnVuZyDi?= =?UTF-8?B?gJMgQmFsa29u?=",
	    "Anfrage zur Wohnung – Balkon", 0 },
	{ "text between words kept", "=?utf-8?q?a?= und =?utf-8?q?b?=",
	    "a und b", 0 },
	{ "text around a word", "Re: =?utf-8?q?Anfrage?= (Wohnung)",
	    "Re: Anfrage (Wohnung)", 0 },
	{ "two charsets",
	    "=?iso-8859-1?q?K=F6ln?= =?utf-8?q?_M=C3=BCnchen?=",
	    "Köln München", 0 },
	{ "RFC 2231 language", "=?utf-8*de?q?Stra=C3=9Fe?=", "Straße", 0 },
	{ "inside quotes", "\"=?utf-8?q?M=C3=BCller?=\" <a@b.de>",
	    "\"Müller\" <a@b.de>", 0 },
	{ "unterminated stays", "=?utf-8?q?abc", "=?utf-8?q?abc", 0 },
	{ "unknown encoding stays", "=?utf-8?x?abc?=", "=?utf-8?x?abc?=", 0 },
	{ "space inside is no word", "=?utf-8?q?a b?=", "=?utf-8?q?a b?=", 0 },
	{ "empty word", "x=?utf-8?q?" "?=y", "xy", 0 },
	{ "CRLF cannot inject", "=?utf-8?q?a=0D=0ABcc:_x@evil.example?=",
	    "a  Bcc: x@evil.example", 0 },
	{ "NUL cannot truncate", "=?utf-8?q?a=00b?=", "a\xef\xbf\xbd" "b",
	    CHARSET_REPLACED },
	{ "unknown charset", "=?x-foo?q?K=F6ln?=", "Köln", CHARSET_UNKNOWN },
	{ "raw 8-bit latin-1", "K\xf6ln", "Köln", CHARSET_GUESSED },
	{ "raw utf-8", "K\xc3\xb6ln", "Köln", 0 },
	{ "raw tab becomes space", "a\tb", "a b", 0 },
};

struct pcase {
	const char *label;
	struct param v[4];
	size_t n;
	const char *name;
	const char *want;
};

static const struct pcase params[] = {
	{ "plain", { { "filename", "a.pdf" } }, 1, "filename", "a.pdf" },
	{ "RFC 2047 in quotes",
	    { { "filename", "=?utf-8?q?Anfrage_M=C3=BCller.pdf?=" } }, 1,
	    "filename", "Anfrage Müller.pdf" },
	{ "extended", { { "filename*", "utf-8''%E2%82%AC.bin" } }, 1,
	    "filename", "€.bin" },
	{ "extended latin-1 with language",
	    { { "filename*", "iso-8859-1'de'K%F6ln.txt" } }, 1, "filename",
	    "Köln.txt" },
	{ "continuations", { { "filename*0*", "utf-8''Z%C3%BC" },
	    { "filename*1", "rich.xml" } }, 2, "filename", "Zürich.xml" },
	{ "continuations out of order", { { "name*1", "b" }, { "name*0", "a" },
	    { "name*2", "c" } }, 3, "name", "abc" },
	{ "extended beats plain", { { "filename", "old.txt" },
	    { "filename*", "utf-8''new.txt" } }, 2, "filename", "new.txt" },
	{ "a gap ends the value", { { "filename*0", "a" },
	    { "filename*2", "c" } }, 2, "filename", "a" },
	{ "no segment 0: plain", { { "filename*1", "b" },
	    { "filename", "p.txt" } }, 2, "filename", "p.txt" },
	{ "absent", { { "name", "x" } }, 1, "filename", NULL },
	{ "names without case", { { "FileName", "X.PDF" } }, 1, "filename",
	    "X.PDF" },
	{ "other parameter with the prefix", { { "filenames", "x" } }, 1,
	    "filename", NULL },
	{ "no line breaks", { { "filename*", "utf-8''a%0D%0Ab" } }, 1,
	    "filename", "a  b" },
	{ "extended without charset", { { "filename*", "plain%20name" } }, 1,
	    "filename", "plain name" },
	{ "segment number too large", { { "filename*0", "a" },
	    { "filename*99999999999", "b" } }, 2, "filename", "a" },
};

int
main(void)
{
	size_t i;
	char *s;
	int flags;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		flags = 0;
		s = encword_dup(words[i].in, &flags);
		T_STR(s, words[i].want, "2047 %s", words[i].label);
		T_INT(flags, words[i].flags, "2047 %s: flags", words[i].label);
		free(s);
	}
	T_OK(encword_dup(NULL, NULL) == NULL, "2047 NULL stays NULL");
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		s = param_get(params[i].v, params[i].n, params[i].name, NULL);
		T_STR(s, params[i].want, "2231 %s", params[i].label);
		free(s);
	}
	return t_done();
}
