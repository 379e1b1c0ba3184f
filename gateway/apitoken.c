/* API bearer tokens (see apitoken.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "gateway/apitoken.h"

#define TOKEN_BYTES 32

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
apitoken_new(char *out, size_t len, struct err *e)
{
	unsigned char raw[TOKEN_BYTES + 1];
	size_t i, o = 3, bits = 0;
	unsigned acc = 0;

	if (len < APITOKEN_LEN + 1)
		return err_set(e, LG_EINTERNAL, "token buffer too small");
	if (getrandom(raw, TOKEN_BYTES, 0) != TOKEN_BYTES)
		return err_set(e, LG_ETEMP, "no random bytes for a token: %s",
		    strerror(errno));
	memcpy(out, "lg_", 3);
	for (i = 0; i < TOKEN_BYTES; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = b64url[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = b64url[(acc << (6 - bits)) & 63];
	out[o] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return LG_OK;
}

void
apitoken_hash(const char *token, char *hex, size_t len)
{
	unsigned char d[32];
	size_t i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, token, strlen(token), d);
	for (i = 0; i < sizeof(d) && 2 * i + 2 < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

int
apitoken_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n <= 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

int
apitoken_scope_ok(const char *scope)
{
	static const char *const scopes[] = { "read", "write", "form" };
	size_t i;

	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcmp(scope, scopes[i]) == 0)
			return 1;
	return 0;
}
