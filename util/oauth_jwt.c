#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>

#include "util/oauth_jwt.h"
#include "util/xmalloc.h"

/* Indexed by enum oauth_jwt_alg. */
static const struct {
	const char *name;
	gnutls_sign_algorithm_t sign;
} jwt_algs[] = {
	{ "RS256", GNUTLS_SIGN_RSA_SHA256 },
	{ "PS256", GNUTLS_SIGN_RSA_PSS_RSAE_SHA256 },
};

char *
oauth_jwt_b64url(const void *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789-_";
	const unsigned char *s = p;
	char *out = xmalloc(n / 3 * 4 + 5), *o = out;
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*o++ = abc[v >> 18 & 63];
		*o++ = abc[v >> 12 & 63];
		*o++ = abc[v >> 6 & 63];
		*o++ = abc[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)s[i] << 16;
		*o++ = abc[v >> 18 & 63];
		*o++ = abc[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
		*o++ = abc[v >> 18 & 63];
		*o++ = abc[v >> 12 & 63];
		*o++ = abc[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

static char *
json_b64url(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER), *b;

	json_decref(j);
	if (s == NULL)
		return NULL;
	b = oauth_jwt_b64url(s, strlen(s));
	free(s);
	return b;
}

char *
oauth_jwt_signing_input(const struct oauth_jwt_claims *c)
{
	char *h, *p, *out;
	int alg = c->alg == OAUTH_JWT_PS256 ? OAUTH_JWT_PS256 : OAUTH_JWT_RS256;

	h = json_b64url(json_pack("{s:s, s:s, s:s, s:s}", "alg",
	    jwt_algs[alg].name, "typ", "JWT", "x5t", c->x5t, "x5t#S256",
	    c->x5t256));
	p = json_b64url(json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
	    "aud", c->aud, "iss", c->client_id, "sub", c->client_id,
	    "jti", c->jti, "nbf", (json_int_t)c->now, "iat",
	    (json_int_t)c->now, "exp", (json_int_t)(c->now +
	    OAUTH_JWT_LIFETIME)));
	if (h == NULL || p == NULL) {
		free(h);
		free(p);
		return NULL;
	}
	out = xasprintf("%s.%s", h, p);
	free(h);
	free(p);
	return out;
}

void
oauth_jwt_free(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

/* What a client assertion is made from, loaded. */
struct jwt_keys {
	gnutls_x509_crt_t crt;
	gnutls_privkey_t key;
	char *x5t, *x5t256;
};

static void
keys_free(struct jwt_keys *k)
{
	if (k->crt != NULL)
		gnutls_x509_crt_deinit(k->crt);
	if (k->key != NULL)
		gnutls_privkey_deinit(k->key);
	free(k->x5t);
	free(k->x5t256);
	memset(k, 0, sizeof(*k));
}

static char *
thumbprint(gnutls_x509_crt_t crt, gnutls_digest_algorithm_t dig)
{
	unsigned char fp[64];
	size_t n = sizeof(fp);

	if (gnutls_x509_crt_get_fingerprint(crt, dig, fp, &n) < 0)
		return NULL;
	return oauth_jwt_b64url(fp, n);
}

static int
keys_load(const struct oauth_jwt_cred *cr, struct jwt_keys *k, struct err *e)
{
	gnutls_datum_t d = { NULL, 0 };
	const char *env;
	int rc, file;

	memset(k, 0, sizeof(*k));
	if (cr->cert_file == NULL || *cr->cert_file == '\0')
		return err_set(e, LG_EPERM, "no client_cert_file");
	if ((rc = gnutls_load_file(cr->cert_file, &d)) < 0)
		return err_set(e, LG_EPERM, "client_cert_file %s cannot be "
		    "read", cr->cert_file);
	gnutls_x509_crt_init(&k->crt);
	rc = gnutls_x509_crt_import(k->crt, &d, GNUTLS_X509_FMT_PEM);
	gnutls_free(d.data);
	if (rc < 0) {
		keys_free(k);
		return err_set(e, LG_EPERM, "client_cert_file %s: not a PEM "
		    "certificate (%s)", cr->cert_file, gnutls_strerror(rc));
	}
	if ((k->x5t = thumbprint(k->crt, GNUTLS_DIG_SHA1)) == NULL ||
	    (k->x5t256 = thumbprint(k->crt, GNUTLS_DIG_SHA256)) == NULL) {
		keys_free(k);
		return err_set(e, LG_EPERM, "client_cert_file %s: no "
		    "thumbprint", cr->cert_file);
	}

	d.data = NULL;
	if (cr->key_file != NULL && *cr->key_file != '\0') {
		if (gnutls_load_file(cr->key_file, &d) < 0) {
			keys_free(k);
			return err_set(e, LG_EPERM, "client_key_file %s cannot "
			    "be read", cr->key_file);
		}
	} else if (cr->key_env != NULL && *cr->key_env != '\0') {
		if ((env = getenv(cr->key_env)) == NULL || *env == '\0') {
			keys_free(k);
			return err_set(e, LG_EPERM, "client_key_env: $%s is "
			    "not set", cr->key_env);
		}
		d.data = gnutls_malloc(strlen(env) + 1);
		memcpy(d.data, env, strlen(env) + 1);
		d.size = (unsigned)strlen(env);
	} else {
		keys_free(k);
		return err_set(e, LG_EPERM, "no client_key_file or "
		    "client_key_env");
	}
	gnutls_privkey_init(&k->key);
	rc = gnutls_privkey_import_x509_raw(k->key, &d, GNUTLS_X509_FMT_PEM,
	    NULL, 0);
	explicit_bzero(d.data, d.size);
	gnutls_free(d.data);
	if (rc < 0) {
		keys_free(k);
		/* gnutls's words only: never the key's bytes. */
		file = cr->key_file != NULL && *cr->key_file != '\0';
		return err_set(e, LG_EPERM, "%s%s: not an unencrypted PEM "
		    "private key (%s)", file ? "client_key_file " :
		    "client_key_env $", file ? cr->key_file : cr->key_env,
		    gnutls_strerror(rc));
	}
	if (gnutls_privkey_get_pk_algorithm(k->key, NULL) != GNUTLS_PK_RSA) {
		keys_free(k);
		return err_set(e, LG_EPERM, "the client key is not an RSA key "
		    "(RS256 and PS256 need one)");
	}
	return LG_OK;
}

static int
keys_sign(const struct jwt_keys *k, int alg, const char *in,
    gnutls_datum_t *sig)
{
	gnutls_datum_t d = { (unsigned char *)in, (unsigned)strlen(in) };

	if (alg != OAUTH_JWT_PS256)
		alg = OAUTH_JWT_RS256;
	return gnutls_privkey_sign_data2(k->key, jwt_algs[alg].sign, 0, &d,
	    sig);
}

int
oauth_jwt_assertion(const struct oauth_jwt_cred *cr, const char *aud,
    char **out, struct err *e)
{
	struct oauth_jwt_claims c;
	struct jwt_keys k;
	gnutls_datum_t sig = { NULL, 0 };
	unsigned char r[16];
	char *in, *jti, *s;
	int rc;

	*out = NULL;
	if ((rc = keys_load(cr, &k, e)) != LG_OK)
		return rc;
	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof(r)) != 0) {
		keys_free(&k);
		return err_set(e, LG_ETEMP, "no random bytes for the jti");
	}
	jti = oauth_jwt_b64url(r, sizeof(r));
	memset(&c, 0, sizeof(c));
	c.alg = cr->alg;
	c.x5t = k.x5t;
	c.x5t256 = k.x5t256;
	c.aud = aud;
	c.client_id = cr->client_id;
	c.jti = jti;
	c.now = (int64_t)time(NULL);
	in = oauth_jwt_signing_input(&c);
	free(jti);
	if (in == NULL) {
		keys_free(&k);
		return err_set(e, LG_EPERM, "the assertion's claims are not "
		    "UTF-8");
	}
	rc = keys_sign(&k, cr->alg, in, &sig);
	keys_free(&k);
	if (rc < 0) {
		free(in);
		return err_set(e, LG_EPERM, "signing the assertion failed (%s)",
		    gnutls_strerror(rc));
	}
	s = oauth_jwt_b64url(sig.data, sig.size);
	*out = xasprintf("%s.%s", in, s);
	free(s);
	free(in);
	gnutls_free(sig.data);
	return LG_OK;
}

int
oauth_jwt_check(const struct oauth_jwt_cred *cr, struct err *e)
{
	static const char probe[] = "leadgate: does the key fit?";
	gnutls_datum_t sig = { NULL, 0 }, d = { (unsigned char *)probe,
		sizeof(probe) - 1 };
	gnutls_pubkey_t pub = NULL;
	struct jwt_keys k;
	time_t until;
	int rc;

	if ((rc = keys_load(cr, &k, e)) != LG_OK)
		return rc;
	until = gnutls_x509_crt_get_expiration_time(k.crt);
	if (until != (time_t)-1 && until < time(NULL)) {
		keys_free(&k);
		return err_set(e, LG_EPERM, "client_cert_file %s: the "
		    "certificate has expired", cr->cert_file);
	}
	gnutls_pubkey_init(&pub);
	rc = gnutls_pubkey_import_x509(pub, k.crt, 0);
	if (rc >= 0)
		rc = keys_sign(&k, cr->alg, probe, &sig);
	if (rc >= 0)
		rc = gnutls_pubkey_verify_data2(pub, jwt_algs[cr->alg ==
		    OAUTH_JWT_PS256].sign, 0, &d, &sig);
	gnutls_free(sig.data);
	gnutls_pubkey_deinit(pub);
	keys_free(&k);
	if (rc < 0)
		return err_set(e, LG_EPERM, "the client key does not belong to "
		    "the certificate of client_cert_file %s", cr->cert_file);
	return LG_OK;
}
