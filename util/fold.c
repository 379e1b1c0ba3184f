/* Case folding for labels and patterns (ASCII, Latin-1, Latin Extended-A). */
#include <stddef.h>
#include <string.h>

#include "util/fold.h"

#define RAW	0x10000u	/* a byte that is no letter we fold */

/* Latin Extended-A (U+0100..U+017F): upper and lower case in pairs. */
static unsigned
fold_ext_a(unsigned c)
{
	if ((c < 0x138 || (c >= 0x14a && c < 0x178)) && c % 2 == 0)
		return c + 1;
	if (((c > 0x138 && c < 0x149) || (c > 0x178 && c < 0x17f)) &&
	    c % 2 == 1)
		return c + 1;
	return c == 0x178 ? 0xff : c;
}

unsigned
fold_char(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	unsigned c;

	if (s[0] < 0x80) {
		(*p)++;
		/* Not tolower(): this runs for every label on every line. */
		return s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32u : s[0];
	}
	if (s[0] >= 0xc3 && s[0] <= 0xc5 && (s[1] & 0xc0) == 0x80) {
		*p += 2;
		c = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
		if (c >= 0xc0 && c <= 0xde && c != 0xd7)
			return c + 0x20;
		return c >= 0x100 ? fold_ext_a(c) : c;
	}
	(*p)++;
	return RAW | s[0];
}

int
fold_space(const char *s, size_t *len)
{
	if (*s == ' ') {
		*len = 1;
		return 1;
	}
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) {
		*len = 2;
		return 1;
	}
	return 0;
}

size_t
fold_key(const char *s, size_t n, char *out, size_t size)
{
	const char *end = s + n;
	size_t o = 0, sp;
	unsigned c;
	int space = 0;

	while (s < end && *s) {
		if (fold_space(s, &sp) && s + sp <= end) {
			s += sp;
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= size)
				return (size_t)-1;
			out[o++] = ' ';
			space = 0;
		}
		c = fold_char(&s);
		if (o + 3 >= size)
			return (size_t)-1;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c & RAW) {
			out[o++] = (char)(c & 0xff);
		} else {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return o;
}

size_t
fold_key_prefixes(const char *s, size_t n, char *out, size_t size,
    size_t *klen)
{
	const char *start = s, *end = s + n;
	size_t o = 0, sp, i;
	unsigned c;
	int space = 0;

	for (i = 0; i <= n; i++)
		klen[i] = (size_t)-1;
	while (s < end && *s) {
		klen[s - start] = o;
		if (fold_space(s, &sp) && s + sp <= end) {
			s += sp;
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= size)
				break;
			out[o++] = ' ';
			space = 0;
		}
		c = fold_char(&s);
		if (s > end || o + 3 >= size)
			break;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c & RAW) {
			out[o++] = (char)(c & 0xff);
		} else {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	if (s <= end)
		klen[s - start] = o;
	out[o] = '\0';
	return o;
}

int
fold_eq(const char *a, const char *b)
{
	while (*a && *b)
		if (fold_char(&a) != fold_char(&b))
			return 0;
	return *a == '\0' && *b == '\0';
}

/*
 * Base letters of U+00E0..U+00FF (after fold_char(), so lower case):
 * "àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ". Zero: not one letter (æ, ÷, þ).
 */
static const char latin1_base[32] = "aaaaaa\0ceeeeiiiidnooooo\0ouuuuy\0y";

unsigned
fold_bare_char(const char **p)
{
	unsigned c = fold_char(p);

	if (c >= 0xe0 && c <= 0xff && latin1_base[c - 0xe0] != '\0')
		return (unsigned char)latin1_base[c - 0xe0];
	return c;
}

int
fold_bare_eq(const char *a, const char *b)
{
	size_t sa, sb;

	for (;;) {
		/* runs of spaces are one space */
		if (fold_space(a, &sa) && fold_space(b, &sb)) {
			while (fold_space(a, &sa))
				a += sa;
			while (fold_space(b, &sb))
				b += sb;
			continue;
		}
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (fold_bare_char(&a) != fold_bare_char(&b))
			return 0;
	}
}
