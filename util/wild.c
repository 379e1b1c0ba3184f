/* '*' patterns, compared without case. */
#include <stddef.h>
#include <string.h>

#include "util/fold.h"
#include "util/wild.h"

/*
 * Where the text after a '*' may go on matching sp: with an ASCII byte
 * next in the pattern, at the next byte of t equal to it without case.
 * fold_char() folds no byte >= 0x80 to ASCII, so the bytes skipped
 * could not match, and the byte found starts a character.
 */
static const char *
wild_skip(const char *sp, const char *t, const char *end)
{
	unsigned c = (unsigned char)*sp, b;

	if (c >= 0x80)
		return t;
	if (c >= 'A' && c <= 'Z')
		c += 32;
	for (; t < end; t++) {
		b = (unsigned char)*t;
		if ((b >= 'A' && b <= 'Z' ? b + 32 : b) == c)
			break;
	}
	return t;
}

/*
 * The classic greedy match with one backtracking point: the last '*'
 * seen takes one more character whenever the rest fails. Linear in
 * practice, quadratic at worst; patterns and lines are short.
 */
static int
wild(const char *p, const char *t, const char *end, int start)
{
	const char *sp = NULL, *st = NULL, *pp, *tt;

	for (;;) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			sp = p;
			st = t = wild_skip(sp, t, end);
			continue;
		}
		if (*p == '\0') {
			if (start || t == end)
				return 1;
		} else if (t < end) {
			pp = p;
			tt = t;
			if (fold_char(&pp) == fold_char(&tt) && tt <= end) {
				p = pp;
				t = tt;
				continue;
			}
		}
		if (sp == NULL || st >= end)
			return 0;
		fold_char(&st);
		p = sp;
		t = st = wild_skip(sp, st, end);
	}
}

/*
 * A quick no: the ASCII letters at the end of pat, up to its last '*',
 * must be the last bytes of the text ("*@portal.example" against most
 * senders fails at the first byte compared). 0 when they cannot match.
 */
static int
wild_tail_fits(const char *pat, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)pat + strlen(pat);
	const unsigned char *t = (const unsigned char *)s + n;
	unsigned a, b;

	while (p > (const unsigned char *)pat && p[-1] != '*' && p[-1] < 0x80) {
		p--;
		if (t == (const unsigned char *)s || t[-1] >= 0x80)
			return 0;
		t--;
		a = *p >= 'A' && *p <= 'Z' ? *p + 32u : *p;
		b = *t >= 'A' && *t <= 'Z' ? *t + 32u : *t;
		if (a != b)
			return 0;
	}
	return 1;
}

/*
 * The same at the start: the ASCII bytes of pat before its first '*'
 * must begin the text ("noreply*" against most local parts fails at the
 * first byte). fold_char() never folds a byte >= 0x80 to ASCII, so an
 * ASCII byte of pat matches one ASCII byte of the text, or nothing.
 */
static int
wild_head_fits(const char *pat, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)pat;
	const unsigned char *t = (const unsigned char *)s;
	unsigned a, b;

	for (; *p != '\0' && *p != '*' && *p < 0x80; p++, t++) {
		if (t == (const unsigned char *)s + n || *t >= 0x80)
			return 0;
		a = *p >= 'A' && *p <= 'Z' ? *p + 32u : *p;
		b = *t >= 'A' && *t <= 'Z' ? *t + 32u : *t;
		if (a != b)
			return 0;
	}
	return 1;
}

int
wild_match(const char *pat, const char *s, size_t n)
{
	return wild_head_fits(pat, s, n) && wild_tail_fits(pat, s, n) &&
	    wild(pat, s, s + n, 0);
}

int
wild_start(const char *pat, const char *s, size_t n)
{
	return wild(pat, s, s + n, 1);
}

int
wild_any(const char *pat)
{
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}
