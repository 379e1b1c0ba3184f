/* UTF-8 decoding and letter case (util/utf8.c): table-driven. */
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xmalloc.h"
#include "t.h"

static const struct {
	const char *in, *title, *lower;
	int caps;
} words[] = {
	{ "VOGELSANG-BRÜCK", "Vogelsang-Brück", "vogelsang-brück", 1 },
	{ "O'NEILL", "O'Neill", "o'neill", 1 },
	{ "ÅSA", "Åsa", "åsa", 1 },
	{ "ŁUKASZ", "Łukasz", "łukasz", 1 },
	{ "ŚWIĄTEK", "Świątek", "świątek", 1 },
	{ "ŘEZNÍČKOVÁ", "Řezníčková", "řezníčková", 1 },
	{ "ŽOFIE", "Žofie", "žofie", 1 },
	{ "ØSTERGAARD", "Østergaard", "østergaard", 1 },
	{ "ÆRØ", "Ærø", "ærø", 1 },
	{ "ŞTEFAN", "Ştefan", "ştefan", 1 },
	{ "ȚEPEȘ", "Țepeș", "țepeș", 1 },
	{ "ŸVES", "Ÿves", "ÿves", 1 },
	{ "STRAẞE", "Straẞe", "straẞe", 1 },
	{ "GROß", "Groß", "groß", 0 },
	{ "ИВАНОВ", "Иванов", "иванов", 1 },
	{ "ΠΑΠΑΣ", "Παπασ", "παπασ", 1 },
	{ "Anna", "Anna", "anna", 0 },
	{ "J.", "J.", "j.", 0 },
	{ "DI", "Di", "di", 1 },
	{ "", "", "", 0 },
};

static const struct {
	const char *in;
	unsigned long cp;
	size_t len;
} decodes[] = {
	{ "A", 'A', 1 }, { "é", 0xe9, 2 }, { "€", 0x20ac, 3 },
	{ "\xf0\x9f\x98\x80", 0x1f600, 4 }, { "\xc0\x80", 0xfffd, 1 },
	{ "\xe0\x80\x80", 0xfffd, 1 }, { "\xed\xa0\x80", 0xfffd, 1 },
	{ "\x80", 0xfffd, 1 }, { "\xc3", 0xfffd, 1 }, { "", 0, 0 },
};

int
main(void)
{
	char *s;
	size_t i, len;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		s = xstrdup(words[i].in);
		utf8_title(s);
		T_STR(s, words[i].title, "title [%s]", words[i].in);
		strcpy(s, words[i].in);
		utf8_lower(s);
		T_STR(s, words[i].lower, "lower [%s]", words[i].in);
		T_INT(utf8_all_caps(words[i].in), words[i].caps, "caps [%s]",
		    words[i].in);
		free(s);
	}
	for (i = 0; i < sizeof(decodes) / sizeof(decodes[0]); i++) {
		T_INT(utf8_decode(decodes[i].in, &len),
		    (long long)decodes[i].cp, "decode %zu: code point", i);
		T_INT(len, decodes[i].len, "decode %zu: length", i);
	}
	T_INT(utf8_casecmp("København", "KØBENHAVN"), 0, "casecmp");
	T_OK(utf8_casecmp("Wien", "Zürich") < 0, "casecmp order");
	T_OK(utf8_is_letter(0xdf) && !utf8_is_letter(0xd7) &&
	    !utf8_is_letter(0x2019) && utf8_is_letter('a'), "letters");
	return t_done();
}
