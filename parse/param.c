/* RFC 2231 parameter values, with RFC 2047 as the fallback. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hex.h"
#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/charset.h"
#include "parse/encword.h"
#include "parse/param.h"

/* More continuations than this are not a file name any more. */
#define SEGMENTS_MAX	64

struct segment {
	const char *value;
	int extended;		/* "name*N*": percent-encoded */
};

static void
pct_decode(const char *s, struct buf *out)
{
	int hi, lo;

	for (; *s; s++) {
		if (s[0] == '%' && (hi = hex_value((unsigned char)s[1])) >= 0 &&
		    (lo = hex_value((unsigned char)s[2])) >= 0) {
			buf_addc(out, (char)(hi * 16 + lo));
			s += 2;
		} else {
			buf_addc(out, *s);
		}
	}
}

/*
 * "charset'lang'text": copy the charset into cs and return the text;
 * without the two quotes the whole value is text.
 */
static const char *
ext_split(const char *v, char *cs, size_t size)
{
	const char *q1 = strchr(v, '\''), *q2;
	size_t n;

	cs[0] = '\0';
	if (q1 == NULL || (q2 = strchr(q1 + 1, '\'')) == NULL)
		return v;
	n = (size_t)(q1 - v);
	if (n < size) {
		memcpy(cs, v, n);
		cs[n] = '\0';
	}
	return q2 + 1;
}

/* Which form of name is p: -2 none, -1 "name*", N for "name*N[*]". */
static int
param_form(const char *pname, const char *name, int *extended)
{
	size_t n = strlen(name);
	const char *s;
	char *end;
	long k;

	if (strncasecmp(pname, name, n) != 0 || pname[n] != '*')
		return -2;
	s = pname + n + 1;
	if (*s == '\0') {
		*extended = 1;
		return -1;
	}
	if (*s < '0' || *s > '9')
		return -2;
	k = strtol(s, &end, 10);
	if (k >= SEGMENTS_MAX || !(*end == '\0' ||
	    (end[0] == '*' && end[1] == '\0')))
		return -2;
	*extended = *end == '*';
	return (int)k;
}

static char *
assemble(struct segment *seg, size_t nseg, int *flags)
{
	struct buf raw = BUF_INIT, out = BUF_INIT;
	char cs[64] = "";
	const char *v;
	size_t i;

	for (i = 0; i < nseg && seg[i].value != NULL; i++) {
		v = seg[i].value;
		if (seg[i].extended) {
			if (i == 0)
				v = ext_split(v, cs, sizeof(cs));
			pct_decode(v, &raw);
		} else {
			buf_adds(&raw, v);
		}
	}
	*flags |= charset_to_utf8(cs[0] ? cs : NULL, buf_str(&raw), raw.len,
	    &out);
	buf_free(&raw);
	/* Like encword_decode(): no control characters in a value. */
	for (i = 0; i < out.len; i++)
		if ((unsigned char)out.data[i] < 0x20 || out.data[i] == 0x7f)
			out.data[i] = ' ';
	return buf_detach(&out);
}

char *
param_get(const struct param *v, size_t n, const char *name, int *flags)
{
	struct segment seg[SEGMENTS_MAX], single = { NULL, 1 };
	const char *plain = NULL;
	size_t i;
	int k, ext, dummy = 0, any = 0;

	if (flags == NULL)
		flags = &dummy;
	memset(seg, 0, sizeof(seg));
	for (i = 0; i < n; i++) {
		if (v[i].name == NULL || v[i].value == NULL)
			continue;
		if (strcasecmp(v[i].name, name) == 0 && plain == NULL)
			plain = v[i].value;
		if ((k = param_form(v[i].name, name, &ext)) == -1 &&
		    single.value == NULL) {
			single.value = v[i].value;
		} else if (k >= 0 && seg[k].value == NULL) {
			seg[k].value = v[i].value;
			seg[k].extended = ext;
			any = 1;
		}
	}
	if (single.value != NULL)
		return assemble(&single, 1, flags);
	if (any && seg[0].value != NULL)
		return assemble(seg, SEGMENTS_MAX, flags);
	if (plain != NULL)
		return encword_dup(plain, flags);
	return NULL;
}
