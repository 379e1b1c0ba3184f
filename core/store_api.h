/*
 * Row types of the HTTP API's store operations (store_ops.h): the bearer
 * tokens `leadgate token` manages and the answers kept for idempotent
 * web-form intake.
 *
 * A token is 32 random bytes shown once; only its SHA-256 is stored. A
 * hash that cannot be reversed is all a random secret of that entropy
 * needs: there is nothing to guess, so a slow password hash (argon2) would
 * only slow every request.
 */
#ifndef LG_STORE_API_H
#define LG_STORE_API_H

#include <stddef.h>
#include <stdint.h>

#define API_HASH_HEX 64		/* hex digits of a SHA-256 */

struct new_api_token {
	const char *name;	/* unique, letters, digits, '-', '_', '.' */
	const char *scope;	/* "read", "write" or "form" */
	const char *hash;	/* hex SHA-256 of the token */
	const char *source;	/* form: the lead source; else NULL */
};

struct api_token {
	int64_t id;
	char *name;
	char *scope;
	char *source;		/* NULL unless a form's */
	char *created_at;
};
void store_api_tokens_free(struct api_token *v, size_t n);

#endif
