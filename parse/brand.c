/* The portal of an unknown notification, by its sender's name. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/fold.h"
#include "parse/addr.h"
#include "parse/brand.h"
#include "parse/lexicon.h"
#include "parse/mail.h"
#include "parse/parse_data.h"

#define BRAND_MAX	128

/* Second-level labels under a country code: "co.uk", "com.br". */
static const char *const second_levels[] = {
	"co", "com", "net", "org", "ac", "gov", "edu", "or", "ne", "gob",
};

/* Base letters of U+00E0..U+00FF and U+0100..U+017F, folded ('_': none). */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo_ouuuuyty";
static const char latin_ext_a[] =
    "aaaaaacccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii"
    "ii" "jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr"
    "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* The base letter of a folded code point, or 0. */
static char
base_letter(unsigned c)
{
	char b = 0;

	if (c < 0x80 && isalnum((int)c))
		b = (char)tolower((int)c);
	else if (c == 0xdf)
		b = 's';
	else if (c >= 0xe0 && c <= 0xff)
		b = latin1[c - 0xe0];
	else if (c >= 0x100 && c <= 0x17f)
		b = latin_ext_a[c - 0x100];
	return b == '_' ? 0 : b;
}

size_t
brand_letters(const char *s, char *out, size_t size)
{
	size_t n = 0;
	unsigned c;
	char b;

	if (size == 0)
		return 0;
	while (s != NULL && *s != '\0') {
		c = fold_char(&s);
		if ((b = base_letter(c)) == 0)
			continue;
		if (n + 1 >= size)
			break;
		out[n++] = b;
	}
	out[n] = '\0';
	return n;
}

size_t
brand_at(const char *s, size_t n, const char *brand)
{
	const char *p = s, *end = s + n;
	size_t k = 0, len = brand ? strlen(brand) : 0;
	char b;

	if (len == 0)
		return 0;
	while (p < end && k < len) {
		if (k > 0 && (*p == ' ' || *p == '.' || *p == '-')) {
			p++;
			continue;
		}
		b = base_letter(fold_char(&p));
		if (p > end || b != brand[k])
			return 0;
		k++;
	}
	if (k < len)
		return 0;
	/* The brand ends a word: "Booli-ID", not "Boolinger". */
	if (p < end) {
		const char *q = p;

		if (base_letter(fold_char(&q)) != 0)
			return 0;
	}
	return (size_t)(p - s);
}

size_t
brand_of_domain(const char *domain, char *out, size_t size)
{
	const char *end, *start, *p;
	size_t i, n;

	if (domain == NULL || size == 0)
		return 0;
	end = domain + strlen(domain);
	while (end > domain && end[-1] == '.')
		end--;
	/* Off with the top-level label. */
	for (p = end; p > domain && p[-1] != '.'; p--)
		;
	if (p == domain)
		return 0;
	end = p - 1;
	for (;;) {
		for (start = end; start > domain && start[-1] != '.'; start--)
			;
		n = (size_t)(end - start);
		for (i = 0; i < sizeof(second_levels) / sizeof(*second_levels);
		    i++)
			if (strlen(second_levels[i]) == n &&
			    strncasecmp(start, second_levels[i], n) == 0)
				break;
		if (i == sizeof(second_levels) / sizeof(*second_levels) ||
		    start == domain)
			break;
		end = start - 1;
	}
	if (n == 0 || n >= size)
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

const char *
brand_portal(const struct extract_ctx *x, const char *prospect)
{
	const struct mail *m = x->m;
	const char *const *forms;
	const char *d;
	char brand[BRAND_MAX], name[BRAND_MAX];

	if (m->from_addr == NULL || m->from_name == NULL ||
	    (d = domain_of(m->from_addr)) == NULL)
		return NULL;
	if (prospect != NULL && strcasecmp(prospect, m->from_addr) == 0)
		return NULL;
	if (own_domain(x, d))
		return NULL;
	if (brand_of_domain(d, brand, sizeof(brand)) < 2 ||
	    brand_letters(m->from_name, name, sizeof(name)) == 0)
		return NULL;
	/* "Trade Me" for trademe, "KV.EE" for kv, "ZAP Imóveis" too. */
	if (strncmp(name, brand, strlen(brand)) != 0 &&
	    strstr(brand, name) == NULL)
		return NULL;
	forms = parse_data_words(x->pd, LEX_FORM_WORDS);
	if (brand_names_form(forms, m->from_name) || brand_names_form(forms, m->subject))
		return NULL;
	return m->from_name;
}
