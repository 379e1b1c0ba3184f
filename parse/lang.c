/* Stopword language guess over the lexicon's files. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"
#include "parse/lang.h"
#include "parse/lexicon.h"
#include "parse/parse_data.h"

#define SCAN_MAX	4096
#define WORD_MAX	24
#define MIN_HITS	2

void
lang_votes(const struct parse_data *pd, const char *text, int *votes)
{
	const unsigned char *p = (const unsigned char *)text, *w = NULL;
	size_t i;
	int skip = 0;

	if (text == NULL)
		return;
	for (i = 0; i < SCAN_MAX; i++, p++) {
		/* Letters and UTF-8 bytes (accented letters) make words. */
		if (*p && (isalpha(*p) || *p >= 0x80)) {
			/* Parts of addresses and URLs are no words. */
			if (w == NULL) {
				w = p;
				skip = i > 0 && (p[-1] == '.' || p[-1] == '@' ||
				    p[-1] == '/');
			}
			continue;
		}
		if (w != NULL && p - w < WORD_MAX && !skip && *p != '@' &&
		    !(*p == '.' && isalnum(p[1])))
			parse_data_stopword_votes(pd, (const char *)w,
			    (size_t)(p - w), votes);
		w = NULL;
		if (*p == '\0')
			break;
	}
}

const char *
lang_guess(const struct parse_data *pd, const char *text)
{
	size_t i, n = parse_data_nlexicons(pd);
	int *hits, best = -1, second = 0;
	const char *lang = NULL;

	if (text == NULL || n == 0)
		return NULL;
	hits = xcalloc(n, sizeof(int));
	lang_votes(pd, text, hits);
	for (i = 0; i < n; i++)
		if (best < 0 || hits[i] > hits[best])
			best = (int)i;
	for (i = 0; i < n; i++)
		if ((int)i != best && hits[i] > second)
			second = hits[i];
	if (hits[best] >= MIN_HITS && hits[best] >= second * 2 &&
	    *parse_data_lexicon(pd, (size_t)best)->lang != '\0')
		lang = parse_data_lexicon(pd, (size_t)best)->lang;
	free(hits);
	return lang;
}
