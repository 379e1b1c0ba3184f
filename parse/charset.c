/*
 * Charset conversion to valid UTF-8. The charsets mail really uses get a
 * table of their own (no iconv round trip for every text part); the rest
 * goes through iconv, byte by byte past anything it cannot convert.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parse/charset.h"

#define REPLACEMENT	0xfffdUL
#define CS_NAME_MAX	64

enum cs_kind {
	CS_UTF8,
	CS_GUESS,	/* us-ascii or undeclared: UTF-8 if valid, else 1252 */
	CS_1252,
	CS_8859_15,
	CS_ICONV,
};

/*
 * ISO-8859-1 is read as windows-1252 (as every browser does): mailers
 * that say latin-1 routinely send the 1252 quotes, dashes and euro sign.
 */
static const struct {
	const char *name;
	enum cs_kind kind;
} cs_names[] = {
	{ "utf-8", CS_UTF8 }, { "utf8", CS_UTF8 },
	{ "us-ascii", CS_GUESS }, { "ascii", CS_GUESS },
	{ "ansi_x3.4-1968", CS_GUESS }, { "iso646-us", CS_GUESS },
	{ "iso-8859-1", CS_1252 }, { "iso8859-1", CS_1252 },
	{ "iso_8859-1", CS_1252 }, { "latin1", CS_1252 },
	{ "latin-1", CS_1252 }, { "l1", CS_1252 },
	{ "windows-1252", CS_1252 }, { "cp1252", CS_1252 },
	{ "x-cp1252", CS_1252 }, { "cp819", CS_1252 },
	{ "iso-8859-15", CS_8859_15 }, { "iso8859-15", CS_8859_15 },
	{ "iso_8859-15", CS_8859_15 }, { "latin-9", CS_8859_15 },
	{ "latin9", CS_8859_15 },
};

/* windows-1252 0x80..0x9f; 0 marks the five undefined bytes. */
static const uint16_t cp1252_c1[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Where ISO-8859-15 differs from ISO-8859-1. */
static const struct {
	unsigned char byte;
	uint16_t cp;
} latin9_diff[] = {
	{ 0xa4, 0x20ac }, { 0xa6, 0x0160 }, { 0xa8, 0x0161 },
	{ 0xb4, 0x017d }, { 0xb8, 0x017e }, { 0xbc, 0x0152 },
	{ 0xbd, 0x0153 }, { 0xbe, 0x0178 },
};

void
charset_put_utf8(struct buf *out, unsigned long c)
{
	char s[4];

	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0)
		c = REPLACEMENT;
	if (c < 0x80) {
		buf_addc(out, (char)c);
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		buf_add(out, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		buf_add(out, s, 3);
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		buf_add(out, s, 4);
	}
}

/* Length of the valid UTF-8 sequence at s (never NUL), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n, i;
	unsigned long cp;

	if (c >= 0x01 && c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int
charset_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

int
charset_fix_utf8(const char *in, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, start, n;
	int flags = 0;

	buf_reserve(out, len);
	while (i < len) {
		start = i;
		while (i < len && (n = utf8_seq(p + i, len - i)) > 0)
			i += n;
		buf_add(out, in + start, i - start);
		if (i < len) {
			charset_put_utf8(out, REPLACEMENT);
			flags |= CHARSET_REPLACED;
			i++;
		}
	}
	return flags;
}

static int
single_byte(const char *in, size_t len, enum cs_kind kind, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned long cp;
	size_t i, k;
	int flags = 0;

	buf_reserve(out, len + len / 4);
	for (i = 0; i < len; i++) {
		cp = p[i];
		if (cp >= 0x80 && cp < 0xa0)
			cp = cp1252_c1[cp - 0x80];
		else if (kind == CS_8859_15)
			for (k = 0; k < sizeof(latin9_diff) /
			    sizeof(latin9_diff[0]); k++)
				if (latin9_diff[k].byte == cp)
					cp = latin9_diff[k].cp;
		if (cp == 0)
			flags |= CHARSET_REPLACED;
		charset_put_utf8(out, cp);
	}
	return flags;
}

static int
has_8bit(const char *in, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80)
			return 1;
	return 0;
}

static int
guess(const char *in, size_t len, struct buf *out)
{
	if (!has_8bit(in, len) || charset_utf8_valid(in, len))
		return charset_fix_utf8(in, len, out);
	return single_byte(in, len, CS_1252, out) | CHARSET_GUESSED;
}

static int
via_iconv(iconv_t cd, const char *in, size_t len, struct buf *out)
{
	struct buf tmp = BUF_INIT;
	char *ip = (char *)(uintptr_t)in, *op;
	size_t il = len, ol, r;
	int flags = 0;

	buf_reserve(&tmp, len * 2 + 16);
	while (il > 0) {
		op = tmp.data + tmp.len;
		ol = tmp.cap - tmp.len - 1;
		r = iconv(cd, &ip, &il, &op, &ol);
		tmp.len = (size_t)(op - tmp.data);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_reserve(&tmp, il * 2 + 16);
			continue;
		}
		/* EILSEQ: skip the byte; EINVAL: a truncated tail. */
		charset_put_utf8(&tmp, REPLACEMENT);
		flags |= CHARSET_REPLACED;
		if (errno != EILSEQ)
			break;
		ip++;
		il--;
	}
	/* Stateful charsets (ISO-2022-JP) may still owe a shift sequence. */
	buf_reserve(&tmp, 16);
	op = tmp.data + tmp.len;
	ol = tmp.cap - tmp.len - 1;
	if (iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1)
		tmp.len = (size_t)(op - tmp.data);
	/* iconv's output is UTF-8, but NULs pass through it: fix those. */
	flags |= charset_fix_utf8(tmp.data, tmp.len, out);
	buf_free(&tmp);
	return flags;
}

/* Lower-case, unquoted, trimmed; 0 when it is no plausible charset name. */
static int
cs_norm(const char *cs, char *name, size_t size)
{
	size_t n = 0;

	while (*cs == ' ' || *cs == '\t' || *cs == '"' || *cs == '\'')
		cs++;
	for (; *cs && *cs != '"' && *cs != '\'' && *cs != ' ' &&
	    *cs != '\t' && *cs != ';'; cs++) {
		if (n + 1 >= size || !(strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:()", *cs)))
			return 0;
		name[n++] = (char)((*cs >= 'A' && *cs <= 'Z') ? *cs + 32 : *cs);
	}
	name[n] = '\0';
	return n > 0;
}

int
charset_to_utf8(const char *cs, const char *in, size_t len, struct buf *out)
{
	char name[CS_NAME_MAX];
	iconv_t cd;
	size_t i;
	int flags;

	buf_reserve(out, len);
	if (cs == NULL || *cs == '\0')
		return guess(in, len, out);
	if (!cs_norm(cs, name, sizeof(name)))
		return single_byte(in, len, CS_1252, out) | CHARSET_UNKNOWN;
	for (i = 0; i < sizeof(cs_names) / sizeof(cs_names[0]); i++) {
		if (strcmp(cs_names[i].name, name) != 0)
			continue;
		switch (cs_names[i].kind) {
		case CS_UTF8:
			return charset_fix_utf8(in, len, out);
		case CS_GUESS:
			return guess(in, len, out);
		default:
			return single_byte(in, len, cs_names[i].kind, out);
		}
	}
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return single_byte(in, len, CS_1252, out) | CHARSET_UNKNOWN;
	flags = via_iconv(cd, in, len, out);
	iconv_close(cd);
	return flags;
}
