#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "connectors/jsonptr.h"
#include "connectors/portal_conf.h"
#include "connectors/portal_map.h"
#include "connectors/portal_setting.h"
#include "core/config.h"
#include "util/xmalloc.h"

enum pc_type {
	PC_STR,
	PC_PATH,	/* resolved against the configuration directory */
	PC_PTR,		/* a JSON pointer */
	PC_INT,
	PC_ENUM,	/* '|'-separated choices; the index lands in an enum */
	PC_KV,		/* a block of name = "value" strings */
	PC_MAP,		/* fields and custom: portal_map.c reads them */
};

struct pc_setting {
	const char *path;
	enum pc_type type;
	const char *def;	/* NULL: no default (stays NULL / required) */
	size_t off;
	long min, max;		/* PC_INT */
	const char *choices;	/* PC_ENUM */
	int required;
};

#define O(f) offsetof(struct portal_conf, f)
#define N 0, 0, NULL
#define NOFIELD ((size_t)-1)	/* read by someone else */

/* Every setting of a portal block; generic.conf explains each. */
static const struct pc_setting pc_settings[] = {
	{ "name", PC_STR, NULL, O(name), N, 1 },
	{ "type", PC_STR, NULL, NOFIELD, N, 0 },
	{ "source", PC_STR, NULL, O(source), N, 1 },
	{ "interval", PC_INT, "300", O(interval), 1, 86400, NULL, 0 },
	{ "base_url", PC_STR, NULL, O(base_url), N, 1 },
	{ "request.method", PC_STR, "GET", O(method), N, 0 },
	{ "request.path", PC_STR, "", O(path), N, 0 },
	{ "request.body", PC_STR, NULL, O(body), N, 0 },
	{ "request.headers", PC_KV, NULL, O(headers), N, 0 },
	{ "request.query", PC_KV, NULL, O(query), N, 0 },
	{ "auth.type", PC_ENUM, "none", O(auth.type), 0, 0,
	    "none|api_key|basic|bearer|oauth2", 0 },
	{ "auth.header", PC_STR, NULL, O(auth.header), N, 0 },
	{ "auth.query", PC_STR, NULL, O(auth.query), N, 0 },
	{ "auth.prefix", PC_STR, "", O(auth.prefix), N, 0 },
	{ "auth.key_file", PC_PATH, NULL, O(auth.key_file), N, 0 },
	{ "auth.key_env", PC_STR, NULL, O(auth.key_env), N, 0 },
	{ "auth.user", PC_STR, NULL, O(auth.user), N, 0 },
	{ "auth.password_file", PC_PATH, NULL, O(auth.password_file), N, 0 },
	{ "auth.password_env", PC_STR, NULL, O(auth.password_env), N, 0 },
	{ "auth.token_file", PC_PATH, NULL, O(auth.token_file), N, 0 },
	{ "auth.token_env", PC_STR, NULL, O(auth.token_env), N, 0 },
	{ "auth.token_url", PC_STR, NULL, O(auth.token_url), N, 0 },
	{ "auth.client_id", PC_STR, NULL, O(auth.client_id), N, 0 },
	{ "auth.client_secret_file", PC_PATH, NULL,
	    O(auth.client_secret_file), N, 0 },
	{ "auth.client_secret_env", PC_STR, NULL, O(auth.client_secret_env),
	    N, 0 },
	{ "auth.scope", PC_STR, NULL, O(auth.scope), N, 0 },
	{ "auth.client_auth", PC_ENUM, "body", O(auth.client_basic), 0, 0,
	    "body|basic", 0 },
	{ "items", PC_PTR, "", O(items), N, 0 },
	{ "id", PC_PTR, NULL, O(id), N, 1 },
	{ "fields", PC_MAP, NULL, NOFIELD, N, 1 },
	{ "custom", PC_MAP, NULL, NOFIELD, N, 0 },
	{ "paging.type", PC_ENUM, "none", O(paging.type), 0, 0,
	    "none|next_link|link_header|page|offset|cursor", 0 },
	{ "paging.param", PC_STR, NULL, O(paging.param), N, 0 },
	{ "paging.start", PC_INT, "-1", O(paging.start), -1, 1000000, NULL,
	    0 },
	{ "paging.size_param", PC_STR, NULL, O(paging.size_param), N, 0 },
	{ "paging.size", PC_INT, "0", O(paging.size), 0, 100000, NULL, 0 },
	{ "paging.next", PC_PTR, NULL, O(paging.next), N, 0 },
	{ "paging.has_more", PC_PTR, NULL, O(paging.has_more), N, 0 },
	{ "paging.total", PC_PTR, NULL, O(paging.total), N, 0 },
	{ "incremental.type", PC_ENUM, "none", O(incr.type), 0, 0,
	    "none|since|last_id", 0 },
	{ "incremental.param", PC_STR, NULL, O(incr.param), N, 0 },
	{ "incremental.from", PC_PTR, NULL, O(incr.from), N, 0 },
	{ "incremental.start", PC_STR, NULL, O(incr.start), N, 0 },
	{ "ack.per", PC_ENUM, "none", O(ack.per), 0, 0, "none|item|batch", 0 },
	{ "ack.method", PC_STR, "POST", O(ack.method), N, 0 },
	{ "ack.path", PC_STR, NULL, O(ack.path), N, 0 },
	{ "ack.body", PC_STR, NULL, O(ack.body), N, 0 },
	{ "timeouts.connect", PC_INT, "10", O(connect_timeout), 1, 600, NULL,
	    0 },
	{ "timeouts.total", PC_INT, "60", O(timeout), 1, 3600, NULL, 0 },
	{ "max_response_bytes", PC_INT, "16777216", O(max_response_bytes),
	    1024, 1L << 30, NULL, 0 },
	{ "max_pages", PC_INT, "1000", O(max_pages), 1, 1000000, NULL, 0 },
	{ "retries", PC_INT, "2", O(retries), 0, 10, NULL, 0 },
	{ "backoff.first", PC_INT, "2", O(backoff_first), 1, 3600, NULL, 0 },
	{ "backoff.max", PC_INT, "900", O(backoff_max), 1, 86400, NULL, 0 },
	{ "backoff.wait_max", PC_INT, "10", O(retry_wait_max), 0, 600, NULL,
	    0 },
	{ "max_redirects", PC_INT, "5", O(max_redirects), 0, 20, NULL, 0 },
	{ "ca_file", PC_PATH, NULL, O(ca_file), N, 0 },
};

#define NPC (sizeof(pc_settings) / sizeof(pc_settings[0]))

static void *
pc_field(struct portal_conf *c, const struct pc_setting *s)
{
	return (char *)c + s->off;
}

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

/* No CR, LF or NUL may reach a header or a request line. */
static int
pc_clean(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

static int
pc_read_kv(struct portal_conf *c, const struct pc_setting *s,
    const config_setting_t *st, struct err *e)
{
	struct portal_kvlist *l = pc_field(c, s);
	int i, len;

	if (config_setting_type(st) != CONFIG_TYPE_GROUP)
		return portal_setting_bad(st, c->name, e, "%s must be a "
		    "block { Name = \"value\"; }", s->path);
	len = config_setting_length(st);
	l->v = xcalloc((size_t)len + 1, sizeof(*l->v));
	for (i = 0; i < len; i++) {
		const config_setting_t *x = config_setting_get_elem(st,
		    (unsigned)i);
		const char *val = config_setting_get_string(x);

		if (val == NULL || !pc_clean(val))
			return portal_setting_bad(x, c->name, e, "%s.%s must "
			    "be a one-line string", s->path,
			    config_setting_name(x));
		l->v[l->n].name = xstrdup(config_setting_name(x));
		l->v[l->n].value = xstrdup(val);
		l->n++;
	}
	return LG_OK;
}

static int
pc_read_int(struct portal_conf *c, const struct pc_setting *s,
    const config_setting_t *st, struct err *e)
{
	long long v;

	if (config_setting_type(st) == CONFIG_TYPE_INT)
		v = config_setting_get_int(st);
	else if (config_setting_type(st) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(st);
	else
		return portal_setting_bad(st, c->name, e, "%s must be an "
		    "integer", s->path);
	if (v < s->min || v > s->max)
		return portal_setting_bad(st, c->name, e, "%s: %lld is out of "
		    "range %ld..%ld", s->path, v, s->min, s->max);
	if (s->off == O(max_response_bytes))
		*(long *)pc_field(c, s) = (long)v;
	else
		*(int *)pc_field(c, s) = (int)v;
	return LG_OK;
}

static int
pc_set_text(struct portal_conf *c, const struct pc_setting *s,
    const config_setting_t *st, const char *v, const struct config *cfg,
    struct err *e)
{
	struct err pe;
	int idx;

	switch (s->type) {
	case PC_ENUM:
		if ((idx = pc_enum(s->choices, v)) < 0)
			return portal_setting_bad(st, c->name, e, "%s: '%s' is "
			    "not one of %s", s->path, v, s->choices);
		*(int *)pc_field(c, s) = idx;
		return LG_OK;
	case PC_PTR:
		err_clear(&pe);
		if (jsonptr_check(v, &pe) != LG_OK)
			return portal_setting_bad(st, c->name, e, "%s: %s",
			    s->path, pe.msg);
		break;
	default:
		break;
	}
	if (!pc_clean(v))
		return portal_setting_bad(st, c->name, e, "%s must be one "
		    "line", s->path);
	if (s->off == NOFIELD)	/* "type": connector.c has checked it */
		return LG_OK;
	xstrset(pc_field(c, s), NULL);
	*(char **)pc_field(c, s) = s->type == PC_PATH ? config_path(cfg, v) :
	    xstrdup(v);
	return LG_OK;
}

static int
pc_read(struct portal_conf *c, const struct pc_setting *s,
    const config_setting_t *block, const struct config *cfg, struct err *e)
{
	const config_setting_t *st;
	const char *v;

	st = config_setting_lookup((config_setting_t *)block, s->path);
	if (st == NULL) {
		if (s->required)
			return portal_setting_bad(block, c->name, e, "'%s' is "
			    "required", s->path);
		if (s->def == NULL || s->type == PC_KV || s->type == PC_MAP)
			return LG_OK;
		if (s->type == PC_INT) {
			*(int *)pc_field(c, s) = atoi(s->def);
			if (s->off == O(max_response_bytes))
				*(long *)pc_field(c, s) = atol(s->def);
			return LG_OK;
		}
		return pc_set_text(c, s, block, s->def, cfg, e);
	}
	if (s->type == PC_KV)
		return pc_read_kv(c, s, st, e);
	if (s->type == PC_MAP)
		return LG_OK;
	if (s->type == PC_INT)
		return pc_read_int(c, s, st, e);
	if ((v = config_setting_get_string(st)) == NULL)
		return portal_setting_bad(st, c->name, e, "%s must be a "
		    "string", s->path);
	return pc_set_text(c, s, st, v, cfg, e);
}

/* Is path a setting, or inside a free-form block (headers, fields)? */
static int
pc_known(const char *path)
{
	static const char *const free_blocks[] = {
		"request.headers.", "request.query.", "fields.", "custom.",
		NULL,
	};
	size_t i, n = strlen(path);

	for (i = 0; free_blocks[i] != NULL; i++)
		if (strncmp(path, free_blocks[i], strlen(free_blocks[i])) == 0)
			return 1;
	for (i = 0; i < NPC; i++)
		if (strncmp(pc_settings[i].path, path, n) == 0 &&
		    (pc_settings[i].path[n] == '\0' ||
		    pc_settings[i].path[n] == '.'))
			return 1;
	return 0;
}

/* A misspelt setting silently ignored is a portal silently not polled. */
static int
pc_check_unknown(const struct portal_conf *c, const config_setting_t *g,
    const char *prefix, struct err *e)
{
	char path[256];
	int i, n = config_setting_length(g), rc;

	for (i = 0; i < n; i++) {
		const config_setting_t *st = config_setting_get_elem(g,
		    (unsigned)i);

		snprintf(path, sizeof(path), "%s%s%s", prefix,
		    *prefix ? "." : "", config_setting_name(st));
		if (!pc_known(path))
			return portal_setting_bad(st, c->name, e, "unknown "
			    "setting '%s'", path);
		if (config_setting_type(st) == CONFIG_TYPE_GROUP &&
		    (rc = pc_check_unknown(c, st, path, e)) != LG_OK)
			return rc;
	}
	return LG_OK;
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
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < NPC; i++) {
		const struct pc_setting *s = &pc_settings[i];

		if (s->off != NOFIELD && (s->type == PC_STR || s->type == PC_PATH ||
		    s->type == PC_PTR))
			free(*(char **)pc_field(c, s));
	}
	pc_kv_free(&c->headers);
	pc_kv_free(&c->query);
	portal_map_free(c->map);
	free(c);
}

/* What each choice needs: "a|b" = one of them must be set. */
static const struct {
	const char *setting;
	int value;
	const char *needs;
} pc_needs[] = {
	{ "auth.type", AUTH_API_KEY, "auth.header|auth.query" },
	{ "auth.type", AUTH_API_KEY, "auth.key_file|auth.key_env" },
	{ "auth.type", AUTH_BASIC, "auth.user" },
	{ "auth.type", AUTH_BASIC, "auth.password_file|auth.password_env" },
	{ "auth.type", AUTH_BEARER, "auth.token_file|auth.token_env" },
	{ "auth.type", AUTH_OAUTH2, "auth.token_url" },
	{ "auth.type", AUTH_OAUTH2, "auth.client_id" },
	{ "auth.type", AUTH_OAUTH2,
	    "auth.client_secret_file|auth.client_secret_env" },
	{ "paging.type", PAGING_NEXT_LINK, "paging.next" },
	{ "paging.type", PAGING_PAGE, "paging.param" },
	{ "paging.type", PAGING_OFFSET, "paging.param" },
	{ "paging.type", PAGING_OFFSET, "paging.size" },
	{ "paging.type", PAGING_CURSOR, "paging.param" },
	{ "paging.type", PAGING_CURSOR, "paging.next" },
	{ "incremental.type", INCR_SINCE, "incremental.param" },
	{ "incremental.type", INCR_SINCE, "incremental.from" },
	{ "incremental.type", INCR_LAST_ID, "incremental.param" },
	{ "ack.per", ACK_ITEM, "ack.path" },
	{ "ack.per", ACK_BATCH, "ack.path" },
};

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
pc_check_needs(struct portal_conf *c, const config_setting_t *block,
    struct err *e)
{
	const config_setting_t *st;
	char alts[128], *bar;
	size_t i, j;

	for (i = 0; i < sizeof(pc_needs) / sizeof(pc_needs[0]); i++) {
		for (j = 0; j < NPC; j++)
			if (strcmp(pc_settings[j].path, pc_needs[i].setting) ==
			    0)
				break;
		if (*(int *)pc_field(c, &pc_settings[j]) != pc_needs[i].value ||
		    pc_has_one(block, pc_needs[i].needs))
			continue;
		st = pc_at(block, pc_needs[i].setting);
		snprintf(alts, sizeof(alts), "%s", pc_needs[i].needs);
		if ((bar = strchr(alts, '|')) != NULL)
			*bar = '\0';
		return portal_setting_bad(st, c->name, e, "%s \"%s\" needs %s%s%s",
		    pc_needs[i].setting, config_setting_get_string(st), alts,
		    bar ? " or " : "", bar ? bar + 1 : "");
	}
	return LG_OK;
}

/* A template must give JSON once {id} and {ids} are filled in. */
static int
pc_check_json(struct portal_conf *c, const config_setting_t *block,
    const char *what, const char *text, struct err *e)
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
		return portal_setting_bad(block, c->name, e, "%s is not JSON "
		    "(with {id} as \"x\" and {ids} as [\"x\"])", what);
	json_decref(j);
	return LG_OK;
}

static int
pc_check(struct portal_conf *c, const config_setting_t *block, struct err *e)
{
	int rc;

	if ((rc = pc_check_needs(c, block, e)) != LG_OK)
		return rc;
	if (pc_enum("GET|POST", c->method) < 0)
		return portal_setting_bad(pc_at(block, "request.method"),
		    c->name, e, "request.method must be GET or POST");
	if (pc_enum("POST|PATCH|PUT|DELETE", c->ack.method) < 0)
		return portal_setting_bad(pc_at(block, "ack.method"), c->name,
		    e, "ack.method must be POST, PATCH, PUT or DELETE");
	if (c->ack.per == ACK_ITEM && strstr(c->ack.path, "{id}") == NULL &&
	    (c->ack.body == NULL || strstr(c->ack.body, "{id}") == NULL))
		return portal_setting_bad(pc_at(block, "ack"), c->name, e,
		    "ack per item needs {id} in ack.path or ack.body");
	if (c->ack.per == ACK_BATCH && (c->ack.body == NULL ||
	    strstr(c->ack.body, "{ids}") == NULL))
		return portal_setting_bad(pc_at(block, "ack"), c->name, e,
		    "ack per batch needs {ids} in ack.body");
	if (c->paging.type == PAGING_OFFSET && c->paging.size < 1)
		return portal_setting_bad(pc_at(block, "paging"), c->name, e,
		    "paging.size must be at least 1 for offset paging");
	if (c->paging.start < 0)
		c->paging.start = c->paging.type == PAGING_PAGE ? 1 : 0;
	if ((rc = pc_check_json(c, pc_at(block, "request.body"),
	    "request.body", c->body, e)) != LG_OK)
		return rc;
	return pc_check_json(c, pc_at(block, "ack.body"), "ack.body",
	    c->ack.body, e);
}

int
portal_conf_parse(const config_setting_t *block, const struct config *cfg,
    struct portal_conf **out, struct err *e)
{
	struct portal_conf *c = xcalloc(1, sizeof(*c));
	const char *name = NULL;
	size_t i;
	int rc = LG_OK;

	*out = NULL;
	config_setting_lookup_string(block, "name", &name);
	c->name = xstrdup(name ? name : "?");
	rc = pc_check_unknown(c, block, "", e);
	for (i = 0; i < NPC && rc == LG_OK; i++)
		rc = pc_read(c, &pc_settings[i], block, cfg, e);
	if (rc == LG_OK)
		rc = pc_check(c, block, e);
	if (rc == LG_OK)
		rc = portal_map_parse(config_setting_get_member(block,
		    "fields"), config_setting_get_member(block, "custom"),
		    c->name, &c->map, e);
	if (rc != LG_OK) {
		portal_conf_free(c);
		return rc;
	}
	*out = c;
	return LG_OK;
}
