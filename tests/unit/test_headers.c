/*
 * Header fields: exact output for the common forms, refusals, and for
 * long or hostile values the properties that matter (CRLF lines of at
 * most 998 octets, one header, the value back intact), the decoding done
 * by libetpan's RFC 2047 decoder rather than by ourselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "t.h"
#include "templates/headers.h"

static const struct {
	const char *label;
	const char *name;
	const char *value;
	const char *want;	/* the header, or the error message */
} cases[] = {
	{ "plain subject", "Subject", "Ihre Anfrage", "Subject: Ihre Anfrage\r\n" },
	{ "umlauts are encoded, plain words stay", "Subject",
	    "Ihre Anfrage: Wohnung in Zürich",
	    "Subject: Ihre Anfrage: Wohnung in =?UTF-8?Q?Z=C3=BCrich?=\r\n" },
	{ "the encoded stretch keeps its blanks", "Subject",
	    "Grüße aus Köln, Frau Müller",
	    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln=2C_Frau_M=C3=BCller?="
	    "\r\n" },
	{ "CR LF in a subject is a blank, not a header", "Subject",
	    "Hi\r\nBcc: evil@example.com", "Subject: Hi Bcc: evil@example.com\r\n" },
	{ "text that looks encoded is encoded", "Subject", "=?UTF-8?Q?x?=",
	    "Subject: =?UTF-8?Q?=3D=3FUTF-8=3FQ=3Fx=3F=3D?=\r\n" },
	{ "name case follows the table", "message-id", "<a.b@c.example>",
	    "Message-ID: <a.b@c.example>\r\n" },
	{ "a plain mailbox", "From", "Immobilien Muster AG <info@muster.example>",
	    "From: Immobilien Muster AG <info@muster.example>\r\n" },
	{ "a bare address", "To", " anna@example.ch ", "To: anna@example.ch\r\n" },
	{ "a name with a comma is quoted", "To", "Muster, Anna <anna@example.ch>",
	    "To: \"Muster, Anna\" <anna@example.ch>\r\n" },
	{ "a quoted name is taken as it is", "To",
	    "\"Dr. A. \\\"Nina\\\" Muster\" <nina@example.ch>",
	    "To: \"Dr. A. \\\"Nina\\\" Muster\" <nina@example.ch>\r\n" },
	{ "an umlaut name is encoded", "To", "Jürg Müller <jm@example.ch>",
	    "To: =?UTF-8?Q?J=C3=BCrg_M=C3=BCller?= <jm@example.ch>\r\n" },
	{ "a name hiding a header stays one name", "To",
	    "\"x\r\nBcc: evil@example.com\" <anna@example.ch>",
	    "To: \"x  Bcc: evil@example.com\" <anna@example.ch>\r\n" },
	{ "an address in the name is not the address", "To",
	    "evil@example.com <anna@example.ch>",
	    "To: \"evil@example.com\" <anna@example.ch>\r\n" },
	{ "references fold between ids", "References",
	    "<aaaaaaaaaaaaaaaaaaaa@example.com> <bbbbbbbbbbbbbbbbbbbb@example.com> "
	    "<cccccccccccccccccccc@example.com>",
	    "References: <aaaaaaaaaaaaaaaaaaaa@example.com>\r\n"
	    " <bbbbbbbbbbbbbbbbbbbb@example.com> <cccccccccccccccccccc@example.com>"
	    "\r\n" },
	{ "list-unsubscribe", "List-Unsubscribe",
	    "<https://x.example/u/abc>, <mailto:u@x.example?subject=unsubscribe%20abc>",
	    "List-Unsubscribe: <https://x.example/u/abc>,\r\n"
	    " <mailto:u@x.example?subject=unsubscribe%20abc>\r\n" },
	{ "an unknown header is free text", "X-Leadgate-Campaign", "Frühling",
	    "X-Leadgate-Campaign: =?UTF-8?Q?Fr=C3=BChling?=\r\n" },
	{ "no address", "To", "Anna Muster",
	    "To: 'Anna Muster' is not an address leadgate can send to" },
	{ "a non-ASCII address", "To", "Anna <anna@zürich.example>",
	    "To: 'anna@zürich.example' is not an address leadgate can send to "
	    "(non-ASCII addresses need SMTPUTF8)" },
	{ "a second address is only a name", "To",
	    "<a@example.com>, <b@example.com>",
	    "To: \"<a@example.com>,\" <b@example.com>\r\n" },
	{ "a message id without brackets", "Message-ID", "abc@example.com",
	    "Message-ID: 'abc@example.com' is not one <id@domain>" },
	{ "two message ids where one belongs", "Message-ID", "<a@b.c> <d@e.f>",
	    "Message-ID: '<d@e.f>' is not one <id@domain>" },
	{ "non-ASCII in a structured header", "Auto-Submitted", "auto-replié",
	    "Auto-Submitted: only ASCII may go into this header" },
	{ "Bcc never goes into a message", "Bcc", "a@example.com",
	    "header Bcc never goes into a message" },
	{ "Content-Type is compose's", "content-type", "text/html",
	    "header Content-Type is written by compose itself" },
	{ "a header name with a blank", "X Bad", "v", "bad header name 'X Bad'" },
	{ "a header name with a colon", "X:Bad", "v", "bad header name 'X:Bad'" },
	{ "a value that is not UTF-8", "Subject", "Z\xfcrich",
	    "Subject: not UTF-8 (at byte 1)" },
};

/* Lines end in CRLF, none is over max, and only the first starts a field. */
static int
one_header(const struct buf *b, size_t max)
{
	size_t i, col = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 1 >= b->len || b->data[i + 1] != '\n')
				return 0;
			i++;
			col = 0;
			if (i + 1 < b->len && b->data[i + 1] != ' ' &&
			    b->data[i + 1] != '\t')
				return 0;
		} else if (b->data[i] == '\n' || ++col > max) {
			return 0;
		}
	}
	return b->len >= 2 && memcmp(b->data + b->len - 2, "\r\n", 2) == 0;
}

/* The value after "Name:", unfolded and decoded by libetpan. */
static char *
decoded(const struct buf *b)
{
	struct buf u = BUF_INIT;
	const char *colon = memchr(b->data, ':', b->len);
	char *out = NULL;
	size_t i, idx = 0;

	for (i = (size_t)(colon - b->data) + 1; i + 2 < b->len; i++)
		if (b->data[i] != '\r' && b->data[i] != '\n')
			buf_addc(&u, b->data[i]);
	if (mailmime_encoded_phrase_parse("utf-8", u.data, u.len, &idx, "utf-8",
	    &out) != MAILIMF_NO_ERROR)
		out = NULL;
	buf_free(&u);
	return out;
}

static void
test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf out = BUF_INIT;
		struct err e;
		int rc;

		err_clear(&e);
		rc = headers_add(&out, cases[i].name, cases[i].value, &e);
		T_STR(rc == LG_OK ? buf_str(&out) : e.msg, cases[i].want, "%s",
		    cases[i].label);
		if (rc == LG_OK)
			T_OK(one_header(&out, HEADERS_AIM), "%s: one header, "
			    "CRLF, folded to %d", cases[i].label, HEADERS_AIM);
		else
			T_INT((long long)out.len, 0, "%s: nothing written",
			    cases[i].label);
		buf_free(&out);
	}
}

/* Values that must come back exactly after encoding, folding and decoding. */
static const struct {
	const char *label;
	const char *name;
	size_t repeat;		/* the unit repeated this many times */
	const char *unit;
	size_t max;		/* the longest line allowed */
} long_values[] = {
	{ "an unbroken ASCII value of 3000 octets", "Subject", 3000, "a", 78 },
	{ "3000 unbroken umlauts", "Subject", 1500, "ü", 78 },
	{ "a long sentence folds at blanks", "Subject", 120, "Wohnung ", 78 },
	{ "mixed scripts never split a character", "X-Note", 400, "é€🏠z",
	    78 },
	{ "a very long display name", "To", 200, "Müller ", 78 },
};

static void
test_long_values(void)
{
	size_t i, k;

	for (i = 0; i < sizeof(long_values) / sizeof(long_values[0]); i++) {
		struct buf v = BUF_INIT, out = BUF_INIT;
		struct err e;
		char *dec, *addr;

		for (k = 0; k < long_values[i].repeat; k++)
			buf_adds(&v, long_values[i].unit);
		while (v.len && v.data[v.len - 1] == ' ')
			v.data[--v.len] = '\0';
		if (strcmp(long_values[i].name, "To") == 0) {
			addr = headers_mailbox(v.data, "m@example.ch");
			buf_reset(&v);
			buf_adds(&v, addr);
			free(addr);
		}
		T_INT(headers_add(&out, long_values[i].name, v.data, &e), LG_OK,
		    "%s: written", long_values[i].label);
		T_OK(one_header(&out, long_values[i].max), "%s: one header, "
		    "lines of at most %zu", long_values[i].label,
		    long_values[i].max);
		dec = decoded(&out);
		if (strcmp(long_values[i].name, "To") == 0 && dec) {
			/* libetpan gives the phrase and the address back. */
			addr = xasprintf("%.*s <m@example.ch>",
			    (int)(strstr(v.data, "\" <") - v.data - 1), v.data + 1);
			T_STR(dec, addr, "%s: decodes back", long_values[i].label);
			free(addr);
		} else {
			T_STR(dec, v.data, "%s: decodes back",
			    long_values[i].label);
		}
		free(dec);
		buf_free(&v);
		buf_free(&out);
	}
}

static void
test_mailbox(void)
{
	static const char *const names[] = { "Anna Muster", "Muster, Anna",
	    "a\"b\\c", "x <evil@example.com>", "Jürg", "" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *mb = headers_mailbox(names[i], "anna@example.ch");
		char *name, *addr;
		struct err e;

		T_INT(headers_parse_mailbox(mb, &name, &addr, &e), LG_OK,
		    "mailbox [%s] parses", names[i]);
		T_STR(name, names[i], "mailbox [%s]: the name comes back",
		    names[i]);
		T_STR(addr, "anna@example.ch", "mailbox [%s]: the address "
		    "comes back", names[i]);
		free(name);
		free(addr);
		free(mb);
	}
}

static void
test_params(void)
{
	static const struct {
		const char *label;
		const char *value;
		const char *want;
	} params[] = {
		{ "an ASCII file name is quoted", "Dokumentation OBJ-7.pdf",
		    ";\r\n filename=\"Dokumentation OBJ-7.pdf\"" },
		{ "quotes in a file name are escaped", "a\"b.pdf",
		    ";\r\n filename=\"a\\\"b.pdf\"" },
		{ "an umlaut file name goes as RFC 2231", "Grundriss Küche.pdf",
		    ";\r\n filename*=UTF-8''Grundriss%20K%C3%BCche.pdf" },
		{ "CR LF in a file name is percent-encoded", "x\r\nBcc: y.pdf",
		    ";\r\n filename*=UTF-8''x%0D%0ABcc%3A%20y.pdf" },
	};
	size_t i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		struct buf out = BUF_INIT;
		struct err e;

		T_INT(headers_param(&out, "filename", params[i].value, &e),
		    LG_OK, "param: %s: written", params[i].label);
		T_STR(buf_str(&out), params[i].want, "param: %s",
		    params[i].label);
		buf_free(&out);
	}
}

int
main(void)
{
	test_table();
	test_long_values();
	test_mailbox();
	test_params();
	return t_done();
}
