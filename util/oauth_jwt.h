/*
 * Client authentication by certificate (RFC 7523 2.2, "certificate
 * credentials" of the Microsoft identity platform): a JWT signed with the
 * client's private key, sent as client_assertion with client_assertion_type
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer.
 *
 * The header names the certificate by its thumbprints, x5t#S256 (SHA-256)
 * and x5t (SHA-1, which Microsoft still reads), both base64url of the DER.
 * The claims: aud the token URL, iss = sub the client id, a random jti,
 * nbf = iat now, exp OAUTH_JWT_LIFETIME later.
 *
 * gnutls, not OpenSSL: util/oauth.c uses it already (random, SHA-256)
 * and it is a util-level dependency, while OpenSSL is linked only for
 * the SMTP client (spool); gnutls_privkey_import_x509_raw() reads PKCS#1
 * and PKCS#8 PEM alike and gnutls_privkey_sign_data2() does both
 * RSASSA-PKCS1-v1_5 (RS256) and RSASSA-PSS with salt = hash length (PS256,
 * RFC 7518 3.5).
 *
 * The private key is read at each use (PEM from a file, or from an
 * environment variable), wiped after signing and never logged; error
 * messages name the file or variable, never the value.
 */
#ifndef LG_OAUTH_JWT_H
#define LG_OAUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define OAUTH_JWT_BEARER \
	"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#define OAUTH_JWT_LIFETIME 300	/* seconds an assertion is valid */

enum oauth_jwt_alg {
	OAUTH_JWT_RS256,
	OAUTH_JWT_PS256,
};

/* What a client's assertions are made of; none of it is a secret. */
struct oauth_jwt_cred {
	const char *client_id;
	const char *cert_file;	/* PEM; the first certificate counts */
	const char *key_file;	/* PEM private key (RSA), or "" */
	const char *key_env;	/* or a variable holding that PEM */
	int alg;		/* enum oauth_jwt_alg */
};

/* base64url without padding (RFC 7515 2): a new string. */
char *oauth_jwt_b64url(const void *p, size_t n);

/* The parts of the signing input; x5t and x5t256 already base64url. */
struct oauth_jwt_claims {
	int alg;
	const char *x5t, *x5t256;
	const char *aud, *client_id, *jti;
	int64_t now;
};
/* BASE64URL(header) "." BASE64URL(claims): a new string. */
char *oauth_jwt_signing_input(const struct oauth_jwt_claims *c);

/*
 * A signed assertion for aud into *out (free with oauth_jwt_free(): it is
 * a credential for OAUTH_JWT_LIFETIME seconds). LG_EPERM for a missing,
 * unreadable or unusable certificate or key.
 */
int oauth_jwt_assertion(const struct oauth_jwt_cred *cr, const char *aud,
    char **out, struct err *e);
void oauth_jwt_free(char *s);

/*
 * For `config check`: the certificate and key load, the key is RSA and
 * belongs to the certificate, the certificate has not expired.
 */
int oauth_jwt_check(const struct oauth_jwt_cred *cr, struct err *e);

#endif
