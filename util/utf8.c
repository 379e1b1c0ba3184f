/* UTF-8 decoding and case for Latin, Greek and Cyrillic letters. */
#include <stddef.h>
#include <stdint.h>

#include "util/utf8.h"

#define REPLACEMENT	0xfffdu

/*
 * Ranges of case pairs. kind ALT: upper and lower alternate from first
 * (upper on even offsets); kind SHIFT: lower = upper + delta for every
 * upper in [first, last]. Pairs whose two cases differ in length
 * (U+0130, U+0131, U+017F) are left out on purpose.
 */
enum pair_kind { ALT, SHIFT };

static const struct {
	uint32_t first, last;
	enum pair_kind kind;
	uint32_t delta;
} pairs[] = {
	{ 0x0041, 0x005a, SHIFT, 0x20 },	/* A-Z */
	{ 0x00c0, 0x00d6, SHIFT, 0x20 },	/* À-Ö */
	{ 0x00d8, 0x00de, SHIFT, 0x20 },	/* Ø-Þ */
	{ 0x0100, 0x012f, ALT, 1 },		/* Ā-į */
	{ 0x0132, 0x0137, ALT, 1 },		/* Ĳ-ķ */
	{ 0x0139, 0x0148, ALT, 1 },		/* Ĺ-ň (upper on odd) */
	{ 0x014a, 0x0177, ALT, 1 },		/* Ŋ-ŷ */
	{ 0x0179, 0x017e, ALT, 1 },		/* Ź-ž (upper on odd) */
	{ 0x0218, 0x021b, ALT, 1 },		/* Ș-ț */
	{ 0x0391, 0x03a1, SHIFT, 0x20 },	/* Α-Ρ */
	{ 0x03a3, 0x03ab, SHIFT, 0x20 },	/* Σ-Ϋ */
	{ 0x0410, 0x042f, SHIFT, 0x20 },	/* А-Я */
	{ 0x0400, 0x040f, SHIFT, 0x50 },	/* Ѐ-Џ */
};

#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

uint32_t
utf8_decode(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n, i;

	if (u[0] == 0) {
		*len = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
	} else {
		*len = 1;
		return REPLACEMENT;
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = 1;
			return REPLACEMENT;
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff)) {
		*len = 1;
		return REPLACEMENT;
	}
	*len = n;
	return c;
}

/* Write c (1 or 2 bytes, as the case maps keep) over s. */
static void
encode_same(char *s, uint32_t c)
{
	if (c < 0x80) {
		s[0] = (char)c;
	} else {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
	}
}

/* The pair c belongs to: its upper form in *up, lower in *low. */
static int
pair_of(uint32_t c, uint32_t *up, uint32_t *low)
{
	size_t i;

	for (i = 0; i < NPAIRS; i++) {
		if (pairs[i].kind == SHIFT) {
			if (c >= pairs[i].first && c <= pairs[i].last) {
				*up = c;
				*low = c + pairs[i].delta;
				return 1;
			}
			if (c >= pairs[i].first + pairs[i].delta &&
			    c <= pairs[i].last + pairs[i].delta) {
				*up = c - pairs[i].delta;
				*low = c;
				return 1;
			}
		} else if (c >= pairs[i].first && c <= pairs[i].last) {
			/* Upper case on the offset parity of first. */
			if (((c - pairs[i].first) & 1) == 0) {
				*up = c;
				*low = c + 1;
			} else {
				*up = c - 1;
				*low = c;
			}
			return 1;
		}
	}
	if (c == 0x0178 || c == 0x00ff) {	/* Ÿ ÿ */
		*up = 0x0178;
		*low = 0x00ff;
		return 1;
	}
	return 0;
}

int
utf8_is_upper(uint32_t c)
{
	uint32_t up, low;

	return (pair_of(c, &up, &low) && c == up) || c == 0x0130;
}

int
utf8_is_lower(uint32_t c)
{
	uint32_t up, low;

	if (c == 0x00df || c == 0x0131 || c == 0x0138 || c == 0x0149 ||
	    c == 0x017f || c == 0x03c2)
		return 1;
	return pair_of(c, &up, &low) && c == low;
}

int
utf8_is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (utf8_is_upper(c) || utf8_is_lower(c))
		return 1;
	/* No case: punctuation and spaces of Latin-1 and U+2000.. are none. */
	if (c < 0xc0 || c == 0xd7 || c == 0xf7 || c == REPLACEMENT)
		return 0;
	return !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f);
}

uint32_t
utf8_to_upper(uint32_t c)
{
	uint32_t up, low;

	return pair_of(c, &up, &low) ? up : c;
}

uint32_t
utf8_to_lower(uint32_t c)
{
	uint32_t up, low;

	return pair_of(c, &up, &low) ? low : c;
}

void
utf8_lower(char *s)
{
	uint32_t c;
	size_t n;

	while ((c = utf8_decode(s, &n)) != 0) {
		if (n <= 2 && utf8_is_upper(c) && c != 0x0130)
			encode_same(s, utf8_to_lower(c));
		s += n;
	}
}

int
utf8_all_caps(const char *s)
{
	uint32_t c;
	size_t n;
	int upper = 0;

	while ((c = utf8_decode(s, &n)) != 0) {
		if (utf8_is_lower(c))
			return 0;
		upper += utf8_is_upper(c);
		s += n;
	}
	return upper >= 2;
}

void
utf8_title(char *s)
{
	uint32_t c, want;
	size_t n;
	int after_letter = 0;

	while ((c = utf8_decode(s, &n)) != 0) {
		if (utf8_is_letter(c)) {
			want = after_letter ? utf8_to_lower(c) :
			    utf8_to_upper(c);
			if (n <= 2 && want != c && c != 0x0130)
				encode_same(s, want);
			after_letter = 1;
		} else {
			after_letter = 0;
		}
		s += n;
	}
}

int
utf8_casecmp(const char *a, const char *b)
{
	uint32_t ca, cb;
	size_t na, nb;

	for (;;) {
		ca = utf8_to_lower(utf8_decode(a, &na));
		cb = utf8_to_lower(utf8_decode(b, &nb));
		if (ca != cb || ca == 0)
			return ca < cb ? -1 : ca > cb;
		a += na;
		b += nb;
	}
}

size_t
utf8_seq_len(unsigned char lead)
{
	if (lead >= 0xf0)
		return 4;
	if (lead >= 0xe0)
		return 3;
	if (lead >= 0xc0)
		return 2;
	return 1;
}
