/*
 * Phone numbers in text: a scanner that takes runs of digits and the
 * separators people write, then drops what is a date, an amount, a
 * postcode or an id; and the country of a number by the evidence.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/norm.h"
#include "util/xmalloc.h"
#include "parse/phone.h"
#include "parse/postal.h"

#define DIGITS_MIN	7	/* a national number */
#define DIGITS_MAX	15	/* E.164 */
#define LABEL_SPAN	40	/* bytes before a number where its label is */
#define GROUPS_MAX	12

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Labels before a number, lower case, at the start of a word: phone
 * labels let a bare run of digits count; id labels make a number none
 * (a "$" at the end: a whole word only).
 */
static const char *const phone_labels[] = {
	"tel", "tél", "phone", "fon", "mobil", "mobile", "handy", "cell",
	"gsm", "natel", "tlf", "puh", "mob", "whatsapp", "portable",
	"cellulare", "móvil", "movil", "telem", "celular", "ring", "call",
	"číslo", "numer", "rufnummer", "ruf", "contact", "kontakt",
};
static const char *const id_labels[] = {
	"id$", "nr$", "nr.", "no.", "no$", "n°", "nº", "#", "ref", "code",
	"kode", "mls", "iban", "bic", "konto", "account", "plz", "zip", "objekt",
	"anzeige", "inserat", "listing", "annonce", "order", "auftrag",
	"rechnung", "invoice", "kunden", "vorgang", "kenmerk", "sag",
	"kohde", "oferty", "codice", "rif", "referen", "référence", "stock",
	"vin", "fin$", "ust", "vat", "mwst", "tva", "iva", "siret",
	"handelsreg", "preis", "price", "prix", "prezzo", "precio", "miete",
	"rent", "loyer", "affitto", "kaufpreis", "betrag", "amount",
};

/* Currencies and units before or after an amount. */
static const char *const amount_words[] = {
	"€", "eur", "euro", "chf", "fr.", "sfr", "$", "usd", "£", "gbp",
	"kr", "sek", "dkk", "nok", "zł", "zl", "pln", "kč", "czk", "ft",
	"huf", "m²", "m2", "qm", "km", "sqm", "sq", "mio", "%", ",-", ".-",
	"franken",
};

struct cand {
	size_t start, end;	/* the number as written */
	size_t digits;
	size_t groups[GROUPS_MAX];
	size_t gend[GROUPS_MAX];	/* where each group ends */
	char seps[GROUPS_MAX];	/* the separator after each group */
	size_t ngroups;
	int plus, paren, spaced;
	size_t cut;		/* where a " / " or " - " was, 0: none */
	size_t cut_resume;
};

static int
is_sep(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '/';
}

/* A run of separators between two groups: "-", " ", " / ", " - ", ". ". */
static size_t
sep_run(const char *s, int *spaced)
{
	size_t n = 0, marks = 0;

	while (n < 3 && (is_sep(s[n]) || ((unsigned char)s[n] == 0xc2 &&
	    (unsigned char)s[n + 1] == 0xa0))) {
		if ((unsigned char)s[n] == 0xc2)
			n++;
		else if (s[n] != ' ')
			marks++;
		n++;
	}
	if (marks > 1)
		return 0;
	*spaced = n == 3 && s[0] == ' ' && s[2] == ' ' && marks == 1;
	return n;
}

static void
end_group(struct cand *c, size_t *len, size_t at, char sep)
{
	if (*len == 0)
		return;
	if (c->ngroups < GROUPS_MAX) {
		c->groups[c->ngroups] = *len;
		c->gend[c->ngroups] = at;
		c->seps[c->ngroups] = sep;
		c->ngroups++;
	}
	*len = 0;
}

/*
 * The longest number-like run from text[i], not past limit; its end in
 * c->end.
 */
static void
extend(const char *text, size_t i, size_t limit, struct cand *c)
{
	size_t j = i, run, len = 0, last = i;
	int open = 0, spaced;

	memset(c, 0, sizeof(*c));
	c->start = i;
	if (text[j] == '+') {
		c->plus = 1;
		j++;
		while (text[j] == ' ')
			j++;
	}
	while (j < limit) {
		if (isdigit((unsigned char)text[j])) {
			c->digits++;
			len++;
			last = ++j;
		} else if (text[j] == '(' && !open && c->digits <= 4 &&
		    isdigit((unsigned char)text[j + 1])) {
			end_group(c, &len, j, '(');
			open = 1;
			c->paren = 1;
			j++;
		} else if (text[j] == ')' && open) {
			end_group(c, &len, j, ')');
			open = 0;
			j++;
			while (text[j] == ' ')
				j++;
			if (!isdigit((unsigned char)text[j]))
				break;
		} else if ((run = sep_run(text + j, &spaced)) > 0 &&
		    (isdigit((unsigned char)text[j + run]) ||
		    (text[j + run] == '(' && !open && c->digits <= 4))) {
			end_group(c, &len, j, text[j] == ' ' && run > 1 ?
			    text[j + 1] : text[j]);
			if (spaced && c->cut == 0) {
				c->cut = j;
				c->cut_resume = j + run;
			}
			j += run;
		} else {
			break;
		}
		if (c->digits > 2 * DIGITS_MAX)
			break;
	}
	end_group(c, &len, last, '\0');
	c->end = last;
}

/* 1 when the byte before text[i] may start a number. */
static int
left_ok(const char *text, size_t i)
{
	unsigned char p;

	if (i == 0)
		return 1;
	p = (unsigned char)text[i - 1];
	if (p >= 0x80)
		return 1;
	return !isalnum(p) && !strchr("/-._=&?#@+%,", p);
}

/*
 * The line's text before the number, lower case, at most LABEL_SPAN; the
 * line before when the number starts its line ("Telefon" above it).
 * *alone: nothing before the number on its line.
 */
static void
label_before(const char *text, size_t at, char *out, size_t len,
    int *alone)
{
	size_t from = at, n, i;

	while (from > 0 && text[from - 1] != '\n' && at - from < LABEL_SPAN)
		from--;
	*alone = strspn(text + from, " \t") >= at - from;
	if (*alone && from > 0) {
		at = from - 1;
		if (at > 0 && text[at - 1] == '\r')
			at--;
		for (from = at; from > 0 && text[from - 1] != '\n' &&
		    at - from < LABEL_SPAN; from--)
			;
	}
	n = at - from < len - 1 ? at - from : len - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)text[at - n + i]);
	out[n] = '\0';
}

/* Where the last label of the list starts in s; -1 for none. */
static long
last_label(const char *s, const char *const *list, size_t nlist)
{
	size_t i, k, n;
	long best = -1;
	int whole;

	for (k = 0; s[k]; k++) {
		for (i = 0; i < nlist; i++) {
			/* A word at a word's start; a mark anywhere ("MLS#"). */
			if (k > 0 && isalpha((unsigned char)s[k - 1]) &&
			    isalpha((unsigned char)list[i][0]))
				continue;
			n = strlen(list[i]);
			whole = list[i][n - 1] == '$';
			n -= whole;
			if (strncmp(s + k, list[i], n) == 0 &&
			    !(whole && isalpha((unsigned char)s[k + n])))
				best = (long)k;
		}
	}
	return best;
}

static int
word_at(const char *s, const char *const *list, size_t nlist)
{
	size_t i, n;

	for (i = 0; i < nlist; i++) {
		n = strlen(list[i]);
		if (strncasecmp(s, list[i], n) == 0 &&
		    !isalpha((unsigned char)s[n]))
			return 1;
	}
	return 0;
}

/* An amount: a currency or unit right before or after the number. */
static int
amount(const char *text, const struct cand *c)
{
	const char *after = text + c->end;
	size_t i, n, b = c->start;

	while (*after == ' ')
		after++;
	if (word_at(after, amount_words, NELEM(amount_words)))
		return 1;
	while (b > 0 && text[b - 1] == ' ')
		b--;
	for (i = 0; i < NELEM(amount_words); i++) {
		n = strlen(amount_words[i]);
		if (b >= n &&
		    strncasecmp(text + b - n, amount_words[i], n) == 0 &&
		    (b == n || !isalpha((unsigned char)text[b - n - 1])))
			return 1;
	}
	return 0;
}

static int
date_at(const struct cand *c, size_t g)
{
	const size_t *s = c->groups + g;

	if (g + 3 > c->ngroups)
		return 0;
	if (c->seps[g] != c->seps[g + 1] || !strchr("./-", c->seps[g]))
		return 0;
	/* "06.12.34.56.78" goes on as it started: a number. */
	if (g + 3 < c->ngroups && c->seps[g + 2] == c->seps[g])
		return 0;
	return (s[0] <= 2 && s[1] <= 2 && (s[2] == 2 || s[2] == 4)) ||
	    (s[0] == 4 && s[1] <= 2 && s[2] <= 2);
}

/* "1.250.000", "10.30-12.00", "1998-2004", "1100-053", "62704-1234". */
static int
not_a_phone(const struct cand *c, const char *text)
{
	size_t i, small = 0;
	int dot = 0, dash = 0;

	if (!c->plus && c->ngroups >= 3 && date_at(c, 0))
		return 1;
	for (i = 0; i < c->ngroups; i++) {
		dot |= c->seps[i] == '.';
		dash |= c->seps[i] == '-';
		small += c->groups[i] <= 2;
	}
	if (dot && dash && small == c->ngroups)
		return 1;
	/* "198.51.100.23": an IP address (numbers have their trunk 0). */
	if (c->ngroups == 4 && !c->plus && text[c->start] != '0' &&
	    c->seps[0] == '.' && c->seps[1] == '.' && c->seps[2] == '.' &&
	    c->groups[0] <= 3 && c->groups[1] <= 3 && c->groups[2] <= 3 &&
	    c->groups[3] <= 3)
		return 1;
	if (dot && !c->plus && text[c->start] != '0' && c->groups[0] <= 3 &&
	    c->ngroups >= 2) {
		for (i = 1; i < c->ngroups && c->groups[i] == 3 &&
		    (c->seps[i - 1] == '.' || c->seps[i - 1] == '\''); i++)
			;
		if (i == c->ngroups)
			return 1;
	}
	if (c->ngroups == 2 && c->seps[0] == '-' && ((c->groups[0] == 4 &&
	    c->groups[1] == 4 && (text[c->start] == '1' ||
	    text[c->start] == '2')) || (c->groups[0] == 4 &&
	    c->groups[1] == 3) || (c->groups[0] == 5 && c->groups[1] == 4)))
		return 1;
	return 0;
}

/*
 * "Musterstr. 12 10115 Berlin", "Via di Santa Cornelia 1000 - 00060
 * Formello": a house number and a postcode.
 */
static int
house_and_postcode(const char *text, const struct cand *c)
{
	const char *after = text + c->end;
	size_t last = c->groups[c->ngroups - 1];

	return c->digits <= 9 && c->ngroups == 2 && !c->plus &&
	    (last == 4 || last == 5) && after[0] == ' ' &&
	    (isupper((unsigned char)after[1]) ||
	    (unsigned char)after[1] >= 0xc3);
}

/* The number's verdict: 1 to take it. */
static int
accept(const char *text, const struct cand *c)
{
	char label[LABEL_SPAN + 1];
	const char *d = text + c->start;
	size_t digits = c->digits;
	long pos, neg;
	int intl, bare, alone;

	while (*d == '+' || *d == '(' || *d == ' ')
		d++;
	intl = c->plus || strncmp(d, "00", 2) == 0;
	if (!c->plus && intl)
		digits -= 2;
	if (digits < (intl ? 8u : DIGITS_MIN) || digits > DIGITS_MAX)
		return 0;
	if (isalnum((unsigned char)text[c->end]) || text[c->end] == '@' ||
	    (text[c->end] == ',' && isdigit((unsigned char)text[c->end + 1])))
		return 0;
	label_before(text, c->start, label, sizeof(label), &alone);
	pos = last_label(label, phone_labels, NELEM(phone_labels));
	neg = last_label(label, id_labels, NELEM(id_labels));
	if (neg > pos)
		return 0;
	if (not_a_phone(c, text) || amount(text, c))
		return 0;
	if (pos >= 0)
		return 1;
	/* Digits alone: from a trunk 0, or a line of their own. */
	bare = c->ngroups == 1 && !c->plus && !c->paren;
	if (bare && !(*d == '0' && digits >= 9) && !(alone && digits >= 9 &&
	    (text[c->end] == '\n' || text[c->end] == '\r' ||
	    text[c->end] == '\0')))
		return 0;
	return !house_and_postcode(text, c);
}

static void
add(struct phone_hit *hits, size_t max, size_t *n, const struct cand *c)
{
	if (*n < max) {
		hits[*n].off = c->start;
		hits[*n].len = c->end - c->start;
	}
	(*n)++;
}

size_t
phone_scan(const char *text, struct phone_hit *hits, size_t max)
{
	struct cand c;
	size_t i = 0, n = 0, next;

	if (text == NULL)
		return 0;
	while (text[i]) {
		if (!isdigit((unsigned char)text[i]) &&
		    !((text[i] == '+' || text[i] == '(') &&
		    isdigit((unsigned char)text[i + 1 + (text[i] == '+' &&
		    text[i + 1] == ' ')]))) {
			i++;
			continue;
		}
		extend(text, i, SIZE_MAX, &c);
		next = c.end > i ? c.end : i + 1;
		if (!left_ok(text, i)) {
			/* Part of a word, a URL or an IBAN: all of it. */
			i = next;
			continue;
		}
		if (c.ngroups >= 3 && !c.plus && date_at(&c, 0)) {
			/* A date, then maybe a number: "21.06.2024 0171...". */
			i = c.gend[2];
			continue;
		}
		if (c.digits > DIGITS_MAX && c.cut > 0) {
			/* Two numbers: "0171 2345678 / 030 1234567". */
			next = c.cut_resume;
			extend(text, i, c.cut, &c);
		}
		if (accept(text, &c))
			add(hits, max, &n, &c);
		i = next;
	}
	return n;
}

/*
 * Where a language is spoken, for step 6 of phone_country(): one = 1
 * when it is one country's (the first) as far as numbers go.
 */
static const struct {
	const char *lang;
	const char *countries;
	int one;
} languages[] = {
	{ "de", "DE AT CH LI LU BE", 0 },
	{ "fr", "FR BE CH LU CA", 0 },
	{ "en", "GB IE US CA AU NZ ZA", 0 },
	{ "nl", "NL BE", 0 },
	{ "it", "IT CH", 1 },
	{ "es", "ES", 1 }, { "ca", "ES", 1 }, { "gl", "ES", 1 },
	{ "eu", "ES", 1 }, { "pt", "PT", 1 }, { "pl", "PL", 1 },
	{ "cs", "CZ", 1 }, { "sk", "SK", 1 }, { "hu", "HU", 1 },
	{ "da", "DK", 1 }, { "sv", "SE FI", 1 }, { "nb", "NO", 1 },
	{ "nn", "NO", 1 }, { "no", "NO", 1 }, { "fi", "FI", 1 },
	{ "lb", "LU", 1 }, { "rm", "CH", 1 },
};

/* The countries phone_country() names: upper case, static. */
static const char *const isos[] = {
	"DE", "AT", "CH", "FR", "BE", "NL", "LU", "LI", "IT", "ES", "PT",
	"GB", "IE", "DK", "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "US",
	"CA", "AU", "NZ", "ZA",
};

static const char *
canon(const char *iso)
{
	size_t i;

	for (i = 0; iso != NULL && i < NELEM(isos); i++)
		if (strcasecmp(isos[i], iso) == 0)
			return isos[i];
	return NULL;
}

/* c when number (NULL: none to check) may be one of its. */
static const char *
fitting(const char *number, const char *c)
{
	c = canon(c);
	return c && (number == NULL || norm_phone_fits(number, c)) ? c : NULL;
}

static int
in_countries(const char *list, const char *c)
{
	const char *p;

	for (p = list; c != NULL && *p; p += 2 + (p[2] == ' '))
		if (strncasecmp(p, c, 2) == 0)
			return 1;
	return 0;
}

static int
language_of(const char *lang)
{
	size_t i;

	if (lang == NULL || strlen(lang) < 2 || isalpha((unsigned char)lang[2]))
		return -1;
	for (i = 0; i < NELEM(languages); i++)
		if (strncasecmp(lang, languages[i].lang, 2) == 0)
			return (int)i;
	return -1;
}

/*
 * The one country of list (space-separated) that ok() allows, else the
 * fallback when it is among them, else NULL.
 */
static const char *
one_of(const char *list, const char *postcode, const char *number,
    const char *fallback)
{
	const char *p, *found = NULL;
	char c[3];
	int n = 0, fb = 0;

	for (p = list; *p; p += 2 + (p[2] == ' ')) {
		memcpy(c, p, 2);
		c[2] = '\0';
		if (postcode && !postal_fits(postcode, c))
			continue;
		if (number && !norm_phone_fits(number, c))
			continue;
		fb |= fallback && strcasecmp(c, fallback) == 0;
		if (n++ == 0)
			found = canon(c);
	}
	if (n == 1)
		return found;
	return fb ? canon(fallback) : NULL;
}

/* Step 4: the postcode's country, by itself or with the language. */
static const char *
postcode_country(const char *number, const struct phone_evidence *ev)
{
	struct postal pc;
	const char *c = NULL;
	char *text;
	int l;

	if (ev->postcode == NULL)
		return NULL;
	text = xasprintf("%s %s", ev->postcode, ev->city ? ev->city : "");
	if (postal_parse(text, NULL, &pc) == 0 && pc.country[0])
		c = fitting(number, pc.country);
	else if ((l = language_of(ev->language)) >= 0 && pc.postcode)
		c = one_of(languages[l].countries, pc.postcode, number,
		    ev->fallback);
	postal_clear(&pc);
	free(text);
	return c;
}

/* Step 5: the code the prospect's numbers with one agree on. */
static const char *
numbers_country(const char *number, const struct phone_evidence *ev)
{
	const char *c, *agreed = NULL;
	size_t i;

	for (i = 0; ev->numbers != NULL && i < ev->nnumbers; i++) {
		if ((c = norm_phone_country(ev->numbers[i])) == NULL)
			continue;
		if (agreed && strcmp(agreed, c) != 0)
			return NULL;
		agreed = c;
	}
	return fitting(number, agreed);
}

/* Step 6: the language, where it tells. */
static const char *
language_country(const char *number, const struct phone_evidence *ev)
{
	int l = language_of(ev->language);
	char one[3];

	if (l < 0)
		return NULL;
	if (ev->fallback && in_countries(languages[l].countries,
	    ev->fallback) && fitting(number, ev->fallback))
		return canon(ev->fallback);
	if (languages[l].one) {
		memcpy(one, languages[l].countries, 2);
		one[2] = '\0';
		return fitting(number, one);
	}
	return number ? one_of(languages[l].countries, NULL, number, NULL) :
	    NULL;
}

const char *
phone_country(const char *number, const struct phone_evidence *ev)
{
	const char *c;

	if (number != NULL && norm_phone_has_code(number))
		return canon(norm_phone_country(number));
	if ((c = fitting(number, ev->country)) != NULL ||
	    (c = fitting(number, ev->portal)) != NULL ||
	    (c = postcode_country(number, ev)) != NULL ||
	    (c = numbers_country(number, ev)) != NULL ||
	    (number && (c = language_country(number, ev)) != NULL))
		return c;
	/* A fallback we do not know still goes to norm_phone() to refuse. */
	if ((c = canon(ev->fallback)) != NULL)
		return c;
	return ev->fallback;
}
