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
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

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

static const char *marked(const char *, const char *);

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
	return lang ? marked(text, lang) : NULL;
}

/* Scripts that name one language; ranges of code points. */
enum script { SC_KANA, SC_HANGUL, SC_HAN, SC_ARABIC, SC_HEBREW, SC_GREEK,
	SC_THAI, SC_GEORGIAN, SC_ARMENIAN, SC_DEVANAGARI, SC_N };

static const struct {
	unsigned lo, hi;
	enum script sc;
} ranges[] = {
	{ 0x0370, 0x03ff, SC_GREEK },
	{ 0x1f00, 0x1fff, SC_GREEK },
	{ 0x0530, 0x058f, SC_ARMENIAN },
	{ 0x0590, 0x05ff, SC_HEBREW },
	{ 0x0600, 0x06ff, SC_ARABIC },
	{ 0x0750, 0x077f, SC_ARABIC },
	{ 0x0900, 0x097f, SC_DEVANAGARI },
	{ 0x0e00, 0x0e7f, SC_THAI },
	{ 0x10a0, 0x10ff, SC_GEORGIAN },
	{ 0x1100, 0x11ff, SC_HANGUL },
	{ 0x3040, 0x30ff, SC_KANA },
	{ 0x3400, 0x4dbf, SC_HAN },
	{ 0x4e00, 0x9fff, SC_HAN },
	{ 0xac00, 0xd7af, SC_HANGUL },
	{ 0xff66, 0xff9f, SC_KANA },
};

static const char *const script_lang[SC_N] = { "ja", "ko", "zh", "ar", "he",
	"el", "th", "ka", "hy", "hi" };

/*
 * Letters a script adds for one of its languages: Urdu's retroflex
 * letters and yeh barree, then the four Persian letters Arabic lacks.
 * Tried in order; MARK_MIN of a row's letters decide for its language.
 */
#define MARK_MIN	2
static const struct {
	enum script sc;
	const char *lang;
	unsigned c[6];
} marks[] = {
	{ SC_ARABIC, "ur", { 0x0679, 0x0688, 0x0691, 0x06ba, 0x06d2 } },
	{ SC_ARABIC, "fa", { 0x067e, 0x0686, 0x0698, 0x06af } },
};

/* The code point at p (UTF-8; a stray byte is itself), its length in *n. */
static unsigned
code_point(const unsigned char *p, size_t *n)
{
	unsigned c = p[0];

	if (c >= 0xc0 && c < 0xe0 && (p[1] & 0xc0) == 0x80) {
		*n = 2;
		return (c & 0x1f) << 6 | (p[1] & 0x3f);
	}
	if (c >= 0xe0 && c < 0xf0 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80) {
		*n = 3;
		return (c & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	*n = 1;
	return c;
}

/* Is c one of the letters of row m of marks? */
static int
mark(size_t m, unsigned c)
{
	for (size_t i = 0; i < NELEM(marks[m].c) && marks[m].c[i]; i++)
		if (marks[m].c[i] == c)
			return 1;
	return 0;
}

const char *
lang_script(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t count[SC_N] = { 0 }, marked[NELEM(marks)] = { 0 }, letters = 0;
	size_t n, i;
	unsigned c;
	int best = -1;

	if (text == NULL)
		return NULL;
	for (i = 0; *p && i < SCAN_MAX; p += n, i += n) {
		c = code_point(p, &n);
		if (c < 0x80) {
			letters += isalpha((int)c) != 0;
			continue;
		}
		if (c < 0x370 || (c >= 0x3000 && c < 0x3040) ||
		    (c >= 0xff00 && c < 0xff66))
			continue;	/* Latin letters, CJK punctuation */
		letters++;
		for (size_t r = 0; r < NELEM(ranges); r++)
			if (c >= ranges[r].lo && c <= ranges[r].hi) {
				count[ranges[r].sc]++;
				break;
			}
		for (size_t m = 0; m < NELEM(marks); m++)
			marked[m] += mark(m, c);
	}
	/* Japanese writes Han and kana: any kana makes Han Japanese. */
	if (count[SC_KANA] > 0) {
		count[SC_KANA] += count[SC_HAN];
		count[SC_HAN] = 0;
	}
	for (i = 0; i < SC_N; i++)
		if (best < 0 || count[i] > count[best])
			best = (int)i;
	if (count[best] == 0 || count[best] * 2 < letters)
		return NULL;
	for (i = 0; i < NELEM(marks); i++)
		if (marks[i].sc == (enum script)best && marked[i] >= MARK_MIN)
			return marks[i].lang;
	return script_lang[best];
}

/*
 * A text mostly in a script of one language is in it, whatever a few
 * Latin words ("3 BHK", a reference) voted; stopwords shared across a
 * script (Persian's "از", "در", "را" are Arabic's too) say its main
 * language, which the letters of another of its languages correct.
 */
static const char *
marked(const char *text, const char *lang)
{
	const char *s = lang_script(text);

	return s != NULL ? s : lang;
}
