#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "connectors/portal_auth.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_http.h"
#include "util/buf.h"
#include "util/oauth.h"
#include "util/secret.h"
#include "util/xmalloc.h"

struct portal_auth {
	const struct portal_conf *c;
	struct portal_http *h;
	struct oauth *oauth;	/* AUTH_OAUTH2: client credentials */
	int force;		/* the API refused the last token */
};

static void
wipe_free(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

void
portal_cred_clear(struct portal_cred *c)
{
	wipe_free(c->header);
	wipe_free(c->query);
	wipe_free(c->user);
	wipe_free(c->password);
	memset(c, 0, sizeof(*c));
}

/* A secret with CR or LF would let it forge headers: refuse it. */
static int
auth_secret(const char *file, const char *env, const char *what, char **out,
    struct err *e)
{
	int rc;

	if ((rc = secret_read(file, env, out, e)) != LG_OK)
		return err_prefix(e, "auth: %s", what);
	if (strpbrk(*out, "\r\n") != NULL) {
		secret_free(*out);
		*out = NULL;
		return err_set(e, LG_EPERM, "auth: %s from %s holds a line "
		    "break", what, file && *file ? file : env);
	}
	return LG_OK;
}

static int
cred_api_key(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	const struct portal_conf *c = a->c;
	char *key, *esc;
	int rc;

	if ((rc = auth_secret(c->auth.key_file, c->auth.key_env, "API key",
	    &key, e)) != LG_OK)
		return rc;
	if (c->auth.header != NULL) {
		out->header = xasprintf("%s: %s%s", c->auth.header,
		    c->auth.prefix, key);
	} else {
		esc = portal_http_escape(key);
		out->query = xasprintf("%s=%s", c->auth.query, esc);
		wipe_free(esc);
	}
	secret_free(key);
	return LG_OK;
}

static int
cred_basic(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	const struct portal_conf *c = a->c;
	int rc;

	if ((rc = auth_secret(c->auth.password_file, c->auth.password_env,
	    "password", &out->password, e)) != LG_OK)
		return rc;
	out->user = xstrdup(c->auth.user);
	return LG_OK;
}

static int
cred_bearer(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	char *tok;
	int rc;

	if ((rc = auth_secret(a->c->auth.token_file, a->c->auth.token_env,
	    "token", &tok, e)) != LG_OK)
		return rc;
	out->header = xasprintf("Authorization: Bearer %s", tok);
	secret_free(tok);
	return LG_OK;
}

/* The token comes from the one token module (util/oauth.h). */
static int
cred_oauth2(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	char tok[8192];
	int rc;

	rc = oauth_token(a->oauth, a->force, tok, sizeof(tok), e);
	a->force = 0;
	if (rc != LG_OK)
		return err_prefix(e, "auth");
	out->header = xasprintf("Authorization: Bearer %s", tok);
	explicit_bzero(tok, sizeof(tok));
	return LG_OK;
}

static int
cred_none(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	return LG_OK;
}

/* Indexed by enum portal_auth_type. */
static int (*const cred_fns[])(struct portal_auth *, struct portal_cred *,
    struct err *) = {
	[AUTH_NONE] = cred_none,
	[AUTH_API_KEY] = cred_api_key,
	[AUTH_BASIC] = cred_basic,
	[AUTH_BEARER] = cred_bearer,
	[AUTH_OAUTH2] = cred_oauth2,
};

int
portal_auth_get(struct portal_auth *a, struct portal_cred *out,
    struct err *e)
{
	memset(out, 0, sizeof(*out));
	return cred_fns[a->c->auth.type](a, out, e);
}

/* Read each configured secret once so that a typo shows at load time. */
static int
auth_check_secrets(const struct portal_conf *c, struct err *e)
{
	const struct {
		const char *file, *env, *what;
	} s[] = {
		{ c->auth.key_file, c->auth.key_env, "API key" },
		{ c->auth.password_file, c->auth.password_env, "password" },
		{ c->auth.token_file, c->auth.token_env, "token" },
		{ c->auth.client_secret_file, c->auth.client_secret_env,
		    "client secret" },
	};
	char *v;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		if ((s[i].file == NULL || !*s[i].file) &&
		    (s[i].env == NULL || !*s[i].env))
			continue;
		if ((rc = auth_secret(s[i].file, s[i].env, s[i].what, &v,
		    e)) != LG_OK)
			return rc;
		secret_free(v);
	}
	return LG_OK;
}

/* Client credentials through the token module, kept in memory. */
static int
auth_oauth_new(struct portal_auth *a, const char *ca_file, struct err *e)
{
	const struct portal_conf *c = a->c;
	struct oauth_client oc;

	memset(&oc, 0, sizeof(oc));
	oc.name = c->name;
	oc.grant = OAUTH_GRANT_CLIENT;
	oc.token_url = c->auth.token_url;
	oc.client_id = c->auth.client_id;
	oc.secret_file = c->auth.client_secret_file;
	oc.secret_env = c->auth.client_secret_env;
	oc.client_basic = c->auth.client_basic;
	oc.scope = c->auth.scope;
	oc.ca_file = ca_file;
	oc.timeout = c->timeout;
	oc.skew = 60;
	return oauth_new(&oc, &a->oauth, e);
}

int
portal_auth_new(const struct portal_conf *c, struct portal_http *h,
    const char *ca_file, struct portal_auth **out, struct err *e)
{
	struct portal_auth *a;
	int rc;

	*out = NULL;
	if (c->auth.type == AUTH_OAUTH2 && (rc = portal_http_url_ok(
	    "auth.token_url", c->auth.token_url, e)) != LG_OK)
		return rc;
	if ((rc = auth_check_secrets(c, e)) != LG_OK)
		return rc;
	a = xcalloc(1, sizeof(*a));
	a->c = c;
	a->h = h;
	if (c->auth.type == AUTH_OAUTH2 && (rc = auth_oauth_new(a, ca_file,
	    e)) != LG_OK) {
		portal_auth_free(a);
		return rc;
	}
	*out = a;
	return LG_OK;
}

void
portal_auth_free(struct portal_auth *a)
{
	if (a == NULL)
		return;
	oauth_free(a->oauth);
	free(a);
}

int
portal_auth_rejected(struct portal_auth *a)
{
	if (a->c->auth.type != AUTH_OAUTH2)
		return 0;
	a->force = 1;
	return 1;
}

static int
auth_send(struct portal_auth *a, const struct portal_request *rq,
    struct portal_response *rs, struct err *e)
{
	struct portal_request r = *rq;
	struct portal_cred cr;
	const char **hdr;
	char *url = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = portal_auth_get(a, &cr, e)) != LG_OK)
		return rc;
	while (rq->headers && rq->headers[n])
		n++;
	hdr = xcalloc(n + 2, sizeof(*hdr));
	for (i = 0; i < n; i++)
		hdr[i] = rq->headers[i];
	hdr[n] = cr.header;
	r.headers = hdr;
	if (cr.query != NULL) {
		url = xasprintf("%s%c%s", rq->url, strchr(rq->url, '?') ? '&' :
		    '?', cr.query);
		r.url = url;
	}
	if (cr.user != NULL) {
		r.user = cr.user;
		r.password = cr.password;
	}
	rc = portal_http_do(a->h, &r, rs, e);
	wipe_free(url);
	free(hdr);
	portal_cred_clear(&cr);
	return rc;
}

int
portal_auth_do(struct portal_auth *a, const struct portal_request *rq,
    struct portal_response *rs, struct err *e)
{
	int rc;

	rc = auth_send(a, rq, rs, e);
	if (rc == LG_OK && rs->status == 401 && portal_auth_rejected(a))
		rc = auth_send(a, rq, rs, e);
	return rc;
}
