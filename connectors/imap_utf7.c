#include <stdint.h>

#include "connectors/imap_utf7.h"
#include "util/buf.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* Decode one UTF-8 sequence at s; 0 for a malformed one. */
static size_t
imap_utf7_next(const unsigned char *s, uint32_t *cp)
{
	static const struct {
		unsigned char mask, lead;
		size_t len;
		uint32_t min;
	} forms[] = {
		{ 0x80, 0x00, 1, 0 },
		{ 0xe0, 0xc0, 2, 0x80 },
		{ 0xf0, 0xe0, 3, 0x800 },
		{ 0xf8, 0xf0, 4, 0x10000 },
	};
	size_t f, i;

	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		if ((s[0] & forms[f].mask) != forms[f].lead)
			continue;
		*cp = s[0] & (unsigned char)~forms[f].mask;
		for (i = 1; i < forms[f].len; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			*cp = (*cp << 6) | (s[i] & 0x3f);
		}
		/* Not UTF-8: overlong forms, surrogates, beyond U+10FFFF. */
		if (*cp < forms[f].min || *cp > 0x10ffff ||
		    (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return forms[f].len;
	}
	return 0;
}

struct utf7_run {
	uint32_t bits;
	int nbits;
};

static void
imap_utf7_put16(struct buf *b, struct utf7_run *r, uint32_t unit)
{
	r->bits = (r->bits << 16) | unit;
	r->nbits += 16;
	while (r->nbits >= 6) {
		r->nbits -= 6;
		buf_addc(b, b64[(r->bits >> r->nbits) & 0x3f]);
	}
}

static void
imap_utf7_put(struct buf *b, struct utf7_run *r, uint32_t cp)
{
	if (cp < 0x10000) {
		imap_utf7_put16(b, r, cp);
		return;
	}
	cp -= 0x10000;
	imap_utf7_put16(b, r, 0xd800 | (cp >> 10));
	imap_utf7_put16(b, r, 0xdc00 | (cp & 0x3ff));
}

static void
imap_utf7_close(struct buf *b, struct utf7_run *r)
{
	if (r->nbits > 0)
		buf_addc(b, b64[(r->bits << (6 - r->nbits)) & 0x3f]);
	buf_addc(b, '-');
	r->bits = 0;
	r->nbits = 0;
}

int
imap_utf7_encode(const char *utf8, char **out, struct err *e)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct buf b = BUF_INIT;
	struct utf7_run r = { 0, 0 };
	int in_run = 0;
	uint32_t cp;
	size_t n;

	*out = NULL;
	for (; *s; s += n) {
		if ((n = imap_utf7_next(s, &cp)) == 0) {
			buf_free(&b);
			return err_set(e, LG_EPERM, "mailbox name is not valid "
			    "UTF-8 (at byte %zu)", (size_t)(s -
			    (const unsigned char *)utf8) + 1);
		}
		if (cp < 0x20 || cp == 0x7f) {
			buf_free(&b);
			return err_set(e, LG_EPERM, "mailbox name has a "
			    "control character (0x%02x)", (unsigned)cp);
		}
		if (cp < 0x7f) {
			if (in_run)
				imap_utf7_close(&b, &r);
			in_run = 0;
			if (cp == '&')
				buf_adds(&b, "&-");
			else
				buf_addc(&b, (char)cp);
			continue;
		}
		if (!in_run)
			buf_addc(&b, '&');
		in_run = 1;
		imap_utf7_put(&b, &r, cp);
	}
	if (in_run)
		imap_utf7_close(&b, &r);
	*out = buf_detach(&b);
	return LG_OK;
}
