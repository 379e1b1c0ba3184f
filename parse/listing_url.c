/*
 * A listing's id in a link to the portal's own site (listing_url.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"
#include "parse/addr.h"
#include "parse/brand.h"
#include "parse/listing_url.h"

#define BRAND_LEN	64
#define ID_MIN		5	/* digits of an id: fewer is a year, a size */
#define ID_MAX		12	/* more is a timestamp or a tracking code */

/* Where a URL that starts at s ends (space, quote, angle bracket). */
static size_t
url_len(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0' && !isspace((unsigned char)s[n]) &&
	    strchr("\"'<>()[]", s[n]) == NULL)
		n++;
	return n;
}

/* Is the host of u[0..n) (after "://") of the brand? */
static int
host_of(const char *u, size_t n, const char *brand)
{
	char host[256], b[BRAND_LEN];
	size_t h = 0;

	while (h < n && h + 1 < sizeof(host) && u[h] != '/' && u[h] != ':' &&
	    u[h] != '?' && u[h] != '#') {
		host[h] = u[h];
		h++;
	}
	host[h] = '\0';
	return brand_of_domain(host, b, sizeof(b)) > 0 &&
	    strcmp(b, brand) == 0;
}

/* Is p[0..n) one of words, without case? */
static int
is_word(const char *p, size_t n, const char *const *words)
{
	for (; words != NULL && *words != NULL; words++)
		if (strlen(*words) == n && strncasecmp(p, *words, n) == 0)
			return 1;
	return 0;
}

/* Letters and digits of an id with letters ("Xk72hP9d", "p998877"). */
#define MIXED_MIN	6
#define MIXED_MAX	16
#define MIXED_DIGITS	3
/* Digits of an id that no listing word announces ("...-15234789"). */
#define BARE_MIN	7

/* The digits among w[0..k). */
static size_t
digits(const char *w, size_t k)
{
	size_t i, d = 0;

	for (i = 0; i < k; i++)
		d += isdigit((unsigned char)w[i]) != 0;
	return d;
}

/*
 * The id of the last segment of the path when it reads as a listing's
 * page with no listing word before it: a slug of words ending in the
 * number ("departamento-en-venta-en-palermo--15234789") or the number
 * as the page's name ("7781234567.html"), BARE_MIN to ID_MAX digits.
 */
static char *
slug_id(const char *path, const char *end)
{
	const char *s, *e = end, *d;
	size_t k;
	int dot;

	while (e > path && e[-1] == '/')
		e--;
	for (s = e; s > path && s[-1] != '/'; s--)
		;
	/* "7781234567.html": the number is the page. */
	dot = e - s > 4 && (strncasecmp(e - 4, ".htm", 4) == 0 ||
	    (e - s > 5 && strncasecmp(e - 5, ".html", 5) == 0));
	if (dot)
		e = memrchr(s, '.', (size_t)(e - s));
	for (d = e; d > s && isdigit((unsigned char)d[-1]); d--)
		;
	k = (size_t)(e - d);
	if (k < BARE_MIN || k > ID_MAX)
		return NULL;
	if (d == s)
		return dot ? xstrndup(d, k) : NULL;
	/* A slug: words before it, the number joined by '-'. */
	if (d[-1] != '-' || memchr(s, '-', (size_t)(d - s - 1)) == NULL ||
	    digits(s, (size_t)(d - s)) * 2 >= (size_t)(d - s))
		return NULL;
	return xstrndup(d, k);
}

/*
 * The id in the path path[0..n): after a listing word, the last run of
 * digits alone, else the last of letters and digits; without a listing
 * word, the number a listing's page is named by (slug_id()).
 */
static char *
path_id(const char *path, size_t n, const char *const *words)
{
	const char *p = path, *end = path + n, *w, *id = NULL, *mixed = NULL;
	size_t idn = 0, mn = 0, k, d;
	int seen = 0;

	while (p < end && *p != '?' && *p != '#') {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		for (w = p; p < end && isalnum((unsigned char)*p); p++)
			;
		k = (size_t)(p - w);
		d = digits(w, k);
		if (!seen && is_word(w, k, words))
			seen = 1;
		else if (seen && k >= ID_MIN && k <= ID_MAX && d == k) {
			id = w;
			idn = k;
		} else if (seen && k >= MIXED_MIN && k <= MIXED_MAX &&
		    d >= MIXED_DIGITS && d < k) {
			mixed = w;
			mn = k;
		}
	}
	if (id != NULL)
		return xstrndup(id, idn);
	if (mixed != NULL)
		return xstrndup(mixed, mn);
	return seen ? NULL : slug_id(path, p);
}

char *
listing_url_id(const char *text, const char *domain,
    const char *const *words, char **url)
{
	char brand[BRAND_LEN], *id;
	const char *p, *u, *path;
	size_t n, skip;

	*url = NULL;
	if (text == NULL || domain == NULL ||
	    brand_of_domain(domain, brand, sizeof(brand)) == 0)
		return NULL;
	for (p = text; (p = strstr(p, "http")) != NULL; p += n) {
		n = url_len(p);
		if (strncasecmp(p, "https://", skip = 8) != 0 &&
		    strncasecmp(p, "http://", skip = 7) != 0)
			continue;
		u = p + skip;
		if (!host_of(u, n - skip, brand) ||
		    (path = memchr(u, '/', n - skip)) == NULL)
			continue;
		if ((id = path_id(path, (size_t)(p + n - path), words)) !=
		    NULL) {
			*url = xstrndup(p, n);
			return id;
		}
	}
	return NULL;
}

/*
 * An agency's reference in u[0..n): after '/', '=' or '-', capitals and
 * digits in groups joined by '-', with a capital, a digit and a '-',
 * ended by the URL's end, '/', '&', '?', '#', '.' or a '-' before the
 * slug of words ("BR-ZAB-311-byt-3-kk"); a new string, or NULL.
 */
static char *
path_ref(const char *u, size_t n)
{
	const char *p, *e, *end = u + n;
	int upper, digit, dash, slug;

	for (p = u; p < end; p++) {
		if (p == u || strchr("/=", p[-1]) == NULL)
			continue;
		upper = digit = dash = 0;
		for (e = p; e < end && (isupper((unsigned char)*e) ||
		    isdigit((unsigned char)*e) || *e == '-'); e++) {
			upper |= isupper((unsigned char)*e) != 0;
			digit |= isdigit((unsigned char)*e) != 0;
			dash |= *e == '-' && e > p && e[-1] != '-';
		}
		/* "BR-ZAB-311-byt": the slug after it is not the reference. */
		slug = e > p && e < end && e[-1] == '-' &&
		    islower((unsigned char)*e);
		while (e > p && e[-1] == '-')
			e--;
		if (e - p < 4 || !upper || !digit || !dash ||
		    memchr(p, '-', (size_t)(e - p)) == NULL ||
		    (!slug && e < end && strchr("/&?#.", *e) == NULL))
			continue;
		return xstrndup(p, (size_t)(e - p));
	}
	return NULL;
}

char *
listing_url_agency_ref(const char *text, const char *const *own_domains,
    const char *to, char **url)
{
	char host[256], *ref;
	const char *p, *u;
	size_t n, skip, h;

	*url = NULL;
	for (p = text; p != NULL && (p = strstr(p, "http")) != NULL; p += n) {
		n = url_len(p);
		if (strncasecmp(p, "https://", skip = 8) != 0 &&
		    strncasecmp(p, "http://", skip = 7) != 0)
			continue;
		u = p + skip;
		for (h = 0; h < n - skip && h + 1 < sizeof(host) &&
		    strchr("/:?#", u[h]) == NULL; h++)
			host[h] = u[h];
		host[h] = '\0';
		if (h == 0 || !addr_agency_domain(own_domains, to, host))
			continue;
		if ((ref = path_ref(u + h, n - skip - h)) != NULL) {
			*url = xstrndup(p, n);
			return ref;
		}
	}
	return NULL;
}
