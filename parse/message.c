/*
 * Cutting the prospect's words out of a text: a walk over its lines that
 * stops at the first line ending them. Phrases are matched on folded
 * code points, so "MIT FREUNDLICHEN GRÜSSEN" is "Mit freundlichen
 * Grüssen" and "L’équipe" is "L'équipe".
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"
#include "parse/message.h"
#include "parse/segment.h"

#define TEXT_MAX	(1024 * 1024)	/* bytes of a text looked at */
#define NAME_WORDS	3	/* words after a closing: a name */
#define CLOSING_WORDS	6	/* ... more when they hold a closing too */
#define HEADER_KEY	24	/* bytes of a mail header line's name */
#define HEADER_WORDS	3
#define INTRO_WORDS	12	/* "Tobias schreibt:", "Paolo ti ha scritto:" */
#define PROSE_WORDS	4
#define SHORT_LINE	7	/* words of a line a closing may end */
#define CLOSING_AFTER	2	/* words before a closing on it */
#define JOIN_MAX	400	/* a reply separator wrapped over two lines */
#define SEPARATOR_MAX	1000	/* longer lines are no reply separator */

/* One line of the text: s[0..n), '\r' and trailing white space off. */
struct line {
	const char *s;
	size_t n;
};

struct lines {
	struct line *v;
	size_t n;
};

/* Why a cut stopped. */
enum stop {
	STOP_NONE = 0,	/* the end of the text */
	STOP_MARK,	/* a closing, signature, footer, quote: a mail's end */
	STOP_END,	/* the profile's message.end */
};

static const char *const open_quotes[] = {
	"\"", "\xe2\x80\x9c", "\xe2\x80\x9e", "\xc2\xab", "\xc2\xbb",
};
static const char *const close_quotes[] = {
	"\"", "\xe2\x80\x9d", "\xe2\x80\x9c", "\xc2\xbb", "\xc2\xab",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The code point at s (U+FFFD for a bad byte); *len its bytes. */
static uint32_t
decode(const char *s, const char *end, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = (size_t)(end - s), k, i;
	uint32_t c;

	*len = 1;
	if (n == 0) {
		*len = 0;
		return 0;
	}
	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xe0) == 0xc0)
		k = 2;
	else if ((u[0] & 0xf0) == 0xe0)
		k = 3;
	else if ((u[0] & 0xf8) == 0xf0)
		k = 4;
	else
		return 0xfffd;
	if (k > n)
		return 0xfffd;
	c = u[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0xfffd;
		c = (c << 6) | (u[i] & 0x3f);
	}
	*len = k;
	return c;
}

static int
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0xa0 || c == 0x202f ||
	    c == 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

/* Greek in lower case without its accents (capitals are written without). */
static uint32_t
greek(uint32_t c)
{
	static const struct {
		uint32_t from, to;
	} acc[] = {
		{ 0x386, 0x3b1 }, { 0x388, 0x3b5 }, { 0x389, 0x3b7 },
		{ 0x38a, 0x3b9 }, { 0x38c, 0x3bf }, { 0x38e, 0x3c5 },
		{ 0x38f, 0x3c9 }, { 0x3ac, 0x3b1 }, { 0x3ad, 0x3b5 },
		{ 0x3ae, 0x3b7 }, { 0x3af, 0x3b9 }, { 0x3cc, 0x3bf },
		{ 0x3cd, 0x3c5 }, { 0x3ce, 0x3c9 }, { 0x3c2, 0x3c3 },
	};
	size_t i;

	for (i = 0; i < sizeof(acc) / sizeof(acc[0]); i++)
		if (acc[i].from == c)
			return acc[i].to;
	return c >= 0x391 && c <= 0x3a9 ? c + 32 : c;
}

/* Lower case for Latin, Greek, Cyrillic; one space; one apostrophe. */
static uint32_t
fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0x80)
		return c;
	if (is_space(c))
		return ' ';
	if (c == 0x2018 || c == 0x2019 || c == 0x02bc)
		return '\'';
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c + (c & 1);
	if (c == 0x178)
		return 0xff;
	if (c >= 0x386 && c <= 0x3ce)
		return greek(c);
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

static int
is_letter(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	/* Not punctuation: CJK "。、「」", fullwidth "！（）", Arabic "،؟". */
	return c >= 0xc0 && c != 0xd7 && c != 0xf7 && !is_space(c) &&
	    !(c >= 0x2000 && c <= 0x2bff) && c != 0xfffd &&
	    !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff01 && c <= 0xff0f) &&
	    !(c >= 0xff1a && c <= 0xff20) && c != 0x60c && c != 0x61b &&
	    c != 0x61f && c != 0x6d4;
}

static int
is_alnum(uint32_t c)
{
	return is_letter(c) || (c >= '0' && c <= '9');
}

/*
 * Match pat against s[0..end): all of it (whole) or a start of it; a
 * space in pat matches a run of white space, '*' any text. Returns the
 * end of the (shortest) match, or NULL.
 */
static const char *
glob(const char *pat, const char *s, const char *end, int whole)
{
	const unsigned char c0 = (unsigned char)*pat;
	const char *p = pat, *pend, *t = s;
	const char *sp = NULL, *st = NULL;
	size_t pl, tl;
	uint32_t tc;

	/*
	 * A quick no, before strlen(): most phrases of a list already fail
	 * at the first character, an ASCII one that is no wildcard and no
	 * space. Non-ASCII text may fold to ASCII: it takes the long way.
	 */
	if (c0 != '\0' && c0 != '*' && c0 != ' ' && c0 < 0x80 && (s == end ||
	    ((unsigned char)*s < 0x80 && fold(c0) != fold((unsigned char)*s))))
		return NULL;
	pend = pat + strlen(pat);
	for (;;) {
		if (p == pend) {
			if (!whole || t == end)
				return t;
		} else if (*p == '*') {
			while (p < pend && *p == '*')
				p++;
			sp = p;
			st = t;
			continue;
		} else if (*p == ' ') {
			if (t < end && is_space(decode(t, end, &tl))) {
				while (p < pend && *p == ' ')
					p++;
				while (t < end && is_space(tc = decode(t, end,
				    &tl)))
					t += tl;
				continue;
			}
		} else if (t < end && fold(decode(p, pend, &pl)) ==
		    fold(decode(t, end, &tl))) {
			p += pl;
			t += tl;
			continue;
		}
		if (sp == NULL || st >= end)
			return NULL;
		decode(st, end, &tl);
		st += tl;
		p = sp;
		t = st;
	}
}

/* Does the match end at a word's end (when the phrase ends in one)? */
static int
word_end(const char *pat, const char *m, const char *end)
{
	size_t n = strlen(pat), l;
	const char *q = pat + n;
	uint32_t c;

	if (n == 0)
		return 1;
	while (q > pat && ((unsigned char)q[-1] & 0xc0) == 0x80)
		q--;
	if (q > pat)
		q--;
	if (!is_alnum(c = decode(q, pat + n, &l)) || m == end)
		return 1;
	/*
	 * Han, kana and Thai write no spaces between words: a phrase of
	 * three signs or more ("本電郵" of "本電郵由 28Hse.com 系統發出")
	 * needs none after it; a shorter one ("谢谢") does.
	 */
	if (((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xe00 && c <= 0xe7f)) &&
	    n >= 9)
		return 1;
	return !is_alnum(decode(m, end, &l));
}

/* The longest phrase of list s[0..n) starts with; its length in *m. */
static int
starts_any(const char *const *list, const char *s, size_t n, size_t *m)
{
	const char *e;
	size_t best = 0;
	int found = 0;

	for (; list && *list; list++) {
		if (**list == '\0')
			continue;
		e = glob(*list, s, s + n, 0);
		if (e && word_end(*list, e, s + n) && (!found ||
		    (size_t)(e - s) > best)) {
			best = (size_t)(e - s);
			found = 1;
		}
	}
	if (m)
		*m = best;
	return found;
}

static int
whole_any(const char *const *list, const char *s, size_t n)
{
	for (; list && *list; list++)
		if (**list && glob(*list, s, s + n, 1))
			return 1;
	return 0;
}

static const char *
skip_space(const char *s, const char *end)
{
	size_t l;

	while (s < end && is_space(decode(s, end, &l)))
		s += l;
	return s;
}

/* The line without its indentation. */
static struct line
lstrip(struct line l)
{
	const char *s = skip_space(l.s, l.s + l.n);

	l.n -= (size_t)(s - l.s);
	l.s = s;
	return l;
}

static int
blank(struct line l)
{
	return lstrip(l).n == 0;
}

static int
quoted(struct line l)
{
	l = lstrip(l);
	return l.n > 0 && l.s[0] == '>';
}

/* Words in s[0..n) that hold a letter; *lower: those starting lower-case. */
static size_t
words(const char *s, size_t n, size_t *lower)
{
	const char *p = s, *end = s + n;
	size_t w = 0, lo = 0, l;
	uint32_t c;
	int letter, first;

	while ((p = skip_space(p, end)) < end) {
		letter = 0;
		first = 1;
		while (p < end && !is_space(c = decode(p, end, &l))) {
			if (is_letter(c) && !letter && first)
				lo += fold(c) == c;
			if (is_letter(c))
				letter = 1;
			if (is_alnum(c))
				first = 0;
			p += l;
		}
		w += letter;
	}
	if (lower)
		*lower = lo;
	return w;
}

static void
split(const char *text, size_t len, struct lines *L)
{
	const char *p = text, *end = text + len, *nl;
	size_t cap = 0;

	L->v = NULL;
	L->n = 0;
	for (; p <= end; p = nl + 1) {
		struct line l;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l.s = p;
		l.n = (size_t)(nl - p);
		while (l.n > 0 && (l.s[l.n - 1] == '\r' ||
		    l.s[l.n - 1] == ' ' || l.s[l.n - 1] == '\t'))
			l.n--;
		if (L->n == cap) {
			cap = cap ? cap * 2 : 64;
			L->v = xreallocarray(L->v, cap, sizeof(*L->v));
		}
		L->v[L->n++] = l;
		if (nl == end)
			break;
	}
}

/* "--", "-- ", "-----", "_____", "=====", "*****". */
static int
rule_line(struct line l)
{
	size_t i;

	l = lstrip(l);
	if (l.n == 2 && memcmp(l.s, "--", 2) == 0)
		return 1;
	if (l.n < 3)
		return 0;
	for (i = 0; i < l.n; i++)
		if (strchr("-_=*", l.s[i]) == NULL)
			return 0;
	return 1;
}

/* "Von: ...", "Sent: ...": a short name, a colon, a space. */
static int
header_line(struct line l)
{
	size_t i, l8;
	uint32_t c;

	l = lstrip(l);
	if (l.n == 0 || !is_letter(decode(l.s, l.s + l.n, &l8)))
		return 0;
	for (i = 0; i < l.n && i <= HEADER_KEY; i += l8) {
		c = decode(l.s + i, l.s + l.n, &l8);
		if (c == ':')
			return (i + 1 == l.n || l.s[i + 1] == ' ') &&
			    words(l.s, i, NULL) <= HEADER_WORDS;
		if (!is_letter(c) && c != ' ' && c != '-' && c != '.')
			return 0;
	}
	return 0;
}

/* The header block of a quoted or forwarded mail starts at line i. */
static int
header_block(const struct lines *L, size_t i)
{
	size_t j, n = 0;

	if (!header_line(L->v[i]) || memchr(L->v[i].s, '@', L->v[i].n) == NULL)
		return 0;
	for (j = i + 1; j < L->n && j <= i + 4; j++)
		n += header_line(L->v[j]);
	return n >= 2;
}

/* A reply separator or forward marker, maybe wrapped over two lines. */
static int
separator(const struct message_words *w, const struct lines *L, size_t i)
{
	struct line l = lstrip(L->v[i]), m;
	char buf[2 * JOIN_MAX + 2];

	if (l.n > SEPARATOR_MAX)
		return 0;
	if (whole_any(w->quote_headers, l.s, l.n) ||
	    whole_any(w->forward_markers, l.s, l.n))
		return 1;
	if (i + 1 >= L->n || l.n > JOIN_MAX || l.n < 8)
		return 0;
	m = lstrip(L->v[i + 1]);
	if (m.n == 0 || m.n > JOIN_MAX)
		return 0;
	memcpy(buf, l.s, l.n);
	buf[l.n] = ' ';
	memcpy(buf + l.n + 1, m.s, m.n);
	return whole_any(w->quote_headers, buf, l.n + 1 + m.n);
}

/* Does a closing start at a word of s[0..n)? */
static int
closing_inside(const struct message_words *w, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t l;

	while ((p = skip_space(p, end)) < end) {
		if (starts_any(w->closings, p, (size_t)(end - p), NULL))
			return 1;
		while (p < end && !is_space(decode(p, end, &l)))
			p += l;
	}
	return 0;
}

/* How sure a closing line is. */
enum closing {
	CLOSING_NONE = 0,
	CLOSING_SURE,	/* alone, with a name, or with another closing */
	CLOSING_WEAK,	/* with a few other words: "Danke für die Info!" */
};

/* What follows a closing at r on a line ending at end: a name at most. */
static enum closing
closing_rest(const struct message_words *w, const char *r, const char *end)
{
	size_t n, lower;

	while (r < end && strchr(" \t,.;:!-", *r) != NULL)
		r++;
	r = skip_space(r, end);
	if (r == end)
		return CLOSING_SURE;
	if (memchr(r, '?', (size_t)(end - r)) != NULL)
		return CLOSING_NONE;
	n = words(r, (size_t)(end - r), &lower);
	if (n <= CLOSING_WORDS && closing_inside(w, r, (size_t)(end - r)))
		return CLOSING_SURE;
	if (n > NAME_WORDS)
		return CLOSING_NONE;
	return lower == 0 ? CLOSING_SURE : CLOSING_WEAK;
}

/*
 * A closing formula with at most a few words after it ("Gruß Jonas",
 * "Merci, Marie", "Besten Dank und freundliche Grüsse"), not a sentence
 * that starts with thanks; on a short line also after a word or two
 * ("Avec mes meilleures salutations", "Und viele Grüße").
 */
static enum closing
closing_line(const struct message_words *w, struct line l)
{
	const char *p, *end;
	size_t m, k, len;

	l = lstrip(l);
	end = l.s + l.n;
	if (starts_any(w->closings, l.s, l.n, &m))
		return closing_rest(w, l.s + m, end);
	if (words(l.s, l.n, NULL) > SHORT_LINE)
		return 0;
	for (p = l.s, k = 0; k < CLOSING_AFTER; k++) {
		while (p < end && !is_space(decode(p, end, &len)))
			p += len;
		if ((p = skip_space(p, end)) == end)
			return 0;
		if (starts_any(w->closings, p, (size_t)(end - p), &m))
			return closing_rest(w, p + m, end);
	}
	return 0;
}

static int has_words(const char *, size_t);

/*
 * A closing formula at the end of a line of words, after a sentence, and
 * the name that signs ("... die oplevering? Met vriendelijke groet, Sanne
 * Bakker"): where it starts, or NULL. A formula of one word ("Merci.",
 * "Thanks, Chloe") may be thanks among the words: it stays.
 */
static const char *
inline_closing(const struct message_words *w, struct line l)
{
	static const char *const marks[] = { ". ", "? ", "! ",
	    "\xe2\x80\xa6 " };
	const char *p, *q, *r, *end = l.s + l.n;
	size_t i, m;

	for (i = 0; i < NELEM(marks); i++)
		for (p = l.s; (q = memmem(p, (size_t)(end - p), marks[i],
		    strlen(marks[i]))) != NULL; p = q + 1) {
			r = skip_space(q + strlen(marks[i]), end);
			if (r < end && starts_any(w->closings, r,
			    (size_t)(end - r), &m) && m > 0 &&
			    words(r, m, NULL) >= 2 &&
			    closing_rest(w, r + m, end) == CLOSING_SURE &&
			    has_words(r + m, (size_t)(end - r - m)))
				return r;
		}
	return NULL;
}

/* Does the line end a sentence (".", "?", "!", "…", maybe quoted)? */
static int
terminal(struct line l)
{
	while (l.n > 0 && strchr("\"')]", l.s[l.n - 1]) != NULL)
		l.n--;
	while (l.n >= 3 && (memcmp(l.s + l.n - 3, "\xe2\x80\x9d", 3) == 0 ||
	    memcmp(l.s + l.n - 3, "\xe2\x80\x9c", 3) == 0))
		l.n -= 3;
	if (l.n >= 2 && memcmp(l.s + l.n - 2, "\xc2\xbb", 2) == 0)
		l.n -= 2;
	if (l.n >= 3 && memcmp(l.s + l.n - 3, "\xe2\x80\xa6", 3) == 0)
		return 1;
	return l.n > 0 && strchr(".?!", l.s[l.n - 1]) != NULL;
}

/*
 * A line that reads as a sentence: words, a third of them or more
 * starting lower-case, and a full stop or four words at least. Not a
 * company's address ("Immobilien Scout GmbH, Invalidenstraße 65"), a
 * link, a name.
 */
static int
prose(struct line l)
{
	size_t w, lower;

	l = lstrip(l);
	if (l.n == 0)
		return 0;
	w = words(l.s, l.n, &lower);
	if (memmem(l.s, l.n, "://", 3) != NULL && w < 2 * PROSE_WORDS)
		return 0;
	return w >= 2 && lower * 3 >= w && (w >= PROSE_WORDS || terminal(l));
}

/*
 * A footer at the start of the line, or once the words have begun, at
 * the start of a sentence in it ("Casa.it S.r.l. - Milano. Questa e-mail
 * è stata inviata automaticamente").
 */
static int
footer(const struct message_words *w, struct line l, int content)
{
	static const char *const marks[] = { ". ", "! ", "? ", " \xc2\xb7 ",
	    " | ", " \xe2\x80\x93 ", " - " };
	const char *p, *q, *end = l.s + l.n;
	size_t i;

	if (starts_any(w->footers, l.s, l.n, NULL))
		return 1;
	if (!content)
		return 0;
	for (i = 0; i < NELEM(marks); i++)
		for (p = l.s; (q = memmem(p, (size_t)(end - p), marks[i],
		    strlen(marks[i]))) != NULL; p = q + 1) {
			const char *r = skip_space(q + strlen(marks[i]), end);

			if (starts_any(w->footers, r, (size_t)(end - r), NULL))
				return 1;
		}
	return 0;
}

/* The first line after i that is not blank, or L->n. */
static size_t
next_full(const struct lines *L, size_t i)
{
	for (i++; i < L->n && blank(L->v[i]); i++)
		;
	return i;
}

/*
 * A field of an automation's dump ("consenso_privacy: true",
 * "utm_source: google"): a key of lower-case words joined by '_', then
 * a colon. Another label, though no lexicon knows it.
 */
static int
field_key(struct line l)
{
	size_t i;
	int under = 0;

	for (i = 0; i < l.n && (islower((unsigned char)l.s[i]) ||
	    isdigit((unsigned char)l.s[i]) || l.s[i] == '_'); i++)
		under |= l.s[i] == '_' && i > 0;
	return under && i < l.n && l.s[i] == ':' && l.s[i - 1] != '_';
}

/*
 * Does line i end the prospect's words? content: 0 none came before it,
 * 1 some did, 2 some did and the text is all quoted (a quote ends
 * nothing).
 */
static enum stop
stop_line(const struct message_words *w, const struct lines *L, size_t i,
    int content)
{
	struct line l = lstrip(L->v[i]);
	enum closing k;
	size_t j;

	if (rule_line(l) || (content == 1 && quoted(l)) || separator(w, L, i) ||
	    header_block(L, i) || footer(w, l, content) || field_key(l))
		return STOP_MARK;
	if (starts_any(w->ends, l.s, l.n, NULL))
		return STOP_END;
	if ((k = closing_line(w, l)) == CLOSING_NONE)
		return STOP_NONE;
	/*
	 * "Danke für die Info!" (or the words' first line), then a
	 * sentence: thanks in the words, no closing. A portal's footer is
	 * no such sentence ("З повагою, команда DIM.RIA" / "Цей лист
	 * надіслано автоматично").
	 */
	if ((k == CLOSING_WEAK || !content) &&
	    (j = next_full(L, i)) < L->n && prose(L->v[j]) &&
	    !closing_line(w, L->v[j]) && !footer(w, L->v[j], 1))
		return STOP_NONE;
	return STOP_MARK;
}

/* Text enclosed in quotation marks by a portal: the marks go. */
static void
unenclose(struct buf *b)
{
	size_t i, o, c;

	for (i = 0; i < NELEM(open_quotes); i++) {
		o = strlen(open_quotes[i]);
		c = strlen(close_quotes[i]);
		if (b->len <= o + c ||
		    memcmp(b->data, open_quotes[i], o) != 0 ||
		    memcmp(b->data + b->len - c, close_quotes[i], c) != 0)
			continue;
		/* "Ja" sagte sie, "nein" sagte er: not enclosed. */
		if (memmem(b->data + o, b->len - o - c, open_quotes[i], o))
			continue;
		memmove(b->data, b->data + o, b->len - o - c);
		b->len -= o + c;
		b->data[b->len] = '\0';
		return;
	}
}

/* Whether anything of a person's words is in s. */
static int
has_words(const char *s, size_t n)
{
	const char *end = s + n;
	size_t l;

	for (; s < end; s += l)
		if (is_alnum(decode(s, end, &l)))
			return 1;
	return 0;
}

static void
add_line(struct buf *b, struct line l, int unquote)
{
	if (unquote) {
		l = lstrip(l);
		if (l.n > 0 && l.s[0] == '>') {
			l.s++;
			l.n--;
			if (l.n > 0 && l.s[0] == ' ') {
				l.s++;
				l.n--;
			}
		}
	}
	buf_add(b, l.s, l.n);
}

/* Where a paragraph of the words starts, and whether it reads as prose. */
struct para {
	size_t at;
	int prose;
};

/*
 * Trailing paragraphs with no sentence in them (a name, a company, a
 * link: "Domain Group", "Logic-Immo.com") go when a paragraph before
 * them has one.
 */
static void
drop_tail(struct buf *b, const struct para *p, size_t n)
{
	size_t i, last = n;

	for (i = 0; i < n; i++)
		if (p[i].prose)
			last = i;
	if (last == n || last + 1 >= n)
		return;
	b->len = p[last + 1].at;
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		b->len--;
}

/*
 * The walk: lines from..L->n (first: the rest of a start line, if any).
 * Returns the words, or NULL; *why says what ended them.
 */
static char *
walk(const struct message_words *w, const struct lines *L, size_t from,
    struct line first, enum stop *why)
{
	struct buf b = BUF_INIT;
	struct para *p = NULL;
	size_t i, keep = 0, j, np = 0;
	int content = 0, unquote = 0, gap = 1;
	const char *c;

	*why = STOP_NONE;
	p = xreallocarray(NULL, L->n + 1, sizeof(*p));
	if (first.n > 0) {
		buf_add(&b, first.s, first.n);
		keep = b.len;
		p[np].at = 0;
		p[np++].prose = prose(first);
		content = 1;
		gap = 0;
	}
	for (i = from; !content && i < L->n && blank(L->v[i]); i++)
		;
	/* A quoted mail first: the words after it, else its own words. */
	if (!content && i < L->n && quoted(L->v[i])) {
		for (j = i; j < L->n && (blank(L->v[j]) || quoted(L->v[j]));
		    j++)
			;
		if (j < L->n)
			i = j;
		else
			unquote = 1;
	}
	for (; i < L->n; i++) {
		if (blank(L->v[i])) {
			if (content)
				buf_addc(&b, '\n');
			gap = 1;
			continue;
		}
		if ((*why = stop_line(w, L, i, content && unquote ? 2 :
		    content)) != STOP_NONE)
			break;
		if ((c = inline_closing(w, L->v[i])) != NULL) {
			struct line h = L->v[i];

			h.n = (size_t)(c - h.s);
			while (h.n > 0 && (h.s[h.n - 1] == ' ' ||
			    h.s[h.n - 1] == '\t'))
				h.n--;
			if (content)
				buf_addc(&b, '\n');
			if (gap) {
				p[np].at = b.len;
				p[np++].prose = 0;
			}
			p[np - 1].prose |= prose(h);
			add_line(&b, h, unquote);
			keep = b.len;
			content = 1;
			*why = STOP_MARK;
			break;
		}
		if (content)
			buf_addc(&b, '\n');
		if (gap) {
			p[np].at = b.len;
			p[np++].prose = 0;
			gap = 0;
		}
		p[np - 1].prose |= prose(L->v[i]);
		add_line(&b, L->v[i], unquote);
		keep = b.len;
		content = 1;
	}
	b.len = keep;
	drop_tail(&b, p, np);
	free(p);
	if (b.data)
		b.data[b.len] = '\0';
	unenclose(&b);
	if (!has_words(buf_str(&b), b.len)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * A forwarded mail: the text after its separator and header lines, one
 * level of quoting off. 0 when there is no forwarded part.
 */
static int
forwarded(const struct message_words *w, const struct lines *L,
    struct buf *out)
{
	size_t i;
	int unq;

	for (i = 0; i < L->n; i++)
		if (separator(w, L, i) || header_block(L, i) ||
		    (rule_line(L->v[i]) && i + 1 < L->n &&
		    header_block(L, i + 1)))
			break;
	if (i == L->n)
		return 0;
	if (!header_block(L, i))
		i++;
	/* The header lines, and the indented lines that go on them. */
	while (i < L->n && (header_line(L->v[i]) || (!blank(L->v[i]) &&
	    lstrip(L->v[i]).s != L->v[i].s && !quoted(L->v[i]))))
		i++;
	while (i < L->n && blank(L->v[i]))
		i++;
	unq = i < L->n && quoted(L->v[i]);
	for (; i < L->n; i++) {
		add_line(out, L->v[i], unq);
		buf_addc(out, '\n');
	}
	return 1;
}

static char *
cut(const char *text, size_t len, const struct message_words *w, int flags,
    enum stop *why)
{
	static const struct message_words none;
	struct lines L;
	struct line first = { NULL, 0 };
	struct buf fw = BUF_INIT;
	size_t i, from = 0, m;
	char *r;

	*why = STOP_NONE;
	if (text == NULL)
		return NULL;
	if (w == NULL)
		w = &none;
	if (len > TEXT_MAX)
		len = TEXT_MAX;
	split(text, len, &L);
	if ((flags & MESSAGE_FORWARD) && forwarded(w, &L, &fw)) {
		free(L.v);
		r = cut(buf_str(&fw), fw.len, w, flags & ~MESSAGE_FORWARD, why);
		buf_free(&fw);
		return r;
	}
	for (i = 0; w->starts && i < L.n; i++) {
		struct line l = lstrip(L.v[i]);

		if (starts_any(w->starts, l.s, l.n, &m)) {
			first.s = l.s + m;
			first.n = l.n - m;
			first = lstrip(first);
			from = i + 1;
			break;
		}
	}
	r = walk(w, &L, from, first, why);
	free(L.v);
	return r;
}

char *
message_cut(const char *text, size_t len, const struct message_words *w,
    int flags)
{
	enum stop why;

	return cut(text, len, w, flags, &why);
}

/* Finding the words in a segmented mail. */

static int
is_text(const struct seg_item *it)
{
	return it->kind == SEG_TEXT;
}

/* Items from..to (TEXT only) joined as lines. */
static void
join(const struct segment *s, size_t from, size_t to, struct buf *b)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (!is_text(&s->items[i]))
			continue;
		buf_adds(b, s->items[i].value);
		buf_addc(b, '\n');
	}
}

static struct line
item_line(const struct seg_item *it)
{
	struct line l;

	l.s = it->value;
	l.n = strlen(it->value);
	return l;
}

/* The end of the run of text items starting at i. */
static size_t
run_end(const struct segment *s, size_t i)
{
	while (i < s->n && is_text(&s->items[i]))
		i++;
	return i;
}

/* Cut items from..to; *why as cut() says. */
static char *
cut_items(const struct segment *s, size_t from, size_t to,
    const struct message_words *w, int flags, enum stop *why)
{
	struct message_words nw = *w;
	struct buf b = BUF_INIT;
	char *r;

	nw.starts = NULL;
	join(s, from, to, &b);
	r = cut(buf_str(&b), b.len, &nw, flags, why);
	buf_free(&b);
	return r;
}

/* "Tobias schreibt:", "Note from buyer:": a short line that introduces. */
static int
intro_line(const struct message_words *w, struct line l)
{
	l = lstrip(l);
	return l.n > 1 && l.s[l.n - 1] == ':' &&
	    words(l.s, l.n, NULL) <= INTRO_WORDS &&
	    !starts_any(w->greetings, l.s, l.n, NULL);
}

/* The line without trailing white space. */
static struct line
rstrip(struct line l)
{
	while (l.n > 0 && isspace((unsigned char)l.s[l.n - 1]))
		l.n--;
	return l;
}

/*
 * A greeting of a language no lexicon has: one word alone on its line,
 * ending with a comma, Latin or Arabic ("Kaixo,", "Moien,", "سلام،"), as
 * letters open in most scripts. A digit makes it a part of an address.
 */
static int
comma_greeting(struct line l)
{
	static const char arabic_comma[] = "\xd8\x8c";
	size_t i;

	l = rstrip(lstrip(l));
	if (l.n > 1 && l.s[l.n - 1] == ',')
		l.n--;
	else if (l.n > 2 && memcmp(l.s + l.n - 2, arabic_comma, 2) == 0)
		l.n -= 2;
	else
		return 0;
	for (i = 0; i < l.n; i++)
		if (isdigit((unsigned char)l.s[i]) || strchr(",;:", l.s[i]))
			return 0;
	return words(l.s, l.n, NULL) == 1;
}

static int
greeting(const struct message_words *w, struct line l)
{
	l = lstrip(l);
	return starts_any(w->greetings, l.s, l.n, NULL) || comma_greeting(l);
}

/*
 * Does the paragraph of items from..to read as the prospect's: 1 for
 * sentences that end as sentences do (before a closing, if it has one),
 * 2 for a greeting alone, 0 for neither (a listing's title, a link, a
 * name, an address).
 */
static int
para_kind(const struct segment *s, size_t from, size_t to,
    const struct message_words *w)
{
	struct line l;
	size_t i;
	int any = 0;

	for (i = from; i < to; i++) {
		l = item_line(&s->items[i]);
		if (i > from && closing_line(w, l))
			break;
		any |= prose(l);
	}
	l = lstrip(item_line(&s->items[i - 1]));
	if (any && terminal(l) && memmem(l.s, l.n, "://", 3) == NULL)
		return 1;
	return greeting(w, item_line(&s->items[from])) ? 2 : 0;
}

/* Is the text of items from..to in quotation marks, as portals quote? */
static int
enclosed(const struct segment *s, size_t from, size_t to)
{
	struct buf b = BUF_INIT;
	size_t n;

	join(s, from, to, &b);
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.len--;
	n = b.len;
	unenclose(&b);
	n = b.len != n;
	buf_free(&b);
	return n != 0;
}

/* The end of the paragraph of text items starting at i. */
static size_t
para_end(const struct segment *s, size_t i)
{
	while (i < s->n && is_text(&s->items[i]) && s->items[i].value[0])
		i++;
	return i;
}

/*
 * Without a label to tell where they are: the first paragraphs from item
 * from on that read as the prospect's, up to one that does not or to a
 * label, cut. A short line introducing them ("Paolo ti ha scritto:") is
 * left out.
 */
static char *
paragraphs(const struct segment *s, size_t from, size_t to,
    const struct message_words *w, int flags)
{
	enum stop why;
	size_t i, e, k, start, stop;
	int kind;
	char *r;

	for (i = from; i < to; i = e) {
		if (!is_text(&s->items[i]) || s->items[i].value[0] == '\0') {
			e = i + 1;
			continue;
		}
		e = para_end(s, i);
		start = i;
		if (intro_line(w, item_line(&s->items[start])))
			start++;
		if (start == e || (kind = para_kind(s, start, e, w)) == 0)
			continue;
		/* The paragraphs after it that read the same. */
		for (stop = e; stop < to && !enclosed(s, start, e); ) {
			for (k = stop; k < to && is_text(&s->items[k]) &&
			    s->items[k].value[0] == '\0'; k++)
				;
			if (k == to || !is_text(&s->items[k]) ||
			    para_kind(s, k, para_end(s, k), w) != 1)
				break;
			stop = para_end(s, k);
		}
		/* A greeting, then no words: someone else's greeting. */
		if (kind == 2 && stop == e)
			continue;
		if ((r = cut_items(s, start, stop, w, flags, &why)) != NULL)
			return r;
	}
	return NULL;
}

/* Does the text before item to open as a person's mail does? */
static int
opens(const struct segment *s, size_t to, const struct message_words *w)
{
	size_t i;

	for (i = 0; i < to && (!is_text(&s->items[i]) ||
	    s->items[i].value[0] == '\0'); i++)
		;
	return i < to && para_kind(s, i, para_end(s, i), w) != 0;
}

char *
message_find(const struct segment *s, int field,
    const struct message_words *w, int flags)
{
	static const struct message_words none;
	struct message_words nw;
	enum stop why;
	size_t i, first;
	char *r;

	if (s == NULL)
		return NULL;
	if (w == NULL)
		w = &none;
	nw = *w;
	nw.starts = NULL;
	for (i = 0; i < s->n; i++)
		if (field > 0 && s->items[i].field == field &&
		    (r = cut(s->items[i].value, strlen(s->items[i].value), &nw,
		    flags, &why)) != NULL)
			return r;
	for (i = 0; w->starts && i < s->n; i++) {
		struct line l = lstrip(item_line(&s->items[i]));
		struct buf b = BUF_INIT;
		size_t m;

		if (!is_text(&s->items[i]) ||
		    !starts_any(w->starts, l.s, l.n, &m))
			continue;
		/* "Arjun says: "Hi..."": the quotes open the words. */
		while (m < l.n && (l.s[m] == ' ' || l.s[m] == '\t'))
			m++;
		buf_add(&b, l.s + m, l.n - m);
		buf_addc(&b, '\n');
		join(s, i + 1, run_end(s, i + 1), &b);
		r = cut(buf_str(&b), b.len, &nw, flags, &why);
		buf_free(&b);
		if (r != NULL)
			return r;
	}
	for (first = 0; first < s->n && s->items[first].field <= 0; first++)
		;
	/*
	 * A person's own mail: it opens with a greeting or a sentence (not
	 * a portal's title, "New rental enquiry"), and its words end before
	 * any label.
	 */
	if (!(flags & MESSAGE_NOTIFICATION) && opens(s, first, w)) {
		r = cut_items(s, 0, first, w, flags, &why);
		if (r != NULL && (first == s->n || why != STOP_NONE))
			return r;
		free(r);
	}
	if ((r = paragraphs(s, first < s->n ? first : 0, s->n, w, flags)))
		return r;
	if (first < s->n)
		return paragraphs(s, 0, first, w, flags);
	/* No label, nothing reads as words: a person's mail after all. */
	if (!(flags & MESSAGE_NOTIFICATION) && !opens(s, first, w))
		return cut_items(s, 0, first, w, flags, &why);
	return NULL;
}

/*
 * A closing of a language no lexicon has: the text's last line, under a
 * short line that ends with a comma ("Me respekt," / "Drita Hoxha"), the
 * way letters close in most scripts that use one. The callers decide
 * whether the line reads as a name.
 */
static const char *
comma_signer(const struct lines *L, size_t *n)
{
	struct line name, close;
	size_t i = L->n;

	while (i > 0 && blank(L->v[i - 1]))
		i--;
	if (i < 2)
		return NULL;
	name = rstrip(lstrip(L->v[i - 1]));
	while (--i > 0 && blank(L->v[i - 1]))
		;
	if (i == 0)
		return NULL;
	close = rstrip(lstrip(L->v[i - 1]));
	if (close.n < 2 || close.s[close.n - 1] != ',' ||
	    quoted(L->v[i - 1]) || words(close.s, close.n, NULL) > 3 ||
	    quoted(name) || rule_line(name))
		return NULL;
	*n = name.n;
	return name.s;
}

const char *
message_signer(const char *text, size_t len, const struct message_words *w,
    size_t *n)
{
	struct lines L;
	struct line l;
	const char *at = NULL;
	size_t i, j, m;

	split(text, len, &L);
	for (i = 0; i < L.n && at == NULL; i++) {
		if (quoted(L.v[i]) || separator(w, &L, i))
			break;
		if (closing_line(w, L.v[i]) != CLOSING_SURE) {
			/* "... oplevering? Met vriendelijke groet, Sanne" */
			if ((at = inline_closing(w, L.v[i])) != NULL) {
				l.s = at;
				l.n = L.v[i].n - (size_t)(at - L.v[i].s);
				starts_any(w->closings, l.s, l.n, &m);
				l.s += m;
				l.n -= m;
				while (l.n > 0 && strchr(" \t,.;:!-", *l.s)) {
					l.s++;
					l.n--;
				}
				at = blank(l) ? NULL : l.s;
				*n = l.n;
			}
			continue;
		}
		l = lstrip(L.v[i]);
		/* "Gruß Jonas": the name on the closing's own line. */
		if (starts_any(w->closings, l.s, l.n, &m)) {
			l.s += m;
			l.n -= m;
			while (l.n > 0 && strchr(" \t,.;:!-", *l.s) != NULL) {
				l.s++;
				l.n--;
			}
			if (!blank(l)) {
				at = l.s;
				*n = l.n;
				break;
			}
		}
		for (j = i + 1; j < L.n && blank(L.v[j]); j++)
			;
		if (j < L.n && !quoted(L.v[j]) && !rule_line(L.v[j])) {
			l = lstrip(L.v[j]);
			at = l.s;
			*n = l.n;
		}
		break;
	}
	if (at == NULL && i == L.n)
		at = comma_signer(&L, n);
	free(L.v);
	return at;
}

#define CHAT_NAME_MAX	60	/* bytes of a speaker's name */

/*
 * A transcript's line "[12:31:40] Name: text" or "10:15 Name: text":
 * the name's start and length, and where the text starts; 0 if none.
 */
static int
chat_line(struct line l, struct line *name, const char **text)
{
	const char *p = lstrip(l).s, *e = l.s + l.n, *c;
	int digits, part;

	if (p < e && *p == '[')
		p++;
	for (part = 0; part < 3; part++) {
		for (digits = 0; p < e && isdigit((unsigned char)*p); p++)
			digits++;
		if (digits < 1 || digits > 2 || (part > 0 && digits != 2))
			return 0;
		if (p == e || *p != ':' || part == 2)
			break;
		if (p + 1 < e && !isdigit((unsigned char)p[1]))
			break;
		p++;
	}
	if (part == 0)
		return 0;
	if (p < e && *p == ']')
		p++;
	if (p == e || *p != ' ')
		return 0;
	while (p < e && *p == ' ')
		p++;
	for (c = p; c + 1 < e && !(c[0] == ':' && c[1] == ' '); c++)
		;
	if (c + 1 >= e || c == p || c - p > CHAT_NAME_MAX)
		return 0;
	name->s = p;
	name->n = (size_t)(c - p);
	*text = c + 2;
	return 1;
}

/* Is the speaker's name the prospect's? */
static int
chat_prospect(struct line name, const char *first, const char *last)
{
	size_t fl = strlen(first);
	char *n;
	int ok;

	if (name.n < fl || memcmp(name.s, first, fl) != 0 ||
	    (name.n > fl && name.s[fl] != ' '))
		return 0;
	if (last == NULL)
		return 1;
	n = xstrndup(name.s, name.n);
	ok = strstr(n, last) != NULL;
	free(n);
	return ok;
}

char *
message_chat(const char *msg, const char *first, const char *last)
{
	struct lines L;
	struct line name;
	struct buf b = BUF_INIT;
	const char *text;
	size_t i, lines = 0, others = 0;
	int started = 0;

	if (msg == NULL || first == NULL || *first == '\0')
		return NULL;
	split(msg, strlen(msg), &L);
	for (i = 0; i < L.n; i++) {
		if (!chat_line(L.v[i], &name, &text)) {
			/* A heading before it, nothing inside it. */
			if (started && !blank(L.v[i]))
				break;
			continue;
		}
		started = 1;
		lines++;
		if (!chat_prospect(name, first, last)) {
			others++;
			continue;
		}
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_add(&b, text, (size_t)(L.v[i].s + L.v[i].n - text));
	}
	free(L.v);
	if (others == 0 || others == lines || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
