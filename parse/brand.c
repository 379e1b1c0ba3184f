/* The portal of an unknown notification, by its sender's name. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/fold.h"
#include "util/utf8.h"
#include "parse/addr.h"
#include "parse/brand.h"
#include "parse/lexicon.h"
#include "parse/mail.h"
#include "parse/parse_data.h"

#define BRAND_MAX	128

/* Base letters of U+00E0..U+00FF and U+0100..U+017F, folded ('_': none). */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
static const char latin_ext_a[] =
    "aaaaaacccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii"
    "ii" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr"
    "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/*
 * Cyrillic letters U+0430..U+045F as brands romanise them ("ЦИАН" is
 * cian.ru, "Авито" avito.ru): one spelling each, the soft and hard
 * signs none.
 */
static const char *const cyrillic[] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m",
	"n", "o", "p", "r", "s", "t", "u", "f", "h", "c", "ch", "sh", "shch",
	"", "y", "", "e", "yu", "ya",
	"e", "e", "dj", "g", "ye", "dz", "i", "yi", "j", "lj", "nj", "c",
	"k", "i", "u", "dz",
};

/*
 * The character at *p: a Cyrillic letter as its code point (fold_char()
 * gives its bytes alone), else folded; *p moves past it.
 */
static unsigned
next_char(const char **p)
{
	unsigned char lead = (unsigned char)**p;
	uint32_t c;
	size_t len;

	if (lead >= 0xd0 && lead <= 0xd2) {
		c = utf8_decode(*p, &len);
		if (c >= 0x400 && c <= 0x4ff) {
			*p += len;
			return c;
		}
	}
	return fold_char(p);
}

/*
 * The base letters of a folded code point: one for a Latin letter, a
 * digit or a Cyrillic letter with a one-letter romanisation, more for
 * others ("щ" "shch"), "" for anything else. buf holds a single one.
 */
static const char *
base_letters(unsigned c, char buf[2])
{
	char b = 0;

	if (c >= 0x400 && c <= 0x40f)
		c += 0x50;
	else if (c >= 0x410 && c <= 0x42f)
		c += 0x20;
	if (c >= 0x430 && c <= 0x45f)
		return cyrillic[c - 0x430];
	if (c == 0x490 || c == 0x491)
		return "g";
	if (c < 0x80 && isalnum((int)c))
		b = (char)tolower((int)c);
	else if (c == 0xdf)
		b = 's';
	else if (c >= 0xe0 && c <= 0xff)
		b = latin1[c - 0xe0];
	else if (c >= 0x100 && c <= 0x17f)
		b = latin_ext_a[c - 0x100];
	buf[0] = b == '_' ? 0 : b;
	buf[1] = '\0';
	return buf;
}

size_t
brand_letters(const char *s, char *out, size_t size)
{
	size_t n = 0, len;
	const char *b;
	char buf[2];

	if (size == 0)
		return 0;
	while (s != NULL && *s != '\0') {
		b = base_letters(next_char(&s), buf);
		if ((len = strlen(b)) == 0)
			continue;
		if (n + len >= size)
			break;
		memcpy(out + n, b, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

size_t
brand_at(const char *s, size_t n, const char *brand)
{
	const char *p = s, *end = s + n, *b;
	size_t k = 0, bl, len = brand ? strlen(brand) : 0;
	char buf[2];

	if (len == 0)
		return 0;
	while (p < end && k < len) {
		if (k > 0 && (*p == ' ' || *p == '.' || *p == '-')) {
			p++;
			continue;
		}
		b = base_letters(next_char(&p), buf);
		bl = strlen(b);
		if (p > end || bl == 0 || bl > len - k ||
		    memcmp(b, brand + k, bl) != 0)
			return 0;
		k += bl;
	}
	if (k < len)
		return 0;
	/* The brand ends a word: "Booli-ID", not "Boolinger". */
	if (p < end) {
		const char *q = p;

		if (*base_letters(next_char(&q), buf) != '\0')
			return 0;
	}
	return (size_t)(p - s);
}

size_t
brand_of_domain(const char *domain, char *out, size_t size)
{
	const char *start, *end, *p;
	size_t i;

	if (domain == NULL || size == 0 || !addr_domain_label(domain, &start, &end) ||
	    (size_t)(end - start) >= size)
		return 0;
	for (i = 0, p = start; p < end; p++)
		if (isalnum((unsigned char)*p))
			out[i++] = (char)tolower((unsigned char)*p);
	out[i] = '\0';
	return i;
}

static const char *
domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at ? at + 1 : NULL;
}

static int
own_domain(const struct extract_ctx *x, const char *d)
{
	return addr_agency_domain(x->env->own_domains, x->m->to, d);
}

int
brand_names_form(const char *const *words, const char *s)
{
	char key[512], w[128];
	const char *at;
	size_t i;

	if (s == NULL || words == NULL ||
	    fold_key(s, strlen(s), key, sizeof(key)) == (size_t)-1)
		return 0;
	for (i = 0; words[i] != NULL; i++) {
		if (fold_key(words[i], strlen(words[i]), w, sizeof(w)) ==
		    (size_t)-1 || w[0] == '\0')
			continue;
		/* At the start of a word: "Formspree", not "Information". */
		for (at = key; (at = strstr(at, w)) != NULL; at++)
			if (at == key || !(isalnum((unsigned char)at[-1]) ||
			    (unsigned char)at[-1] >= 0x80))
				return 1;
	}
	return 0;
}

/* Do the letters of a display name spell brand? */
static int
spells(const char *name, const char *brand)
{
	return brand[0] != '\0' && (strncmp(name, brand,
	    strlen(brand)) == 0 || strstr(brand, name) != NULL);
}

/*
 * The part of From's display name that names its sender: all of it, or
 * what follows a via word ("Emily via Kijiji").
 */
static const char *
sender_part(const struct extract_ctx *x)
{
	const char *const *via = parse_data_words(x->pd, LEX_VIA_WORDS);
	const char *name = x->m->from_name, *p;
	size_t i, n;

	for (i = 0; via != NULL && via[i] != NULL; i++) {
		n = strlen(via[i]);
		for (p = name; (p = strcasestr(p, via[i])) != NULL; p += n)
			if (p > name && p[-1] == ' ' && p[n] == ' ' &&
			    p[n + 1] != '\0')
				return p + n + 1;
	}
	return name;
}

const char *
brand_portal(const struct extract_ctx *x, const char *prospect)
{
	const struct mail *m = x->m;
	const char *const *forms;
	const char *d, *start, *end, *sender;
	char brand[BRAND_MAX], host[BRAND_MAX], name[BRAND_MAX];
	size_t n;

	if (m->from_addr == NULL || m->from_name == NULL ||
	    (d = domain_of(m->from_addr)) == NULL)
		return NULL;
	if (prospect != NULL && strcasecmp(prospect, m->from_addr) == 0)
		return NULL;
	if (own_domain(x, d))
		return NULL;
	if (brand_of_domain(d, brand, sizeof(brand)) < 2 ||
	    !addr_domain_label(d, &start, &end) || (n = (size_t)(end - d)) >=
	    sizeof(host))
		return NULL;
	/* "DIM.RIA" for dim.ria.com: the labels before the suffix. */
	memcpy(host, d, n);
	host[n] = '\0';
	brand_letters(host, host, sizeof(host));
	sender = sender_part(x);
	/*
	 * "Trade Me" for trademe, "KV.EE" for kv, "ZAP Imóveis" too. A
	 * name in a script not read as letters ("직방", "عقار") cannot
	 * spell it: a machine's address says it is no person's.
	 */
	if (brand_letters(sender, name, sizeof(name)) == 0) {
		if (!parse_data_machine(x->pd, m->from_addr))
			return NULL;
	} else if (!spells(name, brand) && !spells(name, host))
		return NULL;
	forms = parse_data_words(x->pd, LEX_FORM_WORDS);
	if (brand_names_form(forms, m->from_name) || brand_names_form(forms, m->subject))
		return NULL;
	return sender;
}

int
brand_via(const struct extract_ctx *x)
{
	return x->m->from_name != NULL && sender_part(x) != x->m->from_name;
}

int
brand_notice(const struct extract_ctx *x)
{
	const char *d = domain_of(x->m->from_addr);
	const char *r = domain_of(x->m->reply_to_addr);

	if (d == NULL)
		return 0;
	return parse_data_machine(x->pd, x->m->from_addr) ||
	    (r != NULL && strcasecmp(r, d) != 0);
}
