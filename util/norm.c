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
 * How national numbers are written per country: the calling code and
 * whether the leading trunk "0" is dropped (Italy keeps it; Spain and
 * Denmark have none).
 */
static const struct country {
	const char *iso;
	const char *cc;
	int drop_trunk_zero;
} countries[] = {
	{ "DE", "49", 1 }, { "AT", "43", 1 }, { "CH", "41", 1 },
	{ "FR", "33", 1 }, { "BE", "32", 1 }, { "NL", "31", 1 },
	{ "LU", "352", 0 }, { "LI", "423", 0 }, { "IT", "39", 0 },
	{ "ES", "34", 0 }, { "PT", "351", 0 }, { "GB", "44", 1 },
	{ "IE", "353", 1 }, { "DK", "45", 0 }, { "SE", "46", 1 },
	{ "NO", "47", 0 }, { "FI", "358", 1 }, { "PL", "48", 0 },
	{ "CZ", "420", 0 }, { "US", "1", 0 }, { "CA", "1", 0 },
};

static const struct country *
norm_country(const char *iso)
{
	size_t i;

	if (iso == NULL)
		return NULL;
	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
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
	if (c->drop_trunk_zero && p[0] == '0')
		p++;
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
