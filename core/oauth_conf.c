#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "core/config.h"
#include "core/oauth_conf.h"
#include "util/buf.h"
#include "util/oauth_jwt.h"
#include "util/secret.h"
#include "util/xmalloc.h"

struct oauth_block {
	char *name, *provider, *tenant, *client_id;
	char *client_secret_file, *client_secret_env;
	int client_auth;	/* enum client_auth */
	char *client_cert_file, *client_key_file, *client_key_env;
	int client_assertion_alg;	/* enum oauth_jwt_alg */
	int grant;		/* enum oauth_grant */
	struct settings_strlist scopes;
	char *token_url, *device_url, *authorize_url, *redirect_uri;
	int skew, timeout;
};

enum client_auth { AUTH_POST, AUTH_BASIC, AUTH_CERT };
/* Indexed by enum client_auth. */
static const char *const client_auths[] = { "post", "basic", "certificate",
	NULL };
/* Indexed by enum oauth_jwt_alg. */
static const char *const assertion_algs[] = { "RS256", "PS256", NULL };
/* Indexed by enum oauth_grant. */
static const char *const grants[] = { "client", "user", NULL };

#define F(field) offsetof(struct oauth_block, field)
static const struct setting oauth_conf_rows[] = {
	{ "name", SETTINGS_STR, NULL, F(name),
	    .doc = "the grant's unique name (imap oauth, smtp.oauth, "
	    "`leadgate oauth login NAME`)",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "provider", SETTINGS_STR, "generic", F(provider),
	    .doc = "a preset of oauth_providers: microsoft, google, generic" },
	{ "tenant", SETTINGS_STR, "(preset)", F(tenant),
	    .doc = "replaces {tenant} in the preset's URLs",
	    .flags = SETTINGS_DERIVED },
	{ "client_id", SETTINGS_STR, NULL, F(client_id),
	    .doc = "the application (client) id registered with the provider",
	    .flags = SETTINGS_REQUIRED | SETTINGS_NONEMPTY },
	{ "client_secret_file", SETTINGS_PATH, "", F(client_secret_file),
	    .doc = "a file holding the client secret (none: a public client)" },
	{ "client_secret_env", SETTINGS_STR, "", F(client_secret_env),
	    .doc = "an environment variable holding it" },
	{ "client_auth", SETTINGS_ENUM, "post", F(client_auth),
	    .doc = "how the client authenticates: its secret in the form or "
	    "by HTTP Basic, or a certificate (a signed client assertion, "
	    "RFC 7523)", .names = client_auths },
	{ "client_cert_file", SETTINGS_PATH, "", F(client_cert_file),
	    .doc = "certificate: the client's certificate (PEM) registered "
	    "with the provider" },
	{ "client_key_file", SETTINGS_PATH, "", F(client_key_file),
	    .doc = "certificate: a file holding its RSA private key (PEM, "
	    "unencrypted; mode 0600)" },
	{ "client_key_env", SETTINGS_STR, "", F(client_key_env),
	    .doc = "certificate: an environment variable holding that PEM" },
	{ "client_assertion_alg", SETTINGS_ENUM, "RS256",
	    F(client_assertion_alg), .doc = "certificate: how the assertion "
	    "is signed, RS256 or PS256", .names = assertion_algs },
	{ "grant", SETTINGS_ENUM, "user", F(grant),
	    .doc = "user: a person consents once (oauth login); client: "
	    "client credentials", .names = grants },
	{ "scopes", SETTINGS_STRLIST, "(preset)", F(scopes),
	    .doc = "the scopes asked for", .flags = SETTINGS_DERIVED },
	{ "token_url", SETTINGS_STR, "(preset)", F(token_url),
	    .doc = "the token endpoint", .flags = SETTINGS_DERIVED },
	{ "device_url", SETTINGS_STR, "(preset)", F(device_url),
	    .doc = "the device authorization endpoint (RFC 8628)",
	    .flags = SETTINGS_DERIVED },
	{ "authorize_url", SETTINGS_STR, "(preset)", F(authorize_url),
	    .doc = "the authorization endpoint (oauth login --browser)",
	    .flags = SETTINGS_DERIVED },
	{ "redirect_uri", SETTINGS_STR, "http://localhost", F(redirect_uri),
	    .doc = "where the browser is sent back with the code" },
	{ "skew", SETTINGS_INT, "300", F(skew),
	    .doc = "seconds before expiry an access token is renewed",
	    .min = 0, .max = 3600 },
	{ "timeout", SETTINGS_INT, "30", F(timeout),
	    .doc = "seconds per request to the provider", .min = 1,
	    .max = 600 },
};
#undef F

const struct settings_table oauth_conf_settings = SETTINGS_TABLE("oauth",
    oauth_conf_rows, NULL, SETTINGS_NOCTL);

static void
block_free(struct oauth_block *b)
{
	settings_free(&oauth_conf_settings, b);
	memset(b, 0, sizeof(*b));
}

/* {tenant} replaced; a new string. */
static char *
with_tenant(const char *url, const char *tenant)
{
	const char *p = strstr(url, "{tenant}");

	if (p == NULL)
		return xstrdup(url);
	return xasprintf("%.*s%s%s", (int)(p - url), url, tenant, p + 8);
}

/* "microsoft, google, generic": the presets, for a message. */
static const char *
preset_names(config_t *lc, char *buf, size_t len)
{
	const config_setting_t *g = config_lookup(lc, "providers");
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; g != NULL && i < config_setting_length(g) && off < len;
	    i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? ", " : "", config_setting_name(
		    config_setting_get_elem(g, (unsigned)i)));
	return buf;
}

/* Fill what the block left out from its provider's preset. */
static int
block_preset(struct settings_reader *r, const struct config *cfg,
    struct oauth_block *b, const config_setting_t *st)
{
	static const char *const urls[] = { "token_url", "device_url",
		"authorize_url" };
	char **fields[] = { &b->token_url, &b->device_url, &b->authorize_url };
	const config_setting_t *p, *sc;
	const char *v;
	config_t lc;
	char path[200];
	size_t i;
	int n, rc = LG_OK;

	config_init(&lc);
	if (config_read_file(&lc, cfg->oauth_providers) != CONFIG_TRUE) {
		rc = settings_bad(r, st, "oauth_providers %s: %s (line %d)",
		    cfg->oauth_providers, config_error_text(&lc),
		    config_error_line(&lc));
		goto out;
	}
	snprintf(path, sizeof(path), "providers.%s", b->provider);
	if (strpbrk(b->provider, ".[]") != NULL ||
	    (p = config_lookup(&lc, path)) == NULL) {
		rc = settings_bad(r, st, "provider '%s' is not one of the "
		    "presets of oauth_providers (%s)", b->provider,
		    preset_names(&lc, path, sizeof(path)));
		goto out;
	}
	if (b->tenant == NULL)
		b->tenant = xstrdup(config_setting_lookup_string(p, "tenant",
		    &v) ? v : "");
	for (i = 0; i < 3; i++)
		if (*fields[i] == NULL)
			*fields[i] = with_tenant(config_setting_lookup_string(
			    p, urls[i], &v) ? v : "", b->tenant);
	if (b->scopes.n == 0 && (sc = config_setting_get_member(p,
	    "scopes")) != NULL && (n = config_setting_length(sc)) > 0) {
		settings_strlist_free(&b->scopes);
		b->scopes.v = xcalloc((size_t)n + 1, sizeof(char *));
		for (i = 0; i < (size_t)n; i++)
			if ((v = config_setting_get_string_elem(sc,
			    (int)i)) != NULL)
				b->scopes.v[b->scopes.n++] = xstrdup(v);
	}
out:
	config_destroy(&lc);
	return rc;
}

static const config_setting_t *
block_find(const struct config *cfg, const char *name)
{
	const config_setting_t *b;
	const char *n;
	int i;

	for (i = 0; cfg->oauth != NULL && i < config_setting_length(cfg->oauth);
	    i++) {
		b = config_setting_get_elem(cfg->oauth, (unsigned)i);
		if (config_setting_lookup_string(b, "name", &n) &&
		    strcmp(n, name) == 0)
			return b;
	}
	return NULL;
}

/* The settings of client_auth = "certificate", and their absence else. */
static int
cert_read(struct settings_reader *r, const config_setting_t *st,
    const struct oauth_block *b)
{
	int rc = LG_OK;

	if (b->client_auth != AUTH_CERT) {
		if (*b->client_cert_file != '\0' || *b->client_key_file !=
		    '\0' || *b->client_key_env != '\0')
			rc = settings_bad(r, st, "client_cert_file, "
			    "client_key_file and client_key_env need "
			    "client_auth = \"certificate\"");
		return rc;
	}
	if (*b->client_cert_file == '\0')
		rc = settings_bad(r, st, "client_auth \"certificate\" needs "
		    "client_cert_file");
	if (*b->client_key_file == '\0' && *b->client_key_env == '\0')
		rc = settings_bad(r, st, "client_auth \"certificate\" needs "
		    "client_key_file or client_key_env");
	if (*b->client_key_file != '\0' && *b->client_key_env != '\0')
		rc = settings_bad(r, st, "client_key_file and client_key_env: "
		    "give one of them");
	if (*b->client_secret_file != '\0' || *b->client_secret_env != '\0')
		rc = settings_bad(r, st, "client_auth \"certificate\" takes no "
		    "client secret: drop client_secret_file/_env");
	return rc;
}

static int
block_read(const struct config *cfg, const config_setting_t *st,
    struct oauth_block *b, struct err_report *rep)
{
	struct settings_reader r;
	const char *name = "?";
	char ctx[200];
	int rc = LG_OK;

	memset(b, 0, sizeof(*b));
	config_setting_lookup_string(st, "name", &name);
	snprintf(ctx, sizeof(ctx), "oauth '%s'", name);
	settings_reader_init(&r, &oauth_conf_settings, cfg->path, cfg->dir,
	    ctx, rep);
	if (!config_setting_is_group(st))
		return settings_bad(&r, st, "expected a block { ... }");
	if (settings_read(&r, st, b) != LG_OK ||
	    block_preset(&r, cfg, b, st) != LG_OK)
		return LG_EPERM;
	/* Every mistake is reported, not only the first. */
	if (*b->client_secret_file != '\0' && *b->client_secret_env != '\0')
		rc = settings_bad(&r, st, "client_secret_file and "
		    "client_secret_env: give one of them");
	if (cert_read(&r, st, b) != LG_OK)
		rc = LG_EPERM;
	if (*b->token_url == '\0')
		rc = settings_bad(&r, st, "no token_url (provider '%s' has "
		    "none)", b->provider);
	if (b->grant == OAUTH_GRANT_USER && *b->device_url == '\0' &&
	    *b->authorize_url == '\0')
		rc = settings_bad(&r, st, "a user grant needs device_url or "
		    "authorize_url");
	return rc;
}

/* The grants' folder: oauth/ next to the store. */
static char *
state_dir(const struct config *cfg)
{
	const char *slash = strrchr(cfg->store_path, '/');

	if (slash == NULL)
		return xstrdup("oauth");
	return xasprintf("%.*s/oauth", (int)(slash - cfg->store_path),
	    cfg->store_path);
}

static int
block_open(const struct config *cfg, struct oauth_block *b,
    struct oauth **out, struct err *e)
{
	struct oauth_client c;
	struct buf scope = BUF_INIT;
	char *dir = state_dir(cfg);
	size_t i;
	int rc;

	for (i = 0; i < b->scopes.n; i++)
		buf_printf(&scope, "%s%s", i ? " " : "", b->scopes.v[i]);
	memset(&c, 0, sizeof(c));
	c.name = b->name;
	c.grant = b->grant;
	c.token_url = b->token_url;
	c.device_url = b->device_url;
	c.authorize_url = b->authorize_url;
	c.client_id = b->client_id;
	c.secret_file = b->client_secret_file;
	c.secret_env = b->client_secret_env;
	c.client_basic = b->client_auth == AUTH_BASIC;
	if (b->client_auth == AUTH_CERT) {
		c.cert_file = b->client_cert_file;
		c.key_file = b->client_key_file;
		c.key_env = b->client_key_env;
		c.assertion_alg = b->client_assertion_alg;
	}
	c.scope = buf_str(&scope);
	c.state_dir = dir;
	c.ca_file = cfg->ca_file;
	c.timeout = b->timeout;
	c.skew = b->skew;
	c.redirect_uri = b->redirect_uri;
	rc = oauth_new(&c, out, e);
	buf_free(&scope);
	free(dir);
	return rc;
}

/* The certificate and key load and fit: what the provider will see. */
static int
cert_check(const struct oauth_block *b, struct err *e)
{
	struct oauth_jwt_cred cr = { b->client_id, b->client_cert_file,
		b->client_key_file, b->client_key_env, b->client_assertion_alg };

	return oauth_jwt_check(&cr, e);
}

int
oauth_conf_check(const struct config *cfg, struct err_report *rep)
{
	const config_setting_t *st;
	struct oauth_block b;
	struct oauth *o;
	struct err why;
	const char *n, *m;
	int i, j, len, rc = LG_OK;

	len = cfg->oauth != NULL ? config_setting_length(cfg->oauth) : 0;
	for (i = 0; i < len; i++) {
		st = config_setting_get_elem(cfg->oauth, (unsigned)i);
		if (block_read(cfg, st, &b, rep) != LG_OK) {
			block_free(&b);
			rc = LG_EPERM;
			continue;
		}
		for (j = 0; j < i; j++)
			if (config_setting_lookup_string(config_setting_get_elem(
			    cfg->oauth, (unsigned)j), "name", &m) &&
			    config_setting_lookup_string(st, "name", &n) &&
			    strcmp(m, n) == 0)
				rc = err_report(rep, "%s:%d: oauth '%s': the name "
				    "is used twice", cfg->path,
				    config_setting_source_line(st), n);
		if (block_open(cfg, &b, &o, &why) != LG_OK)
			rc = err_report(rep, "%s:%d: %s", cfg->path,
			    config_setting_source_line(st), why.msg);
		if (b.client_auth == AUTH_CERT && cert_check(&b, &why) != LG_OK)
			rc = err_report(rep, "%s:%d: oauth '%s': %s", cfg->path,
			    config_setting_source_line(st), b.name, why.msg);
		oauth_free(o);
		block_free(&b);
	}
	if (*cfg->smtp.oauth != '\0' && !oauth_conf_exists(cfg,
	    cfg->smtp.oauth))
		rc = err_report(rep, "%s: smtp.oauth: no oauth block is named "
		    "'%s'", cfg->path, cfg->smtp.oauth);
	/* The same refusal smtpc_new() makes, here for `config check`. */
	if (*cfg->smtp.oauth != '\0' && strcmp(cfg->smtp.auth,
	    "password") == 0)
		rc = err_report(rep, "%s: smtp.oauth names a grant but "
		    "smtp.auth is \"password\": set it to \"xoauth2\" or "
		    "\"oauthbearer\"", cfg->path);
	return rc;
}

int
oauth_conf_exists(const struct config *cfg, const char *name)
{
	return block_find(cfg, name) != NULL;
}

size_t
oauth_conf_count(const struct config *cfg)
{
	return cfg->oauth != NULL ? (size_t)config_setting_length(cfg->oauth) :
	    0;
}

const char *
oauth_conf_name(const struct config *cfg, size_t i)
{
	const char *n;

	if (i >= oauth_conf_count(cfg) || !config_setting_lookup_string(
	    config_setting_get_elem(cfg->oauth, (unsigned)i), "name", &n))
		return NULL;
	return n;
}

int
oauth_conf_open(const struct config *cfg, const char *name,
    struct oauth **out, struct err *e)
{
	const config_setting_t *st = block_find(cfg, name);
	struct err_report rep = { NULL, e, 0 };
	struct oauth_block b;
	int rc;

	*out = NULL;
	if (st == NULL)
		return err_set(e, LG_ENOENT, "no oauth block is named '%s'",
		    name);
	if ((rc = block_read(cfg, st, &b, &rep)) == LG_OK)
		rc = block_open(cfg, &b, out, e);
	block_free(&b);
	return rc;
}
