/* '*' patterns, compared without case. */
#include <stddef.h>

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

int
wild_match(const char *pat, const char *s, size_t n)
{
	return wild(pat, s, s + n, 0);
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
