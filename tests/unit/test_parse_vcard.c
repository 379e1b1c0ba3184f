/*
 * vCards a prospect attaches (parse/vcard.c) and the language a script
 * says alone (parse/lang.c lang_script()).
 */
#include <stdlib.h>
#include <string.h>

#include "parse/lang.h"
#include "parse/vcard.h"
#include "t.h"

static void
card30(void)
{
	struct vcard c;
	const char *text = "BEGIN:VCARD\r\nVERSION:3.0\r\n"
	    "N:Wr\xc3\xb3" "blewska;Magdalena;;Dr.;\r\n"
	    "FN:Magdalena Wr\xc3\xb3" "blewska\r\n"
	    "ORG:Wawel Consulting;Sales\r\n"
	    "EMAIL;TYPE=INTERNET:m.wroblewska@example.pl\r\n"
	    "TEL;TYPE=CELL:+48 601 234 775\r\n"
	    "item1.TEL:+48 12 345 67 89\r\n"
	    "ADR;TYPE=HOME:;;ul. Lea 112/5;Krak\xc3\xb3w;;30-133;Polska\r\n"
	    "NOTE:a long note that is\r\n  folded\r\n"
	    "END:VCARD\r\n";

	T_INT(vcard_parse(text, &c), 1, "vcard 3.0: found");
	T_STR(c.fn, "Magdalena Wr\xc3\xb3" "blewska", "vcard 3.0: FN");
	T_STR(c.family, "Wr\xc3\xb3" "blewska", "vcard 3.0: family name");
	T_STR(c.given, "Magdalena", "vcard 3.0: given name");
	T_STR(c.prefix, "Dr.", "vcard 3.0: prefix");
	T_STR(c.org, "Wawel Consulting", "vcard 3.0: ORG's first unit");
	T_STR(c.email, "m.wroblewska@example.pl", "vcard 3.0: EMAIL");
	T_INT((int)c.ntel, 2, "vcard 3.0: two TEL, one in a group");
	T_STR(c.ntel > 1 ? c.tel[1] : NULL, "+48 12 345 67 89",
	    "vcard 3.0: grouped TEL");
	T_STR(c.street, "ul. Lea 112/5", "vcard 3.0: ADR street");
	T_STR(c.city, "Krak\xc3\xb3w", "vcard 3.0: ADR locality");
	T_STR(c.postcode, "30-133", "vcard 3.0: ADR postal code");
	T_STR(c.country, "Polska", "vcard 3.0: ADR country");
	vcard_clear(&c);
}

static void
card21(void)
{
	struct vcard c;
	const char *text = "BEGIN:VCARD\nVERSION:2.1\n"
	    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BC=\n"
	    "rgen\n"
	    "ADR;HOME:;;Hauptstra\\;e 1\\, Hinterhaus;Berlin;;10115;\n"
	    "TEL;CELL:0171 2345678\n"
	    "END:VCARD\n";

	T_INT(vcard_parse(text, &c), 1, "vcard 2.1: found");
	T_STR(c.family, "M\xc3\xbcller", "vcard 2.1: quoted-printable");
	T_STR(c.given, "J\xc3\xbcrgen", "vcard 2.1: soft line break");
	T_STR(c.street, "Hauptstra;e 1, Hinterhaus", "vcard 2.1: escapes");
	T_STR(c.fn, NULL, "vcard 2.1: no FN");
	vcard_clear(&c);
	T_INT(vcard_parse("BEGIN:VCARD\nFN:Cut Off\n", &c), 0,
	    "vcard: no END is no card");
	T_STR(c.fn, NULL, "vcard: nothing kept of a cut card");
	T_INT(vcard_parse("hello", &c), 0, "vcard: none in plain text");
	T_INT(vcard_part("text/x-vcard", NULL), 1, "vcard part: x-vcard");
	T_INT(vcard_part("application/octet-stream", "Anna.VCF"), 1,
	    "vcard part: by file name");
	T_INT(vcard_part("text/plain", "notes.txt"), 0, "vcard part: not");
}

static void
scripts(void)
{
	T_STR(lang_script("\xe3\x81\xaf\xe3\x81\x98\xe3\x82\x81\xe3\x81\xbe"
	    "\xe3\x81\x97\xe3\x81\xa6\xe3\x80\x82\xe6\xb8\x8b\xe8\xb0\xb7"),
	    "ja", "script: kana and Han are Japanese");
	T_STR(lang_script("\xe6\x82\xa8\xe5\xa5\xbd\xef\xbc\x8c\xe8\xaf\xb7"
	    "\xe9\x97\xae"), "zh", "script: Han alone is Chinese");
	T_STR(lang_script("\xec\x95\x88\xeb\x85\x95\xed\x95\x98\xec\x84\xb8"
	    "\xec\x9a\x94"), "ko", "script: Hangul is Korean");
	T_STR(lang_script("\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 Omar"),
	    "ar", "script: Arabic beside a Latin name");
	T_STR(lang_script("Hello there, is it free?"), NULL,
	    "script: Latin says no language");
	T_STR(lang_script("\xd0\x94\xd0\xbe\xd0\xb1\xd1\x80\xd1\x8b\xd0\xb9"),
	    NULL, "script: Cyrillic says no one language");
	T_STR(lang_script(NULL), NULL, "script: NULL");
}

int
main(void)
{
	card30();
	card21();
	scripts();
	return t_done();
}
