/* Stop-word language guess. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "parse/lang.h"

#define SCAN_MAX	4096
#define WORD_MAX	16
#define MIN_HITS	2

static const struct {
	const char *lang;
	const char *const words[24];
} stopwords[] = {
	{ "de", { "und", "der", "die", "das", "ich", "sie", "nicht", "mit",
	    "ist", "ein", "eine", "für", "wir", "uns", "ihr", "ihre", "zu",
	    "den", "dem", "auf", "gerne", "würde", "wohnung", NULL } },
	{ "fr", { "et", "le", "la", "les", "je", "vous", "pour", "une",
	    "est", "des", "du", "nous", "votre", "pas", "bonjour", "merci",
	    "avec", "suis", "serait", "cordialement", "appartement", "dans",
	    "au", NULL } },
	{ "it", { "il", "di", "che", "per", "sono", "una", "non", "con",
	    "della", "vorrei", "buongiorno", "grazie", "mi", "gli", "questo",
	    "appartamento", "cordiali", "saluti", "nel", "alla", "ho", "del",
	    "le", NULL } },
	{ "en", { "the", "and", "is", "you", "for", "to", "of", "would",
	    "like", "my", "we", "are", "with", "this", "please", "thank",
	    "regards", "hello", "interested", "apartment", "could", "in",
	    "our", NULL } },
};

#define NLANGS (sizeof(stopwords) / sizeof(stopwords[0]))

/* w is lower case already. */
static void
count(const char *w, int *hits)
{
	size_t i, k;

	for (i = 0; i < NLANGS; i++)
		for (k = 0; stopwords[i].words[k]; k++)
			if (stopwords[i].words[k][0] == w[0] &&
			    strcmp(stopwords[i].words[k], w) == 0)
				hits[i]++;
}

const char *
lang_guess(const char *text)
{
	int hits[NLANGS] = { 0 };
	char w[WORD_MAX];
	const unsigned char *p = (const unsigned char *)text;
	size_t n = 0, i, best = 0, second = 0;
	int skip = 0;

	if (text == NULL)
		return NULL;
	for (i = 0; i < SCAN_MAX; i++, p++) {
		/* Letters, and UTF-8 bytes (accented letters) as part of words. */
		if (*p && (isalpha(*p) || *p >= 0x80)) {
			/* Parts of addresses and URLs ("example.it") are no words. */
			if (n == 0)
				skip = i > 0 && (p[-1] == '.' || p[-1] == '@' ||
				    p[-1] == '/');
			if (n + 1 < sizeof(w))
				w[n++] = (char)(*p >= 'A' && *p <= 'Z' ?
				    *p + 32 : *p);
			continue;
		}
		w[n] = '\0';
		if (n > 0 && n + 1 < sizeof(w) && !skip && *p != '@' &&
		    !(*p == '.' && isalnum(p[1])))
			count(w, hits);
		n = 0;
		if (*p == '\0')
			break;
	}
	for (i = 1; i < NLANGS; i++)
		if (hits[i] > hits[best])
			best = i;
	second = best == 0 ? 1 : 0;
	for (i = 0; i < NLANGS; i++)
		if (i != best && hits[i] > hits[second])
			second = i;
	if (hits[best] < MIN_HITS || hits[best] < hits[second] * 2)
		return NULL;
	return stopwords[best].lang;
}
