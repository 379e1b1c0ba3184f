/*
 * Normalization of what identifies a person: e-mail addresses (trimmed,
 * lower-cased, checked) and phone numbers (E.164, "+41441234567").
 */
#ifndef LG_NORM_H
#define LG_NORM_H

#include <stddef.h>

#include "util/err.h"

#define NORM_EMAIL_MAX 320
#define NORM_PHONE_MAX 20

int norm_email(const char *given, char *out, size_t outlen, struct err *e);
/* country: ISO 3166 alpha-2 used when the number has no country code. */
int norm_phone(const char *given, const char *country, char *out,
    size_t outlen, struct err *e);
/* 1 when the two-letter country code is known. */
int norm_country_known(const char *country);
/*
 * 1 when given, written without a country code, has the length and first
 * digits of a national number of country ("0171 2345678" fits DE, not CH);
 * a number with +CC or 00CC fits the country of its code only. Telling
 * apart, not validating: 0 for an unknown country.
 */
int norm_phone_fits(const char *given, const char *country);
/* 1 when given is written with its country code (+CC or 00CC). */
int norm_phone_has_code(const char *given);
/*
 * The country ("DE") of a number written with +CC or 00CC; NULL for a
 * national number or a code not in the table (+1 is "US").
 */
const char *norm_phone_country(const char *given);

#endif
