/* '*' patterns, compared without case. */
#include <stddef.h>
#include <string.h>

#include "util/fold.h"
#include "util/wild.h"

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
			st = t;
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
		t = st;
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

int
wild_match(const char *pat, const char *s, size_t n)
{
	return wild_tail_fits(pat, s, n) && wild(pat, s, s + n, 0);
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
