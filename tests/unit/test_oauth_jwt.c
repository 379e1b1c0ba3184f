/*
 * Client assertions (util/oauth_jwt.c): base64url, the header and claims
 * exactly, and a real signature checked with the certificate's public key
 * (openssl makes the certificate and key; gnutls verifies).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "t.h"
#include "util/oauth_jwt.h"

static const struct {
	const char *in, *out;
} b64[] = {
	/* RFC 4648 10, without the padding. */
	{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
	{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
	/* The URL alphabet: 62 and 63 are - and _. */
	{ "\xfb\xff", "-_8" }, { "\xff\xff\xfe", "___-" },
};

/* base64url decoded into a NUL-terminated string (t tests only). */
static char *
unb64url(const char *s, size_t *len)
{
	gnutls_datum_t in, out;
	char *b;
	size_t i, n = strlen(s);

	b = calloc(1, n + 4);
	for (i = 0; i < n; i++)
		b[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	while (i % 4)
		b[i++] = '=';
	in.data = (unsigned char *)b;
	in.size = (unsigned)i;
	if (gnutls_base64_decode2(&in, &out) < 0) {
		free(b);
		return NULL;
	}
	free(b);
	b = calloc(1, out.size + 1);
	memcpy(b, out.data, out.size);
	*len = out.size;
	gnutls_free(out.data);
	return b;
}

static char *
part(const char *jwt, int n, size_t *len)
{
	char *c = strdup(jwt), *p, *save = NULL, *r = NULL;
	int i = 0;

	for (p = strtok_r(c, ".", &save); p != NULL; p = strtok_r(NULL, ".",
	    &save), i++)
		if (i == n)
			r = unb64url(p, len);
	free(c);
	return r;
}

static int
mkcert(const char *dir, const char *name)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-keyout %s/%s.key -out %s/%s.pem -days 2 -subj /CN=leadgate-%s "
	    ">/dev/null 2>&1", dir, name, dir, name, name);
	return system(cmd) == 0;
}

/* The signature of jwt verifies with the certificate in pem. */
static int
verifies(const char *jwt, const char *pem, int alg)
{
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pub;
	gnutls_datum_t d, data, sig;
	const char *dot = strrchr(jwt, '.');
	size_t n = 0;
	char *s;
	int rc;

	if (gnutls_load_file(pem, &d) < 0)
		return 0;
	gnutls_x509_crt_init(&crt);
	gnutls_pubkey_init(&pub);
	rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM);
	gnutls_free(d.data);
	if (rc >= 0)
		rc = gnutls_pubkey_import_x509(pub, crt, 0);
	s = dot != NULL ? unb64url(dot + 1, &n) : NULL;
	data.data = (unsigned char *)jwt;
	data.size = dot != NULL ? (unsigned)(dot - jwt) : 0;
	sig.data = (unsigned char *)s;
	sig.size = (unsigned)n;
	if (rc >= 0 && s != NULL)
		rc = gnutls_pubkey_verify_data2(pub, alg == OAUTH_JWT_PS256 ?
		    GNUTLS_SIGN_RSA_PSS_RSAE_SHA256 : GNUTLS_SIGN_RSA_SHA256, 0,
		    &data, &sig);
	free(s);
	gnutls_pubkey_deinit(pub);
	gnutls_x509_crt_deinit(crt);
	return rc >= 0 && n > 0;
}

int
main(void)
{
	struct oauth_jwt_claims c = { OAUTH_JWT_RS256, "c2hhMQ", "c2hhMjU2",
		"https://login.example/t/oauth2/v2.0/token", "app-1", "jti-1",
		1700000000 };
	struct oauth_jwt_cred cr;
	struct err e;
	const char *dir = t_tmpdir("oauth_jwt");
	char cert[512], key[512], other[512], *s, *h, *p, *jwt, *jwt2, *pem;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		s = oauth_jwt_b64url(b64[i].in, strlen(b64[i].in));
		T_STR(s, b64[i].out, "base64url of %zu bytes", strlen(
		    b64[i].in));
		free(s);
	}

	s = oauth_jwt_signing_input(&c);
	h = part(s, 0, &n);
	p = part(s, 1, &n);
	T_STR(h, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"c2hhMQ\","
	    "\"x5t#S256\":\"c2hhMjU2\"}", "the header");
	T_STR(p, "{\"aud\":\"https://login.example/t/oauth2/v2.0/token\","
	    "\"iss\":\"app-1\",\"sub\":\"app-1\",\"jti\":\"jti-1\","
	    "\"nbf\":1700000000,\"iat\":1700000000,\"exp\":1700000300}",
	    "the claims: aud, iss = sub, jti, nbf = iat, exp 5 minutes on");
	T_OK(strchr(s, '=') == NULL && strchr(s, '+') == NULL &&
	    strchr(s, '/') == NULL, "the signing input is base64url, no "
	    "padding");
	free(h);
	free(p);
	free(s);
	c.alg = OAUTH_JWT_PS256;
	s = oauth_jwt_signing_input(&c);
	h = part(s, 0, &n);
	T_OK(h != NULL && strncmp(h, "{\"alg\":\"PS256\"", 14) == 0,
	    "PS256 in the header");
	free(h);
	free(s);

	snprintf(cert, sizeof(cert), "%s/client.pem", dir);
	snprintf(key, sizeof(key), "%s/client.key", dir);
	snprintf(other, sizeof(other), "%s/other.key", dir);
	if (!mkcert(dir, "client") || !mkcert(dir, "other")) {
		T_OK(0, "openssl makes a certificate");
		return t_done();
	}
	memset(&cr, 0, sizeof(cr));
	cr.client_id = "app-1";
	cr.cert_file = cert;
	cr.key_file = key;
	cr.key_env = "";
	T_INT(oauth_jwt_check(&cr, &e), LG_OK, "check: key and certificate "
	    "fit");
	rc = oauth_jwt_assertion(&cr, "https://t.example/token", &jwt, &e);
	T_INT(rc, LG_OK, "an RS256 assertion");
	T_OK(rc == LG_OK && verifies(jwt, cert, OAUTH_JWT_RS256),
	    "its signature verifies with the certificate's key");
	p = rc == LG_OK ? part(jwt, 1, &n) : NULL;
	T_OK(p != NULL && strstr(p, "\"aud\":\"https://t.example/token\"") &&
	    strstr(p, "\"iss\":\"app-1\""), "its claims");
	free(p);
	h = rc == LG_OK ? part(jwt, 0, &n) : NULL;
	/* 20 bytes of SHA-1: 27 characters; 32 of SHA-256: 43. */
	T_OK(h != NULL && strlen(h) == strlen("{\"alg\":\"RS256\",\"typ\":\"JWT\","
	    "\"x5t\":\"\",\"x5t#S256\":\"\"}") + 27 + 43,
	    "the header holds both thumbprints");
	free(h);
	rc = oauth_jwt_assertion(&cr, "https://t.example/token", &jwt2, &e);
	p = part(jwt, 1, &n);
	h = rc == LG_OK ? part(jwt2, 1, &n) : NULL;
	T_OK(p && h && strcmp(strstr(p, "\"jti\""), strstr(h, "\"jti\"")) != 0,
	    "each assertion has its own jti");
	free(p);
	free(h);
	oauth_jwt_free(jwt2);
	snprintf(other, sizeof(other), "%s/other.pem", dir);
	T_OK(!verifies(jwt, other, OAUTH_JWT_RS256), "it does not verify "
	    "with another certificate (the check can fail)");
	snprintf(other, sizeof(other), "%s/other.key", dir);
	oauth_jwt_free(jwt);

	cr.alg = OAUTH_JWT_PS256;
	rc = oauth_jwt_assertion(&cr, "https://t.example/token", &jwt, &e);
	T_OK(rc == LG_OK && verifies(jwt, cert, OAUTH_JWT_PS256) &&
	    !verifies(jwt, cert, OAUTH_JWT_RS256), "PS256 signs with PSS");
	oauth_jwt_free(rc == LG_OK ? jwt : NULL);
	cr.alg = OAUTH_JWT_RS256;

	/* The key from the environment. */
	pem = t_slurp(key, &n);
	setenv("LG_T_KEY", pem, 1);
	cr.key_file = "";
	cr.key_env = "LG_T_KEY";
	rc = oauth_jwt_assertion(&cr, "https://t.example/token", &jwt, &e);
	T_OK(rc == LG_OK && verifies(jwt, cert, OAUTH_JWT_RS256),
	    "the key from an environment variable");
	oauth_jwt_free(rc == LG_OK ? jwt : NULL);
	unsetenv("LG_T_KEY");
	rc = oauth_jwt_assertion(&cr, "https://t.example/token", &jwt, &e);
	T_OK(rc == LG_EPERM && strstr(e.msg, "$LG_T_KEY is not set"),
	    "an unset variable is named: %s", e.msg);

	/* Mistakes, named without the key. */
	cr.key_env = "";
	cr.key_file = other;
	rc = oauth_jwt_check(&cr, &e);
	T_OK(rc == LG_EPERM && strstr(e.msg, "does not belong"),
	    "check: a key of another certificate: %s", e.msg);
	cr.key_file = cert;
	rc = oauth_jwt_check(&cr, &e);
	T_OK(rc == LG_EPERM && strstr(e.msg, "not an unencrypted PEM private "
	    "key"), "check: a certificate as key: %s", e.msg);
	cr.key_file = key;
	cr.cert_file = key;
	rc = oauth_jwt_check(&cr, &e);
	T_OK(rc == LG_EPERM && strstr(e.msg, "not a PEM certificate") &&
	    strstr(e.msg, "PRIVATE") == NULL, "check: a key as certificate, "
	    "the key not shown: %s", e.msg);
	cr.cert_file = "/nonexistent/c.pem";
	rc = oauth_jwt_assertion(&cr, "x", &jwt, &e);
	T_OK(rc == LG_EPERM && strstr(e.msg, "/nonexistent/c.pem cannot be "
	    "read"), "a missing certificate file: %s", e.msg);
	free(pem);
	return t_done();
}
