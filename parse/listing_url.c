/*
 * A listing's id in a link to the portal's own site (listing_url.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"
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

/* The id in the path path[0..n): after a listing word, the last run. */
static char *
path_id(const char *path, size_t n, const char *const *words)
{
	const char *p = path, *end = path + n, *w, *id = NULL;
	size_t idn = 0, k;
	int seen = 0;

	while (p < end && *p != '?' && *p != '#') {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		for (w = p; p < end && isalnum((unsigned char)*p); p++)
			;
		k = (size_t)(p - w);
		if (!seen && is_word(w, k, words))
			seen = 1;
		else if (seen && k >= ID_MIN && k <= ID_MAX &&
		    strspn(w, "0123456789") >= k) {
			id = w;
			idn = k;
		}
	}
	return id != NULL ? xstrndup(id, idn) : NULL;
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
