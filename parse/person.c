/* Names, salutations and machine senders. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "parse/person.h"

#define TOKENS_MAX	16
#define LOCAL_MAX	64

static const struct {
	const char *given;	/* lower case */
	const char *norm;
} salutations[] = {
	{ "herr", "Herr" }, { "herrn", "Herr" }, { "hr", "Herr" },
	{ "hr.", "Herr" }, { "frau", "Frau" }, { "fr.", "Frau" },
	{ "monsieur", "Monsieur" }, { "m.", "Monsieur" },
	{ "madame", "Madame" }, { "mme", "Madame" }, { "mme.", "Madame" },
	{ "mademoiselle", "Madame" }, { "mlle", "Madame" },
	{ "mlle.", "Madame" }, { "mr", "Mr" }, { "mr.", "Mr" },
	{ "mister", "Mr" }, { "mrs", "Ms" }, { "mrs.", "Ms" }, { "ms", "Ms" },
	{ "ms.", "Ms" }, { "miss", "Ms" }, { "signor", "Signor" },
	{ "signore", "Signor" }, { "sig.", "Signor" }, { "sig", "Signor" },
	{ "signora", "Signora" }, { "sig.ra", "Signora" },
	{ "male", "Mr" }, { "female", "Ms" },
};

/*
 * The built-in words (person_split): salutations as written, titles,
 * particles. The lexicon (etc/lexicon) has more per language.
 */
static const char *const builtin_salutations[] = {
	"Herr", "Herrn", "Hr.", "Frau", "Fr.", "Familie", "Monsieur", "M.",
	"Madame", "Mme", "Mademoiselle", "Mlle", "Monsieur et Madame",
	"M. et Mme", "Mr", "Mrs", "Ms", "Miss", "Mx", "Mister", "Mr & Mrs",
	"Mr and Mrs", "Signor", "Signore", "Sig.", "Signora", "Sig.ra",
	"Signorina", "Sig.na", "Sr.", "Sra.", "Srta.", "Señor", "Señora",
	"Senhor", "Senhora", "De heer", "Dhr.", "Mevrouw", "Mevr.", "Mw.",
	"Pan", "Pani", "Państwo", "Fru", "Herra", "Rouva", NULL,
};

static const char *const builtin_titles[] = {
	"Dr.", "Prof.", "Dres.", "Dr.-Ing.", "Dr.med.", "Dipl.-Ing.",
	"Dipl.-Kfm.", "Dipl.-Kffr.", "Dipl.-Inf.", "Dipl.-Psych.",
	"Dipl.-Betriebsw.", "Mag.", "Mag.a", "DI", "Ing.", "lic.", "med.",
	"dent.", "vet.", "phil.", "rer.", "nat.", "jur.", "oec.", "pol.",
	"h.c.", "PD", "PhD", "Ph.D.", "MBA", "MSc", "M.Sc.", "BSc", "B.Sc.",
	"LL.M.", "Dott.", "Dott.ssa", "Dr.ssa", "Avv.", "Arch.", "Geom.",
	"Rag.", "Prof.ssa", "Drs.", "Ir.", "Mgr.", "Bc.", "MUDr.", "JUDr.",
	"PhDr.", "RNDr.", "Lic.", "Eng.", "Dra.", "inż.", "Rev.", NULL,
};

static const char *const builtin_particles[] = {
	"von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "del",
	"della", "dei", "degli", "di", "da", "dal", "dalla", "du", "des",
	"dos", "das", "do", "le", "la", "lo", "ten", "ter", "te", "het",
	"'t", "af", "av", "al", "el", "bin", "ibn", "ben", "abu", NULL,
};

static const struct person_words builtin = {
	builtin_salutations, builtin_titles, builtin_particles,
};

/* Languages that give people two surnames, and what joins two of them. */
static const char *const two_surnames[] = { "es", "pt", "ca", "gl" };
/* Languages that write the family name first: "Szabó Katalin". */
static const char *const surname_first[] = { "hu", "vi" };
/*
 * Endings of East Slavic family names ("Кузнецов", "Иванова",
 * "Шевченко"): such a word before one without them is written family
 * name first ("Кузнецов Андрей").
 */
static const char *const slavic_family[] = { "ов", "ев", "ёв", "ин",
	"ова", "ева", "ёва", "ина", "ский", "ская", "цкий", "цкая", "енко",
	"ук", "юк" };
static const char *const connectors[] = { "y", "i", "e", NULL };

/* Suffixes portals add to the sender's name: "Max Muster via X". */
static const char *const via_words[] = {
	" via ", " über ", " par ", " by ", " per ", " tramite ",
};

/* Local parts of machine senders, after dropping all but letters/digits. */
static const char *const machine_contains[] = {
	"noreply", "donotreply", "nepasrepondre", "nichtantworten",
	"keineantwort", "noanswer", "nonrispondere", "mailerdaemon",
};
static const char *const machine_prefix[] = {
	"bounce", "postmaster", "notification", "notify", "automailer",
	"autoreply", "autoresponder",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
person_salutation(const char *s)
{
	char w[24] = "";
	size_t n = 0, i;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s && n + 1 < sizeof(w); s++)
		w[n++] = (char)tolower((unsigned char)*s);
	while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == ',' ||
	    w[n - 1] == '\t'))
		n--;
	w[n] = '\0';
	if (*s != '\0')
		return NULL;
	for (i = 0; i < NELEM(salutations); i++)
		if (strcmp(salutations[i].given, w) == 0)
			return salutations[i].norm;
	return NULL;
}

/* Where the split is going: the person and the titles found so far. */
struct split {
	const struct person_words *w;
	struct person *p;
	struct buf title;
};

/* s without a final dot, lower case, in out (NUL-terminated); 0: too long. */
static int
fold(const char *s, char *out, size_t len)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n >= len)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/*
 * Token t is list word e: without case and a final dot ("dr" is "Dr."),
 * but an entry in capitals ("DI") only in capitals.
 */
static int
word_is(const char *t, const char *e)
{
	char a[64], b[64];

	if (!fold(t, a, sizeof(a)) || !fold(e, b, sizeof(b)))
		return 0;
	if (utf8_all_caps(b))
		return strcmp(a, b) == 0;
	return utf8_casecmp(a, b) == 0;
}

static const char *
in_list(const char *const *list, const char *t)
{
	for (; list != NULL && *list != NULL; list++)
		if (word_is(t, *list))
			return *list;
	return NULL;
}

/*
 * How many tokens from tok[0] (n of them) a salutation of the list
 * spans (the longest: "De heer", "M. et Mme"); 0 for none. *entry: it.
 */
static size_t
salutation_at(char **tok, size_t n, const char *const *list,
    const char **entry)
{
	char word[64];
	const char *e, *end;
	size_t best = 0, k, len;

	for (; list != NULL && *list != NULL; list++) {
		for (e = *list, k = 0; *e && k < n; k++) {
			end = e + strcspn(e, " ");
			len = (size_t)(end - e);
			if (len >= sizeof(word))
				break;
			memcpy(word, e, len);
			word[len] = '\0';
			if (!word_is(tok[k], word))
				break;
			e = end + strspn(end, " ");
		}
		if (*e == '\0' && k > best) {
			best = k;
			*entry = *list;
		}
	}
	return best;
}

static char *
join(char **tok, size_t from, size_t to)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (from >= to)
		return NULL;
	for (i = from; i < to; i++) {
		if (i > from)
			buf_addc(&b, ' ');
		buf_adds(&b, tok[i]);
	}
	return buf_detach(&b);
}

/* Written in capitals: "DUPONT", "O'NEILL", and "McDONALD" too. */
static int
shouting(const char *t)
{
	if (strncmp(t, "Mc", 2) == 0)
		t += 2;
	return utf8_all_caps(t);
}

/* "III", "IV": a generation, not a word to title-case. */
static int
roman(const char *t)
{
	return strspn(t, "IVX") == strlen(t);
}

/* Articles among the particles: "Le Gall", "La Fontaine" keep a capital. */
static const char *const articles[] = {
	"le", "la", "lo", "les", "el", "al", "los", "las", NULL,
};

/*
 * Title-case the tokens in capitals of [from, to). Particles in capitals
 * go lower case ("van der Meer"), unless one starts the display (lead:
 * "Van der Meer, Pieter") or is an article on its own ("Le Gall").
 */
static void
fix_case(struct split *sp, char **tok, size_t from, size_t to, int lead)
{
	size_t i;
	char *t;

	for (i = from; i < to; i++) {
		t = tok[i];
		if (!shouting(t) || roman(t))
			continue;
		if (in_list(sp->w->particles, t) && !(lead && i == from) &&
		    !(in_list(articles, t) && (i == from ||
		    !in_list(sp->w->particles, tok[i - 1])))) {
			utf8_lower(t);
			continue;
		}
		utf8_title(t);
		if (strncmp(t, "Mc", 2) == 0 && islower((unsigned char)t[2]))
			t[2] = (char)toupper((unsigned char)t[2]);
	}
}

/* The same words as the list spells them, when written in capitals. */
static const char *
spelled(const char *given, const char *entry)
{
	return utf8_all_caps(given) && utf8_casecmp(given, entry) == 0 ?
	    entry : given;
}

static void
add_title(struct split *sp, const char *t, const char *entry)
{
	if (sp->title.len)
		buf_addc(&sp->title, ' ');
	buf_adds(&sp->title, spelled(t, entry));
}

/* Quotes around a name, ASCII and typographic. */
static const char *const quotes[] = {
	"\"", "'", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x9e",
	"\xc2\xab", "\xc2\xbb", "\xe2\x80\x98", "\xe2\x80\x99",
	"\xe2\x80\x9a", "\xe2\x80\xb9", "\xe2\x80\xba",
};

/* Length of a quote or space at s, 0 for none. */
static size_t
quote_at(const char *s)
{
	size_t i, n;

	if (*s == ' ' || *s == '\t')
		return 1;
	for (i = 0; i < NELEM(quotes); i++) {
		n = strlen(quotes[i]);
		if (strncmp(s, quotes[i], n) == 0)
			return n;
	}
	return 0;
}

/* Length of a quote or space ending at end (s <= end), 0 for none. */
static size_t
quote_before(const char *s, const char *end)
{
	size_t i, n;

	if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		return 1;
	for (i = 0; i < NELEM(quotes); i++) {
		n = strlen(quotes[i]);
		if ((size_t)(end - s) >= n &&
		    strncmp(end - n, quotes[i], n) == 0)
			return n;
	}
	return 0;
}

/* Cut "via X" suffixes, trailing "(...)" / "[...]" and quotes. */
static void
clean(char *s)
{
	char *p, *end;
	size_t i, n;

	for (i = 0; i < NELEM(via_words); i++)
		if ((p = strcasestr(s, via_words[i])) != NULL && p > s)
			*p = '\0';
	for (;;) {
		end = s + strlen(s);
		while ((n = quote_before(s, end)) > 0) {
			end -= n;
			*end = '\0';
		}
		if (end > s && (end[-1] == ')' || end[-1] == ']') &&
		    (p = strrchr(s, end[-1] == ')' ? '(' : '[')) != NULL &&
		    p > s) {
			*p = '\0';
			continue;
		}
		break;
	}
	for (p = s; (n = quote_at(p)) > 0; p += n)
		;
	memmove(s, p, strlen(p) + 1);
}

static size_t
tokenize(char *s, char **tok)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t", &save); t && n < TOKENS_MAX;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	return n;
}

/*
 * Salutation and titles in front, as long as a name stays; returns
 * where the name starts.
 */
static size_t
prefixes(struct split *sp, char **tok, size_t n)
{
	struct buf sal = BUF_INIT;
	const char *entry = NULL;
	size_t i = 0, k;

	while (i < n) {
		if (sp->p->salutation == NULL && (k = salutation_at(tok + i,
		    n - i, sp->w->salutations, &entry)) > 0 && i + k < n) {
			buf_reset(&sal);
			for (; k > 0; k--, i++) {
				if (sal.len)
					buf_addc(&sal, ' ');
				buf_adds(&sal, tok[i]);
			}
			sp->p->salutation = xstrdup(spelled(buf_str(&sal),
			    entry));
		} else if (i + 1 < n &&
		    (entry = in_list(sp->w->titles, tok[i])) != NULL) {
			add_title(sp, tok[i], entry);
			i++;
		} else {
			break;
		}
	}
	buf_free(&sal);
	return i;
}

/* Titles after the name ("Herbert Leitgeb MSc"), two words staying. */
static size_t
suffixes(struct split *sp, char **tok, size_t start, size_t n)
{
	size_t end = n, i;

	/* "陳怡君 小姐": CJK writes the salutation after the name. */
	if (end > start + 1 && sp->p->salutation == NULL &&
	    (unsigned char)tok[end - 1][0] >= 0xe3 &&
	    in_list(sp->w->salutations, tok[end - 1]) != NULL) {
		sp->p->salutation = xstrdup(tok[end - 1]);
		n = --end;
	}
	while (end > start + 2 &&
	    in_list(sp->w->titles, tok[end - 1]) != NULL)
		end--;
	for (i = end; i < n; i++)
		add_title(sp, tok[i], in_list(sp->w->titles, tok[i]));
	return end;
}

static int
language_in(const char *lang, const char *const *list, size_t n);

int
person_surname_first(const char *lang)
{
	return language_in(lang, surname_first, NELEM(surname_first));
}

static int
language_in(const char *lang, const char *const *list, size_t n)
{
	size_t i;

	if (lang == NULL || strlen(lang) < 2 || isalpha((unsigned char)lang[2]))
		return 0;
	for (i = 0; i < n; i++)
		if (strncasecmp(lang, list[i], 2) == 0)
			return 1;
	return 0;
}

/*
 * Where the last name starts with two surnames: parts are a word with the
 * particles before it ("de la Cruz"), "y"/"i"/"e" join two parts; the
 * last two parts of three or more, the second of two.
 */
static size_t
cut_two_surnames(struct split *sp, char **tok, size_t n)
{
	size_t from[TOKENS_MAX], nu = 0, i = 0, start;
	int joined;

	while (i < n) {
		joined = nu > 0 && i + 1 < n && in_list(connectors, tok[i]);
		if (joined)
			i++;
		start = i;
		while (i + 1 < n && in_list(sp->w->particles, tok[i]))
			i++;
		i++;
		if (!joined)
			from[nu++] = start;
	}
	if (nu >= 3)
		return from[nu - 2];
	return nu == 2 ? from[1] : n;
}

/* "Jr.", "III": a generation goes with the last name. */
static const char *const generations[] = {
	"Jr.", "Sr.", "II", "III", "IV", NULL,
};

/*
 * The last name starts at the first particle after a first word, else
 * it is the last word (with a generation after it: "Smith Jr.").
 */
static size_t
cut_particle(struct split *sp, char **tok, size_t n)
{
	size_t i;

	for (i = 1; i + 1 < n; i++)
		if (in_list(sp->w->particles, tok[i]))
			return i;
	if (n > 2 && in_list(generations, tok[n - 1]))
		return n - 2;
	return n - 1;
}

/*
 * A word in a script that writes the family name first (CJK ideographs,
 * kana, Hangul: U+3040 to U+9FFF and U+AC00 to U+D7AF), whatever the
 * mail's language: "山田 太郎", "김 민준".
 */
static int
family_first_script(const char *t)
{
	const unsigned char *u = (const unsigned char *)t;

	return (u[0] >= 0xe3 && u[0] <= 0xe9) || (u[0] >= 0xea &&
	    u[0] <= 0xed && !(u[0] == 0xea && u[1] < 0xb0));
}

/*
 * A Chinese or Korean name written as one word, two or three signs of
 * three bytes ("王小明", "김민준"): the first is the family name. Not in
 * Japanese, whose family names are mostly of two signs ("山田太郎").
 */
static int
han_name(const char *t, const char *lang)
{
	size_t n = strlen(t), i;

	if ((n != 6 && n != 9) || (lang != NULL && strncmp(lang, "ja", 2) == 0))
		return 0;
	for (i = 0; i < n; i += 3) {
		const unsigned char *u = (const unsigned char *)t + i;

		/* Han U+4E00..U+9FFF or Hangul U+AC00..U+D7AF, no kana. */
		if (!((u[0] >= 0xe4 && u[0] <= 0xe9) || (u[0] >= 0xea &&
		    u[0] <= 0xed && !(u[0] == 0xea && u[1] < 0xb0))) ||
		    (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
			return 0;
	}
	return 1;
}

/* Does t end with one of the East Slavic family name endings? */
static int
slavic_surname(const char *t)
{
	size_t i, n = strlen(t), k;

	for (i = 0; i < NELEM(slavic_family); i++) {
		k = strlen(slavic_family[i]);
		if (n > k + 2 && strcmp(t + n - k, slavic_family[i]) == 0)
			return 1;
	}
	return 0;
}

static void
split_tokens(struct split *sp, char **tok, size_t n, const char *lang)
{
	struct person *p = sp->p;
	size_t run, cut;

	if (n == 0)
		return;
	for (run = 0; run < n && shouting(tok[run]); run++)
		;
	if (run > 0 && run < n) {
		/* "LEFÈVRE Hélène", "DUPONT J.": surname first. */
		fix_case(sp, tok, 0, run, 1);
		fix_case(sp, tok, run, n, 0);
		p->last = join(tok, 0, run);
		p->first = join(tok, run, n);
		return;
	}
	fix_case(sp, tok, 0, n, 0);
	if (n == 1 && han_name(tok[0], lang)) {
		/* "王小明": the family name is the first sign. */
		p->last = xstrndup(tok[0], 3);
		p->first = xstrdup(tok[0] + 3);
		return;
	}
	if (n == 1) {
		/* "Herr Muster" is a last name; a lone word a first name. */
		if (p->salutation || sp->title.len)
			p->last = xstrdup(tok[0]);
		else
			p->first = xstrdup(tok[0]);
		return;
	}
	if (language_in(lang, surname_first, NELEM(surname_first)) ||
	    (family_first_script(tok[0]) && family_first_script(tok[n - 1])) ||
	    (n == 2 && slavic_surname(tok[0]) && !slavic_surname(tok[1]))) {
		p->last = join(tok, 0, 1);
		p->first = join(tok, 1, n);
		return;
	}
	cut = language_in(lang, two_surnames, NELEM(two_surnames)) ?
	    cut_two_surnames(sp, tok, n) : cut_particle(sp, tok, n);
	p->first = join(tok, 0, cut);
	p->last = join(tok, cut, n);
}

/* 1 when every word of s is a title or salutation ("Dipl.-Ing., Dr."). */
static int
only_titles(const struct split *sp, const char *s)
{
	char *copy = xstrdup(s), *tok[TOKENS_MAX];
	const char *entry;
	size_t n = tokenize(copy, tok), i;
	int yes = n > 0;

	for (i = 0; i < n; i++)
		if (in_list(sp->w->titles, tok[i]) == NULL &&
		    salutation_at(tok + i, 1, sp->w->salutations, &entry) == 0)
			yes = 0;
	free(copy);
	return yes;
}

/* Titles after a comma: "Anna Muster, Dr.", "Muster, Anna, MSc". */
static void
comma_titles(struct split *sp, char *s)
{
	char *comma, *tok[TOKENS_MAX];
	size_t n, i;

	while ((comma = strrchr(s, ',')) != NULL &&
	    only_titles(sp, comma + 1)) {
		n = tokenize(comma + 1, tok);
		for (i = 0; i < n; i++)
			if (in_list(sp->w->titles, tok[i]))
				add_title(sp, tok[i],
				    in_list(sp->w->titles, tok[i]));
		*comma = '\0';
	}
}

/* "Muster, Anna": the part before the comma is the last name. */
static void
last_first(struct split *sp, char *last, char *first)
{
	char *tok[TOKENS_MAX];
	size_t n, start, end;

	n = tokenize(first, tok);
	start = prefixes(sp, tok, n);
	end = suffixes(sp, tok, start, n);
	fix_case(sp, tok, start, end, 0);
	sp->p->first = join(tok, start, end);
	n = tokenize(last, tok);
	start = prefixes(sp, tok, n);
	fix_case(sp, tok, start, n, 1);
	sp->p->last = join(tok, start, n);
}

/* Languages whose capital I is the dotless ı's ("YILDIRIM": Yıldırım). */
static const char *const dotless_i[] = { "tr", "az" };

/*
 * A name in capitals title-cased the Turkish way: I is ı and İ is i
 * within a word ("AYŞE YILDIRIM" -> "Ayşe Yıldırım"). A new string.
 */
static char *
title_dotless(const char *s)
{
	struct buf b = BUF_INIT;
	char one[8];
	size_t n;
	int start = 1;
	uint32_t c;

	while (*s != '\0') {
		c = utf8_decode(s, &n);
		if (n == 0)
			break;
		if (!start && c == 'I')
			buf_adds(&b, "\xc4\xb1");
		else if (!start && c == 0x130)
			buf_adds(&b, "i");
		else if (!start && n < sizeof(one)) {
			memcpy(one, s, n);
			one[n] = '\0';
			utf8_lower(one);
			buf_adds(&b, one);
		} else
			buf_add(&b, s, n);
		start = !utf8_is_letter(c);
		s += n;
	}
	return buf_detach(&b);
}

/* "山田　花子": the ideographic space (U+3000) is a space, in place. */
static void
ideographic_spaces(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (strncmp(r, "\xe3\x80\x80", 3) == 0) {
			*w++ = ' ';
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

void
person_split_with(const char *display, const struct person_words *w,
    const char *lang, struct person *p)
{
	struct split sp = { w ? w : &builtin, p, BUF_INIT };
	char *tok[TOKENS_MAX], *s, *comma;
	size_t n, start, end;

	memset(p, 0, sizeof(*p));
	if (display == NULL || strchr(display, '@') != NULL)
		return;
	if (language_in(lang, dotless_i, NELEM(dotless_i)) &&
	    utf8_all_caps(display))
		s = title_dotless(display);
	else
		s = xstrdup(display);
	ideographic_spaces(s);
	clean(s);
	comma_titles(&sp, s);
	comma = strchr(s, ',');
	if (comma && strchr(comma + 1, ',') == NULL && comma > s &&
	    comma[1 + strspn(comma + 1, " ")] != '\0') {
		*comma = '\0';
		last_first(&sp, s, comma + 1);
	} else {
		n = tokenize(s, tok);
		start = prefixes(&sp, tok, n);
		end = suffixes(&sp, tok, start, n);
		split_tokens(&sp, tok + start, end - start, lang);
	}
	if (sp.title.len)
		p->title = buf_detach(&sp.title);
	buf_free(&sp.title);
	free(s);
}

void
person_split(const char *display, struct person *p)
{
	person_split_with(display, NULL, NULL, p);
}

void
person_clear(struct person *p)
{
	if (p == NULL)
		return;
	free(p->salutation);
	free(p->title);
	free(p->first);
	free(p->last);
	memset(p, 0, sizeof(*p));
}

int
person_noreply(const char *addr)
{
	char local[LOCAL_MAX];
	const char *at = strrchr(addr, '@'), *s;
	size_t n = 0, i;

	if (at == NULL)
		return 0;
	for (s = addr; s < at && n + 1 < sizeof(local); s++)
		if (isalnum((unsigned char)*s))
			local[n++] = (char)tolower((unsigned char)*s);
	local[n] = '\0';
	for (i = 0; i < NELEM(machine_contains); i++)
		if (strstr(local, machine_contains[i]) != NULL)
			return 1;
	for (i = 0; i < NELEM(machine_prefix); i++)
		if (strncmp(local, machine_prefix[i],
		    strlen(machine_prefix[i])) == 0)
			return 1;
	/* Mailing list robots: "list-request@". */
	n = (size_t)(at - addr);
	return n > 8 && strncasecmp(at - 8, "-request", 8) == 0;
}
