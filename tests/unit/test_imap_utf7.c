/* Modified UTF-7 mailbox names (RFC 3501 5.1.3): encodings and refusals. */
#include <stdlib.h>

#include "connectors/imap_utf7.h"
#include "t.h"

static const struct {
	const char *label;
	const char *in;
	const char *want;	/* NULL: refused with LG_EPERM */
} cases[] = {
	{ "ascii stays", "INBOX", "INBOX" },
	{ "empty", "", "" },
	{ "ampersand", "&", "&-" },
	{ "umlaut", "K\xc3\xa4ufer", "K&AOQ-ufer" },
	{ "mixed with ampersand", "Anfragen/K\xc3\xb6ln & Bonn",
	    "Anfragen/K&APY-ln &- Bonn" },
	{ "RFC 3501 example", "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "beyond the BMP: surrogate pair", "\xf0\x9f\x98\x80", "&2D3eAA-" },
	{ "run of two and euro", "\xc3\x84\xe2\x82\xacx", "&AMQgrA-x" },
	{ "two accents", "\xc3\xa9\xc3\xa9", "&AOkA6Q-" },
	{ "CR LF refused", "INBOX\r\nA1 LOGOUT", NULL },
	{ "tab refused", "a\tb", NULL },
	{ "DEL refused", "a\x7f", NULL },
	{ "invalid byte", "a\xff", NULL },
	{ "truncated sequence", "a\xc3", NULL },
	{ "overlong slash", "\xc0\xaf", NULL },
	{ "surrogate in UTF-8", "\xed\xa0\x80", NULL },
	{ "beyond U+10FFFF", "\xf4\x90\x80\x80", NULL },
};

int
main(void)
{
	struct err e;
	size_t i;
	char *out;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&e);
		rc = imap_utf7_encode(cases[i].in, &out, &e);
		if (cases[i].want == NULL) {
			T_OK(rc == LG_EPERM && out == NULL && e.msg[0],
			    "%s: refused with a reason", cases[i].label);
			continue;
		}
		T_INT(rc, LG_OK, "%s: accepted", cases[i].label);
		T_STR(out, cases[i].want, "%s", cases[i].label);
		free(out);
	}
	return t_done();
}
