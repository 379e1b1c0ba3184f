/* Transfer decoding of MIME part bodies. */
#include <string.h>

#include "util/hex.h"
#include "util/buf.h"
#include "parse/cte.h"

static int
b64val(unsigned char c)
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

static int
base64(const char *in, size_t len, struct buf *out)
{
	unsigned long acc = 0;
	size_t i, quantum = 0;
	int v, flags = 0, pad = 0;

	buf_reserve(out, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '=') {
			pad = 1;
			continue;
		}
		if ((v = b64val(c)) < 0) {
			if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
				flags |= CTE_BAD;
			continue;
		}
		if (pad) {
			/* Data after padding: another encoder's output glued on. */
			flags |= CTE_BAD;
			pad = 0;
		}
		acc = (acc << 6) | (unsigned long)v;
		if (++quantum == 4) {
			out->data[out->len++] = (char)(acc >> 16);
			out->data[out->len++] = (char)(acc >> 8);
			out->data[out->len++] = (char)acc;
			out->data[out->len] = '\0';
			acc = 0;
			quantum = 0;
			buf_reserve(out, 3);
		}
	}
	/* Two or three characters left: the last one or two bytes. */
	if (quantum >= 2)
		buf_addc(out, (char)(acc >> (quantum * 6 - 8)));
	if (quantum == 3)
		buf_addc(out, (char)(acc >> 2));
	if (quantum == 1 || (quantum > 0 && !pad))
		flags |= CTE_TRUNCATED;
	return flags;
}

static int
qp(const char *in, size_t len, struct buf *out)
{
	const char *nl;
	size_t i = 0, j, end;
	int flags = 0, hi, lo, soft;

	buf_reserve(out, len);
	while (i < len) {
		nl = memchr(in + i, '\n', len - i);
		end = nl ? (size_t)(nl - in) : len;
		j = i;
		i = nl ? end + 1 : len;
		/* Drop the line end and the transport padding before it. */
		if (end > j && in[end - 1] == '\r')
			end--;
		while (end > j && (in[end - 1] == ' ' || in[end - 1] == '\t'))
			end--;
		for (soft = 0; j < end; j++) {
			if (in[j] != '=') {
				buf_addc(out, in[j]);
			} else if (j + 1 == end) {
				soft = 1;
			} else if (j + 2 < end &&
			    (hi = hex_value((unsigned char)in[j + 1])) >= 0 &&
			    (lo = hex_value((unsigned char)in[j + 2])) >= 0) {
				buf_addc(out, (char)(hi * 16 + lo));
				j += 2;
			} else {
				buf_addc(out, '=');
				flags |= CTE_BAD;
			}
		}
		if (nl && !soft)
			buf_addc(out, '\n');
	}
	return flags;
}

int
cte_decode(enum cte enc, const char *in, size_t len, struct buf *out)
{
	switch (enc) {
	case CTE_BASE64:
		return base64(in, len, out);
	case CTE_QP:
		return qp(in, len, out);
	default:
		buf_add(out, in, len);
		return 0;
	}
}
