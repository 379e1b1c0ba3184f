#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/jsonptr.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_map.h"
#include "core/config.h"
#include "util/xmalloc.h"

static const char *const auth_types[] = { "none", "api_key", "basic",
	"bearer", "oauth2", NULL };
static const char *const client_auths[] = { "body", "basic", NULL };
static const char *const paging_types[] = { "none", "next_link",
	"link_header", "page", "offset", "cursor", NULL };
static const char *const incr_types[] = { "none", "since", "last_id", NULL };
static const char *const ack_pers[] = { "none", "item", "batch", NULL };

static settings_hook_fn pc_read_kv, pc_read_fields, pc_read_custom;

#define O(f) offsetof(struct portal_conf, f)
#define PTR .check = jsonptr_check, .kind = "JSON pointer"
#define KV .hook = pc_read_kv, .kind = "block",				\
	.what = "a block { Name = \"value\"; }"

/* Every setting of a portal block; etc/portals/generic.conf explains each. */
static const struct setting pc_rows[] = {
	{ "name", SETTINGS_STR, NULL, O(name),
	    .doc = "the connector's unique name", .flags = SETTINGS_REQUIRED },
	{ "type", SETTINGS_STR, NULL, SETTINGS_NOFIELD, .doc = "portal" },
	{ "source", SETTINGS_STR, NULL, O(source),
	    .doc = "the lead source of every lead from here",
	    .flags = SETTINGS_REQUIRED },
	{ "interval", SETTINGS_INT, "300", O(interval),
	    .doc = "seconds between polls in the daemon",
	    .min = 1, .max = 86400 },
	{ "base_url", SETTINGS_STR, NULL, O(base_url),
	    .doc = "https only; plain http only to a loopback host",
	    .flags = SETTINGS_REQUIRED },
	{ "request.method", SETTINGS_STR, "GET", O(method),
	    .doc = "GET or POST" },
	{ "request.path", SETTINGS_STR, "", O(path),
	    .doc = "appended to base_url" },
	{ "request.body", SETTINGS_STR, NULL, O(body),
	    .doc = "a JSON body (POST)" },
	{ "request.headers", SETTINGS_HOOK, NULL, O(headers),
	    .doc = "extra headers, Name = \"value\";", KV },
	{ "request.query", SETTINGS_HOOK, NULL, O(query),
	    .doc = "fixed query parameters, name = \"value\";", KV },
	{ "auth.type", SETTINGS_ENUM, "none", O(auth.type),
	    .doc = "how requests are authenticated", .names = auth_types },
	{ "auth.header", SETTINGS_STR, NULL, O(auth.header),
	    .doc = "api_key: the header that carries the key" },
	{ "auth.query", SETTINGS_STR, NULL, O(auth.query),
	    .doc = "api_key: or the query parameter" },
	{ "auth.prefix", SETTINGS_STR, "", O(auth.prefix),
	    .doc = "api_key: text before the key in the header" },
	{ "auth.key_file", SETTINGS_PATH, NULL, O(auth.key_file),
	    .doc = "api_key: a file holding the key" },
	{ "auth.key_env", SETTINGS_STR, NULL, O(auth.key_env),
	    .doc = "api_key: an environment variable holding it" },
	{ "auth.user", SETTINGS_STR, NULL, O(auth.user),
	    .doc = "basic: the user" },
	{ "auth.password_file", SETTINGS_PATH, NULL, O(auth.password_file),
	    .doc = "basic: a file holding the password" },
	{ "auth.password_env", SETTINGS_STR, NULL, O(auth.password_env),
	    .doc = "basic: an environment variable holding it" },
	{ "auth.token_file", SETTINGS_PATH, NULL, O(auth.token_file),
	    .doc = "bearer: a file holding the token" },
	{ "auth.token_env", SETTINGS_STR, NULL, O(auth.token_env),
	    .doc = "bearer: an environment variable holding it" },
	{ "auth.token_url", SETTINGS_STR, NULL, O(auth.token_url),
	    .doc = "oauth2: where client credentials get a token" },
	{ "auth.client_id", SETTINGS_STR, NULL, O(auth.client_id),
	    .doc = "oauth2: the client id" },
	{ "auth.client_secret_file", SETTINGS_PATH, NULL,
	    O(auth.client_secret_file),
	    .doc = "oauth2: a file holding the client secret" },
	{ "auth.client_secret_env", SETTINGS_STR, NULL,
	    O(auth.client_secret_env),
	    .doc = "oauth2: an environment variable holding it" },
	{ "auth.scope", SETTINGS_STR, NULL, O(auth.scope),
	    .doc = "oauth2: the scope asked for" },
	{ "auth.client_auth", SETTINGS_ENUM, "body", O(auth.client_basic),
	    .doc = "oauth2: how the client credentials are sent",
	    .names = client_auths },
	{ "items", SETTINGS_STR, "", O(items),
	    .doc = "where the items array is (\"\": the body is)", PTR },
	{ "id", SETTINGS_STR, NULL, O(id),
	    .doc = "each item's unique id", .flags = SETTINGS_REQUIRED, PTR },
	{ "fields", SETTINGS_HOOK, NULL, 0,
	    .doc = "inquiry fields: a JSON pointer or { from; join; ... } each",
	    .hook = pc_read_fields, .kind = "block",
	    .what = "a block { field = \"/pointer\"; ... }",
	    .flags = SETTINGS_REQUIRED },
	{ "custom", SETTINGS_HOOK, NULL, 0,
	    .doc = "more values kept on the lead, name = \"/pointer\";",
	    .hook = pc_read_custom, .kind = "block",
	    .what = "a block { field = \"/pointer\"; ... }" },
	{ "paging.type", SETTINGS_ENUM, "none", O(paging.type),
	    .doc = "how the next page is asked for", .names = paging_types },
	{ "paging.param", SETTINGS_STR, NULL, O(paging.param),
	    .doc = "the query parameter of the page, offset or cursor" },
	{ "paging.start", SETTINGS_INT, "1 for page, else 0", O(paging.start),
	    .doc = "the first page or offset", .min = -1, .max = 1000000,
	    .flags = SETTINGS_DERIVED },
	{ "paging.size_param", SETTINGS_STR, NULL, O(paging.size_param),
	    .doc = "the query parameter of the page size" },
	{ "paging.size", SETTINGS_INT, "0", O(paging.size),
	    .doc = "items per page (offset paging: at least 1)",
	    .min = 0, .max = 100000 },
	{ "paging.next", SETTINGS_STR, NULL, O(paging.next),
	    .doc = "the next link or cursor in a response", PTR },
	{ "paging.has_more", SETTINGS_STR, NULL, O(paging.has_more),
	    .doc = "a boolean in a response: more pages", PTR },
	{ "paging.total", SETTINGS_STR, NULL, O(paging.total),
	    .doc = "the total of pages or items in a response", PTR },
	{ "incremental.type", SETTINGS_ENUM, "none", O(incr.type),
	    .doc = "how a poll asks only for what is new", .names = incr_types },
	{ "incremental.param", SETTINGS_STR, NULL, O(incr.param),
	    .doc = "the query parameter" },
	{ "incremental.from", SETTINGS_STR, NULL, O(incr.from),
	    .doc = "since: the item's value to remember", PTR },
	{ "incremental.start", SETTINGS_STR, NULL, O(incr.start),
	    .doc = "the first value" },
	{ "ack.per", SETTINGS_ENUM, "none", O(ack.per),
	    .doc = "acknowledge at the portal after the page is stored",
	    .names = ack_pers },
	{ "ack.method", SETTINGS_STR, "POST", O(ack.method),
	    .doc = "POST, PATCH, PUT or DELETE" },
	{ "ack.path", SETTINGS_STR, NULL, O(ack.path),
	    .doc = "with {id} per item" },
	{ "ack.body", SETTINGS_STR, NULL, O(ack.body),
	    .doc = "JSON with {id} (per item) or {ids} (per batch)" },
	{ "timeouts.connect", SETTINGS_INT, "10", O(connect_timeout),
	    .doc = "seconds to connect", .min = 1, .max = 600 },
	{ "timeouts.total", SETTINGS_INT, "60", O(timeout),
	    .doc = "seconds per request", .min = 1, .max = 3600 },
	{ "max_response_bytes", SETTINGS_INT, "16777216",
	    O(max_response_bytes), .doc = "the largest response body",
	    .min = 1024, .max = 1LL << 30 },
	{ "max_pages", SETTINGS_INT, "1000", O(max_pages),
	    .doc = "pages per poll; the next poll goes on",
	    .min = 1, .max = 1000000 },
	{ "retries", SETTINGS_INT, "2", O(retries),
	    .doc = "per request, after 5xx, 429 and network errors",
	    .min = 0, .max = 10 },
	{ "backoff.first", SETTINGS_INT, "2", O(backoff_first),
	    .doc = "seconds before the first retry", .min = 1, .max = 3600 },
	{ "backoff.max", SETTINGS_INT, "900", O(backoff_max),
	    .doc = "the longest wait between retries", .min = 1, .max = 86400 },
	{ "backoff.wait_max", SETTINGS_INT, "10", O(retry_wait_max),
	    .doc = "longer waits end the poll instead", .min = 0, .max = 600 },
	{ "max_redirects", SETTINGS_INT, "5", O(max_redirects),
	    .doc = "only within the same host", .min = 0, .max = 20 },
	{ "ca_file", SETTINGS_PATH, "ca_file", O(ca_file),
	    .doc = "a CA file for this portal", .flags = SETTINGS_DERIVED },
};
#undef KV
#undef PTR

/* Older than the engine: "interval must be an integer". */
static const struct settings_words pc_words = {
	.type = "{setting} must be {what}",
	.choice = "{setting}: '{value}' is not one of {choices}",
};

/* No CR or LF may reach a header or a request line. */
const struct settings_table portal_conf_settings = SETTINGS_TABLE("portal",
    pc_rows, &pc_words, SETTINGS_ONELINE);

/* A block of name = "value" strings; no CR or LF may reach a request. */
static int
pc_read_kv(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	struct portal_kvlist *l = (void *)((char *)obj + s->off);
	const config_setting_t *x;
	const char *val;
	int i, len, rc = LG_OK;

	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return settings_bad_type(r, s, st);
	len = config_setting_length(st);
	l->v = xcalloc((size_t)len + 1, sizeof(*l->v));
	for (i = 0; i < len; i++) {
		x = config_setting_get_elem(st, (unsigned)i);
		val = config_setting_get_string(x);
		if (val == NULL || strpbrk(val, "\r\n") != NULL) {
			rc = settings_bad(r, x, "%s.%s must be a one-line "
			    "string", s->name, config_setting_name(x));
			continue;
		}
		l->v[l->n].name = xstrdup(config_setting_name(x));
		l->v[l->n].value = xstrdup(val);
		l->n++;
	}
	return rc;
}

static int
pc_read_map(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj, int custom)
{
	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return settings_bad_type(r, s, st);
	return portal_map_add(&((struct portal_conf *)obj)->map, st, custom,
	    r);
}

static int
pc_read_fields(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	return pc_read_map(r, s, st, obj, 0);
}

static int
pc_read_custom(struct settings_reader *r, const struct setting *s,
    const config_setting_t *st, void *obj)
{
	return pc_read_map(r, s, st, obj, 1);
}

static void
pc_kv_free(struct portal_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
}

void
portal_conf_free(struct portal_conf *c)
{
	if (c == NULL)
		return;
	settings_free(&portal_conf_settings, c);
	pc_kv_free(&c->headers);
	pc_kv_free(&c->query);
	portal_map_free(c->map);
	free(c);
}

/* The index of v in "a|b|c", or -1. */
static int
pc_enum(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;
	int i;

	for (i = 0; p != NULL; i++) {
		if (strncmp(p, v, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return i;
		if ((p = strchr(p, '|')) != NULL)
			p++;
	}
	return -1;
}

/* What each choice needs: "a|b" = one of them must be set. */
static const struct {
	const char *setting;
	size_t off;		/* where the choice landed */
	int value;
	const char *needs;
} pc_needs[] = {
	{ "auth.type", O(auth.type), AUTH_API_KEY, "auth.header|auth.query" },
	{ "auth.type", O(auth.type), AUTH_API_KEY,
	    "auth.key_file|auth.key_env" },
	{ "auth.type", O(auth.type), AUTH_BASIC, "auth.user" },
	{ "auth.type", O(auth.type), AUTH_BASIC,
	    "auth.password_file|auth.password_env" },
	{ "auth.type", O(auth.type), AUTH_BEARER,
	    "auth.token_file|auth.token_env" },
	{ "auth.type", O(auth.type), AUTH_OAUTH2, "auth.token_url" },
	{ "auth.type", O(auth.type), AUTH_OAUTH2, "auth.client_id" },
	{ "auth.type", O(auth.type), AUTH_OAUTH2,
	    "auth.client_secret_file|auth.client_secret_env" },
	{ "paging.type", O(paging.type), PAGING_NEXT_LINK, "paging.next" },
	{ "paging.type", O(paging.type), PAGING_PAGE, "paging.param" },
	{ "paging.type", O(paging.type), PAGING_OFFSET, "paging.param" },
	{ "paging.type", O(paging.type), PAGING_OFFSET, "paging.size" },
	{ "paging.type", O(paging.type), PAGING_CURSOR, "paging.param" },
	{ "paging.type", O(paging.type), PAGING_CURSOR, "paging.next" },
	{ "incremental.type", O(incr.type), INCR_SINCE, "incremental.param" },
	{ "incremental.type", O(incr.type), INCR_SINCE, "incremental.from" },
	{ "incremental.type", O(incr.type), INCR_LAST_ID,
	    "incremental.param" },
	{ "ack.per", O(ack.per), ACK_ITEM, "ack.path" },
	{ "ack.per", O(ack.per), ACK_BATCH, "ack.path" },
};
#undef O

/* The setting at path for its line number, else the block. */
static const config_setting_t *
pc_at(const config_setting_t *block, const char *path)
{
	const config_setting_t *st;

	st = config_setting_lookup((config_setting_t *)block, path);
	return st ? st : block;
}

static int
pc_has_one(const config_setting_t *block, const char *alts)
{
	char buf[128], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", alts);
	for (p = strtok_r(buf, "|", &save); p; p = strtok_r(NULL, "|", &save))
		if (config_setting_lookup((config_setting_t *)block, p))
			return 1;
	return 0;
}

static int
pc_check_needs(struct settings_reader *r, struct portal_conf *c,
    const config_setting_t *block)
{
	const config_setting_t *st;
	char alts[128], *bar;
	size_t i;
	int rc = LG_OK;

	for (i = 0; i < sizeof(pc_needs) / sizeof(pc_needs[0]); i++) {
		if (*(int *)((char *)c + pc_needs[i].off) !=
		    pc_needs[i].value || pc_has_one(block, pc_needs[i].needs))
			continue;
		st = pc_at(block, pc_needs[i].setting);
		snprintf(alts, sizeof(alts), "%s", pc_needs[i].needs);
		if ((bar = strchr(alts, '|')) != NULL)
			*bar = '\0';
		rc = settings_bad(r, st, "%s \"%s\" needs %s%s%s",
		    pc_needs[i].setting, config_setting_get_string(st), alts,
		    bar ? " or " : "", bar ? bar + 1 : "");
	}
	return rc;
}

/* A template must give JSON once {id} and {ids} are filled in. */
static int
pc_check_json(struct settings_reader *r, const config_setting_t *block,
    const char *what, const char *text)
{
	char *t, *p;
	json_t *j;
	size_t n;

	if (text == NULL)
		return LG_OK;
	t = xstrdup(text);
	while ((p = strstr(t, "{ids}")) != NULL || (p = strstr(t, "{id}")) !=
	    NULL) {
		n = p[3] == 's' ? 5 : 4;
		memcpy(p, n == 5 ? "[\"x\"]" : "\"x\"", n == 5 ? 5 : 3);
		if (n == 4)
			memmove(p + 3, p + 4, strlen(p + 4) + 1);
	}
	j = json_loads(t, JSON_REJECT_DUPLICATES, NULL);
	free(t);
	if (j == NULL)
		return settings_bad(r, block, "%s is not JSON (with {id} as "
		    "\"x\" and {ids} as [\"x\"])", what);
	json_decref(j);
	return LG_OK;
}

/* Checks across settings; each one is reported. */
static int
pc_check(struct settings_reader *r, struct portal_conf *c,
    const config_setting_t *block)
{
	size_t before = r->rep->n;

	pc_check_needs(r, c, block);
	if (pc_enum("GET|POST", c->method) < 0)
		settings_bad(r, pc_at(block, "request.method"),
		    "request.method must be GET or POST");
	if (pc_enum("POST|PATCH|PUT|DELETE", c->ack.method) < 0)
		settings_bad(r, pc_at(block, "ack.method"),
		    "ack.method must be POST, PATCH, PUT or DELETE");
	if (c->ack.per == ACK_ITEM && c->ack.path != NULL &&
	    strstr(c->ack.path, "{id}") == NULL &&
	    (c->ack.body == NULL || strstr(c->ack.body, "{id}") == NULL))
		settings_bad(r, pc_at(block, "ack"),
		    "ack per item needs {id} in ack.path or ack.body");
	if (c->ack.per == ACK_BATCH && (c->ack.body == NULL ||
	    strstr(c->ack.body, "{ids}") == NULL))
		settings_bad(r, pc_at(block, "ack"),
		    "ack per batch needs {ids} in ack.body");
	if (c->paging.type == PAGING_OFFSET && c->paging.size < 1 &&
	    pc_has_one(block, "paging.size"))
		settings_bad(r, pc_at(block, "paging"),
		    "paging.size must be at least 1 for offset paging");
	if (c->paging.start < 0)
		c->paging.start = c->paging.type == PAGING_PAGE ? 1 : 0;
	pc_check_json(r, pc_at(block, "request.body"), "request.body",
	    c->body);
	pc_check_json(r, pc_at(block, "ack.body"), "ack.body", c->ack.body);
	return r->rep->n > before ? LG_EPERM : LG_OK;
}

static void
pc_reader(struct settings_reader *r, char *ctx, size_t len, const char *name,
    const struct config *cfg, struct err_report *rep)
{
	snprintf(ctx, len, "connector %s", name);
	settings_reader_init(r, &portal_conf_settings, cfg->path, cfg->dir, ctx,
	    rep);
}

int
portal_conf_bad(const struct portal_conf *c, const config_setting_t *st,
    const struct config *cfg, struct err_report *rep, const char *fmt, ...)
{
	struct settings_reader r;
	char ctx[256];
	va_list ap;
	int rc;

	pc_reader(&r, ctx, sizeof(ctx), c->name, cfg, rep);
	va_start(ap, fmt);
	rc = settings_vbad(&r, st, fmt, ap);
	va_end(ap);
	return rc;
}

int
portal_conf_parse(const config_setting_t *block, const struct config *cfg,
    struct portal_conf **out, struct err_report *rep)
{
	struct portal_conf *c = xcalloc(1, sizeof(*c));
	struct settings_reader r;
	const char *name = NULL;
	char ctx[256];
	int rc;

	*out = NULL;
	config_setting_lookup_string(block, "name", &name);
	pc_reader(&r, ctx, sizeof(ctx), name ? name : "?", cfg, rep);
	c->paging.start = -1;	/* derived from paging.type by pc_check() */
	/* The checks across settings only make sense when each one read. */
	if ((rc = settings_read(&r, block, c)) == LG_OK)
		rc = pc_check(&r, c, block);
	if (rc != LG_OK) {
		portal_conf_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}
