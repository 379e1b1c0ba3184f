/*
 * Postal addresses by country: a table of postcode shapes, orders,
 * prefixes, names and regions, and one pass that finds the postcode and
 * takes the city and the street around it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "parse/postal.h"

#define SEG_MAX		24
#define CAND_MAX	32
#define TEXT_MAX	1024

enum order {
	PC_CITY,	/* "10115 Berlin" */
	CITY_PC,	/* "Brighton BN2 1TL", "Springfield, IL 62704" */
};

/*
 * Shapes: 9 a digit, A an upper-case letter, a a letter of either case,
 * x a letter or digit, _ a space or none, anything else itself;
 * alternatives separated by "|". Prefixes go before a "-" ("D-10115").
 * Names are the country's own and its names in the languages of the
 * lexicon, compared without case against a whole part of the address.
 * Regions ("|IL|NY|") are state, province and county codes written next
 * to the postcode (US, CA, AU: before it) or after the city (IT: "40121
 * Bologna BO", "Bologna (BO)").
 */
static const struct country {
	const char *iso;
	enum order order;
	const char *shapes;
	const char *prefixes;
	const char *names;
	const char *regions;
} countries[] = {
	{ "DE", PC_CITY, "99999", "D|DE",
	    "Deutschland|Germany|Allemagne|Germania|Alemania|Alemanha|"
	    "Duitsland|Niemcy|Německo|Tyskland|Saksa|Németország", NULL },
	{ "AT", PC_CITY, "9999", "A|AT",
	    "Österreich|Austria|Autriche|Oostenrijk|Rakousko|Østrig|"
	    "Österrike|Itävalta|Ausztria", NULL },
	{ "CH", PC_CITY, "9999", "CH",
	    "Schweiz|Suisse|Svizzera|Svizra|Switzerland|Suiza|Suíça|"
	    "Zwitserland|Szwajcaria|Švýcarsko|Sveits|Sveitsi|Svájc", NULL },
	{ "FR", PC_CITY, "99999", "F|FR",
	    "France|Frankreich|Francia|França|Frankrijk|Francja|Francie|"
	    "Frankrike|Frankrig|Ranska|Franciaország", NULL },
	{ "BE", PC_CITY, "9999", "B|BE",
	    "Belgique|België|Belgien|Belgium|Belgio|Bélgica|Belgia|"
	    "Belgie", NULL },
	{ "NL", PC_CITY, "9999_AA", "NL",
	    "Nederland|Netherlands|The Netherlands|Niederlande|Pays-Bas|"
	    "Paesi Bassi|Países Bajos|Holanda|Holandia|Nizozemsko", NULL },
	{ "LU", PC_CITY, "9999", "L|LU",
	    "Luxembourg|Luxemburg|Lussemburgo|Luxemburgo|Lëtzebuerg", NULL },
	{ "IT", PC_CITY, "99999", "I|IT",
	    "Italia|Italy|Italien|Italie|Itália|Italië|Włochy|Itálie",
	    "|AG|AL|AN|AO|AP|AQ|AR|AT|AV|BA|BG|BI|BL|BN|BO|BR|BS|BT|BZ|CA|"
	    "CB|CE|CH|CL|CN|CO|CR|CS|CT|CZ|EN|FC|FE|FG|FI|FM|FR|GE|GO|GR|"
	    "IM|IS|KR|LC|LE|LI|LO|LT|LU|MB|MC|ME|MI|MN|MO|MS|MT|NA|NO|NU|"
	    "OR|PA|PC|PD|PE|PG|PI|PN|PO|PR|PT|PU|PV|PZ|RA|RC|RE|RG|RI|RM|"
	    "RN|RO|SA|SI|SO|SP|SR|SS|SU|SV|TA|TE|TN|TO|TP|TR|TS|TV|UD|VA|"
	    "VB|VC|VE|VI|VR|VT|VV|" },
	{ "ES", PC_CITY, "99999", "E|ES",
	    "España|Espana|Spain|Spanien|Espagne|Spagna|Espanha|Spanje|"
	    "Hiszpania|Španělsko|Espanya", NULL },
	{ "PT", PC_CITY, "9999-999", "P|PT",
	    "Portugal|Portogallo|Portugalia|Portugalsko", NULL },
	{ "GB", CITY_PC,
	    "a9_9aa|a99_9aa|aa9_9aa|aa99_9aa|a9a_9aa|aa9a_9aa", "GB|UK",
	    "United Kingdom|UK|U.K.|Great Britain|England|Scotland|Wales|"
	    "Northern Ireland|Vereinigtes Königreich|Royaume-Uni|"
	    "Regno Unito|Reino Unido|Verenigd Koninkrijk|Wielka Brytania|"
	    "Storbritannien|Storbritannia|Iso-Britannia", NULL },
	{ "IE", CITY_PC, "a99_xxxx|a9W_xxxx", "IRL",
	    "Ireland|Éire|Eire|Irland|Irlande|Irlanda|Ierland|Irlandia|"
	    "Republic of Ireland", NULL },
	{ "US", CITY_PC, "99999-9999|99999", "US",
	    "United States|United States of America|USA|U.S.A.|U.S.|"
	    "Vereinigte Staaten|États-Unis|Stati Uniti|Estados Unidos",
	    "|AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|"
	    "MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|PR|"
	    "RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|" },
	{ "CA", CITY_PC, "a9a_9a9", "CA", "Canada|Kanada",
	    "|AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|" },
	{ "AU", CITY_PC, "9999", "AU", "Australia|Australien|Australie",
	    "|ACT|NSW|NT|QLD|SA|TAS|VIC|WA|" },
	{ "NZ", CITY_PC, "9999", "NZ", "New Zealand|Neuseeland|Aotearoa",
	    NULL },
	{ "ZA", CITY_PC, "9999", "ZA",
	    "South Africa|Südafrika|Afrique du Sud|Suid-Afrika", NULL },
	{ "PL", PC_CITY, "99-999", "PL",
	    "Polska|Poland|Polen|Pologne|Polonia|Polsko", NULL },
	{ "CZ", PC_CITY, "999_99", "CZ",
	    "Česko|Česká republika|Czech Republic|Czechia|Tschechien|"
	    "République tchèque|Repubblica Ceca|Chequia|Tsjechië|Czechy",
	    NULL },
	{ "SK", PC_CITY, "999_99", "SK",
	    "Slovensko|Slovakia|Slowakei|Slovaquie|Slovacchia|Eslovaquia|"
	    "Słowacja", NULL },
	{ "SE", PC_CITY, "999_99", "S|SE",
	    "Sverige|Sweden|Schweden|Suède|Svezia|Suecia|Suécia|Zweden|"
	    "Szwecja|Ruotsi|Švédsko", NULL },
	{ "DK", PC_CITY, "9999", "DK",
	    "Danmark|Denmark|Dänemark|Danemark|Danimarca|Dinamarca|"
	    "Denemarken|Dania|Dánsko|Tanska", NULL },
	{ "NO", PC_CITY, "9999", "N|NO",
	    "Norge|Noreg|Norway|Norwegen|Norvège|Norvegia|Noruega|"
	    "Noorwegen|Norwegia|Norsko|Norja", NULL },
	{ "FI", PC_CITY, "99999", "FI|FIN",
	    "Suomi|Finland|Finnland|Finlande|Finlandia|Finlândia|Finsko",
	    NULL },
	{ "HU", PC_CITY, "9999", "H|HU",
	    "Magyarország|Hungary|Ungarn|Hongrie|Ungheria|Hungría|"
	    "Hongarije|Węgry|Maďarsko", NULL },
	{ "LI", PC_CITY, "9999", "FL|LI", "Liechtenstein", NULL },
	{ "LV", PC_CITY, "9999", "LV", "Latvija|Latvia|Lettland|Lettonie|"
	    "Lettonia|Letonia|Letland|Łotwa|Lotyšsko", NULL },
	{ "LT", PC_CITY, "99999", "LT", "Lietuva|Lithuania|Litauen|Lituanie|"
	    "Lituania|Litouwen|Litwa|Litva", NULL },
	{ "EE", PC_CITY, "99999", "EE", "Eesti|Estonia|Estland|Estonie|"
	    "Estónia|Estonsko", NULL },
	{ "GR", PC_CITY, "999_99", "GR", "Ελλάδα|Greece|Griechenland|Grèce|"
	    "Grecia|Grécia|Griekenland|Grecja|Řecko", NULL },
	{ "MT", CITY_PC, "AAA_9999", "MT", "Malta", NULL },
	{ "HR", PC_CITY, "99999", "HR", "Hrvatska|Croatia|Kroatien|Croatie|"
	    "Croazia|Croacia|Kroatië|Chorwacja|Chorvatsko", NULL },
	{ "SI", PC_CITY, "9999", "SI", "Slovenija|Slovenia|Slowenien|"
	    "Slovénie|Eslovenia|Slovenië|Słowenia|Slovinsko", NULL },
};

#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))
/* Sets of countries are bits of a uint64_t. */
_Static_assert(sizeof(countries) / sizeof(countries[0]) <= 64,
    "more countries than bits in a country set");

/* British and Irish counties: written between the post town and postcode. */
static const char *const counties[] = {
	"Avon", "Bedfordshire", "Berkshire", "Buckinghamshire",
	"Cambridgeshire", "Cheshire", "Cleveland", "Cornwall", "Cumbria",
	"Derbyshire", "Devon", "Dorset", "Durham", "County Durham",
	"East Sussex", "Essex", "Gloucestershire", "Greater London",
	"Greater Manchester", "Hampshire", "Herefordshire", "Hertfordshire",
	"Isle of Wight", "Kent", "Lancashire", "Leicestershire",
	"Lincolnshire", "Merseyside", "Middlesex", "Norfolk",
	"Northamptonshire", "Northumberland", "North Yorkshire",
	"Nottinghamshire", "Oxfordshire", "Rutland", "Shropshire", "Somerset",
	"South Yorkshire", "Staffordshire", "Suffolk", "Surrey",
	"Tyne and Wear", "Warwickshire", "West Midlands", "West Sussex",
	"West Yorkshire", "Wiltshire", "Worcestershire", "East Yorkshire",
	"Yorkshire", "Midlothian", "East Lothian", "West Lothian", "Lothian",
	"Fife", "Lanarkshire", "Ayrshire", "Aberdeenshire", "Highland",
	"Perthshire", "Argyll", "Dumfriesshire", "Gwynedd", "Powys", "Dyfed",
	"Clwyd", "Glamorgan", "Gwent", "County Antrim", "County Down",
	"County Armagh", "County Tyrone", "County Fermanagh",
	"County Londonderry",
};

struct cand {
	size_t seg;
	size_t pstart;		/* with the prefix */
	size_t start, end;	/* the postcode itself */
	uint64_t fits;		/* countries whose shape matches */
	int prefixed;		/* the prefix's country, or -1 */
	int score;
};

struct addr {
	char *seg[SEG_MAX];
	size_t nseg;
	int named;		/* country named by a part of its own, or -1 */
	int named_seg;
	const struct country *hint;
	struct cand c[CAND_MAX];
	size_t nc;
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
in_bars(const char *list, const char *s, size_t n)
{
	const char *p;

	for (p = list; p != NULL && *p; p += strcspn(p, "|"), p += *p == '|')
		if (strcspn(p, "|") == n && strncasecmp(p, s, n) == 0)
			return 1;
	return 0;
}

/* A region code of c ("IL"), s holding n bytes. */
static int
is_region(const struct country *c, const char *s, size_t n)
{
	char want[8];

	if (c->regions == NULL || n < 2 || n > 3)
		return 0;
	want[0] = '|';
	memcpy(want + 1, s, n);
	want[n + 1] = '|';
	want[n + 2] = '\0';
	return strstr(c->regions, want) != NULL;
}

static const struct country *
country_by_iso(const char *iso)
{
	size_t i;

	for (i = 0; iso != NULL && i < NCOUNTRIES; i++)
		if (strcasecmp(countries[i].iso, iso) == 0)
			return &countries[i];
	return NULL;
}

static int
named_country(const char *s)
{
	char name[64];
	const char *p;
	size_t i, n;

	for (i = 0; i < NCOUNTRIES; i++)
		for (p = countries[i].names; *p; p += n + (p[n] == '|')) {
			n = strcspn(p, "|");
			if (n >= sizeof(name))
				continue;
			memcpy(name, p, n);
			name[n] = '\0';
			if (utf8_casecmp(name, s) == 0)
				return (int)i;
		}
	return -1;
}

/* How many bytes of s one shape alternative (n bytes) matches; 0: none. */
static size_t
shape_match(const char *s, const char *shape, size_t n)
{
	size_t i, j = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[j];
		switch (shape[i]) {
		case '9':
			if (!isdigit(c))
				return 0;
			break;
		case 'A':
			if (!isupper(c))
				return 0;
			break;
		case 'a':
			if (!isalpha(c))
				return 0;
			break;
		case 'x':
			if (!isalnum(c))
				return 0;
			break;
		case '_':
			if (c == ' ')
				j++;
			continue;
		default:
			if (c != (unsigned char)shape[i])
				return 0;
			break;
		}
		j++;
	}
	return j;
}

static int
ends_token(const char *s)
{
	return *s == '\0' || *s == ' ' || *s == ')' || *s == ';';
}

/* The longest shape of c matching at s, ending a token; 0: none. */
static size_t
country_match(const struct country *c, const char *s)
{
	const char *p;
	size_t n, len, best = 0;

	for (p = c->shapes; *p; p += n + (p[n] == '|')) {
		n = strcspn(p, "|");
		len = shape_match(s, p, n);
		if (len > best && ends_token(s + len))
			best = len;
	}
	return best;
}

int
postal_fits(const char *postcode, const char *country)
{
	const struct country *c = country_by_iso(country);
	size_t i, len;

	if (postcode == NULL || (c == NULL && country != NULL))
		return 0;
	for (i = 0; i < NCOUNTRIES; i++) {
		if (c != NULL && &countries[i] != c)
			continue;
		len = country_match(&countries[i], postcode);
		if (len > 0 && postcode[len] == '\0')
			return 1;
	}
	return 0;
}

static void
add_cand(struct addr *a, size_t seg, size_t pstart, size_t start,
    size_t end, uint64_t fits, int prefixed)
{
	struct cand *c;

	if (a->nc == CAND_MAX || fits == 0)
		return;
	c = &a->c[a->nc++];
	memset(c, 0, sizeof(*c));
	c->seg = seg;
	c->pstart = pstart;
	c->start = start;
	c->end = end;
	c->fits = fits;
	c->prefixed = prefixed;
}

/*
 * Countries whose prefix is part of the postcode as they write it
 * ("LV-1001", "LT-01103", "L-1724"); elsewhere it is an old habit of
 * envelopes ("D-10115") and the postcode is what follows it.
 */
static const char *const prefix_kept[] = { "LV", "LT", "LU" };

static int
keeps_prefix(const struct country *co)
{
	for (size_t i = 0; i < sizeof(prefix_kept) / sizeof(prefix_kept[0]);
	    i++)
		if (strcmp(prefix_kept[i], co->iso) == 0)
			return 1;
	return 0;
}

/* "D-10115": a prefix of a country whose shape follows the dash. */
static void
try_prefix(struct addr *a, size_t seg, size_t at)
{
	const char *s = a->seg[seg] + at, *dash = strchr(s, '-');
	size_t i, n, len;

	if (dash == NULL || dash == s || dash - s > 3)
		return;
	n = (size_t)(dash - s);
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]))
			return;
	for (i = 0; i < NCOUNTRIES; i++)
		if (in_bars(countries[i].prefixes, s, n) &&
		    (len = country_match(&countries[i], dash + 1)) > 0) {
			add_cand(a, seg, at, at + n + 1, at + n + 1 + len,
			    UINT64_C(1) << i, (int)i);
			return;
		}
}

/* Every postcode-shaped token of every part. */
static void
find_cands(struct addr *a)
{
	const char *s;
	uint64_t fits;
	size_t seg, at, i, len, best;

	for (seg = 0; seg < a->nseg; seg++) {
		if ((int)seg == a->named_seg)
			continue;
		s = a->seg[seg];
		for (at = 0; s[at]; at++) {
			if (at > 0 && s[at - 1] != ' ' && s[at - 1] != '(')
				continue;
			try_prefix(a, seg, at);
			fits = 0;
			best = 0;
			for (i = 0; i < NCOUNTRIES; i++) {
				if ((len = country_match(&countries[i],
				    s + at)) == 0)
					continue;
				/* "99999-9999" beats "99999" of the same. */
				if (len > best)
					fits = 0;
				if (len >= best) {
					fits |= UINT64_C(1) << i;
					best = len;
				}
			}
			add_cand(a, seg, at, at, at + best, fits, -1);
		}
	}
}

static int
popcount(uint64_t v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The index of the lowest bit set in v (not 0). */
static int
lowest(uint64_t v)
{
	int i = 0;

	while (!(v & 1)) {
		v >>= 1;
		i++;
	}
	return i;
}

/* The token before [at] in a part, as pointer and length. */
static size_t
token_before(const char *s, size_t at, const char **tok)
{
	size_t end = at, start;

	while (end > 0 && s[end - 1] == ' ')
		end--;
	start = end;
	while (start > 0 && s[start - 1] != ' ')
		start--;
	*tok = s + start;
	return end - start;
}

/* The last token of s, without "(" ")" around it. */
static size_t
last_token(const char *s, const char **tok)
{
	size_t n = strlen(s), end = n, start;

	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == ')'))
		end--;
	start = end;
	while (start > 0 && s[start - 1] != ' ' && s[start - 1] != '(')
		start--;
	*tok = s + start;
	return end - start;
}

/* Countries of fits with a region code on the right side of c. */
static uint64_t
region_evidence(const struct addr *a, const struct cand *c)
{
	const char *s = a->seg[c->seg], *tok;
	uint64_t ev = 0;
	size_t i, n;

	for (i = 0; i < NCOUNTRIES; i++) {
		if (!(c->fits & (UINT64_C(1) << i)) ||
		    countries[i].regions == NULL)
			continue;
		if (countries[i].order == CITY_PC) {
			n = token_before(s, c->pstart, &tok);
			if (n == 0 && c->seg > 0)
				n = last_token(a->seg[c->seg - 1], &tok);
		} else {
			n = last_token(s + c->end, &tok);
			if (n == 0 && c->seg + 1 < a->nseg)
				n = last_token(a->seg[c->seg + 1], &tok);
		}
		if (is_region(&countries[i], tok, n))
			ev |= UINT64_C(1) << i;
	}
	return ev;
}

/* The country of a candidate by its evidence; -1 when not evident. */
static int
cand_country(const struct addr *a, const struct cand *c)
{
	uint64_t ev;

	if (c->prefixed >= 0)
		return c->prefixed;
	ev = region_evidence(a, c);
	if (popcount(ev) == 1)
		return lowest(ev);
	if (a->named >= 0 && (c->fits & (UINT64_C(1) << a->named)))
		return a->named;
	if (a->hint && (c->fits & (UINT64_C(1) << (a->hint - countries))))
		return (int)(a->hint - countries);
	if (popcount(c->fits) == 1)
		return lowest(c->fits);
	return -1;
}

/*
 * Later parts first (a house number comes before the postcode), then the
 * evidence: a prefix, a region, the named country, the hint, a shape of
 * one country only.
 */
static const struct cand *
best_cand(struct addr *a)
{
	struct cand *c, *best = NULL;
	const char *s;
	size_t i;

	for (i = 0; i < a->nc; i++) {
		c = &a->c[i];
		s = a->seg[c->seg];
		c->score = (int)c->seg * 10;
		if (c->prefixed >= 0)
			c->score += 100;
		if (region_evidence(a, c))
			c->score += 50;
		if (a->named >= 0 && (c->fits & (UINT64_C(1) << a->named)))
			c->score += 40;
		if (a->hint &&
		    (c->fits & (UINT64_C(1) << (a->hint - countries))))
			c->score += 30;
		if (popcount(c->fits) == 1)
			c->score += 20;
		/* A postcode starts or ends its part. */
		if (c->pstart == 0 || s[c->end] == '\0')
			c->score += 5;
		if (best == NULL || c->score > best->score ||
		    (c->score == best->score && c->seg == best->seg))
			best = c;
	}
	return best;
}

static void
trim(char *s)
{
	char *p = s, *end;

	while (*p == ' ')
		p++;
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == ','))
		*--end = '\0';
}

/* A district written after a city: "2", "3.", "15e", "XIII.", "N", "SØ". */
static int
district(const char *t, size_t n, int city_caps)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)t[i]))
		i++;
	if (i > 0 && i <= 2)
		return n == i || strncmp(t + i, ".", n - i) == 0 ||
		    (n - i <= 4 && (strncmp(t + i, "e", n - i) == 0 ||
		    strncmp(t + i, "er", n - i) == 0 ||
		    strncmp(t + i, "ème", n - i) == 0 ||
		    strncmp(t + i, "eme", n - i) == 0));
	if (i > 0)
		return 0;
	if (strspn(t, "IVXL") >= 1 && (strspn(t, "IVXL") == n ||
	    (strspn(t, "IVXL") == n - 1 && t[n - 1] == '.')))
		return !city_caps;
	/* Letters in capitals after a city that is not: "N", "SØ", "VIC". */
	if (n <= 4 && !city_caps) {
		char tok[8];

		memcpy(tok, t, n);
		tok[n] = '\0';
		return utf8_all_caps(tok) || (n == 1 && isupper(
		    (unsigned char)t[0])) || (n == 2 && (unsigned char)t[0] ==
		    0xc3 && utf8_is_upper(utf8_decode(tok, &i)));
	}
	return 0;
}

/* 1 when the words of s before its last one are written in capitals. */
static int
caps_before(const char *s, size_t last)
{
	char *head = xstrndup(s, last);
	int caps = utf8_all_caps(head);

	free(head);
	return caps;
}

/*
 * The city without what follows it: "(BO)", "BO", "N", "3.", "Cedex 03",
 * a region code of c. Something always stays.
 */
static void
clean_city(char *s, const struct country *c)
{
	const char *tok;
	char *p;
	size_t n, i;
	int again = 1;

	if ((p = strcasestr(s, " cedex")) != NULL && p > s)
		*p = '\0';
	while (again) {
		again = 0;
		trim(s);
		n = strlen(s);
		if (n > 0 && s[n - 1] == ')' && (p = strrchr(s, '(')) != NULL &&
		    p > s) {
			*p = '\0';
			again = 1;
			continue;
		}
		if ((p = strrchr(s, ' ')) == NULL)
			break;
		tok = p + 1;
		n = strlen(tok);
		for (i = 0; c == NULL && i < NCOUNTRIES; i++)
			if (is_region(&countries[i], tok, n) &&
			    !caps_before(s, (size_t)(p - s)))
				again = 1;
		if ((c && is_region(c, tok, n)) ||
		    district(tok, n, caps_before(s, (size_t)(p - s))))
			again = 1;
		if (again)
			*p = '\0';
	}
}

static int
has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

static int
is_county(const char *s)
{
	size_t i;

	if (strncasecmp(s, "Co. ", 4) == 0 || strncasecmp(s, "County ", 7) == 0)
		return 1;
	for (i = 0; i < NELEM(counties); i++)
		if (strcasecmp(counties[i], s) == 0)
			return 1;
	return 0;
}

/* Split a copy of text into trimmed parts at commas and line ends. */
static void
split(struct addr *a, char *s)
{
	char *p, *save = NULL;

	for (p = s; *p; p++)
		if (*p == '\t' || *p == '\r')
			*p = ' ';
	for (p = strtok_r(s, ",;\n", &save); p && a->nseg < SEG_MAX;
	    p = strtok_r(NULL, ",;\n", &save)) {
		trim(p);
		if (*p)
			a->seg[a->nseg++] = p;
	}
}

/* Text with runs of spaces (also U+00A0) as one space. */
static char *
squeeze(const char *text)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (s = text; *s && b.len < TEXT_MAX; s++) {
		if ((unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] == 0xa0) {
			s++;
			buf_addc(&b, ' ');
		} else if (*s == ' ' && b.len && b.data[b.len - 1] == ' ') {
			continue;
		} else {
			buf_addc(&b, *s);
		}
	}
	buf_addc(&b, '\0');
	return buf_detach(&b);
}

/* A house number's digits, not a phone's: "Egyetem tér 5.". */
static int
street_digits(const char *s)
{
	int d = 0;

	for (; *s; s++)
		d += isdigit((unsigned char)*s) != 0;
	return d > 0 && d <= 5;
}

/* Is s a house number alone ("1275", "12b")? */
static int
number_only(const char *s)
{
	size_t d = strspn(s, "0123456789");

	return d > 0 && (s[d] == '\0' || (isalpha((unsigned char)s[d]) &&
	    s[d + 1] == '\0'));
}

/* Street: the parts before index end, up to the last with a number. */
static char *
street_of(const struct addr *a, size_t end, const char *extra)
{
	struct buf b = BUF_INIT;
	size_t i, last = SIZE_MAX;

	for (i = 0; i < end; i++)
		if ((int)i != a->named_seg && has_digit(a->seg[i]))
			last = i;
	/* No number at all: the first part is the street. */
	if (last == SIZE_MAX && end > 0 && a->named_seg != 0)
		last = 0;
	/* "1275, rue Beaubien Est": a number alone, then its street. */
	if (last != SIZE_MAX && last + 1 < end && (int)last + 1 !=
	    a->named_seg && number_only(a->seg[last]) &&
	    !has_digit(a->seg[last + 1]))
		last++;
	for (i = 0; last != SIZE_MAX && i <= last; i++) {
		if ((int)i == a->named_seg)
			continue;
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, a->seg[i]);
	}
	if (extra && *extra) {
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, extra);
	}
	return b.len ? buf_detach(&b) : NULL;
}

static char *
postcode_of(const char *s, size_t n)
{
	char *pc = xstrndup(s, n), *p;

	for (p = pc; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return pc;
}

/*
 * A neighbour part as the city, when it can be one: no number once
 * cleaned ("Dublin 6" is Dublin), not a county. NULL otherwise.
 */
static char *
city_part(const struct addr *a, size_t i, const struct country *co)
{
	char *city;

	if (i >= a->nseg || (int)i == a->named_seg || is_county(a->seg[i]))
		return NULL;
	city = xstrdup(a->seg[i]);
	clean_city(city, co);
	if (*city && !has_digit(city))
		return city;
	free(city);
	return NULL;
}

static void
with_postcode(struct addr *a, const struct cand *c, struct postal *out)
{
	const struct country *co;
	enum order order;
	char *s = a->seg[c->seg], *before, *after, *city, *other;
	const char *rest;
	size_t city_seg = c->seg, i;
	int ci, first = -1;

	ci = cand_country(a, c);
	co = ci >= 0 ? &countries[ci] : NULL;
	if (co)
		memcpy(out->country, co->iso, 3);
	if (c->prefixed >= 0 && keeps_prefix(&countries[c->prefixed]))
		out->postcode = postcode_of(s + c->pstart, c->end - c->pstart);
	else
		out->postcode = postcode_of(s + c->start, c->end - c->start);
	before = xstrndup(s, c->pstart);
	after = xstrdup(s + c->end);
	trim(before);
	trim(after);
	if (co) {
		order = co->order;
	} else {
		/* Unknown country: the order all candidates agree on. */
		order = *after ? PC_CITY : CITY_PC;
		for (i = 0; i < NCOUNTRIES; i++)
			if (c->fits & (UINT64_C(1) << i)) {
				if (first < 0)
					first = (int)countries[i].order;
				else if (first != (int)countries[i].order)
					first = -2;
			}
		if (first >= 0)
			order = (enum order)first;
	}
	city = xstrdup(order == PC_CITY ? after : before);
	rest = order == PC_CITY ? before : after;
	clean_city(city, co);
	if (*city == '\0' || (co && is_region(co, city, strlen(city)))) {
		/* "Springfield, IL 62704", "D02 X285 Dublin", "Berlin 10115" */
		free(city);
		city = NULL;
		if (*rest && !has_digit(rest)) {
			city = xstrdup(rest);
			clean_city(city, co);
			rest = "";
		} else if (order == PC_CITY &&
		    (city = city_part(a, c->seg + 1, co)) != NULL) {
			;
		} else if (c->seg > 0 &&
		    (city = city_part(a, c->seg - 1, co)) != NULL) {
			city_seg--;
		} else {
			city = city_part(a, c->seg + 1, co);
		}
	} else if (is_county(city) && c->seg > 0 &&
	    (other = city_part(a, c->seg - 1, co)) != NULL) {
		/* "Kendal, Cumbria LA9 4PQ": the post town is before. */
		free(city);
		city = other;
		city_seg--;
	}
	while (city_seg > 0 && is_county(a->seg[city_seg - 1]))
		city_seg--;
	if (city && *city)
		out->city = city;
	else
		free(city);
	out->street = street_of(a, city_seg,
	    order == PC_CITY && has_digit(rest) ? rest : NULL);
	/*
	 * Nothing before: the street may follow, as Hungarian writes it
	 * ("4032 Debrecen, Egyetem tér 5.").
	 */
	for (i = c->seg + 1; out->street == NULL && i < a->nseg; i++)
		if ((int)i != a->named_seg && has_digit(a->seg[i]) &&
		    street_digits(a->seg[i]))
			out->street = xstrdup(a->seg[i]);
	free(before);
	free(after);
}

/* The one country whose region code tok is, or NULL. */
static const struct country *
region_country(const char *tok, size_t n)
{
	const struct country *found = NULL;
	size_t i;

	for (i = 0; i < NCOUNTRIES; i++)
		if (is_region(&countries[i], tok, n)) {
			if (found)
				return NULL;
			found = &countries[i];
		}
	return found;
}

/*
 * No postcode: the last part is the city when it has no number
 * ("Musterstr. 1, Berlin", "Bologna (BO)"), the parts before the street.
 */
static void
without_postcode(struct addr *a, struct postal *out)
{
	const struct country *co = a->named >= 0 ? &countries[a->named] : NULL;
	const char *tok;
	size_t i, last = a->nseg, n;
	char *city;

	for (i = a->nseg; i-- > 0;)
		if ((int)i != a->named_seg) {
			last = i;
			break;
		}
	if (last < a->nseg && !has_digit(a->seg[last])) {
		n = last_token(a->seg[last], &tok);
		if (co == NULL && tok > a->seg[last])
			co = region_country(tok, n);
		city = xstrdup(a->seg[last]);
		clean_city(city, co);
		if (*city)
			out->city = city;
		else
			free(city);
	} else {
		last = a->nseg;
	}
	out->street = street_of(a, last, NULL);
	if (co == NULL)
		co = a->hint;
	if (co)
		memcpy(out->country, co->iso, 3);
}

int
postal_parse(const char *text, const char *country, struct postal *out)
{
	struct addr a;
	const struct cand *c;
	char *copy;
	size_t i;
	int k;

	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return LG_EPERM;
	memset(&a, 0, sizeof(a));
	a.named = a.named_seg = -1;
	a.hint = country_by_iso(country);
	copy = squeeze(text);
	split(&a, copy);
	for (i = a.nseg; i-- > 0 && a.named < 0;)
		if ((k = named_country(a.seg[i])) >= 0) {
			a.named = k;
			a.named_seg = (int)i;
		}
	find_cands(&a);
	if ((c = best_cand(&a)) != NULL)
		with_postcode(&a, c, out);
	else
		without_postcode(&a, out);
	free(copy);
	return out->street || out->postcode || out->city || out->country[0] ?
	    LG_OK : LG_EPERM;
}

void
postal_clear(struct postal *p)
{
	if (p == NULL)
		return;
	free(p->street);
	free(p->postcode);
	free(p->city);
	memset(p, 0, sizeof(*p));
}
