#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/norm.h"

#define EMAIL_LOCAL_MAX 64
#define EMAIL_TOTAL_MAX 254
#define E164_MIN_DIGITS 7
#define E164_MAX_DIGITS 15

/*
 * How national numbers are written per country: the calling code, the
 * trunk prefix dropped after it ("0"; Hungary "06"; none in Italy, which
 * keeps its "0", Spain, Denmark...), and what a national number as
 * written (trunk included) looks like: space-separated rules
 * "START:MIN-MAX", START digits with N for 1-9, MIN-MAX its digits
 * ("0:10": ten digits from a 0; Belgium "0:9 04:10": nine, or ten for the
 * mobiles 04..). The shapes only tell countries apart (norm_phone_fits);
 * norm_phone() takes any length E.164 allows. +1 is the US first.
 */
static const struct country {
	const char *iso;
	const char *cc;
	const char *trunk;
	const char *shape;
} countries[] = {
	{ "DE", "49", "0", "0:7-13" },
	{ "AT", "43", "0", "0:6-14" },
	{ "CH", "41", "0", "0:10" },
	{ "FR", "33", "0", "0:10" },
	{ "BE", "32", "0", "0:9 04:10" },
	{ "NL", "31", "0", "0:10" },
	{ "LU", "352", "", "N:6-11" },
	{ "LI", "423", "", "N:7" },
	{ "IT", "39", "", "0:6-11 3:9-10" },
	{ "ES", "34", "", "6:9 7:9 8:9 9:9" },
	{ "PT", "351", "", "2:9 9:9" },
	{ "GB", "44", "0", "0:10-11" },
	{ "IE", "353", "0", "0:7-10" },
	{ "DK", "45", "", "N:8" },
	{ "SE", "46", "0", "0:7-10" },
	{ "NO", "47", "", "N:8" },
	{ "FI", "358", "0", "0:6-11" },
	{ "PL", "48", "", "N:9" },
	{ "CZ", "420", "", "N:9" },
	{ "SK", "421", "0", "0:9-10" },
	{ "HU", "36", "06", "06:10-11" },
	{ "US", "1", "", "N:10 1:11" },
	{ "CA", "1", "", "N:10 1:11" },
	{ "AU", "61", "0", "0:10" },
	{ "NZ", "64", "0", "0:8-11" },
	{ "ZA", "27", "0", "0:10" },
};

#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

static const struct country *
norm_country(const char *iso)
{
	size_t i;

	if (iso == NULL)
		return NULL;
	for (i = 0; i < NCOUNTRIES; i++)
		if (strcasecmp(countries[i].iso, iso) == 0)
			return &countries[i];
	return NULL;
}

int
norm_country_known(const char *country)
{
	return norm_country(country) != NULL;
}

static void
norm_trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int
norm_email_domain_ok(const char *d, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || d[0] == '.' || d[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)d[i];

		if (ch == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		/* UTF-8 (IDN) bytes pass; ASCII must be a hostname character. */
		if (ch < 0x80 && !isalnum(ch) && ch != '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return 1;
}

static int
norm_email_local_ok(const char *l, size_t len)
{
	size_t i;

	if (len == 0 || len > EMAIL_LOCAL_MAX || l[0] == '.' || l[len - 1] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)l[i];

		if (ch <= ' ' || ch == 0x7f || strchr("\"(),:;<>@[\\]", ch))
			return 0;
		if (ch == '.' && l[i + 1] == '.')
			return 0;
	}
	return 1;
}

int
norm_email(const char *given, char *out, size_t outlen, struct err *e)
{
	const char *s = given, *at;
	size_t len = strlen(given), i;

	norm_trim(&s, &len);
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	at = memrchr(s, '@', len);
	if (len == 0 || len > EMAIL_TOTAL_MAX || len >= outlen || at == NULL ||
	    !norm_email_local_ok(s, (size_t)(at - s)) ||
	    !norm_email_domain_ok(at + 1, len - (size_t)(at - s) - 1))
		return err_set(e, LG_EPERM, "malformed e-mail address '%.80s'",
		    given);
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[len] = '\0';
	return LG_OK;
}

/*
 * Keep digits and a leading '+'; drop the separators people write
 * ("+41 (0)44 123 45 67", "030/123-456"). Anything else is an error.
 */
static int
norm_phone_digits(const char *s, size_t len, char *dig, size_t diglen,
    int *plus)
{
	size_t i, n = 0;

	*plus = 0;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '+' && n == 0 && !*plus) {
			*plus = 1;
		} else if (ch == '(' && i + 2 < len && s[i + 1] == '0' &&
		    s[i + 2] == ')' && (*plus || n > 0)) {
			i += 2;		/* the "(0)" after a country code */
		} else if (isdigit((unsigned char)ch)) {
			if (n + 1 >= diglen)
				return -1;
			dig[n++] = ch;
		} else if (!strchr(" \t-./()", ch)) {
			return -1;
		}
	}
	dig[n] = '\0';
	return 0;
}

static int
norm_phone_intl(char *dig, int plus, const struct country *c, char *num,
    size_t numlen)
{
	const char *p = dig;

	if (plus)
		return snprintf(num, numlen, "%s", p);
	if (strncmp(p, "00", 2) == 0)
		return snprintf(num, numlen, "%s", p + 2);
	if (c == NULL)
		return -1;
	if (strcmp(c->cc, "1") == 0 && strlen(p) == 11 && p[0] == '1')
		return snprintf(num, numlen, "%s", p);
	if (*c->trunk && strncmp(p, c->trunk, strlen(c->trunk)) == 0)
		p += strlen(c->trunk);
	return snprintf(num, numlen, "%s%s", c->cc, p);
}

int
norm_phone(const char *given, const char *country, char *out, size_t outlen,
    struct err *e)
{
	char dig[64], num[64];
	const char *s = given;
	size_t len = strlen(given), n;
	int plus, r;

	norm_trim(&s, &len);
	if (len > 4 && strncasecmp(s, "tel:", 4) == 0) {
		s += 4;
		len -= 4;
	}
	if (norm_phone_digits(s, len, dig, sizeof(dig), &plus) != 0 || !*dig)
		return err_set(e, LG_EPERM, "malformed phone number '%.60s'",
		    given);
	r = norm_phone_intl(dig, plus, norm_country(country), num, sizeof(num));
	if (r < 0)
		return err_set(e, LG_EPERM, "phone number '%.60s' has no "
		    "country code and country '%s' is unknown", given,
		    country ? country : "");
	n = strlen(num);
	if (n < E164_MIN_DIGITS || n > E164_MAX_DIGITS || num[0] == '0')
		return err_set(e, LG_EPERM, "phone number '%.60s' is not a "
		    "valid international number", given);
	if (n + 2 > outlen)
		return err_set(e, LG_EPERM, "phone number '%.60s' too long",
		    given);
	snprintf(out, outlen, "+%s", num);
	return LG_OK;
}

/* The digits of given and whether it has a country code (+ or 00). */
static int
norm_phone_split(const char *given, char *dig, size_t diglen, int *intl)
{
	const char *s = given;
	size_t len = strlen(given);
	int plus;

	norm_trim(&s, &len);
	if (len > 4 && strncasecmp(s, "tel:", 4) == 0) {
		s += 4;
		len -= 4;
	}
	if (norm_phone_digits(s, len, dig, diglen, &plus) != 0 || !*dig)
		return -1;
	*intl = plus || strncmp(dig, "00", 2) == 0;
	if (*intl && !plus)
		memmove(dig, dig + 2, strlen(dig + 2) + 1);
	return 0;
}

/* One rule "START:MIN-MAX" of a shape against the digits. */
static int
norm_rule_fits(const char *rule, size_t rlen, const char *dig)
{
	const char *colon = memchr(rule, ':', rlen);
	size_t i, n = strlen(dig);
	int min, max;

	if (colon == NULL)
		return 0;
	for (i = 0; rule + i < colon; i++) {
		if (dig[i] == '\0')
			return 0;
		if (rule[i] == 'N' ? (dig[i] < '1' || dig[i] > '9') :
		    dig[i] != rule[i])
			return 0;
	}
	if (sscanf(colon + 1, "%d-%d", &min, &max) == 1)
		max = min;
	return (int)n >= min && (int)n <= max;
}

int
norm_phone_fits(const char *given, const char *country)
{
	const struct country *c = norm_country(country);
	const char *r, *end;
	char dig[64];
	int intl;

	if (c == NULL || norm_phone_split(given, dig, sizeof(dig), &intl) != 0)
		return 0;
	if (intl)
		return strncmp(dig, c->cc, strlen(c->cc)) == 0;
	for (r = c->shape; *r; r = *end ? end + 1 : end) {
		end = r + strcspn(r, " ");
		if (norm_rule_fits(r, (size_t)(end - r), dig))
			return 1;
	}
	return 0;
}

int
norm_phone_has_code(const char *given)
{
	char dig[64];
	int intl;

	return norm_phone_split(given, dig, sizeof(dig), &intl) == 0 && intl;
}

const char *
norm_phone_country(const char *given)
{
	const struct country *best = NULL;
	char dig[64];
	size_t i, n;
	int intl;

	if (norm_phone_split(given, dig, sizeof(dig), &intl) != 0 || !intl)
		return NULL;
	/* Calling codes are a prefix code: the longest match is the one. */
	for (i = 0; i < NCOUNTRIES; i++) {
		n = strlen(countries[i].cc);
		if (strncmp(dig, countries[i].cc, n) == 0 &&
		    (best == NULL || n > strlen(best->cc)))
			best = &countries[i];
	}
	return best ? best->iso : NULL;
}
