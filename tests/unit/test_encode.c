/* Body encodings: the UTF-8 check, quoted-printable and base64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "t.h"
#include "templates/encode.h"

static const struct {
	const char *label;
	const char *in;
	int valid;
	size_t bad;
} utf8[] = {
	{ "ASCII", "plain text", 1, 0 },
	{ "two-byte umlauts", "Gr\xc3\xbc\xc3\x9f" "e", 1, 0 },
	{ "three and four bytes", "\xe2\x82\xac \xf0\x9f\x8f\xa0", 1, 0 },
	{ "a stray continuation byte", "ab\x80", 0, 2 },
	{ "Latin-1 is not UTF-8", "Z\xfcrich", 0, 1 },
	{ "an overlong slash", "a\xc0\xaf", 0, 1 },
	{ "an overlong three-byte form", "\xe0\x80\xaf", 0, 0 },
	{ "a UTF-16 surrogate", "x\xed\xa0\x80", 0, 1 },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", 0, 0 },
	{ "a sequence cut short", "ok\xe2\x82", 0, 2 },
};

static const struct {
	const char *label;
	const char *in;
	const char *want;
} qp[] = {
	{ "plain ASCII stays readable", "Hello world\n", "Hello world\r\n" },
	{ "LF, CRLF and CR all end lines in CRLF", "a\nb\r\nc\rd",
	    "a\r\nb\r\nc\r\nd" },
	{ "umlauts and '=' are encoded", "f\xc3\xbcr 1=1\n",
	    "f=C3=BCr 1=3D1\r\n" },
	{ "trailing blanks are protected", "end \t\nx \n",
	    "end =09\r\nx=20\r\n" },
	{ "a leading dot is protected", ".\n.x\n", "=2E\r\n=2Ex\r\n" },
	{ "a leading From is protected", "From here\nFrom\n",
	    "=46rom here\r\nFrom\r\n" },
	{ "control characters are encoded", "a\x01\x7f" "b", "a=01=7Fb" },
	{ "a long line breaks softly at 76",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaa\n",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa=\r\naaaaaaaaaa\r\n" },
	{ "an encoded octet never splits across a soft break",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaa\xc3\xbc",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaa=\r\n=C3=BC" },
	{ "a dot brought to a line start by a soft break is protected",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa.b",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa=\r\n=2Eb" },
	{ "a line of exactly 76 needs no break",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa\n",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaa\r\n" },
};

/* RFC 4648 section 10, and a run that fills exactly one line. */
static const struct {
	const char *label;
	const char *in;
	const char *want;
} b64[] = {
	{ "empty", "", "" },
	{ "f", "f", "Zg==\r\n" },
	{ "fo", "fo", "Zm8=\r\n" },
	{ "foo", "foo", "Zm9v\r\n" },
	{ "foob", "foob", "Zm9vYg==\r\n" },
	{ "fooba", "fooba", "Zm9vYmE=\r\n" },
	{ "foobar", "foobar", "Zm9vYmFy\r\n" },
	{ "57 bytes make one full line of 76",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWF"
	    "hYWFhYWFhYWFhYWFh\r\n" },
};

/* Every line of out ends in CRLF and is at most max octets. */
static int
lines_ok(const struct buf *b, size_t max)
{
	size_t i, col = 0;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\r') {
			if (i + 1 >= b->len || b->data[i + 1] != '\n')
				return 0;
			i++;
			col = 0;
		} else if (b->data[i] == '\n' || ++col > max) {
			return 0;
		}
	}
	return 1;
}

static void
test_qp_random(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	unsigned seed = 42;
	int i;

	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		buf_addc(&in, (char)((seed >> 16) & 0xff ? (seed >> 16) & 0xff :
		    'x'));
	}
	encode_qp(&out, in.data, in.len);
	T_OK(lines_ok(&out, 76), "20000 random octets: CRLF lines of at most "
	    "76 octets");
	buf_free(&in);
	buf_free(&out);
}

int
main(void)
{
	size_t i, bad;

	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		bad = 999;
		T_INT(encode_utf8_valid(utf8[i].in, strlen(utf8[i].in), &bad),
		    utf8[i].valid, "utf-8: %s", utf8[i].label);
		if (!utf8[i].valid)
			T_INT((long long)bad, (long long)utf8[i].bad,
			    "utf-8: %s: offset of the bad byte", utf8[i].label);
	}
	for (i = 0; i < sizeof(qp) / sizeof(qp[0]); i++) {
		struct buf out = BUF_INIT;

		encode_qp(&out, qp[i].in, strlen(qp[i].in));
		T_STR(buf_str(&out), qp[i].want, "qp: %s", qp[i].label);
		T_OK(lines_ok(&out, 76), "qp: %s: lines", qp[i].label);
		buf_free(&out);
	}
	for (i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		struct buf out = BUF_INIT;

		encode_base64(&out, (const unsigned char *)b64[i].in,
		    strlen(b64[i].in));
		T_STR(buf_str(&out), b64[i].want, "base64: %s", b64[i].label);
		buf_free(&out);
	}
	test_qp_random();
	return t_done();
}
