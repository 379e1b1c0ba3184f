#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "connectors/portal_auth.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_http.h"
#include "util/buf.h"
#include "util/secret.h"
#include "util/xmalloc.h"

struct portal_auth {
	const struct portal_conf *c;
	struct portal_http *h;
	char *token;		/* OAuth2 access token, or NULL */
	time_t expires;
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

/* The token endpoint's answer: {"access_token": "...", "expires_in": n}. */
static int
token_parse(struct portal_auth *a, const struct portal_response *rs,
    struct err *e)
{
	json_t *j, *tok, *exp;
	long life = 3600;
	int rc = LG_OK;

	if ((j = json_loadb(rs->body.data ? rs->body.data : "", rs->body.len,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return err_set(e, LG_ETEMP, "auth: the token endpoint's answer "
		    "is not JSON");
	tok = json_object_get(j, "access_token");
	exp = json_object_get(j, "expires_in");
	if (!json_is_string(tok) || json_string_length(tok) == 0 ||
	    strpbrk(json_string_value(tok), "\r\n") != NULL)
		rc = err_set(e, LG_ETEMP, "auth: the token endpoint's answer "
		    "has no usable access_token");
	else {
		if (json_is_integer(exp) && json_integer_value(exp) > 0)
			life = (long)json_integer_value(exp);
		wipe_free(a->token);
		a->token = xstrdup(json_string_value(tok));
		/* Renew a little early: the clock of a poll is not the API's. */
		a->expires = time(NULL) + life - (life > 120 ? 60 : life / 4);
	}
	json_decref(j);
	return rc;
}

static void
form_add(struct buf *b, const char *name, const char *value)
{
	char *esc = portal_http_escape(value);

	buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, esc);
	wipe_free(esc);
}

static int
token_fetch(struct portal_auth *a, struct err *e)
{
	const struct portal_conf *c = a->c;
	struct portal_response rs;
	struct portal_request rq;
	struct buf form = BUF_INIT;
	char *secret, *shown;
	int rc;

	if ((rc = auth_secret(c->auth.client_secret_file,
	    c->auth.client_secret_env, "client secret", &secret, e)) != LG_OK)
		return rc;
	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	form_add(&form, "grant_type", "client_credentials");
	if (c->auth.scope != NULL)
		form_add(&form, "scope", c->auth.scope);
	if (c->auth.client_basic) {
		rq.user = c->auth.client_id;
		rq.password = secret;
	} else {
		form_add(&form, "client_id", c->auth.client_id);
		form_add(&form, "client_secret", secret);
	}
	rq.method = "POST";
	rq.url = c->auth.token_url;
	rq.body = buf_str(&form);
	rq.content_type = "application/x-www-form-urlencoded";
	rc = portal_http_do(a->h, &rq, &rs, e);
	explicit_bzero(form.data, form.len);
	buf_free(&form);
	secret_free(secret);
	shown = portal_http_display(c->auth.token_url);
	if (rc == LG_OK && (rs.status == 400 || rs.status == 401 ||
	    rs.status == 403))
		rc = err_set(e, LG_EPERM, "auth: %s refused the client "
		    "credentials (HTTP %ld)", shown, rs.status);
	else if (rc == LG_OK && rs.status / 100 != 2)
		rc = err_set(e, LG_ETEMP, "auth: %s answered HTTP %ld", shown,
		    rs.status);
	else if (rc == LG_OK)
		rc = token_parse(a, &rs, e);
	else
		err_prefix(e, "auth: token");
	free(shown);
	portal_response_clear(&rs);
	return rc;
}

static int
cred_oauth2(struct portal_auth *a, struct portal_cred *out, struct err *e)
{
	int rc;

	if (a->token == NULL || time(NULL) >= a->expires) {
		if ((rc = token_fetch(a, e)) != LG_OK)
			return rc;
	}
	out->header = xasprintf("Authorization: Bearer %s", a->token);
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

int
portal_auth_new(const struct portal_conf *c, struct portal_http *h,
    struct portal_auth **out, struct err *e)
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
	*out = a;
	return LG_OK;
}

void
portal_auth_free(struct portal_auth *a)
{
	if (a == NULL)
		return;
	wipe_free(a->token);
	free(a);
}

int
portal_auth_rejected(struct portal_auth *a)
{
	if (a->c->auth.type != AUTH_OAUTH2)
		return 0;
	wipe_free(a->token);
	a->token = NULL;
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
