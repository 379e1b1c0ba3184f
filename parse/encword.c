/* RFC 2047 decoding of header values. */
#include <string.h>
#include <strings.h>

#include "util/hex.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/encword.h"

/* RFC 2047 allows 75 characters; leave room for sloppy mailers. */
#define WORD_MAX	1024
#define CHARSET_MAX	64

struct word {
	char charset[CHARSET_MAX];
	size_t len;		/* bytes of the whole =?...?= */
	struct buf bytes;	/* the decoded octets */
};

/* Pending decoded octets of adjacent words in one charset. */
struct pending {
	char charset[CHARSET_MAX];
	struct buf bytes;
};

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Lenient, as mailers are: other characters are skipped, '=' ends it. */
static void
b64decode(const char *s, size_t len, struct buf *out)
{
	unsigned long acc = 0;
	size_t i, bits = 0;
	int v;

	for (i = 0; i < len && s[i] != '='; i++) {
		if ((v = b64val((unsigned char)s[i])) < 0)
			continue;
		acc = ((acc << 6) | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xff));
		}
	}
}

static void
qdecode(const char *s, size_t len, struct buf *out)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '_') {
			buf_addc(out, ' ');
		} else if (s[i] == '=' && i + 2 < len &&
		    (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			buf_addc(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			buf_addc(out, s[i]);
		}
	}
}

/* Parse the encoded word at s (which starts with "=?"); 0 if it is none. */
static int
word_parse(const char *s, size_t len, struct word *w)
{
	const char *cs, *q1, *q2, *end;
	size_t max = len < WORD_MAX ? len : WORD_MAX, cslen, i;

	cs = s + 2;
	if ((q1 = memchr(cs, '?', max - 2)) == NULL)
		return 0;
	cslen = (size_t)(q1 - cs);
	if (q1 + 3 > s + max || q1[2] != '?' || cslen == 0)
		return 0;
	q2 = q1 + 3;
	for (end = q2; end + 1 < s + max; end++) {
		if (*end == ' ' || *end == '\t' || *end == '\r' ||
		    *end == '\n')
			return 0;
		if (end[0] == '?' && end[1] == '=')
			break;
	}
	if (end + 1 >= s + max)
		return 0;
	/* RFC 2231 adds a language: "utf-8*de". */
	for (i = 0; i < cslen && cs[i] != '*'; i++)
		;
	if (i == 0 || i >= sizeof(w->charset))
		return 0;
	memcpy(w->charset, cs, i);
	w->charset[i] = '\0';
	buf_reset(&w->bytes);
	if (q1[1] == 'b' || q1[1] == 'B')
		b64decode(q2, (size_t)(end - q2), &w->bytes);
	else if (q1[1] == 'q' || q1[1] == 'Q')
		qdecode(q2, (size_t)(end - q2), &w->bytes);
	else
		return 0;
	w->len = (size_t)(end + 2 - s);
	return 1;
}

static int
flush(struct pending *p, struct buf *out)
{
	int flags = 0;

	if (p->charset[0] != '\0')
		flags = charset_to_utf8(p->charset, p->bytes.data ?
		    p->bytes.data : "", p->bytes.len, out);
	p->charset[0] = '\0';
	buf_reset(&p->bytes);
	return flags;
}

static int
is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Control characters become spaces: no line breaks in header values. */
static void
decontrol(struct buf *out, size_t from)
{
	size_t i;

	for (i = from; i < out->len; i++)
		if ((unsigned char)out->data[i] < 0x20 ||
		    out->data[i] == 0x7f)
			out->data[i] = ' ';
}

int
encword_decode(const char *s, size_t len, struct buf *out)
{
	struct pending p = { "", BUF_INIT };
	struct word w = { "", 0, BUF_INIT };
	size_t i = 0, lit = 0, start = out->len;
	int flags = 0, after_word = 0;

	while (i < len) {
		if (!(s[i] == '=' && i + 1 < len && s[i + 1] == '?' &&
		    word_parse(s + i, len - i, &w))) {
			i++;
			continue;
		}
		/* Whitespace between two encoded words is not text. */
		if (i > lit && !(after_word && is_blank(s + lit, i - lit))) {
			flags |= flush(&p, out);
			flags |= charset_to_utf8(NULL, s + lit, i - lit, out);
		}
		if (strcasecmp(p.charset, w.charset) != 0) {
			flags |= flush(&p, out);
			memcpy(p.charset, w.charset, sizeof(p.charset));
		}
		buf_add(&p.bytes, w.bytes.data ? w.bytes.data : "", w.bytes.len);
		i += w.len;
		lit = i;
		after_word = 1;
	}
	flags |= flush(&p, out);
	if (lit < len)
		flags |= charset_to_utf8(NULL, s + lit, len - lit, out);
	buf_free(&p.bytes);
	buf_free(&w.bytes);
	decontrol(out, start);
	return flags;
}

char *
encword_dup(const char *s, int *flags)
{
	struct buf b = BUF_INIT;
	int f;

	if (s == NULL)
		return NULL;
	f = encword_decode(s, strlen(s), &b);
	if (flags)
		*flags |= f;
	return buf_detach(&b);
}
