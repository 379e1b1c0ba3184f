#include <string.h>

#include "templates/encode.h"

#define QP_MAX 76	/* RFC 2045: encoded lines at most 76 octets */

static const char hexdigits[] = "0123456789ABCDEF";

static const char b64digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Length of the UTF-8 sequence at s (1..4), or 0 when it is malformed. */
static size_t
encode_utf8_seq(const unsigned char *s, size_t len)
{
	static const struct {
		unsigned char lead_min, lead_max;
		size_t n;
		unsigned char second_min, second_max;	/* rules out overlongs */
	} forms[] = {
		{ 0x00, 0x7f, 1, 0, 0 },
		{ 0xc2, 0xdf, 2, 0x80, 0xbf },
		{ 0xe0, 0xe0, 3, 0xa0, 0xbf },
		{ 0xe1, 0xec, 3, 0x80, 0xbf },
		{ 0xed, 0xed, 3, 0x80, 0x9f },	/* no surrogates */
		{ 0xee, 0xef, 3, 0x80, 0xbf },
		{ 0xf0, 0xf0, 4, 0x90, 0xbf },
		{ 0xf1, 0xf3, 4, 0x80, 0xbf },
		{ 0xf4, 0xf4, 4, 0x80, 0x8f },	/* nothing past U+10FFFF */
	};
	size_t i, k;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (s[0] < forms[i].lead_min || s[0] > forms[i].lead_max)
			continue;
		if (forms[i].n > len)
			return 0;
		if (forms[i].n > 1 && (s[1] < forms[i].second_min ||
		    s[1] > forms[i].second_max))
			return 0;
		for (k = 2; k < forms[i].n; k++)
			if ((s[k] & 0xc0) != 0x80)
				return 0;
		return forms[i].n;
	}
	return 0;
}

int
encode_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		if ((n = encode_utf8_seq(p + i, len - i)) == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

struct qp {
	struct buf *out;
	size_t col;
};

/* Put one encoded unit (1 or 3 octets), breaking softly before it if needed. */
static void
qp_unit(struct qp *q, const char *u, size_t n, size_t reserve)
{
	if (q->col + n + reserve > QP_MAX) {
		buf_add(q->out, "=\r\n", 3);
		q->col = 0;
	}
	buf_add(q->out, u, n);
	q->col += n;
}

static int
qp_literal(const char *line, size_t i, size_t len, size_t col)
{
	unsigned char c = (unsigned char)line[i];

	if (c == ' ' || c == '\t')
		return i + 1 < len;	/* trailing blanks would be stripped */
	if (c < 33 || c > 126 || c == '=')
		return 0;
	if (col == 0 && c == '.')
		return 0;
	if (i == 0 && c == 'F' && len >= 5 && memcmp(line, "From ", 5) == 0)
		return 0;
	return 1;
}

/*
 * Literal octets go out in runs (line[i - run] up to line[i]), one
 * buf_add() each, not one per octet: q->col counts them already.
 */
static void
qp_flush(struct qp *q, const char *line, size_t i, size_t *run)
{
	buf_add(q->out, line + i - *run, *run);
	*run = 0;
}

static void
qp_line(struct qp *q, const char *line, size_t len)
{
	char hex[3] = { '=', 0, 0 };
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		/* Keep room for the "=" of a soft break unless this ends the line. */
		size_t reserve = i + 1 < len ? 1 : 0;
		int lit = qp_literal(line, i, len, q->col);

		/* A unit that goes to the next line must be judged there. */
		if (lit && q->col + 1 + reserve > QP_MAX)
			lit = qp_literal(line, i, len, 0);
		if (lit) {
			if (q->col + 1 + reserve > QP_MAX) {
				qp_flush(q, line, i, &run);
				buf_add(q->out, "=\r\n", 3);
				q->col = 0;
			}
			run++;
			q->col++;
			continue;
		}
		qp_flush(q, line, i, &run);
		hex[1] = hexdigits[c >> 4];
		hex[2] = hexdigits[c & 15];
		qp_unit(q, hex, 3, reserve);
	}
	qp_flush(q, line, i, &run);
}

void
encode_qp(struct buf *out, const char *s, size_t len)
{
	struct qp q = { out, 0 };
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\n' && s[i] != '\r')
			continue;
		qp_line(&q, s + start, i - start);
		buf_add(out, "\r\n", 2);
		q.col = 0;
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	qp_line(&q, s + start, len - start);
}

void
encode_base64(struct buf *out, const unsigned char *p, size_t len)
{
	size_t i, col = 0;
	char quad[4];

	for (i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		quad[0] = b64digits[(v >> 18) & 63];
		quad[1] = b64digits[(v >> 12) & 63];
		quad[2] = i + 1 < len ? b64digits[(v >> 6) & 63] : '=';
		quad[3] = i + 2 < len ? b64digits[v & 63] : '=';
		buf_add(out, quad, 4);
		if ((col += 4) == 76) {
			buf_add(out, "\r\n", 2);
			col = 0;
		}
	}
	if (col)
		buf_add(out, "\r\n", 2);
}
