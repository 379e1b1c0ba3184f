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

#endif
