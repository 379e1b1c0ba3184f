/*
 * API bearer tokens: made here, shown once, stored as their SHA-256
 * (core/store_api.h says why a fast hash is enough for them). A token is
 * "lg_" and 43 base64url characters of 32 random bytes.
 */
#ifndef LG_APITOKEN_H
#define LG_APITOKEN_H

#include <stddef.h>

#include "core/store_api.h"
#include "util/err.h"

#define APITOKEN_LEN 46		/* "lg_" + 43 characters */

/* A new token into out (APITOKEN_LEN + 1 bytes). LG_ETEMP: no entropy. */
int apitoken_new(char *out, size_t len, struct err *e);
/* The hex SHA-256 of token (API_HASH_HEX + 1 bytes). */
void apitoken_hash(const char *token, char *hex, size_t len);
/* 1 for a name a token may have: 1-64 of letters, digits, '-', '_', '.'. */
int apitoken_name_ok(const char *name);
/* 1 for "read", "write" or "form". */
int apitoken_scope_ok(const char *scope);

#endif
